/**
 * The Controller in virtual time, over the public test kit (StubApi, event builders, testObjects): what triggers a
 * run of which key with which priority, when the runs may start, what object a run gets, what a deleted primary
 * does, and the drain on unsubscribe (informers released only after it). Deployment-like primaries, ReplicaSet-like
 * owned objects, ConfigMaps watched through a mapper.
 */
import { describe, expect, it } from '@jest/globals';
import { map, NEVER, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Controller, type ControllerContext, type ControllerResult, type Reconciler } from '../../lib/controller/index.js';
import { controllerOwnerKey, priorityOf } from '../../lib/controller/controller-triggers.js';
import { ForbiddenError } from '../../lib/errors/status-error.js';
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { added, connected, deleted, initialEventsEnd, modified, StubApi, testObjects, testResources, type StubWatchStream } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';

const Deployments = defineResource<KubernetesObject>({ apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true });
const ReplicaSets = defineResource<KubernetesObject>({ apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true });
const { ConfigMap } = testResources;
const deployment = testObjects(Deployments, {});
const replicaSet = testObjects(ReplicaSets, {});
const configMap = testObjects(ConfigMap, {});

type Event = ReturnType<typeof added<KubernetesObject>> | ReturnType<typeof connected>;
const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** A ReplicaSet whose ownerReferences are `refs` (name, controller, kind, apiVersion). */
function ownedBy(name: string, rv: string, ...refs: { name: string; controller?: boolean; kind?: string; apiVersion?: string }[]): KubernetesObject {
  const rs = replicaSet(name, rv);
  const ownerReferences = refs.map((r) => ({ apiVersion: r.apiVersion ?? 'apps/v1', kind: r.kind ?? 'Deployment', name: r.name, uid: `uid-${r.name}`, ...(r.controller === undefined ? {} : { controller: r.controller }) }));
  return { ...rs, metadata: { ...rs.metadata, ownerReferences } };
}

/** A stub of one kind playing one watch: a watch-list whose marble the test writes (`c` connected, `e` its end). */
function stub(scheduler: TestScheduler, resource: typeof Deployments, stream: StubWatchStream<KubernetesObject>): StubApi<KubernetesObject> {
  return new StubApi({ resource, scheduler, watches: [stream] });
}

/**
 * A reconcile function that logs `key@time#attempt:resourceVersion` and takes `duration` ms (Infinity: until its
 * signal aborts, or never with `ignoreSignal`).
 */
function logging(scheduler: TestScheduler, log: string[], duration = 0, signals: AbortSignal[] = []): Reconciler<KubernetesObject> {
  return (object: KubernetesObject, { key, attempt, signal }: ControllerContext) => {
    log.push(`${key}@${scheduler.now()}#${attempt}:${object.metadata.resourceVersion}`);
    signals.push(signal);
    if (duration === 0) return undefined;
    if (duration === Infinity) return NEVER;
    return timer(duration, scheduler).pipe(map(() => undefined));
  };
}

const brief = (r: ControllerResult): string => `${r.key.replace('default/', '')}:${r.outcome}${r.skipped === undefined ? '' : `:${r.skipped}`}`;
const options = (scheduler: TestScheduler) => ({ scheduler, random: () => 0 });

describe('Controller', () => {
  it('runs nothing before every informer (primary, owned, watched) has synced; the initial state then runs', () => {
    const scheduler = newScheduler();
    const log: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const deployments = stub(scheduler, Deployments, cold<Event>('c a 5ms e', { c: connected(), a: added(deployment('a', '1')), e: initialEventsEnd('2', Deployments) }));
      const replicaSets = stub(scheduler, ReplicaSets, cold<Event>('c 19ms e', { c: connected(), e: initialEventsEnd('3', ReplicaSets) }));
      const configMaps = stub(scheduler, ConfigMap, cold<Event>('c 29ms e', { c: connected(), e: initialEventsEnd('4', ConfigMap) }));
      const controller = new Controller(deployments, options(scheduler)).owns(replicaSets).watches(configMaps, () => []);
      const results$ = controller.run(logging(scheduler, log)).pipe(map(brief));
      expectObservable(results$, '^ 100ms !').toBe('30ms r', { r: 'a:success' });
    });
    expect(log).toEqual(['default/a@30#1:1']);
  });

  it('is cold: no watch before subscribe', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold }) => {
      const deployments = stub(scheduler, Deployments, cold<Event>('c e', { c: connected(), e: initialEventsEnd('2', Deployments) }));
      new Controller(deployments, options(scheduler)).run(() => undefined);
      scheduler.flush();
      expect(deployments.watchCalls).toEqual([]);
    });
  });

  it('runs initial (low priority) keys behind a live change that arrives while they wait', () => {
    const scheduler = newScheduler();
    const log: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const values = { c: connected(), a: added(deployment('a', '1')), b: added(deployment('b', '2')), x: added(deployment('x', '3')), e: initialEventsEnd('4', Deployments), d: added(deployment('d', '5')) };
      const deployments = stub(scheduler, Deployments, cold<Event>('cabxe 5ms d', values));
      const results$ = new Controller(deployments, options(scheduler)).run(logging(scheduler, log, 10)).pipe(map(brief));
      expectObservable(results$, '^ 100ms !').toBe('14ms a 9ms d 9ms b 9ms x', { a: 'a:success', b: 'b:success', d: 'd:success', x: 'x:success' });
    });
    expect(log).toEqual(['default/a@4#1:1', 'default/d@14#1:5', 'default/b@24#1:2', 'default/x@34#1:3']);
  });

  it("maps an owned object's events to its controller owner of the primary kind (same group, any version), and a change of owner to both", () => {
    const scheduler = newScheduler();
    const log: string[] = [];
    scheduler.run(({ cold }) => {
      const deployments = stub(scheduler, Deployments, cold<Event>('cabe', { c: connected(), a: added(deployment('a', '1')), b: added(deployment('b', '2')), e: initialEventsEnd('3', Deployments) }));
      const values = {
        c: connected(),
        e: initialEventsEnd('10', ReplicaSets),
        p: modified(ownedBy('rs-1', '11', { name: 'a', controller: true })),
        q: modified(ownedBy('rs-2', '12', { name: 'b', controller: false })), // not the controller: nothing
        r: modified(ownedBy('rs-3', '13', { name: 'b', controller: true, kind: 'StatefulSet' })), // another kind: nothing
        s: modified(ownedBy('rs-4', '14', { name: 'b', controller: true, apiVersion: 'extensions/v1beta1' })), // another group: nothing
        t: modified(ownedBy('rs-5', '15', { name: 'b', controller: true, apiVersion: 'apps/v1beta2' })), // same group, other version: b
        u: modified(ownedBy('rs-1', '16', { name: 'b', controller: true })), // rs-1 moves from a to b: both
        v: deleted(ownedBy('rs-1', '17', { name: 'b', controller: true })), // deleted: its owner
      };
      const replicaSets = stub(scheduler, ReplicaSets, cold<Event>('ce 9ms p 9ms q 9ms r 9ms s 9ms t 9ms u 9ms v', values));
      const controller = new Controller(deployments, options(scheduler)).owns(replicaSets);
      const subscription = controller.run(logging(scheduler, log)).subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 200);
    });
    // Initial state at 3 (when both have synced); rs-1 at 11 -> a; q, r, s nothing; t at 51 -> b; u at 61 -> b (new) and a
    // (previous); v at 71 -> b.
    expect(log).toEqual(['default/a@3#1:1', 'default/b@3#1:2', 'default/a@11#1:1', 'default/b@51#1:2', 'default/b@61#1:2', 'default/a@61#1:1', 'default/b@71#1:2']);
  });

  it("maps a watched object's events through the mapper: zero, one or many keys, deletions included", () => {
    const scheduler = newScheduler();
    const log: string[] = [];
    scheduler.run(({ cold }) => {
      const deployments = stub(scheduler, Deployments, cold<Event>('cabe', { c: connected(), a: added(deployment('a', '1')), b: added(deployment('b', '2')), e: initialEventsEnd('3', Deployments) }));
      const users: Record<string, string[]> = { shared: ['default/a', 'default/b', 'default/a'], 'only-b': ['default/b'], unused: [] };
      const values = {
        c: connected(),
        i: added(configMap('only-b', '9')),
        e: initialEventsEnd('10', ConfigMap),
        u: modified(configMap('unused', '11')),
        s: modified(configMap('shared', '12')),
        o: deleted(configMap('only-b', '13')),
      };
      const configMaps = stub(scheduler, ConfigMap, cold<Event>('cie 8ms u 9ms s 9ms o', values));
      const controller = new Controller(deployments, options(scheduler)).watches(configMaps, (cm) => users[cm.metadata.name ?? ''] ?? []);
      const subscription = controller.run(logging(scheduler, log)).subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 100);
    });
    // Initial state at 3 (only-b's initial ADDED folds into b's); unused at 11: nothing; shared at 21: a and b once each;
    // only-b deleted at 31: b.
    expect(log).toEqual(['default/a@3#1:1', 'default/b@3#1:2', 'default/a@21#1:1', 'default/b@21#1:2', 'default/b@31#1:2']);
  });

  it('gives a run the latest object of the store when it starts, not the copy of the event that queued it', () => {
    const scheduler = newScheduler();
    const log: string[] = [];
    scheduler.run(({ cold }) => {
      const values = { c: connected(), a: added(deployment('a', '1')), b: added(deployment('b', '2')), e: initialEventsEnd('3', Deployments), m: modified(deployment('a', '4')), n: modified(deployment('a', '5')) };
      const deployments = stub(scheduler, Deployments, cold<Event>('cbe 1ms m 2ms n', values));
      const subscription = new Controller(deployments, options(scheduler)).run(logging(scheduler, log, 10)).subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 100);
    });
    // b runs 2..12; a is queued by rv 4 at 4 and changed to rv 5 at 7: its run at 12 reads rv 5.
    expect(log).toEqual(['default/b@2#1:2', 'default/a@12#1:5']);
  });

  it('skips a primary object deleted before its run: the reconcile is not called, the result says notFound', () => {
    const scheduler = newScheduler();
    const log: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const values = { c: connected(), a: added(deployment('a', '1')), b: added(deployment('b', '2')), e: initialEventsEnd('3', Deployments), d: deleted(deployment('a', '4')) };
      const deployments = stub(scheduler, Deployments, cold<Event>('cbe 1ms a 2ms d', values));
      const results$ = new Controller(deployments, options(scheduler)).run(logging(scheduler, log, 10)).pipe(map(brief));
      expectObservable(results$, '^ 100ms !').toBe('12ms (bn)', { b: 'b:success', n: 'a:success:notFound' });
    });
    expect(log).toEqual(['default/b@2#1:2']);
  });

  it('drains on unsubscribe: no new run, running ones see their signal aborted, informers released after the drain deadline', () => {
    const scheduler = newScheduler();
    const log: string[] = [];
    const signals: AbortSignal[] = [];
    let watch: ReturnType<TestScheduler['createColdObservable']> | undefined;
    let abortedAt: number | undefined;
    scheduler.run(({ cold, expectSubscriptions }) => {
      const values = { c: connected(), a: added(deployment('a', '1')), b: added(deployment('b', '2')), e: initialEventsEnd('3', Deployments), m: modified(deployment('b', '4')) };
      watch = cold<Event>('cae 20ms m', values);
      const deployments = stub(scheduler, Deployments, watch as Observable<Event>);
      const reconcile: Reconciler<KubernetesObject> = (object, context) => {
        context.signal.addEventListener('abort', () => (abortedAt = scheduler.now()));
        return logging(scheduler, log, Infinity, signals)(object, context); // ignores its signal
      };
      const controller = new Controller(deployments, { ...options(scheduler), concurrency: 1, drainTimeout: 30 });
      const subscription = controller.run(reconcile).subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 10);
      // The watch lives on through the drain (10 + 30 ms), then is released.
      expectSubscriptions(watch.subscriptions).toBe('^ 39ms !');
    });
    expect(log).toEqual(['default/a@2#1:1']); // b never starts: draining, and the live change at 23 queues nothing
    expect(abortedAt).toBe(10);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('releases the informers as soon as the last running reconcile ends during a drain', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectSubscriptions }) => {
      const watch = cold<Event>('cae', { c: connected(), a: added(deployment('a', '1')), e: initialEventsEnd('3', Deployments) });
      const owned = cold<Event>('ce', { c: connected(), e: initialEventsEnd('4', ReplicaSets) });
      const controller = new Controller(stub(scheduler, Deployments, watch as Observable<Event>), options(scheduler)).owns(stub(scheduler, ReplicaSets, owned as Observable<Event>));
      const subscription = controller.run((_d, { signal }) => timer(5, scheduler).pipe(map(() => (signal.aborted ? undefined : undefined)))).subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 4);
      expectSubscriptions(watch.subscriptions).toBe('^ 6ms !'); // the run (2..7) ends at 7: then the informers stop
      expectSubscriptions(owned.subscriptions).toBe('^ 6ms !');
    });
  });

  it('exposes the queue metrics: a snapshot now, and metrics$ every metricsPeriod', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const values = { c: connected(), a: added(deployment('a', '1')), b: added(deployment('b', '2')), e: initialEventsEnd('3', Deployments) };
      const controller = new Controller(stub(scheduler, Deployments, cold<Event>('cabe', values)), { ...options(scheduler), metricsPeriod: 5 });
      const subscription = controller.run(logging(scheduler, [], 10)).subscribe();
      scheduler.schedule(() => subscription.unsubscribe(), 30);
      expectObservable(controller.metrics$.pipe(map((m) => `${m.depth}/${m.running}/${m.runs}`)), '^ 25ms !').toBe('a 4ms b 4ms c 4ms d 4ms e 4ms f', {
        a: '0/0/0', // before the informer
        b: '1/1/0', // at 5: a runs, b waits
        c: '1/1/0',
        d: '0/1/1', // at 15: b runs
        e: '0/1/1',
        f: '0/0/2', // at 25: done
      });
    });
  });

  it('is built before run: owns and watches throw after it', () => {
    const scheduler = newScheduler();
    const controller = new Controller(new StubApi({ resource: Deployments, scheduler }), options(scheduler));
    controller.run(() => undefined);
    expect(() => controller.owns(new StubApi({ resource: ReplicaSets, scheduler }))).toThrow('before run');
    expect(() => controller.watches(new StubApi({ resource: ConfigMap, scheduler }), () => [])).toThrow('before run');
    expect(() => new Controller(new StubApi({ resource: Deployments, scheduler }), { concurrency: 0 })).toThrow(TypeError);
  });
  it('takes a plain value from the reconcile (Observables: above; a Promise: the loopback spec): its requeueAfter reruns the key', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const values = { c: connected(), a: added(deployment('a', '1')), e: initialEventsEnd('3', Deployments) };
      const results$ = new Controller(stub(scheduler, Deployments, cold<Event>('cae', values)), options(scheduler)).run(() => ({ requeueAfter: 10 }));
      expectObservable(results$.pipe(map((r) => `${brief(r)}+${r.requeueAfter}`)), '^ 25ms !').toBe('2ms r 9ms r 9ms r', { r: 'a:success+10' });
    });
  });

  it('errors when an informer fails unrecoverably (403), after releasing the other informers', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const forbidden = new ForbiddenError({ code: 403, reason: 'Forbidden', status: 'Failure', message: 'replicasets is forbidden' });
      const watch = cold<Event>('cae', { c: connected(), a: added(deployment('a', '1')), e: initialEventsEnd('3', Deployments) });
      const owned = cold<Event>('5ms #', {}, forbidden);
      const controller = new Controller(stub(scheduler, Deployments, watch as Observable<Event>), options(scheduler)).owns(stub(scheduler, ReplicaSets, owned as Observable<Event>));
      expectObservable(controller.run(() => undefined).pipe(map(brief))).toBe('5ms #', {}, forbidden);
      expectSubscriptions(watch.subscriptions).toBe('^ 4ms !');
    });
  });

  it('errors when a watches mapper throws', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const bug = new Error('mapper bug');
      const deployments = stub(scheduler, Deployments, cold<Event>('ce', { c: connected(), e: initialEventsEnd('3', Deployments) }));
      const configMaps = stub(scheduler, ConfigMap, cold<Event>('ce 3ms m', { c: connected(), e: initialEventsEnd('3', ConfigMap), m: added(configMap('x', '4')) }));
      const controller = new Controller(deployments, options(scheduler)).watches(configMaps, () => {
        throw bug;
      });
      expectObservable(controller.run(() => undefined).pipe(map(brief))).toBe('5ms #', {}, bug);
    });
  });
});

describe('controller triggers', () => {
  it('gives replayed state (initial, relist, restored) low priority and live changes high', () => {
    const event = (origin: InformerEvent<unknown>['origin']) => ({ ...added(deployment('a', '1')), origin });
    expect(['initial', 'relist', 'restored', 'live'].map((o) => priorityOf(event(o as InformerEvent<unknown>['origin'])))).toEqual(['low', 'low', 'low', 'high']);
  });

  it('names the controller owner of a namespaced primary in the child namespace, of a cluster-scoped one by name only', () => {
    const child = ownedBy('rs', '1', { name: 'web', controller: true });
    expect(controllerOwnerKey(child, { apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true })).toBe('default/web');
    expect(controllerOwnerKey(child, { apiVersion: 'apps/v1', kind: 'Deployment', namespaced: false })).toBe('web');
    expect(controllerOwnerKey(child, { apiVersion: 'v1', kind: 'Deployment', namespaced: true })).toBeUndefined();
    expect(controllerOwnerKey(replicaSet('orphan', '1'), { apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true })).toBeUndefined();
  });
});

/**
 * Several namespaces, one informer (issue #14), in virtual time: one watch per namespace, one store, one state, one
 * events$; a relist touches only its namespace; a 403 on one namespace is retried and does not hold back the
 * others; every namespace forbidden fails the informer. Each namespace's watch$ calls are played by its own stub.
 */
import { describe, expect, it } from '@jest/globals';
import { filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ListOptions, ObjectList } from '../../lib/api/list.js';
import type { WatchOptions } from '../../lib/api/watch-options.js';
import { ForbiddenError, GoneError } from '../../lib/errors/status-error.js';
import { Informer, type InformerOptions, type InformerSource, type InformerState } from '../../lib/informer/informer.js';
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import { testResources } from '../../lib/testing/resources.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';
import { initialEventsEnd, pod, type Pod, type PodEvent } from '../operators/watch-events.js';
import { from } from './origin-helpers.js';
import { StubSource } from './stub-source.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const gone = (): GoneError => new GoneError({ code: 410, reason: 'Expired', status: 'Failure', message: 'too old resource version' });
const forbidden = (namespace: string): ForbiddenError =>
  new ForbiddenError({ code: 403, reason: 'Forbidden', status: 'Failure', message: `pods is forbidden: User "web" cannot watch resource "pods" in API group "" in the namespace "${namespace}"` });

/** A Pod of a namespace. */
function nsPod(namespace: string, name: string, rv: string): Pod {
  const p = pod(name, rv);
  return { ...p, metadata: { ...p.metadata, namespace } };
}
const add = (namespace: string, name: string, rv: string): PodEvent => ({ type: 'ADDED', object: nsPod(namespace, name, rv) });
const del = (namespace: string, name: string, rv: string): PodEvent => ({ type: 'DELETED', object: nsPod(namespace, name, rv) });

/** An Api stand-in that hands each namespace's watch$ and list$ calls to that namespace's stub. */
class NamespacedStub implements InformerSource<Pod> {
  readonly resource = testResources.Pod;
  readonly stubs: Record<string, StubSource<Pod>>;
  constructor(scheduler: TestScheduler, watches: Record<string, readonly Observable<PodEvent>[]>) {
    this.stubs = Object.fromEntries(Object.entries(watches).map(([ns, streams]) => [ns, new StubSource<Pod>(testResources.Pod, scheduler, streams)]));
  }
  #stub(namespace: string | null | undefined): StubSource<Pod> {
    const stub = this.stubs[namespace ?? ''];
    if (stub === undefined) throw new Error(`stub: no namespace ${String(namespace)}`);
    return stub;
  }
  watch$(options: WatchOptions = {}): Observable<WatchEvent<Pod>> {
    return this.#stub(options.namespace).watch$(options);
  }
  list$(options: ListOptions = {}): Observable<ObjectList<Pod>> {
    return this.#stub(options.namespace).list$(options);
  }
}

const keys = (store: ReadonlyMap<string, Pod>): string => [...store.keys()].sort().join(' ');
/** `phase synced [forbidden]`. */
const brief = (state: InformerState): string => `${state.phase}${state.synced ? ' synced' : ''}${state.forbidden?.length ? ` forbidden:${state.forbidden.join(',')}` : ''}`;
/** `origin TYPE ns/name`, or `origin END`. */
const event = (e: InformerEvent<Pod>): string => (e.type === 'BOOKMARK' ? `${e.origin} END@${e.object.metadata.resourceVersion}` : `${e.origin} ${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}`);

function setup(scheduler: TestScheduler, watches: Record<string, readonly Observable<PodEvent>[]>, options: InformerOptions<Pod> = {}) {
  const api = new NamespacedStub(scheduler, watches);
  const informer = new Informer<Pod>(api, { scheduler, random: () => 0, namespaces: Object.keys(watches), ...options });
  return {
    api,
    informer,
    events$: informer.events$.pipe(map(event)),
    keys$: informer.store$.pipe(map(keys)),
    states$: informer.state$.pipe(filter((s) => s.phase !== 'idle'), map(brief)),
  };
}

describe('Informer with several namespaces', () => {
  it('watches each namespace, merges them into one store, and is in sync (one marker, one store) when all are', () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const a = cold<PodEvent>('ae 1s m', { a: add('team-a', 'web-0', '101'), e: initialEventsEnd('110'), m: add('team-a', 'web-1', '120') });
      const b = cold<PodEvent>('5ms ae', { a: add('team-b', 'api-0', '102'), e: initialEventsEnd('111') });
      t = setup(scheduler, { 'team-a': [a], 'team-b': [b] });
      const unsub = '^ 1m !';
      expectObservable(t.events$, unsub).toBe('a 4ms be 995ms m', {
        a: 'initial ADDED team-a/web-0',
        b: 'initial ADDED team-b/api-0',
        e: 'initial END@111',
        m: 'live ADDED team-a/web-1',
      });
      expectObservable(t.keys$, unsub).toBe('6ms s 995ms t', { s: 'team-a/web-0 team-b/api-0', t: 'team-a/web-0 team-a/web-1 team-b/api-0' });
      expectObservable(t.states$, unsub).toBe('s 5ms w', { s: 'syncing', w: 'watching synced' });
    });
    expect(t.api.stubs['team-a']!.watchCalls.map((c) => c.options.namespace)).toEqual(['team-a']);
    expect(t.api.stubs['team-b']!.watchCalls.map((c) => c.options.namespace)).toEqual(['team-b']);
    expect(t.informer.state).toEqual({ phase: 'idle', synced: false });
  });

  it('states each namespace and the informer as a whole (informer.state has the current detail)', () => {
    const scheduler = newScheduler();
    const states: InformerState[] = [];
    let now: InformerState | undefined;
    scheduler.run(({ cold }) => {
      const a = cold<PodEvent>('e', { e: initialEventsEnd('110') });
      const b = cold<PodEvent>('-');
      const t = setup(scheduler, { 'team-a': [a], 'team-b': [b] });
      const sub = t.informer.state$.subscribe((s) => states.push(s));
      scheduler.schedule(() => (now = t.informer.state), 5);
      scheduler.schedule(() => sub.unsubscribe(), 10);
    });
    expect(now).toEqual({
      phase: 'syncing',
      synced: false,
      forbidden: [],
      namespaces: { 'team-a': { phase: 'watching', synced: true, resourceVersion: '110' }, 'team-b': { phase: 'syncing', synced: false } },
    });
    // state$ told only what changed for the informer as a whole: idle, then syncing (team-a's sync is in the detail).
    expect(states.map((s) => s.phase)).toEqual(['idle', 'syncing']);
  });

  it('relists one namespace after 410: synthetic DELETED only for its objects, the others untouched', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const a1 = cold<PodEvent>('abe 1s #', { a: add('team-a', 'web-0', '101'), b: add('team-a', 'web-1', '102'), e: initialEventsEnd('110') }, gone());
      const a2 = cold<PodEvent>('ae', { a: add('team-a', 'web-0', '101'), e: initialEventsEnd('200') });
      const b = cold<PodEvent>('5ms ae', { a: add('team-b', 'api-0', '103'), e: initialEventsEnd('111') });
      const t = setup(scheduler, { 'team-a': [a1, a2], 'team-b': [b] });
      const unsub = '^ 1m !';
      expectObservable(t.events$, unsub).toBe('ab 3ms ce 997ms (DE)', {
        a: 'initial ADDED team-a/web-0',
        b: 'initial ADDED team-a/web-1',
        c: 'initial ADDED team-b/api-0',
        e: 'initial END@111',
        D: 'relist DELETED team-a/web-1',
        E: 'relist END@200',
      });
      expectObservable(t.keys$, unsub).toBe('6ms s 997ms t', { s: 'team-a/web-0 team-a/web-1 team-b/api-0', t: 'team-a/web-0 team-b/api-0' });
    });
  });

  it('retries a namespace answering 403 with backoff, syncs without it, names it, and takes it in once allowed', () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const a = cold<PodEvent>('ae', { a: add('team-a', 'web-0', '101'), e: initialEventsEnd('110') });
      const b1 = cold<PodEvent>('#', undefined, forbidden('team-b'));
      const b2 = cold<PodEvent>('#', undefined, forbidden('team-b'));
      const b3 = cold<PodEvent>('ae', { a: add('team-b', 'api-0', '102'), e: initialEventsEnd('300') });
      t = setup(scheduler, { 'team-a': [a], 'team-b': [b1, b2, b3] });
      const unsub = '^ 1m !';
      // 403 at 0 and at 800 ms (backoff 800 ms, then 1600 ms): allowed at 2400 ms.
      expectObservable(t.events$, unsub).toBe('ae 2398ms bE', {
        a: 'initial ADDED team-a/web-0',
        e: 'initial END@110',
        b: 'initial ADDED team-b/api-0',
        E: 'initial END@300',
      });
      expectObservable(t.keys$, unsub).toBe('-s 2399ms t', { s: 'team-a/web-0', t: 'team-a/web-0 team-b/api-0' });
      expectObservable(t.states$.pipe(filter((s) => s.includes('synced'))), unsub).toBe('-w 2399ms W', {
        w: 'watching synced forbidden:team-b',
        W: 'watching synced',
      });
    });
    expect(t.api.stubs['team-b']!.watchCalls.map((c) => c.at)).toEqual([0, 800, 2400]);
  });

  it('fails as a single-namespace informer does when every namespace answers 403', () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const a = cold<PodEvent>('#', undefined, forbidden('team-a'));
      const b = cold<PodEvent>('5ms #', undefined, forbidden('team-b'));
      t = setup(scheduler, { 'team-a': [a], 'team-b': [b] });
      expectObservable(t.events$).toBe('5ms #', undefined, forbidden('team-b'));
      // team-a backs off at once (team-b may be allowed); team-b's 403 leaves none allowed: failed.
      expectObservable(t.states$).toBe('(sF) 1ms (f|)', { s: 'syncing', F: 'syncing forbidden:team-a', f: 'failed forbidden:team-a' });
    });
    expect(t.informer.state).toMatchObject({ phase: 'failed', error: expect.any(ForbiddenError), forbidden: ['team-a'] });
    expect(t.api.stubs['team-a']!.watchCalls).toHaveLength(1); // the retry was cancelled with the informer
  });

  it('replays the store of every namespace to a late subscriber, then one marker', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const a = cold<PodEvent>('ae', { a: add('team-a', 'web-0', '101'), e: initialEventsEnd('110') });
      const b = cold<PodEvent>('ae', { a: add('team-b', 'api-0', '102'), e: initialEventsEnd('111') });
      const t = setup(scheduler, { 'team-a': [a], 'team-b': [b] });
      expectObservable(t.keys$, '^ 1m !').toBe('-s', { s: 'team-a/web-0 team-b/api-0' });
      expectObservable(t.events$, '5s ^ 1m !').toBe('5s (abE)', { a: 'initial ADDED team-a/web-0', b: 'initial ADDED team-b/api-0', E: 'initial END@110' });
    });
  });

  it('refuses namespaces with namespace, empty, not namespace names, duplicated, or for a cluster-scoped resource', () => {
    const api = new StubSource<Pod>(testResources.Pod, newScheduler(), []);
    const make = (options: InformerOptions<Pod>) => () => new Informer<Pod>(api, options);
    expect(make({ namespaces: ['team-a'], namespace: 'team-b' })).toThrow(new TypeError('informer: namespace and namespaces are exclusive'));
    expect(make({ namespaces: [] })).toThrow(new TypeError('informer: namespaces must be a non-empty array of namespace names'));
    expect(make({ namespaces: ['Team_A'] })).toThrow(/"Team_A" is not a namespace name/);
    expect(make({ namespaces: ['x'.repeat(64)] })).toThrow(/is not a namespace name/);
    expect(make({ namespaces: ['team-a', 'team-a'] })).toThrow(new TypeError('informer: namespaces: team-a is listed twice'));
    const nodes = new StubSource(testResources.Node, newScheduler(), []);
    expect(() => new Informer(nodes, { namespaces: ['team-a'] })).toThrow(new TypeError('informer: namespaces were given for a cluster-scoped resource'));
    expect(make({ namespaces: ['team-a', 'b-1'] })).not.toThrow();
  });

  it('with one namespace, fails on its 403 and still tells the namespace in the state', () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      t = setup(scheduler, { 'team-a': [cold<PodEvent>('#', undefined, forbidden('team-a'))] });
      expectObservable(t.states$).toBe('(sf|)', { s: 'syncing', f: 'failed' });
    });
    expect(t.informer.state).toMatchObject({ phase: 'failed', forbidden: [], namespaces: { 'team-a': { phase: 'syncing' } } });
  });
});

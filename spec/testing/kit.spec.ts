/**
 * The public test kit of `kubex-rx/testing`: event builders, testObjects, goneError and the marble-driven StubApi.
 * The builders are checked against the real decoders (a bookmark the kit builds is one the real watch$ accepts
 * and classifies as the server's would be); the stub against what the real watch$ does at call and subscription.
 */
import { describe, expect, it } from '@jest/globals';
import { map, repeat, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { decodeListBody } from '../../lib/api/list.js';
import { watchQuery } from '../../lib/api/watch-options.js';
import { DecodeError } from '../../lib/errors/kubex-error.js';
import { GoneError } from '../../lib/errors/status-error.js';
import { Informer } from '../../lib/informer/informer.js';
import { retryOnGone } from '../../lib/operators/retry-on-gone.js';
import { trackBookmarks } from '../../lib/operators/track-bookmarks.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import {
  added, bookmark, connected, deleted, goneError, initialEventsEnd, modified, objectList, rejected, StubApi, testObjects, testResources,
  type StubWatchStream, type WatchCall,
} from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { decodeWatchEvent } from '../../lib/watch/decode-event.js';
import { ON_REJECTED_OBJECT, type RejectedObject } from '../../lib/watch/rejected-object.js';
import { cursorReads, WatchCursor } from '../../lib/watch/watch-cursor.js';
import { isInitialEventsEnd, type WatchEvent } from '../../lib/watch/watch-event.js';

type Widget = KubernetesObject & { spec: { size: number; tags?: string[] } };
const Widgets = defineResource<Widget>({ apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: true });
const Clusters = defineResource<KubernetesObject>({ apiVersion: 'example.com/v1', kind: 'Cluster', plural: 'clusters', namespaced: false });

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('testObjects', () => {
  const widget = testObjects(Widgets, { spec: { size: 1, tags: ['a'] } });

  it('infers the type from a Resource and makes an object of it: name, namespace default, stable uid, resourceVersion', () => {
    const w: Widget = widget('a', '5'); // a type error here if T were not inferred as Widget
    expect(w).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'a', namespace: 'default', uid: 'uid-a', resourceVersion: '5', creationTimestamp: '2025-01-01T00:00:00Z' },
      spec: { size: 1, tags: ['a'] },
    });
    expect(widget('a', '6').metadata.uid).toBe(w.metadata.uid); // the same object at another version
    expect(Widgets.codec.is(w)).toBe(true);
  });

  it('takes namespace, labels, annotations and uid per object, and a default namespace per maker', () => {
    expect(widget('a', '5', { namespace: 'team-a', labels: { app: 'web' }, annotations: { note: 'x' }, uid: 'u-1' }).metadata).toEqual({
      name: 'a', namespace: 'team-a', uid: 'u-1', resourceVersion: '5', creationTimestamp: '2025-01-01T00:00:00Z', labels: { app: 'web' }, annotations: { note: 'x' },
    });
    expect(testObjects(Widgets, { spec: { size: 1 } }, { namespace: 'team-b' })('a', '5').metadata.namespace).toBe('team-b');
    expect(widget('a', '5', { namespace: null }).metadata).not.toHaveProperty('namespace');
  });

  it('leaves the namespace out for a cluster-scoped kind', () => {
    const cluster = testObjects(Clusters, {});
    expect(cluster('c1', '3').metadata).not.toHaveProperty('namespace');
    expect(cluster.namespaced).toBe(false);
  });

  it('copies the template: changing one object changes no other', () => {
    const a = widget('a', '5');
    a.spec.tags!.push('changed');
    expect(widget('b', '5').spec.tags).toEqual(['a']);
  });

  it('is itself a kind for bookmarks (apiVersion, kind, bookmarkFields) and works from a plain { apiVersion, kind }', () => {
    const thing = testObjects<KubernetesObject>({ apiVersion: 'v1', kind: 'Thing', bookmarkFields: { spec: {} } }, {});
    expect([thing.apiVersion, thing.kind, thing.namespaced, thing.bookmarkFields]).toEqual(['v1', 'Thing', true, { spec: {} }]);
    expect(thing('t', '1')).toMatchObject({ apiVersion: 'v1', kind: 'Thing', metadata: { name: 't', namespace: 'default' } });
  });
});

describe('event builders', () => {
  const widget = testObjects(Widgets, { spec: { size: 1 } });
  /** What the real watch$ decodes from the event as a server would send it. */
  const roundTrip = <T>(event: WatchEvent<T>, resource = Widgets): WatchEvent<unknown> | undefined => decodeWatchEvent(JSON.stringify(event), resource.codec);

  it.each([
    ['added', 'ADDED', added],
    ['modified', 'MODIFIED', modified],
    ['deleted', 'DELETED', deleted],
  ] as const)('%s(object) is a %s event of that object, as the real watch$ decodes it', (_name, type, build) => {
    const object = widget('a', '5');
    const event = build(object);
    expect(event).toEqual({ type, object });
    expect(event.type === 'BOOKMARK' ? undefined : event.object).toBe(object);
    expect(roundTrip(event)).toEqual(event);
  });

  it("bookmark(rv, kind) is the cacher's skeleton of the kind: only the resourceVersion, plus the kind's zero-valued fields", () => {
    expect(bookmark('7', Widgets)).toEqual({ type: 'BOOKMARK', object: { kind: 'Widget', apiVersion: 'example.com/v1', metadata: { resourceVersion: '7' } } });
    const pods = testObjects<KubernetesObject>({ apiVersion: 'v1', kind: 'Pod', bookmarkFields: { spec: { containers: null }, status: {} } }, {});
    // What a real kube-apiserver sends for Pods (kubernetes-watch-protocol.md §3.1).
    expect(JSON.stringify(bookmark('12746', pods).object)).toBe('{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12746"},"spec":{"containers":null},"status":{}}');
    const decoded = roundTrip(bookmark('7', Widgets));
    expect(decoded).toEqual(bookmark('7', Widgets));
    expect(isInitialEventsEnd(decoded as WatchEvent<Widget>)).toBe(false);
  });

  it('initialEventsEnd(rv, kind) is the bookmark annotated k8s.io/initial-events-end, recognised as such', () => {
    const event = initialEventsEnd<Widget>('9', widget);
    expect(event).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Widget', apiVersion: 'example.com/v1', metadata: { resourceVersion: '9', annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
    expect(isInitialEventsEnd(roundTrip(event) as WatchEvent<Widget>)).toBe(true);
  });

  it('objectList(rv, items, kind) is a <Kind>List page, as list$ decodes it', () => {
    const list = objectList('9', [widget('a', '5')], Widgets);
    expect(list).toEqual({ apiVersion: 'example.com/v1', kind: 'WidgetList', metadata: { resourceVersion: '9' }, items: [widget('a', '5')] });
    expect(decodeListBody(list, Widgets, JSON.stringify(list))).toEqual(list);
  });

  it('goneError(rv) is the GoneError of an in-stream 410 Expired, which retryOnGone recovers from', () => {
    const error = goneError('5');
    expect(error).toBeInstanceOf(GoneError);
    expect(error).toMatchObject({ code: 410, reason: 'Expired' });
    expect(error.message).toContain('too old resource version: 5 (1005)');
  });
});

describe('StubApi', () => {
  const widget = testObjects(Widgets, { spec: { size: 1 } });
  const a5 = added(widget('a', '5'));

  it('plays one stream per subscription and records each request when it is made: time, options, cursor, what is sent', () => {
    const scheduler = newScheduler();
    const cursor = new WatchCursor({ resourceVersion: '4' });
    let stub!: StubApi<Widget>;
    scheduler.run(({ cold, expectObservable }) => {
      stub = new StubApi({ resource: Widgets, scheduler, watches: [cold('a-#', { a: a5 }, goneError('5')), cold('a-e', { a: a5, e: initialEventsEnd('6', Widgets) })] });
      const source = stub.watch$({ cursor, labelSelector: 'app=web', timeoutSeconds: 300 });
      expect(stub.watchCalls).toEqual([]); // nothing is requested before a subscription, as with the real watch$
      expectObservable(source.pipe(trackBookmarks(cursor), retryOnGone(cursor, { scheduler }))).toBe('a-a-e', { a: a5, e: initialEventsEnd('6', Widgets) });
    });
    const expected: Pick<WatchCall, 'at' | 'cursor' | 'resourceVersion' | 'sendInitialEvents' | 'query'>[] = [
      {
        at: 0,
        cursor: { resourceVersion: '4', initialEventsRequired: false },
        resourceVersion: '4',
        sendInitialEvents: undefined,
        query: { watch: 'true', resourceVersion: '4', labelSelector: 'app=web', timeoutSeconds: '300' },
      },
      {
        at: 2,
        cursor: { resourceVersion: undefined, initialEventsRequired: true },
        resourceVersion: undefined,
        sendInitialEvents: true,
        query: { watch: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true', sendInitialEvents: 'true', labelSelector: 'app=web', timeoutSeconds: '300' },
      },
    ];
    expect(stub.watchCalls).toMatchObject(expected);
    expect(stub.watchCalls[0]!.options).toMatchObject({ cursor, labelSelector: 'app=web' });
    // The recorded query is the real watch$'s.
    expect(stub.watchCalls[1]!.query).toEqual(Object.fromEntries(watchQuery({ labelSelector: 'app=web', timeoutSeconds: 300, cursor: Object.assign(new WatchCursor(), { initialEventsRequired: true }) })));
  });

  it("reads the cursor as the real watch$ does (cursor.read(), once per request), so retryOnGone's misuse check passes", () => {
    const scheduler = newScheduler();
    const cursor = new WatchCursor({ resourceVersion: '4' });
    scheduler.run(({ cold, expectObservable }) => {
      const stub = new StubApi({ resource: Widgets, scheduler, watches: [cold<WatchEvent<Widget>>('#', undefined, goneError('4')), cold('-a', { a: a5 })] });
      // Without counted reads, retryOnGone would end with a TypeError ("the source does not read the cursor").
      expectObservable(stub.watch$({ cursor }).pipe(retryOnGone(cursor, { scheduler }))).toBe('-a', { a: a5 });
    });
    expect(cursorReads(cursor)).toBe(2);
  });

  it('without a cursor, records the resourceVersion and sendInitialEvents of the options', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const stub = new StubApi({ resource: Widgets, scheduler, watches: [cold<WatchEvent<Widget>>('|'), cold<WatchEvent<Widget>>('|'), cold<WatchEvent<Widget>>('|')] });
      expectObservable(stub.watch$({ resourceVersion: '10' })).toBe('|');
      expectObservable(stub.watch$({ sendInitialEvents: true })).toBe('|');
      expectObservable(stub.watch$({ resourceVersion: '10', sendInitialEvents: false })).toBe('|');
      scheduler.schedule(() => {
        expect(stub.watchCalls.map((c) => [c.cursor, c.resourceVersion, c.sendInitialEvents])).toEqual([
          [undefined, '10', undefined],
          [undefined, undefined, true],
          [undefined, '10', false],
        ]);
      }, 1);
    });
  });

  it("throws the real watch$'s TypeError at call time for options that can never work", () => {
    const stub = new StubApi({ resource: Widgets, scheduler: newScheduler(), watches: [] });
    expect(() => stub.watch$({ cursor: new WatchCursor(), resourceVersion: '5' })).toThrow(TypeError);
    expect(() => new StubApi({ resource: Clusters, scheduler: newScheduler() }).watch$({ namespace: 'default' })).toThrow(/cluster-scoped/);
    expect(stub.watchCalls).toEqual([]);
  });

  it('errors a request past the given streams, naming it', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const stub = new StubApi({ resource: Widgets, scheduler, watches: [cold('a|', { a: a5 })] });
      expectObservable(stub.watch$().pipe(repeat(2))).toBe('a#', { a: a5 }, new Error('StubApi: unexpected watch request #2 at 1 ms (1 given)'));
    });
  });

  it('calls onConnected where the stream emits connected(), and does not pass the marker on', () => {
    const scheduler = newScheduler();
    const calls: number[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const stub = new StubApi({ resource: Widgets, scheduler, watches: [cold('--c-a', { c: connected(), a: a5 })] });
      expectObservable(stub.watch$({ onConnected: () => calls.push(scheduler.now()) })).toBe('----a', { a: a5 });
    });
    expect(calls).toEqual([2]);
  });

  it('turns an informer watching on connected(): a resumed watch that stays quiet is not left connecting', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const stub = new StubApi({
        resource: Widgets,
        scheduler,
        watches: [cold('a-e 10s |', { a: a5, e: initialEventsEnd('6', Widgets) }), cold('5s c', { c: connected() })],
      });
      const informer = new Informer(stub, { scheduler, random: () => 0 });
      expectObservable(informer.store$.pipe(map((s) => s.size)), '^ 1m !').toBe('--s', { s: 1 });
      expectObservable(informer.state$.pipe(map((s) => s.phase)), '^ 1m !').toBe('s-w 10s c 4999ms w', { s: 'syncing', w: 'watching', c: 'connecting' });
    });
  });

  it('fails the stream with a DecodeError on a rejected() event, as the real watch$ does with its codec', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const bad = rejected(added(widget('b', '6')), ['spec.size: expected number, got "3"']);
      const stub = new StubApi({ resource: Widgets, scheduler, watches: [cold('ab', { a: a5, b: bad })] });
      const error = new DecodeError(`ADDED event object does not match ${Widgets.codec.name}`, JSON.stringify(bad), ['spec.size: expected number, got "3"']);
      expectObservable(stub.watch$()).toBe('a#', { a: a5 }, error);
    });
  });

  it("leaves a rejected() event out and reports it under the informer's decodeErrors: 'skip'", () => {
    const scheduler = newScheduler();
    const reports: RejectedObject[] = [];
    const event = added(widget('b', '6'));
    const bad = rejected(event, ['spec.size: expected number']);
    expect(bad).toEqual(event); // a marked copy: the same event
    expect(rejected(event)).not.toBe(event);
    scheduler.run(({ cold, expectObservable }) => {
      const stub = new StubApi({ resource: Widgets, scheduler, watches: [cold('ab', { a: a5, b: bad })] });
      expectObservable(stub.watch$({ [ON_REJECTED_OBJECT]: (r: RejectedObject) => reports.push(r) })).toBe('a-', { a: a5 });
    });
    expect(reports).toMatchObject([{ key: 'default/b', resourceVersion: '6', source: 'ADDED', errors: ['spec.size: expected number'] }]);
  });

  it('plays one list answer per list$ subscription, records it, and errors past the end', () => {
    const scheduler = newScheduler();
    const list = objectList('9', [widget('a', '5')], Widgets);
    let stub!: StubApi<Widget>;
    scheduler.run(({ cold, expectObservable }) => {
      stub = new StubApi({ resource: Widgets, scheduler, lists: [cold('-(l|)', { l: list })] });
      const list$ = stub.list$({ labelSelector: 'app=web' });
      expect(stub.listCalls).toEqual([]);
      expectObservable(list$).toBe('-(l|)', { l: list });
      expectObservable(stub.list$(), '5ms ^').toBe('5ms #', undefined, new Error('StubApi: unexpected list request #2 at 5 ms (1 given)'));
    });
    expect(stub.listCalls).toEqual([
      { at: 0, options: { labelSelector: 'app=web' } },
      { at: 5, options: {} },
    ]);
  });

  it('takes a namespace (as Api.namespace) and exposes its resource, for an informer and its log lines', () => {
    const stub = new StubApi({ resource: testResources.Pod, scheduler: newScheduler(), namespace: 'team-a' });
    expect(stub.namespace).toBe('team-a');
    expect(stub.resource).toBe(testResources.Pod);
    expect(new StubApi({ resource: Widgets, scheduler: newScheduler() }).namespace).toBeUndefined();
  });

  it('types its streams: events of the resource and the connected() marker', () => {
    const stream: StubWatchStream<Widget> = new TestScheduler(() => undefined).createColdObservable<WatchEvent<Widget> | ReturnType<typeof connected>>('-');
    const collect: Observable<WatchEvent<Widget>[]> = new StubApi({ resource: Widgets, scheduler: newScheduler(), watches: [stream] }).watch$().pipe(toArray());
    expect(collect).toBeDefined();
  });
});

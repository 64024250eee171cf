import { deepStrictEqual } from 'node:assert/strict';
import { filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { defineResource, Informer, retryOnGone, trackBookmarks, WatchCursor, type InformerSource, type KubernetesObject, type ObjectEvent } from 'kubex-rx';
import { added, bookmark, connected, goneError, initialEventsEnd, modified, StubApi, testObjects } from 'kubex-rx/testing';

// Your code: a feed of widget changes that resumes from a saved position and relists after a 410 Gone.
type Widget = KubernetesObject & { spec: { size: number } };
const Widgets = defineResource<Widget>({ apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: true });

export function widgetChanges(api: InformerSource<Widget>, cursor: WatchCursor): Observable<string> {
  return api.watch$({ cursor, allowBookmarks: true }).pipe(
    trackBookmarks(cursor),
    retryOnGone(cursor),
    filter((event): event is ObjectEvent<Widget> => event.type !== 'BOOKMARK'),
    map((event) => `${event.type} ${event.object.metadata.name} size ${event.object.spec.size}`),
  );
}

// Its test, in virtual time (with Jest or Vitest: `new TestScheduler((a, e) => expect(a).toEqual(e))`).
const widget = testObjects(Widgets, { spec: { size: 1 } });
const scheduler = new TestScheduler((actual, expected) => deepStrictEqual(actual, expected));
const cursor = new WatchCursor({ resourceVersion: '4' }); // a saved position
let stub!: StubApi<Widget>;

scheduler.run(({ cold, expectObservable }) => {
  stub = new StubApi({
    resource: Widgets,
    scheduler,
    watches: [
      // From the saved position: a change, a bookmark, then a minute later the server's history has moved on.
      cold('m-b 1m #', { m: modified({ ...widget('a', '5'), spec: { size: 2 } }), b: bookmark('6', Widgets) }, goneError('6')),
      // The relist: the current state, then the end of the initial events.
      cold('a-b-e', { a: added(widget('a', '8')), b: added(widget('b', '9')), e: initialEventsEnd('9', Widgets) }),
    ],
  });
  expectObservable(widgetChanges(stub, cursor)).toBe('m 1m 2ms a-b', { m: 'MODIFIED a size 2', a: 'ADDED a size 1', b: 'ADDED b size 1' });
});

// What each request asked: from the saved resourceVersion, then the whole state again (a watch-list) after the 410.
deepStrictEqual(
  stub.watchCalls.map((call) => [call.at, call.resourceVersion, call.sendInitialEvents]),
  [
    [0, '4', undefined],
    [60_003, undefined, true],
  ],
);
deepStrictEqual(cursor.resourceVersion, '9');

// An informer over a stub. `connected()` marks where the server answered 200: a resumed watch that stays quiet is
// `watching` from then on, not `connecting`.
const informerTest = new TestScheduler((actual, expected) => deepStrictEqual(actual, expected));
informerTest.run(({ cold, expectObservable, flush }) => {
  const api = new StubApi({
    resource: Widgets,
    scheduler: informerTest,
    watches: [
      cold('c-a-e 30s |', { c: connected(), a: added(widget('a', '5')), e: initialEventsEnd('5', Widgets) }), // ended by the server
      cold('c', { c: connected() }), // the resumed watch: accepted, then quiet
    ],
  });
  const informer = new Informer(api, { scheduler: informerTest });
  // Subscribing to store$ starts the informer; state$ then replays its current phase.
  expectObservable(informer.store$.pipe(map((store) => [...store.keys()])), '^ 1m !').toBe('----s', { s: ['default/a'] });
  const phases = informer.state$.pipe(map((state) => state.phase));
  expectObservable(phases, '^ 1m !').toBe('s---w 30s (cw)', { s: 'syncing', w: 'watching', c: 'connecting' });
  flush();
  deepStrictEqual(
    api.watchCalls.map((call) => [call.at, call.resourceVersion, call.sendInitialEvents]),
    [
      [0, undefined, true], // a watch-list: the state, then changes
      [30_005, '5', undefined], // resumed from the last resourceVersion
    ],
  );
});
console.log('widgetChanges and the informer behave as their marbles say');

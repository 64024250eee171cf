/**
 * The Informer's pipeline in virtual time: a stub source plays cold marble streams for each watch$ and list$ call,
 * and the informer's three Observables are checked frame by frame, with every (re)connection asserted by
 * `expectSubscriptions` and every call's cursor recorded. No HTTP: see informer.integration.spec.ts for that.
 *
 * Unless a test says otherwise, `random` is `() => 0`: every watch gets `timeoutSeconds: 300` and every backoff
 * waits its full exponential delay (800 ms, 1600 ms, ... with full jitter: `delay * (1 - random())`).
 * Every test ends all its subscriptions with a subscription marble, so an endless reconnection loop cannot hang
 * the flush.
 */
import { describe, expect, it } from '@jest/globals';
import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { DecodeError, TransportError } from '../../lib/errors/kubex-error.js';
import { ForbiddenError, GoneError, InternalError, InvalidError, TooManyRequestsError } from '../../lib/errors/status-error.js';
import { Informer, type InformerOptions, type InformerState } from '../../lib/informer/informer.js';
import { testResources } from '../../lib/testing/resources.js';
import { INITIAL_EVENTS_END_ANNOTATION } from '../../lib/watch/codecs.js';
import type { ObjectList } from '../../lib/api/list.js';
import { added, bookmark, deleted, initialEventsEnd, modified, pod, type Pod, type PodEvent } from '../operators/watch-events.js';
import { withoutOrigin } from './origin-helpers.js';
import { accepted, podList, StubSource } from './stub-source.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** The store as its sorted keys: readable marbles. */
const keys = (store: ReadonlyMap<string, Pod>): string => [...store.keys()].sort().join(' ');

/** A state in brief: its phase, with attempt, delay and error name when it has them. */
function brief(state: InformerState): string {
  const name = (error: unknown): string => (error instanceof Error ? error.name : String(error));
  switch (state.phase) {
    case 'backingOff':
    case 'stalled':
      return `${state.phase} #${state.attempt} ${state.delay}ms ${name(state.error)}`;
    case 'failed':
      return `failed ${name(state.error)}`;
    default:
      return state.phase;
  }
}

/** The marker the informer itself emits when a state is complete without a watch-list's own marker (list + watch). */
function completeAt(resourceVersion: string): PodEvent {
  return { type: 'BOOKMARK', object: { metadata: { resourceVersion, annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' } } } };
}

/** The synthetic DELETED of an object that vanished during a relist: its last known state. */
const vanished = (name: string, rv: string): PodEvent => deleted(name, rv);

const gone = (): GoneError => new GoneError({ code: 410, reason: 'Expired', status: 'Failure', message: 'too old resource version: 110 (250)' });
const watchListRejected = (): InvalidError =>
  new InvalidError({
    code: 422,
    reason: 'Invalid',
    status: 'Failure',
    message: 'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
  });
const refused = (): TransportError => new TransportError('connect ECONNREFUSED 127.0.0.1:6443');
const internal = (): InternalError => new InternalError({ code: 500, reason: 'InternalError', status: 'Failure', message: 'Internal error occurred: etcdserver: leader changed' });
const throttled = (): TooManyRequestsError =>
  new TooManyRequestsError({ code: 429, reason: 'TooManyRequests', status: 'Failure', message: 'Too many requests, please try again later.', details: { retryAfterSeconds: 5 } });
const forbidden = (): ForbiddenError =>
  new ForbiddenError({ code: 403, reason: 'Forbidden', status: 'Failure', message: 'pods is forbidden: User "system:serviceaccount:default:web" cannot watch resource "pods" in API group "" in the namespace "default"' });
const badLine = (): DecodeError => new DecodeError('watch line is not JSON', '{"type":"ADDED","object":{"kind":"Pod"');

/** Pods as a watch-list's first sync sends them. */
const web0 = added('web-0', '101');
const web1 = added('web-1', '102');
const web2 = added('web-2', '103');
const end110 = initialEventsEnd('110');

/** The informer over a stub, with the informer's three Observables in test form. */
function setup(
  scheduler: TestScheduler,
  watches: readonly Observable<PodEvent>[],
  lists: readonly Observable<ObjectList<Pod>>[] = [],
  options: InformerOptions = {},
) {
  const api = new StubSource<Pod>(testResources.Pod, scheduler, watches, lists);
  const informer = new Informer<Pod>(api, { scheduler, random: () => 0, ...options });
  return {
    api,
    informer,
    /** The events without their origin (spec/informer/informer.origin.spec.ts checks origins). */
    events$: informer.events$.pipe(map(withoutOrigin)),
    keys$: informer.store$.pipe(map(keys)),
    states$: informer.state$.pipe(map(brief)),
  };
}

describe('Informer', () => {
  describe('first sync', () => {
    it('syncs with a watch-list: forwards the ADDED events and the end bookmark, emits the store once, syncing -> watching', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const watch = cold<PodEvent>('abe', { a: web0, b: web1, e: end110 });
        const t = setup(scheduler, [watch], [], { random: () => 0.5, namespace: 'default', labelSelector: 'app=web' });
        api = t.api;
        expect(t.informer.state).toEqual({ phase: 'idle', synced: false });
        const unsub = '^ 1m !';
        expectObservable(t.events$, unsub).toBe('abe', { a: web0, b: web1, e: end110 });
        expectObservable(t.keys$, unsub).toBe('--s', { s: 'default/web-0 default/web-1' });
        expectObservable(t.informer.state$, unsub).toBe('s-w', {
          s: { phase: 'syncing', synced: false },
          w: { phase: 'watching', synced: true, resourceVersion: '110' },
        });
        expectSubscriptions(watch.subscriptions).toBe('^ 1m !');
      });
      // One watch-list request: no RV, the initial state asked for through the cursor, bookmarks on, random timeout.
      expect(api.watchCalls).toHaveLength(1);
      expect(api.watchCalls[0]).toMatchObject({ at: 0, cursor: { resourceVersion: undefined, initialEventsRequired: true } });
      expect(api.watchCalls[0]!.options).toMatchObject({ namespace: 'default', labelSelector: 'app=web', allowBookmarks: true, timeoutSeconds: 450 });
      expect(api.watchCalls[0]!.options.sendInitialEvents).toBeUndefined();
      expect(api.watchCalls[0]!.options.resourceVersion).toBeUndefined();
      expect(api.listCalls).toEqual([]);
    });

    it('emits an empty store at the marker of an empty watch-list', () => {
      const scheduler = newScheduler();
      scheduler.run(({ cold, expectObservable }) => {
        const t = setup(scheduler, [cold<PodEvent>('10ms e', { e: end110 })]);
        expectObservable(t.events$, '^ 1m !').toBe('10ms e', { e: end110 });
        expectObservable(t.keys$, '^ 1m !').toBe('10ms s', { s: '' });
        expectObservable(t.states$, '^ 1m !').toBe('s 9ms w', { s: 'syncing', w: 'watching' });
      });
    });

    it('treats a watch-list that never says anything as a server ignoring sendInitialEvents (list + watch after 30 s)', () => {
      const scheduler = newScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const mute = cold<PodEvent>('-');
        const list = cold<ObjectList<Pod>>('(l|)', { l: podList('200', []) });
        const watch = cold<PodEvent>('-');
        const t = setup(scheduler, [mute, watch], [list]);
        expectObservable(t.events$, '^ 1m !').toBe('30s E', { E: completeAt('200') });
        expectSubscriptions(mute.subscriptions).toBe('^ 29999ms !');
        expectSubscriptions(list.subscriptions).toBe('30s (^!)');
        expectSubscriptions(watch.subscriptions).toBe('30s ^ 30000ms !');
      });
    });

    it('is cold: nothing is requested before the first subscription', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const watch = cold<PodEvent>('e', { e: end110 });
        const t = setup(scheduler, [watch]);
        api = t.api;
        scheduler.schedule(() => expect(t.informer.state.phase).toBe('idle'), 5000);
        expectObservable(t.keys$, '10s ^ 1s !').toBe('10s s', { s: '' });
        expectSubscriptions(watch.subscriptions).toBe('10s ^ 1s !');
      });
      expect(api.watchCalls.map((c) => c.at)).toEqual([10_000]);
    });
  });

  describe('reconnection', () => {
    it('resumes from the last bookmark when the server ends the watch cleanly: no relist, a new random timeout', () => {
      const scheduler = newScheduler();
      const draws = [0.5, 0.25];
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const values = { a: web0, e: end110, b: bookmark('130'), m: modified('web-0', '140') };
        const first = cold<PodEvent>('ae 2s b 1m |', values);
        const second = cold<PodEvent>('5s m', values);
        const t = setup(scheduler, [first, second], [], { random: () => draws.shift() ?? 0 });
        api = t.api;
        const unsub = '^ 2m !';
        // The periodic bookmark is forwarded; nothing is re-announced across the reconnection.
        expectObservable(t.events$, unsub).toBe('ae 2s b 65s m', values);
        expectObservable(t.keys$, unsub).toBe('-s 67001ms s', { s: 'default/web-0' });
        expectObservable(t.states$, unsub).toBe('sw 62001ms c 4999ms w', { s: 'syncing', w: 'watching', c: 'connecting' });
        expectSubscriptions(first.subscriptions).toBe('^ 62002ms !');
        expectSubscriptions(second.subscriptions).toBe('62003ms ^ 57997ms !');
      });
      expect(api.watchCalls.map((c) => [c.at, c.cursor, c.options.timeoutSeconds])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }, 450],
        [62_003, { resourceVersion: '130', initialEventsRequired: false }, 375],
      ]);
      expect(api.listCalls).toEqual([]);
    });

    it('reports watching as soon as a resumed watch is accepted, before any event', () => {
      const scheduler = newScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold<PodEvent>('ae 2s |', { a: web0, e: end110 });
        const second = accepted(cold<PodEvent>('-'));
        const t = setup(scheduler, [first, second]);
        expectObservable(t.events$, '^ 1m !').toBe('ae', { a: web0, e: end110 });
        expectObservable(t.states$, '^ 1m !').toBe('sw 2000ms (cw)', { s: 'syncing', w: 'watching', c: 'connecting' });
        expectSubscriptions(second.subscriptions).toBe('2002ms ^ 57998ms !');
      });
    });

    it('backs off after a watch that ends within 1 s without events (client-go short-watch rule), then resumes', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold<PodEvent>('ae 2s |', { a: web0, e: end110 });
        const short = cold<PodEvent>('500ms |');
        const third = cold<PodEvent>('-');
        const t = setup(scheduler, [first, short, third]);
        api = t.api;
        const unsub = '^ 1m !';
        expectObservable(t.events$, unsub).toBe('ae', { a: web0, e: end110 });
        // random 0: the full 800 ms (client-go's initial backoff) before the next attempt.
        expectObservable(t.states$, unsub).toBe('sw 2000ms c 499ms b 799ms c', {
          s: 'syncing',
          w: 'watching',
          c: 'connecting',
          b: 'backingOff #1 800ms WatchEndedTooSoonError',
        });
        expectSubscriptions(first.subscriptions).toBe('^ 2001ms !');
        expectSubscriptions(short.subscriptions).toBe('2002ms ^ 499ms !');
        expectSubscriptions(third.subscriptions).toBe('3302ms ^ 56698ms !');
      });
      expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }],
        [2002, { resourceVersion: '110', initialEventsRequired: false }],
        [3302, { resourceVersion: '110', initialEventsRequired: false }],
      ]);
    });

    it('backs off when a watch-list ends at once, and asks for the initial state again', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const empty = cold<PodEvent>('|');
        const second = cold<PodEvent>('ae', { a: web0, e: end110 });
        const t = setup(scheduler, [empty, second]);
        api = t.api;
        const unsub = '^ 1m !';
        expectObservable(t.events$, unsub).toBe('800ms ae', { a: web0, e: end110 });
        expectObservable(t.keys$, unsub).toBe('801ms s', { s: 'default/web-0' });
        expectObservable(t.states$, unsub).toBe('(sb) 796ms sw', { s: 'syncing', w: 'watching', b: 'backingOff #1 800ms WatchEndedTooSoonError' });
        expectSubscriptions(empty.subscriptions).toBe('(^!)');
        expectSubscriptions(second.subscriptions).toBe('800ms ^ 59200ms !');
      });
      expect(api.watchCalls.map((c) => c.cursor)).toEqual([
        { resourceVersion: undefined, initialEventsRequired: true },
        { resourceVersion: undefined, initialEventsRequired: true },
      ]);
    });
  });

  describe('relists', () => {
    it('relists after an in-stream 410: synthetic DELETED for vanished objects, MODIFIED for changed ones, unchanged ones not repeated', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = gone();
        const first = cold<PodEvent>('abce 1m #', { a: web0, b: web1, c: web2, e: end110 }, error);
        const relist = { a: web0, m: added('web-1', '150'), n: added('web-3', '151'), e: initialEventsEnd('160') };
        const second = cold<PodEvent>('amne', relist);
        const t = setup(scheduler, [first, second]);
        api = t.api;
        const unsub = '^ 2m !';
        expectObservable(t.events$, unsub).toBe('abce 60001ms MN(DE)', {
          a: web0,
          b: web1,
          c: web2,
          e: end110,
          M: modified('web-1', '150'), // re-announced with a new RV: a change
          N: added('web-3', '151'),
          D: vanished('web-2', '103'), // gone during the gap: its last known state
          E: initialEventsEnd('160'),
        });
        // The store is not emitted half-way through the relist: once before, once after.
        expectObservable(t.keys$, unsub).toBe('---s 60003ms t', { s: 'default/web-0 default/web-1 default/web-2', t: 'default/web-0 default/web-1 default/web-3' });
        expectObservable(t.informer.state$.pipe(map(({ phase, synced }) => ({ phase, synced }))), unsub).toBe('s--w 60000ms S--w', {
          s: { phase: 'syncing', synced: false },
          w: { phase: 'watching', synced: true },
          S: { phase: 'syncing', synced: true },
        });
        expectSubscriptions(first.subscriptions).toBe('^ 60003ms !');
        expectSubscriptions(second.subscriptions).toBe('60004ms ^ 59996ms !');
      });
      // At once (no backoff), as a watch-list asking for the initial state again, without the expired RV.
      expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }],
        [60_004, { resourceVersion: undefined, initialEventsRequired: true }],
      ]);
      expect(api.listCalls).toEqual([]);
    });

    it('falls back to list + watch at once when the watch-list is rejected with 422, and relists that way from then on', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const rejected = cold<PodEvent>('5ms #', undefined, watchListRejected());
        const list1 = cold<ObjectList<Pod>>('20ms (l|)', { l: podList('500', [pod('web-0', '101'), pod('web-1', '102')]) });
        const watch1 = cold<PodEvent>('1s m 1m #', { m: modified('web-0', '510') }, gone());
        const list2 = cold<ObjectList<Pod>>('10ms (l|)', { l: podList('600', [pod('web-0', '510')]) });
        const watch2 = cold<PodEvent>('-');
        const t = setup(scheduler, [rejected, watch1, watch2], [list1, list2], { labelSelector: 'app=web' });
        api = t.api;
        const unsub = '^ 2m !';
        expectObservable(t.events$, unsub).toBe('25ms (abE) 995ms m 60010ms (DF)', {
          a: web0,
          b: web1,
          E: completeAt('500'), // the listed state is complete: the watch-list's marker, at the list's RV
          m: modified('web-0', '510'),
          D: vanished('web-1', '102'),
          F: completeAt('600'),
        });
        expectObservable(t.keys$, unsub).toBe('25ms s 999ms s 60010ms t', { s: 'default/web-0 default/web-1', t: 'default/web-0' });
        expectObservable(t.states$, unsub).toBe('s 24ms w 61000ms s 9ms w', { s: 'syncing', w: 'watching' });
        expectSubscriptions(rejected.subscriptions).toBe('^ 4ms !');
        expectSubscriptions(list1.subscriptions).toBe('5ms ^ 19ms !');
        expectSubscriptions(watch1.subscriptions).toBe('25ms ^ 61000ms !');
        expectSubscriptions(list2.subscriptions).toBe('61026ms ^ 9ms !');
        expectSubscriptions(watch2.subscriptions).toBe('61036ms ^ 58964ms !');
      });
      expect(api.listCalls).toEqual([
        { at: 5, options: expect.objectContaining({ namespace: undefined, labelSelector: 'app=web', fieldSelector: undefined }) },
        { at: 61_026, options: expect.objectContaining({ namespace: undefined, labelSelector: 'app=web', fieldSelector: undefined }) },
      ]);
      // Each watch starts from its list's resourceVersion, without asking for initial events.
      expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }],
        [25, { resourceVersion: '500', initialEventsRequired: false }],
        [61_036, { resourceVersion: '600', initialEventsRequired: false }],
      ]);
    });

    it('aborts the list when the last subscriber leaves while it is on its way', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const rejected = cold<PodEvent>('#', undefined, watchListRejected());
        const slowList = cold<ObjectList<Pod>>('10s (l|)', { l: podList('500', [pod('web-0', '101')]) });
        const t = setup(scheduler, [rejected], [slowList]);
        api = t.api;
        expectObservable(t.events$, '^ 3s !').toBe('-');
        expectSubscriptions(slowList.subscriptions).toBe('^ 3s !');
      });
      expect(api.watchCalls).toHaveLength(1);
    });

    it('falls back to list + watch when a server ignoring sendInitialEvents goes silent after its ADDED events', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        // Every ADDED restarts the 30 s window; the end marker never comes.
        const legacy = cold<PodEvent>('a 20s b', { a: web0, b: web1 });
        const list = cold<ObjectList<Pod>>('10ms (l|)', { l: podList('200', [pod('web-0', '101'), pod('web-2', '103')]) });
        const watch = cold<PodEvent>('-');
        const t = setup(scheduler, [legacy, watch], [list]);
        api = t.api;
        const unsub = '^ 2m !';
        expectObservable(t.events$, unsub).toBe('a 20s b 30009ms (cDE)', {
          a: web0,
          b: web1,
          c: web2,
          D: vanished('web-1', '102'),
          E: completeAt('200'),
        });
        expectObservable(t.keys$, unsub).toBe('50011ms s', { s: 'default/web-0 default/web-2' });
        expectObservable(t.states$, unsub).toBe('s 50010ms w', { s: 'syncing', w: 'watching' });
        // The silent watch is dropped 30 s after its last event.
        expectSubscriptions(legacy.subscriptions).toBe('^ 50000ms !');
        expectSubscriptions(list.subscriptions).toBe('50001ms ^ 9ms !');
        expectSubscriptions(watch.subscriptions).toBe('50011ms ^ 69989ms !');
      });
      expect(api.listCalls.map((c) => c.at)).toEqual([50_001]);
      expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }],
        [50_011, { resourceVersion: '200', initialEventsRequired: false }],
      ]);
    });

    it('keeps the failed state readable after a terminal error, until the next subscription', () => {
      const scheduler = newScheduler();
      let informer!: Informer<Pod>;
      scheduler.run(({ cold, expectObservable }) => {
        const denied = cold<PodEvent>('#', undefined, forbidden());
        const t = setup(scheduler, [denied]);
        informer = t.informer;
        expectObservable(t.states$).toBe('(isf|)', { i: 'idle', s: 'syncing', f: 'failed ForbiddenError' });
      });
      expect(informer.state).toMatchObject({ phase: 'failed', error: expect.any(ForbiddenError) });
    });

    it('switches to list + watch after two watch-lists ended before their marker (server timeouts shorter than initialSyncTimeout)', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        // Each watch-list sends its ADDED event, never the marker, and is closed by the server after 10 s.
        const first = cold<PodEvent>('a 10s |', { a: web0 });
        const second = cold<PodEvent>('a 10s |', { a: web0 });
        const list = cold<ObjectList<Pod>>('(l|)', { l: podList('200', [pod('web-0', '101')]) });
        const watch = cold<PodEvent>('-');
        const t = setup(scheduler, [first, second, watch], [list]);
        api = t.api;
        expectObservable(t.keys$, '^ 1m !').toBe('20002ms s', { s: 'default/web-0' });
        expectSubscriptions(first.subscriptions).toBe('^ 10000ms !');
        expectSubscriptions(second.subscriptions).toBe('10001ms ^ 10000ms !');
        expectSubscriptions(list.subscriptions).toBe('20002ms (^!)');
      });
      expect(api.listCalls.map((c) => c.at)).toEqual([20_002]);
      expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }],
        [10_001, { resourceVersion: undefined, initialEventsRequired: true }],
        [20_002, { resourceVersion: '200', initialEventsRequired: false }],
      ]);
    });

    it('honours initialSyncTimeout', () => {
      const scheduler = newScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const legacy = cold<PodEvent>('a', { a: web0 });
        const list = cold<ObjectList<Pod>>('(l|)', { l: podList('200', [pod('web-0', '101')]) });
        const watch = cold<PodEvent>('-');
        const t = setup(scheduler, [legacy, watch], [list], { initialSyncTimeout: 5000 });
        expectObservable(t.events$, '^ 1m !').toBe('a 4999ms E', { a: web0, E: completeAt('200') });
        expectSubscriptions(legacy.subscriptions).toBe('^ 4999ms !');
        expectSubscriptions(watch.subscriptions).toBe('5000ms ^ 55000ms !');
      });
    });

    it('carries on without a fallback when a MODIFIED comes before any end marker, and relists by list + watch later', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        // A legacy watch: the initial state as ADDED events, then live events, no marker (sendInitialEvents ignored).
        // The live ADDED after the MODIFIED must not restart a wait for the marker.
        const values = { a: web0, b: web1, m: modified('web-0', '120'), n: added('web-3', '125') };
        const legacy = cold<PodEvent>('ab 5s m 999ms n 1m #', values, gone());
        const list = cold<ObjectList<Pod>>('10ms (l|)', { l: podList('300', [pod('web-0', '120'), pod('web-2', '130')]) });
        const watch = cold<PodEvent>('-');
        const t = setup(scheduler, [legacy, watch], [list]);
        api = t.api;
        const unsub = '^ 2m !';
        expectObservable(t.events$, unsub).toBe('ab 5s (mE) 996ms n 60010ms (cDGF)', {
          ...values,
          E: completeAt('120'), // the MODIFIED ended the (legacy) initial state
          c: added('web-2', '130'),
          D: vanished('web-1', '102'),
          G: vanished('web-3', '125'),
          F: completeAt('300'),
        });
        expectObservable(t.keys$, unsub).toBe('-- 5s s 999ms u 60010ms t', {
          s: 'default/web-0 default/web-1',
          u: 'default/web-0 default/web-1 default/web-3',
          t: 'default/web-0 default/web-2',
        });
        expectObservable(t.states$, unsub).toBe('s 5001ms w 61000ms s 9ms w', { s: 'syncing', w: 'watching' });
        // Not dropped 30 s after an event: the MODIFIED showed the state was complete.
        expectSubscriptions(legacy.subscriptions).toBe('^ 66002ms !');
        expectSubscriptions(list.subscriptions).toBe('66003ms ^ 9ms !');
        expectSubscriptions(watch.subscriptions).toBe('66013ms ^ 53987ms !');
      });
      expect(api.listCalls.map((c) => c.at)).toEqual([66_003]);
      expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }],
        [66_013, { resourceVersion: '300', initialEventsRequired: false }],
      ]);
    });
  });

  describe('failures', () => {
    it('reconnects a watch that goes silent after the idle timeout: stalled, then resumes from the cursor', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const silent = cold<PodEvent>('ae', { a: web0, e: end110 }); // never ends, never speaks again
        const next = accepted(cold<PodEvent>('-'));
        const t = setup(scheduler, [silent, next], [], { idleTimeout: 60_000 });
        api = t.api;
        const unsub = '^ 2m !';
        expectObservable(t.events$, unsub).toBe('ae', { a: web0, e: end110 });
        expectObservable(t.keys$, unsub).toBe('-s', { s: 'default/web-0' });
        expectObservable(t.states$, unsub).toBe('sw 59999ms S 799ms (cw)', {
          s: 'syncing',
          w: 'watching',
          S: 'stalled #1 800ms IdleTimeoutError',
          c: 'connecting',
        });
        // 60 s after the last event the dead connection is dropped (aborting its request).
        expectSubscriptions(silent.subscriptions).toBe('^ 60000ms !');
        expectSubscriptions(next.subscriptions).toBe('60801ms ^ 59199ms !');
      });
      expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }],
        [60_801, { resourceVersion: '110', initialEventsRequired: false }],
      ]);
    });

    it('backs off exponentially on transient errors (network, 500, 429 with Retry-After) and reconnects from the cursor', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const values = { a: web0, e: end110, b: bookmark('130') };
        const broken = cold<PodEvent>('ae 5s #', values, refused());
        const failing = cold<PodEvent>('#', undefined, internal());
        const busy = cold<PodEvent>('#', undefined, throttled());
        const healthy = cold<PodEvent>('b', values);
        const t = setup(scheduler, [broken, failing, busy, healthy]);
        api = t.api;
        const unsub = '^ 1m !';
        expectObservable(t.events$, unsub).toBe('ae 12400ms b', values);
        expectObservable(t.keys$, unsub).toBe('-s', { s: 'default/web-0' });
        // 800 ms, then 1600 ms, then max(3200 ms, Retry-After 5 s).
        expectObservable(t.states$, unsub).toBe('sw 5000ms A 799ms (cB) 1596ms (cC) 4996ms (cw)', {
          s: 'syncing',
          w: 'watching',
          c: 'connecting',
          A: 'backingOff #1 800ms TransportError',
          B: 'backingOff #2 1600ms InternalError',
          C: 'backingOff #3 5000ms TooManyRequestsError',
        });
        expectSubscriptions(broken.subscriptions).toBe('^ 5001ms !');
        expectSubscriptions(failing.subscriptions).toBe('5802ms (^!)');
        expectSubscriptions(busy.subscriptions).toBe('7402ms (^!)');
        expectSubscriptions(healthy.subscriptions).toBe('12402ms ^ 47598ms !');
      });
      expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }],
        [5802, { resourceVersion: '110', initialEventsRequired: false }],
        [7402, { resourceVersion: '110', initialEventsRequired: false }],
        [12_402, { resourceVersion: '110', initialEventsRequired: false }],
      ]);
      expect(api.listCalls).toEqual([]);
    });

    it('cancels a pending reconnection when the last subscriber leaves during a backoff', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const broken = cold<PodEvent>('ae 5s #', { a: web0, e: end110 }, refused());
        const t = setup(scheduler, [broken]);
        api = t.api;
        expectObservable(t.events$, '^ 5100ms !').toBe('ae', { a: web0, e: end110 });
        expectSubscriptions(broken.subscriptions).toBe('^ 5001ms !');
        scheduler.schedule(() => expect(t.informer.state.phase).toBe('backingOff'), 5050);
        scheduler.schedule(() => expect(t.informer.state.phase).toBe('idle'), 5200);
      });
      expect(api.watchCalls).toHaveLength(1);
    });

    it('ends events$ and store$ with an unrecoverable error (403), state$ with failed, and never reconnects', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = forbidden();
        const denied = cold<PodEvent>('ae 5s #', { a: web0, e: end110 }, error);
        const t = setup(scheduler, [denied]);
        api = t.api;
        const unsub = '^ 1m !';
        expectObservable(t.events$, unsub).toBe('ae 5s #', { a: web0, e: end110 }, error);
        expectObservable(t.keys$, unsub).toBe('-s 5000ms #', { s: 'default/web-0' }, error);
        expectObservable(t.states$, unsub).toBe('sw 5000ms (f|)', { s: 'syncing', w: 'watching', f: 'failed ForbiddenError' });
        expectSubscriptions(denied.subscriptions).toBe('^ 5001ms !');
      });
      expect(api.watchCalls).toHaveLength(1);
    });

    it('ends at once with a 403 on the first request, before any sync', () => {
      const scheduler = newScheduler();
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = forbidden();
        const denied = cold<PodEvent>('#', undefined, error);
        const t = setup(scheduler, [denied]);
        expectObservable(t.events$).toBe('#', undefined, error);
        expectObservable(t.keys$).toBe('#', undefined, error);
        expectObservable(t.informer.state$).toBe('(sf|)', {
          s: { phase: 'syncing', synced: false },
          f: { phase: 'failed', synced: false, error },
        });
        expectSubscriptions(denied.subscriptions).toBe('(^!)');
      });
    });

    it("relists after a line that is not a watch event (with decodeErrors 'skip', the default, as with 'relist'), after a backoff", () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const corrupt = cold<PodEvent>('abe 5s #', { a: web0, b: web1, e: end110 }, badLine());
        const relist = cold<PodEvent>('ae', { a: web0, e: initialEventsEnd('200') });
        const t = setup(scheduler, [corrupt, relist]);
        api = t.api;
        const unsub = '^ 1m !';
        expectObservable(t.events$, unsub).toBe('abe 5801ms (DE)', { a: web0, b: web1, e: end110, D: vanished('web-1', '102'), E: initialEventsEnd('200') });
        expectObservable(t.keys$, unsub).toBe('--s 5801ms t', { s: 'default/web-0 default/web-1', t: 'default/web-0' });
        expectObservable(t.states$, unsub).toBe('s-w 5000ms b 799ms sw', { s: 'syncing', w: 'watching', b: 'backingOff #1 800ms DecodeError' });
        expectSubscriptions(corrupt.subscriptions).toBe('^ 5002ms !');
        expectSubscriptions(relist.subscriptions).toBe('5803ms ^ 54197ms !');
      });
      // The resume position after a bad line is not trusted: the next watch asks for the whole state.
      expect(api.watchCalls[1]).toMatchObject({ at: 5803, cursor: { initialEventsRequired: true } });
    });

    it("ends with the decode error when decodeErrors is 'fail'", () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = badLine();
        const corrupt = cold<PodEvent>('ae 5s #', { a: web0, e: end110 }, error);
        const t = setup(scheduler, [corrupt], [], { decodeErrors: 'fail' });
        api = t.api;
        const unsub = '^ 1m !';
        expectObservable(t.events$, unsub).toBe('ae 5s #', { a: web0, e: end110 }, error);
        expectObservable(t.keys$, unsub).toBe('-s 5000ms #', { s: 'default/web-0' }, error);
        expectObservable(t.states$, unsub).toBe('sw 5000ms (f|)', { s: 'syncing', w: 'watching', f: 'failed DecodeError' });
        expectSubscriptions(corrupt.subscriptions).toBe('^ 5001ms !');
      });
      expect(api.watchCalls).toHaveLength(1);
    });
  });

  describe('sharing', () => {
    it('shares one watch among all subscribers, replays the store to a late one, and closes it with the last', () => {
      const scheduler = newScheduler();
      let api!: StubSource<Pod>;
      const phases: string[] = [];
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const values = { a: web0, b: web1, e: end110, m: modified('web-1', '120') };
        const first = cold<PodEvent>('abe 10s m', values);
        const later = cold<PodEvent>('ae', { a: web2, e: initialEventsEnd('300') });
        const t = setup(scheduler, [first, later]);
        api = t.api;
        expectObservable(t.events$, '^ 1m !').toBe('abe 10s m', values);
        expectObservable(t.events$, '^ 30s !').toBe('abe 10s m', values);
        expectObservable(t.states$, '^ 1m !').toBe('s-w', { s: 'syncing', w: 'watching' });
        // A late subscriber: the store's objects as ADDED and the end marker at once, then live events.
        expectObservable(t.events$, '5s ^ 1m !').toBe('5s (abE) 4998ms m', { ...values, E: completeAt('110') });
        expectObservable(t.keys$, '7s ^ 1m !').toBe('7s s 3002ms s', { s: 'default/web-0 default/web-1' });
        // One connection for all of them, closed when the last one (store$, at 67 001 ms) leaves.
        expectSubscriptions(first.subscriptions).toBe('^ 67000ms !');
        // Subscribing again starts afresh: a new watch-list, nothing left of the old store.
        expectObservable(t.events$, '80s ^ 10s !').toBe('80s ae', { a: web2, e: initialEventsEnd('300') });
        expectSubscriptions(later.subscriptions).toBe('80s ^ 10s !');
        for (const at of [66_000, 68_000, 85_000, 95_000]) scheduler.schedule(() => phases.push(`${at}: ${t.informer.state.phase}`), at);
      });
      expect(phases).toEqual(['66000: watching', '68000: idle', '85000: watching', '95000: idle']);
      expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
        [0, { resourceVersion: undefined, initialEventsRequired: true }],
        [80_000, { resourceVersion: undefined, initialEventsRequired: true }],
      ]);
    });
  });

  describe('validation', () => {
    it('throws a TypeError for options that can never work, before any request', () => {
      const scheduler = newScheduler();
      const pods = new StubSource<Pod>(testResources.Pod, scheduler, []);
      const nodes = new StubSource<Pod>(testResources.Node, scheduler, []);
      expect(() => new Informer(nodes, { namespace: 'default' })).toThrow(TypeError);
      expect(() => new Informer(pods, { namespace: '' })).toThrow(TypeError);
      for (const initialSyncTimeout of [0, -1, Number.NaN]) expect(() => new Informer(pods, { initialSyncTimeout })).toThrow(TypeError);
      for (const idleTimeout of [0, -60_000, Number.NaN]) expect(() => new Informer(pods, { idleTimeout })).toThrow(TypeError);
      expect(() => new Informer(pods, { timeoutSeconds: 1.5 })).toThrow(TypeError);
      // Valid ones do not throw, and nothing is requested by construction.
      expect(() => new Informer(nodes, { namespace: null })).not.toThrow();
      expect(() => new Informer(pods, { namespace: 'default', idleTimeout: false, initialSyncTimeout: 1 })).not.toThrow();
      expect(pods.watchCalls).toEqual([]);
      expect(nodes.watchCalls).toEqual([]);
    });
  });
});

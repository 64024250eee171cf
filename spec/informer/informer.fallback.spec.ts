/**
 * When the informer gives up on watch-lists, in virtual time (issue #14): only a 422 on `sendInitialEvents` or a
 * server that ignores it switches to list + watch, transient failures never do, and after
 * `watchListReprobeInterval` the next relist tries a watch-list again (client-go's reflector tries it on every
 * relist: `ListAndWatchWithContext` falls back per call when `UseWatchList` is set).
 */
import { describe, expect, it } from '@jest/globals';
import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ObjectList } from '../../lib/api/list.js';
import { TransportError } from '../../lib/errors/kubex-error.js';
import { GoneError, InternalError, InvalidError } from '../../lib/errors/status-error.js';
import { Informer, type InformerOptions } from '../../lib/informer/informer.js';
import { testResources } from '../../lib/testing/resources.js';
import { added, initialEventsEnd, pod, type Pod, type PodEvent } from '../operators/watch-events.js';
import { podList, StubSource } from './stub-source.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const keys = (store: ReadonlyMap<string, Pod>): string => [...store.keys()].sort().join(' ');
const internal = (): InternalError => new InternalError({ code: 500, reason: 'InternalError', status: 'Failure', message: 'Internal error occurred: etcdserver: leader changed' });
const refused = (): TransportError => new TransportError('connect ECONNREFUSED 127.0.0.1:6443');
const gone = (): GoneError => new GoneError({ code: 410, reason: 'Expired', status: 'Failure', message: 'too old resource version' });
const watchListRejected = (): InvalidError =>
  new InvalidError({ code: 422, reason: 'Invalid', status: 'Failure', message: 'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled' });

function setup(scheduler: TestScheduler, watches: readonly Observable<PodEvent>[], lists: readonly Observable<ObjectList<Pod>>[] = [], options: InformerOptions = {}) {
  const api = new StubSource<Pod>(testResources.Pod, scheduler, watches, lists);
  const informer = new Informer<Pod>(api, { scheduler, random: () => 0, ...options });
  return { api, informer, keys$: informer.store$.pipe(map(keys)) };
}

describe('Informer watch-list fallback', () => {
  it('keeps using watch-lists after transient failures on the first connections (two 500s, then a network error)', () => {
    const scheduler = newScheduler();
    let api!: StubSource<Pod>;
    scheduler.run(({ cold, expectObservable }) => {
      const failing1 = cold<PodEvent>('#', undefined, internal());
      const failing2 = cold<PodEvent>('#', undefined, internal());
      const failing3 = cold<PodEvent>('#', undefined, refused());
      const healthy = cold<PodEvent>('ae', { a: added('web-0', '101'), e: initialEventsEnd('110') });
      const t = setup(scheduler, [failing1, failing2, failing3, healthy]);
      api = t.api;
      // 800 ms, 1600 ms, 3200 ms of backoff, then the watch-list.
      expectObservable(t.keys$, '^ 1m !').toBe('5601ms s', { s: 'default/web-0' });
    });
    expect(api.watchCalls.map((c) => [c.at, c.cursor?.initialEventsRequired])).toEqual([
      [0, true],
      [800, true],
      [2400, true],
      [5600, true],
    ]);
    expect(api.listCalls).toEqual([]);
  });

  it('tries a watch-list again at the first relist after watchListReprobeInterval, and keeps it when it works', () => {
    const scheduler = newScheduler();
    let api!: StubSource<Pod>;
    scheduler.run(({ cold, expectObservable }) => {
      const rejected = cold<PodEvent>('5ms #', undefined, watchListRejected());
      const list1 = cold<ObjectList<Pod>>('(l|)', { l: podList('500', [pod('web-0', '101')]) });
      const watch1 = cold<PodEvent>('70s #', undefined, gone()); // relist after 70 s: past the 60 s interval
      const probe = cold<PodEvent>('ae 20s #', { a: added('web-1', '601'), e: initialEventsEnd('610') }, gone());
      const again = cold<PodEvent>('ae', { a: added('web-1', '601'), e: initialEventsEnd('700') });
      const t = setup(scheduler, [rejected, watch1, probe, again], [list1], { watchListReprobeInterval: 60_000 });
      api = t.api;
      expectObservable(t.keys$, '^ 2m !').toBe('5ms s 70000ms t 20001ms t', { s: 'default/web-0', t: 'default/web-1' }); // every relist emits the store
    });
    expect(api.listCalls.map((c) => c.at)).toEqual([5]);
    expect(api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([
      [0, { resourceVersion: undefined, initialEventsRequired: true }],
      [5, { resourceVersion: '500', initialEventsRequired: false }],
      [70_005, { resourceVersion: undefined, initialEventsRequired: true }], // the re-probe: a watch-list
      [90_007, { resourceVersion: undefined, initialEventsRequired: true }], // watch-lists from now on
    ]);
  });

  it('falls back again when the re-probe is rejected, and relists by list before the interval is over', () => {
    const scheduler = newScheduler();
    let api!: StubSource<Pod>;
    scheduler.run(({ cold, expectObservable }) => {
      const rejected = cold<PodEvent>('#', undefined, watchListRejected());
      const list1 = cold<ObjectList<Pod>>('(l|)', { l: podList('500', [pod('web-0', '101')]) });
      const watch1 = cold<PodEvent>('70s #', undefined, gone());
      const probe = cold<PodEvent>('#', undefined, watchListRejected());
      const list2 = cold<ObjectList<Pod>>('(l|)', { l: podList('600', [pod('web-1', '601')]) });
      const watch2 = cold<PodEvent>('10s #', undefined, gone()); // 10 s after the new fallback: no probe
      const list3 = cold<ObjectList<Pod>>('(l|)', { l: podList('700', [pod('web-2', '701')]) });
      const watch3 = cold<PodEvent>('-');
      const t = setup(scheduler, [rejected, watch1, probe, watch2, watch3], [list1, list2, list3], { watchListReprobeInterval: 60_000 });
      api = t.api;
      expectObservable(t.keys$, '^ 2m !').toBe('s 69999ms t 9999ms u', { s: 'default/web-0', t: 'default/web-1', u: 'default/web-2' });
    });
    expect(api.listCalls.map((c) => c.at)).toEqual([0, 70_000, 80_000]);
    expect(api.watchCalls.map((c) => [c.at, c.cursor?.initialEventsRequired])).toEqual([
      [0, true],
      [0, false],
      [70_000, true],
      [70_000, false],
      [80_000, false],
    ]);
  });
});

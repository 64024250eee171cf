/**
 * The origin of every event of `informer.events$` (issue #14), in virtual time: `initial` for the first complete
 * state (and its replay to a late subscriber), `relist` for a resync after 410 or a bad line (its changes, its
 * synthetic DELETED and its end marker), `live` for changes and periodic bookmarks, `restored` through the
 * checkpoint seam (Partition.restore). The WatchEvent union is unchanged: `origin` is one more read-only property.
 */
import { describe, expect, it } from '@jest/globals';
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ObjectList } from '../../lib/api/list.js';
import { DecodeError } from '../../lib/errors/kubex-error.js';
import { GoneError, InvalidError } from '../../lib/errors/status-error.js';
import { Informer, type InformerOptions } from '../../lib/informer/informer.js';
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import { Partition } from '../../lib/informer/informer-partition.js';
import { endBookmark } from '../../lib/informer/informer-state.js';
import { testResources } from '../../lib/testing/resources.js';
import { added, bookmark, deleted, initialEventsEnd, modified, pod, type Pod, type PodEvent } from '../operators/watch-events.js';
import { from } from './origin-helpers.js';
import { accepted, podList, rejected, StubSource } from './stub-source.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const gone = (): GoneError => new GoneError({ code: 410, reason: 'Expired', status: 'Failure', message: 'too old resource version: 110 (250)' });
const badLine = (): DecodeError => new DecodeError('watch line is not JSON', '{"type":"ADDED","object":{"kind":"Pod"');
const watchListRejected = (): InvalidError =>
  new InvalidError({ code: 422, reason: 'Invalid', status: 'Failure', message: 'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled' });

const web0 = added('web-0', '101');
const web1 = added('web-1', '102');
const web2 = added('web-2', '103');
const end110 = initialEventsEnd('110');
/** The informer's own end marker (list + watch, legacy watch, a late subscriber's replay). */
const completeAt = (rv: string): PodEvent => endBookmark(rv) as PodEvent;

const initial = (event: PodEvent): InformerEvent<Pod> => from('initial', event);
const relist = (event: PodEvent): InformerEvent<Pod> => from('relist', event);
const live = (event: PodEvent): InformerEvent<Pod> => from('live', event);

function setup(scheduler: TestScheduler, watches: readonly Observable<PodEvent>[], lists: readonly Observable<ObjectList<Pod>>[] = [], options: InformerOptions = {}) {
  const api = new StubSource<Pod>(testResources.Pod, scheduler, watches, lists);
  return new Informer<Pod>(api, { scheduler, random: () => 0, ...options });
}

describe('Informer event origin', () => {
  it("marks a watch-list's first state and its marker initial, then changes and periodic bookmarks live", () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: web0, b: web1, e: end110, m: modified('web-0', '120'), k: bookmark('130'), d: deleted('web-1', '140') };
      const informer = setup(scheduler, [cold<PodEvent>('abe 1s m 1s k 1s d', values)]);
      expectObservable(informer.events$, '^ 1m !').toBe('abe 1s m 1s k 1s d', {
        a: initial(web0),
        b: initial(web1),
        e: initial(end110),
        m: live(values.m),
        k: live(values.k),
        d: live(values.d),
      });
    });
  });

  it('marks a relist after 410 relist: its changes, the synthetic DELETED of what vanished and its marker', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const first = cold<PodEvent>('abce 1m #', { a: web0, b: web1, c: web2, e: end110 }, gone());
      const second = cold<PodEvent>('amne 1s x', { a: web0, m: added('web-1', '150'), n: added('web-3', '151'), e: initialEventsEnd('160'), x: modified('web-0', '170') });
      const informer = setup(scheduler, [first, second]);
      expectObservable(informer.events$, '^ 2m !').toBe('abce 60001ms MN(DE) 997ms x', {
        a: initial(web0),
        b: initial(web1),
        c: initial(web2),
        e: initial(end110),
        M: relist(modified('web-1', '150')),
        N: relist(added('web-3', '151')),
        D: relist(deleted('web-2', '103')),
        E: relist(initialEventsEnd('160')),
        x: live(modified('web-0', '170')),
      });
    });
  });

  it('marks a relist after a line that is not a watch event relist', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const corrupt = cold<PodEvent>('abe 5s #', { a: web0, b: web1, e: end110 }, badLine());
      const again = cold<PodEvent>('ae', { a: web0, e: initialEventsEnd('200') });
      const informer = setup(scheduler, [corrupt, again]);
      expectObservable(informer.events$, '^ 1m !').toBe('abe 5801ms (DE)', {
        a: initial(web0),
        b: initial(web1),
        e: initial(end110),
        D: relist(deleted('web-1', '102')),
        E: relist(initialEventsEnd('200')),
      });
    });
  });

  it('marks the listed state of list + watch initial, with the informer’s own marker, and the watch after it live', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const refused = cold<PodEvent>('5ms #', undefined, watchListRejected());
      const list = cold<ObjectList<Pod>>('(l|)', { l: podList('200', [pod('web-0', '101')]) });
      const watch = accepted(cold<PodEvent>('1s m', { m: modified('web-0', '210') }));
      const informer = setup(scheduler, [refused, watch], [list]);
      expectObservable(informer.events$, '^ 1m !').toBe('5ms (aE) 996ms m', {
        a: initial(web0),
        E: initial(completeAt('200')),
        m: live(modified('web-0', '210')),
      });
    });
  });

  it('marks the first MODIFIED of a legacy watch (no marker) live, and the marker it brings initial', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const legacy = cold<PodEvent>('ab 5s m', { a: web0, b: web1, m: modified('web-0', '120') });
      const informer = setup(scheduler, [legacy]);
      expectObservable(informer.events$, '^ 1m !').toBe('ab 5s (mE)', {
        a: initial(web0),
        b: initial(web1),
        m: live(modified('web-0', '120')),
        E: initial(completeAt('120')),
      });
    });
  });

  it('replays the store to a late subscriber as initial, marker included, then live changes', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const informer = setup(scheduler, [cold<PodEvent>('abe 10s m', { a: web0, b: web1, e: end110, m: modified('web-1', '120') })]);
      expectObservable(informer.events$, '^ 1m !').toBe('abe 10s m', { a: initial(web0), b: initial(web1), e: initial(end110), m: live(modified('web-1', '120')) });
      expectObservable(informer.events$, '5s ^ 1m !').toBe('5s (abE) 4998ms m', {
        a: initial(web0),
        b: initial(web1),
        E: initial(completeAt('110')),
        m: live(modified('web-1', '120')),
      });
    });
  });

  it('marks the DELETED of an older valid version, when a newer one is rejected live, live', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const informer = setup(scheduler, [cold<PodEvent>('abe 1s x', { a: web0, b: web1, e: end110, x: rejected(modified('web-1', '120')) })]);
      expectObservable(informer.events$, '^ 1m !').toBe('abe 1s D', { a: initial(web0), b: initial(web1), e: initial(end110), D: live(deleted('web-1', '102')) });
    });
  });

  it('never mutates the events its source emits', () => {
    const scheduler = newScheduler();
    const event = added('web-0', '101');
    scheduler.run(({ cold, expectObservable }) => {
      const informer = setup(scheduler, [cold<PodEvent>('ae', { a: event, e: end110 })]);
      expectObservable(informer.events$, '^ 1m !').toBe('ae', { a: initial(event), e: initial(end110) });
    });
    expect(event).not.toHaveProperty('origin');
    expect(end110).not.toHaveProperty('origin');
  });
});

describe('Partition.restore (the checkpoint seam)', () => {
  it('seeds the store in sync, resumes from the saved resourceVersion, and reports the objects restored', () => {
    const partition = new Partition<Pod>('default', { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined });
    const events = partition.restore([pod('web-0', '101'), pod('web-1', '102')], '150');
    expect(events).toEqual([from('restored', web0), from('restored', web1)]);
    expect(partition.inSync).toBe(true);
    expect(partition.resumeFrom).toBe('150');
    expect(partition.store.resourceVersion).toBe('150');
    // A relist after 410 then reports what vanished while the process was down.
    partition.beginRelist();
    expect(partition.apply(added('web-0', '101'))).toEqual({ events: [], changed: false, ended: undefined });
    expect(partition.apply(initialEventsEnd('300'))).toEqual({ events: [from('relist', deleted('web-1', '102'))], changed: true, ended: 'relist' });
  });
});

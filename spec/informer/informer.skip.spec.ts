/**
 * `decodeErrors` in virtual time (issue #14): with `skip` (the default) one object the codec rejects is left out,
 * reported on `rejected$`, and the store syncs without it; a later valid version enters the store normally; a
 * DELETED of it changes nothing. `relist` and `fail` keep their behaviour. The stub's `rejected()` events stand for
 * lines whose object the codec rejects (see stub-source.ts); lines that are not events at all are in
 * informer.spec.ts ("relists after a line it cannot decode").
 */
import { describe, expect, it } from '@jest/globals';
import { filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Informer, type InformerOptions, type InformerState } from '../../lib/informer/informer.js';
import { testResources } from '../../lib/testing/resources.js';
import type { RejectedObject } from '../../lib/watch/rejected-object.js';
import { added, deleted, initialEventsEnd, modified, type Pod, type PodEvent } from '../operators/watch-events.js';
import { withoutOrigin } from './origin-helpers.js';
import { rejected, StubSource } from './stub-source.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const keys = (store: ReadonlyMap<string, Pod>): string => [...store.keys()].sort().join(' ');
const brief = (state: InformerState): string =>
  state.phase === 'backingOff' || state.phase === 'failed' ? `${state.phase} ${(state.error as Error).name}` : state.phase;
const report = (r: RejectedObject): string => `${r.source} ${r.key}@${r.resourceVersion ?? ''}: ${r.errors.join('; ')}`;

const web0 = added('web-0', '101');
const web1 = added('web-1', '102');
const end110 = initialEventsEnd('110');

function setup(scheduler: TestScheduler, watches: readonly Observable<PodEvent>[], options: InformerOptions = {}) {
  const api = new StubSource<Pod>(testResources.Pod, scheduler, watches);
  const informer = new Informer<Pod>(api, { scheduler, random: () => 0, ...options });
  return {
    api,
    informer,
    /** The events without their origin (spec/informer/informer.origin.spec.ts checks origins). */
    events$: informer.events$.pipe(map(withoutOrigin)),
    keys$: informer.store$.pipe(map(keys)),
    states$: informer.state$.pipe(filter((s) => s.phase !== 'idle'), map(brief)), // idle: when state$ subscribes first
    rejected$: informer.rejected$.pipe(map(report)),
  };
}

describe("Informer decodeErrors: 'skip' (the default)", () => {
  it('syncs without the rejected object, reports it once, and takes its later valid version', () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    const seen: [number, number][] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const watch = cold<PodEvent>('abe 1s m', { a: web0, b: rejected(web1), e: end110, m: modified('web-1', '120') });
      t = setup(scheduler, [watch]);
      const unsub = '^ 1m !';
      expectObservable(t.events$, unsub).toBe('a-e 1s m', { a: web0, e: end110, m: added('web-1', '120') });
      expectObservable(t.keys$, unsub).toBe('--s 1s t', { s: 'default/web-0', t: 'default/web-0 default/web-1' });
      expectObservable(t.states$, unsub).toBe('s-w', { s: 'syncing', w: 'watching' });
      expectObservable(t.rejected$, unsub).toBe('-r', { r: 'ADDED default/web-1@102: spec.replicas: expected number, got "3"' });
      expectSubscriptions(watch.subscriptions).toBe('^ 60000ms !');
      scheduler.schedule(() => seen.push([scheduler.now(), t.informer.rejected.size]), 500);
      scheduler.schedule(() => seen.push([scheduler.now(), t.informer.rejected.size]), 2000);
    });
    expect(t.api.watchCalls).toHaveLength(1); // no relist
    expect(seen).toEqual([
      [500, 1], // left out now
      [2000, 0], // its valid version arrived
    ]);
  });

  it('drops the stored version of an object whose live update is rejected, resumes past it, and ignores its DELETED', () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const first = cold<PodEvent>('abe 1s r 1s |', { a: web0, b: web1, e: end110, r: rejected(modified('web-1', '120')) });
      const second = cold<PodEvent>('d 1s m', { d: deleted('web-1', '130'), m: modified('web-0', '140') });
      t = setup(scheduler, [first, second]);
      const unsub = '^ 1m !';
      // The older valid version leaves with a DELETED carrying its last known state; the later DELETED is no change.
      expectObservable(t.events$, unsub).toBe('abe 1s D 1s - 1s m', { a: web0, b: web1, e: end110, D: deleted('web-1', '102'), m: modified('web-0', '140') });
      expectObservable(t.keys$, unsub).toBe('--s 1s t 2001ms u', { s: 'default/web-0 default/web-1', t: 'default/web-0', u: 'default/web-0' });
      expectObservable(t.rejected$, unsub).toBe('--- 1s r', { r: 'MODIFIED default/web-1@120: spec.replicas: expected number, got "3"' });
    });
    // The reconnection resumes after the rejected event, not before it (no replay, no second report).
    expect(t.api.watchCalls.map((c) => c.cursor)).toEqual([
      { resourceVersion: undefined, initialEventsRequired: true },
      { resourceVersion: '120', initialEventsRequired: false },
    ]);
    expect(t.informer.state.phase).toBe('idle');
  });
});

describe('Informer decodeErrors: relist and fail', () => {
  it("relists on a rejected object with 'relist' (and never syncs while it stays stored)", () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const watch1 = cold<PodEvent>('ab', { a: web0, b: rejected(web1) });
      const watch2 = cold<PodEvent>('ab', { a: web0, b: rejected(web1) });
      const watch3 = cold<PodEvent>('-');
      t = setup(scheduler, [watch1, watch2, watch3], { decodeErrors: 'relist' });
      expectObservable(t.keys$, '^ 10s !').toBe('');
      expectObservable(t.states$, '^ 10s !').toBe('sb 799ms sb 1599ms s', { s: 'syncing', b: 'backingOff DecodeError' });
    });
    expect(t.api.watchCalls.map((c) => [c.at, c.cursor?.initialEventsRequired])).toEqual([
      [0, true],
      [801, true],
      [2402, true],
    ]);
  });

  it("ends with the DecodeError with 'fail'", () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const watch = cold<PodEvent>('abe', { a: web0, b: rejected(web1), e: end110 });
      const t = setup(scheduler, [watch], { decodeErrors: 'fail' });
      expectObservable(t.states$, '^ 1m !').toBe('s(f|)', { s: 'syncing', f: 'failed DecodeError' });
    });
  });
});

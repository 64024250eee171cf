import { describe, expect, it } from '@jest/globals';
import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { IdleTimeoutError } from '../../lib/errors/resilience-errors.js';
import { BookmarkCadence } from '../../lib/index.js';
import { Informer, type InformerState } from '../../lib/informer/informer.js';
import { idleTimeout } from '../../lib/operators/idle-timeout.js';
import { testResources } from '../../lib/testing/index.js';
import { added, bookmark, initialEventsEnd, modified, type Pod, type PodEvent } from '../operators/watch-events.js';
import { accepted, StubSource } from './stub-source.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const b = bookmark('200');
const end = initialEventsEnd('110');

describe('BookmarkCadence', () => {
  it('measures the interval between periodic bookmarks of one connection, not the initial-events-end one', () => {
    const scheduler = newScheduler();
    const cadence = new BookmarkCadence({ timeoutSeconds: 600, scheduler });
    const changes: number[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<PodEvent>('a e 10s m 49s b 60s b 30s m 89999ms b', { a: added('web-0', '101'), e: end, m: modified('web-0', '150'), b });
      expectObservable(source.pipe(cadence.measure((i) => changes.push(i)), map((e) => e.type[0]))).toBe('A B 10s M 49s B 60s B 30s M 89999ms B', { A: 'A', B: 'B', M: 'M' });
    });
    // Bookmarks at ~60 s and ~120 s: 60 s; the next at ~240 s: 120 s (the largest of the recent ones). Each
    // marble character takes 1 ms of virtual time, hence the odd millisecond.
    expect(changes).toEqual([60_001, 120_001]);
    expect(cadence.interval).toBe(120_001);
  });

  it('starts over at each connection: a gap across a reconnection is not an interval', () => {
    const scheduler = newScheduler();
    const cadence = new BookmarkCadence({ scheduler });
    scheduler.run(({ cold, flush }) => {
      cold<PodEvent>('10s b', { b }).pipe(cadence.measure()).subscribe();
      flush();
      expect(cadence.interval).toBeUndefined();
      // A second connection, 300 s later: its first bookmark opens an interval, its second closes one.
      cold<PodEvent>('300s b 45s b', { b }).pipe(cadence.measure()).subscribe();
    });
    expect(cadence.interval).toBe(45_001);
  });

  it('sets the window to three intervals plus the margin, within [minWindow, timeout + margin]; the default before any', () => {
    const windowAfter = (intervalMs: number, timeoutSeconds = 600): number => {
      const scheduler = newScheduler();
      const cadence = new BookmarkCadence({ timeoutSeconds, scheduler });
      scheduler.run(({ cold }) => {
        cold<PodEvent>(`b ${intervalMs - 1}ms b`, { b }).pipe(cadence.measure()).subscribe();
      });
      return cadence.idleWindow;
    };
    expect(new BookmarkCadence({ timeoutSeconds: 600 }).idleWindow).toBe(210_000); // before: today's default
    expect(windowAfter(60_000)).toBe(210_000); // a real kube-apiserver: 3 × 60 s + 30 s
    expect(windowAfter(120_000)).toBe(390_000); // a slower server: no false stall every 210 s
    expect(windowAfter(5_000)).toBe(60_000); // a fast one: the floor (3 × 5 + 30 = 45 s would be below it)
    expect(windowAfter(300_000)).toBe(630_000); // never above timeoutSeconds + margin
    expect(windowAfter(300_000, 20)).toBe(50_000); // and the ceiling wins over the floor
  });

  it('follows a slower server at once and a faster one only after `samples` intervals', () => {
    const scheduler = newScheduler();
    const cadence = new BookmarkCadence({ samples: 3, scheduler });
    const seen: (number | undefined)[] = [];
    scheduler.run(({ cold }) => {
      const source = cold<PodEvent>('b 119999ms b 59999ms b 59999ms b 59999ms b', { b });
      source.pipe(cadence.measure()).subscribe(() => seen.push(cadence.interval));
    });
    expect(seen).toEqual([undefined, 120_000, 120_000, 120_000, 60_000]);
  });

  it('with idleTimeout: the window adapts to the cadence, and a stall is still detected', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const cadence = new BookmarkCadence({ timeoutSeconds: 600, scheduler });
      // A server bookmarking every 2 minutes, then a silence of 300 s (fine: window 390 s), then a dead connection.
      const source = cold<PodEvent>('b 119999ms b 299999ms m', { b, m: modified('web-0', '300') });
      const watched = source.pipe(cadence.measure(), idleTimeout({ timeout: () => cadence.idleWindow, scheduler }));
      expectObservable(watched).toBe('b 119999ms b 299999ms m 389999ms #', { b, m: modified('web-0', '300') }, new IdleTimeoutError(390_000));
      expectSubscriptions(source.subscriptions).toBe('^ 809999ms !');
    });
  });

  it('with idleTimeout: before any measurement the default window (210 s) detects a stall', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const cadence = new BookmarkCadence({ timeoutSeconds: 600, scheduler });
      const watched = cold<PodEvent>('e', { e: end }).pipe(cadence.measure(), idleTimeout({ timeout: () => cadence.idleWindow, scheduler }));
      expectObservable(watched).toBe('e 209999ms #', { e: end }, new IdleTimeoutError(210_000));
    });
  });

  it('refuses impossible options', () => {
    expect(() => new BookmarkCadence({ samples: 0 })).toThrow(/samples/);
    expect(() => new BookmarkCadence({ minWindow: 0 })).toThrow(/minWindow/);
    expect(() => new BookmarkCadence({ timeoutSeconds: -1 })).toThrow(/timeoutSeconds/);
  });
});

describe('Informer: liveness from the bookmark cadence', () => {
  const setup = (scheduler: TestScheduler, watches: Observable<PodEvent>[], idle?: number) => {
    const api = new StubSource<Pod>(testResources.Pod, scheduler, watches);
    return new Informer<Pod>(api, { scheduler, random: () => 0, timeoutSeconds: 600, ...(idle !== undefined ? { idleTimeout: idle } : {}) });
  };
  const brief = (s: InformerState): string => (s.phase === 'watching' ? `watching${s.bookmarkInterval !== undefined ? `@${s.bookmarkInterval}` : ''}` : s.phase);

  it('shows the measured interval on the watching state, and reconnects after three missed intervals plus 30 s', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      // Bookmarks every 100 s, then silence: the window is 330 s from the last bookmark, not the 210 s default.
      const first = accepted(cold<PodEvent>('e 99999ms b 99999ms b', { e: end, b }));
      const second = accepted(cold<PodEvent>('-'));
      const informer = setup(scheduler, [first, second]);
      // The measurement outlives the connection: the next one is watching@100000 at once.
      expectObservable(informer.state$.pipe(map(brief)), '^ 600s !').toBe('(isw) 199995ms v 329999ms t 799ms (cv)', {
        i: 'idle', s: 'syncing', w: 'watching', v: 'watching@100000', t: 'stalled', c: 'connecting',
      });
    });
  });

  it('keeps a fixed idleTimeout fixed, without bookmarkInterval', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const first = accepted(cold<PodEvent>('e 99999ms b 99999ms b', { e: end, b }));
      const informer = setup(scheduler, [first, accepted(cold<PodEvent>('-'))], 150_000);
      expectObservable(informer.state$.pipe(map(brief)), '^ 400s !').toBe('(isw) 349995ms t 799ms (cw)', {
        i: 'idle', s: 'syncing', w: 'watching', t: 'stalled', c: 'connecting',
      });
    });
  });
});

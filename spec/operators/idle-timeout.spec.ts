import { describe, expect, it } from '@jest/globals';
import { tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { TransportError } from '../../lib/errors/kubex-error.js';
import { IdleTimeoutError } from '../../lib/errors/resilience-errors.js';
import { idleTimeout, idleTimeoutFor } from '../../lib/operators/idle-timeout.js';
import { retryWithBackoff } from '../../lib/operators/retry-with-backoff.js';
import { trackBookmarks } from '../../lib/operators/track-bookmarks.js';
import { WatchCursor } from '../../lib/watch/watch-cursor.js';
import { bookmark, modified, recordingSource, type CursorSnapshot, type PodEvent } from './watch-events.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const idle30s = (): IdleTimeoutError => new IdleTimeoutError(30_000);

describe('idleTimeout', () => {
  it('asks a timeout function for each window: at subscription and after every event', () => {
    const windows = [30_000, 50_000, 10_000];
    const asked: number[] = [];
    const values = { a: modified('web-0', '101'), b: bookmark('160') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('20s a 40s b', values);
      const timeout = (): number => {
        const w = windows.shift()!;
        asked.push(w);
        return w;
      };
      // Windows: 30 s from 0 (a at 20 s), then 50 s (b at ~60 s), then 10 s: the error ~10 s after b.
      expectObservable(source.pipe(idleTimeout({ timeout }))).toBe('20s a 40s b 9999ms #', values, new IdleTimeoutError(10_000));
      expectSubscriptions(source.subscriptions).toBe('^ 60001ms 9999ms !');
    });
    expect(asked).toEqual([30_000, 50_000, 10_000]);
  });

  it('errors with a TypeError when a timeout function returns an impossible window', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<PodEvent>('a', { a: modified('web-0', '101') }).pipe(idleTimeout({ timeout: () => -1 }))).toBe(
        '#',
        undefined,
        new TypeError('idleTimeout: the timeout function returned -1, not a finite number > 0'),
      );
    });
  });

  it('errors a never source after the timeout, unsubscribing it', () => {
    let caught: unknown;
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-');
      const result = source.pipe(idleTimeout({ timeout: 30_000 }), tap({ error: (e: unknown) => (caught = e) }));
      expectObservable(result).toBe('30s #', undefined, idle30s());
      expectSubscriptions(source.subscriptions).toBe('^ 29999ms !');
    });
    expect(caught).toBeInstanceOf(IdleTimeoutError);
    expect(caught).toMatchObject({ name: 'IdleTimeoutError', timeout: 30_000 });
  });

  it('completes with an empty source', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('|');
      expectObservable(source.pipe(idleTimeout({ timeout: 30_000 }))).toBe('|');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('lets events through while each comes within the window, which every event restarts', () => {
    const values = { a: modified('web-0', '101'), b: bookmark('160'), c: modified('web-1', '170') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('a 29999ms b 29999ms c 29999ms |', values);
      expectObservable(source.pipe(idleTimeout({ timeout: 30_000 }))).toBe('a 29999ms b 29999ms c 29999ms |', values);
      expectSubscriptions(source.subscriptions).toBe('^ 29999ms - 29999ms - 29999ms !');
    });
  });

  it('errors when the gap after an event exceeds the window', () => {
    const values = { a: modified('web-0', '101'), b: bookmark('160'), c: modified('web-1', '170') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('a 20s b 31s c', values);
      expectObservable(source.pipe(idleTimeout({ timeout: 30_000 }))).toBe('a 20s b 29999ms #', values, idle30s());
      expectSubscriptions(source.subscriptions).toBe('^ 50s !');
    });
  });

  it('counts BOOKMARKs as life: minute bookmarks keep a 90 s window open on a quiet watch', () => {
    const values = { b: bookmark('160') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('1m b 59999ms b 59999ms b 59999ms b 59999ms b', values);
      expectObservable(source.pipe(idleTimeout({ timeout: 90_000 })), '^ 5m !').toBe('1m b 59999ms b 59999ms b 59999ms b 59999ms b', values);
      expectSubscriptions(source.subscriptions).toBe('^ 5m !');
    });
  });

  it('starts the first window at subscription', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-');
      expectObservable(source.pipe(idleTimeout({ timeout: 30_000 })), '10s ^').toBe('40s #', undefined, idle30s());
      expectSubscriptions(source.subscriptions).toBe('10s ^ 29999ms !');
    });
  });

  it('passes source errors through and stops the timer', () => {
    const error = new TransportError('socket hang up');
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-a 5s #', { a: modified('web-0', '101') }, error);
      expectObservable(source.pipe(idleTimeout({ timeout: 30_000 }))).toBe('-a 5s #', { a: modified('web-0', '101') }, error);
      expectSubscriptions(source.subscriptions).toBe('^- 5s !');
    });
  });

  it('follows an endless source until unsubscribed', () => {
    const values = { m: modified('web-0', '101') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('m 9999ms m 9999ms m 9999ms m 9999ms m 9999ms m', values);
      expectObservable(source.pipe(idleTimeout({ timeout: 30_000 })), '^ 35s !').toBe('m 9999ms m 9999ms m 9999ms m', values);
      expectSubscriptions(source.subscriptions).toBe('^ 35s !');
    });
  });

  it('unsubscribing early unsubscribes the source and cancels the timer', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-');
      expectObservable(source.pipe(idleTimeout({ timeout: 30_000 })), '^ 10s !').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^ 10s !');
    });
  });

  it('with retryWithBackoff downstream, reconnects a silent watch from the cursor', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    const values = { m: modified('web-0', '150'), b: bookmark('200') };
    let seen: CursorSnapshot[] = [];
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const stalled = cold<PodEvent>('m 9999ms -', values); // a half-open connection: one event, then silence
      const fresh = cold<PodEvent>('20s b 19999ms b 19999ms b 19999ms b', values);
      const recorded = recordingSource(cursor, [stalled, fresh]);
      seen = recorded.seen;
      const result = recorded.source.pipe(trackBookmarks(cursor), idleTimeout({ timeout: 30_000 }), retryWithBackoff({ jitter: 0 }));
      // idle at 30 s, backoff 0.8 s, resubscribed at 30.8 s, then a bookmark every 20 s keeps the window open
      expectObservable(result, '^ 100s !').toBe('m 30799ms 20s b 19999ms b 19999ms b', values);
      expectSubscriptions(stalled.subscriptions).toBe('^ 29999ms !');
      expectSubscriptions(fresh.subscriptions).toBe('30800ms ^ 69200ms !');
    });
    expect(seen).toEqual([
      { resourceVersion: '100', initialEventsRequired: false },
      { resourceVersion: '150', initialEventsRequired: false },
    ]);
    expect(cursor.resourceVersion).toBe('200');
  });

  it('rejects a bad config at call time', () => {
    expect(() => idleTimeout({ timeout: 0 })).toThrow(TypeError);
    expect(() => idleTimeout({ timeout: -1 })).toThrow(TypeError);
    expect(() => idleTimeout({ timeout: Number.NaN })).toThrow(TypeError);
    expect(() => idleTimeout({} as { timeout: number })).toThrow(TypeError);
  });
});

describe('idleTimeoutFor', () => {
  it('is timeoutSeconds plus a 30 s margin without bookmarks', () => {
    expect(idleTimeoutFor({ timeoutSeconds: 290 })).toBe(320_000);
    expect(idleTimeoutFor({ timeoutSeconds: 290, margin: 10 })).toBe(300_000);
  });

  it('uses three bookmark intervals plus the margin when that is sooner', () => {
    expect(idleTimeoutFor({ timeoutSeconds: 290, bookmarkIntervalSeconds: 60 })).toBe(210_000);
    expect(idleTimeoutFor({ timeoutSeconds: 60, bookmarkIntervalSeconds: 60 })).toBe(90_000);
  });

  it("falls back to the server's longest default timeout (3600 s) when timeoutSeconds is 0 or omitted", () => {
    expect(idleTimeoutFor({})).toBe(3_630_000);
    expect(idleTimeoutFor({ timeoutSeconds: 0 })).toBe(3_630_000);
    expect(idleTimeoutFor({ bookmarkIntervalSeconds: 60 })).toBe(210_000);
  });

  it('rejects bad options', () => {
    expect(() => idleTimeoutFor({ timeoutSeconds: -1 })).toThrow(TypeError);
    expect(() => idleTimeoutFor({ bookmarkIntervalSeconds: 0 })).toThrow(TypeError);
    expect(() => idleTimeoutFor({ margin: Number.NaN })).toThrow(TypeError);
  });
});

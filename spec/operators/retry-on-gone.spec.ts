import { describe, expect, it } from '@jest/globals';
import { tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { statusErrorFromBody } from '../../lib/errors/from-response.js';
import { TransportError } from '../../lib/errors/kubex-error.js';
import { GoneError, statusErrorFrom, UnauthorizedError } from '../../lib/errors/status-error.js';
import { RETRY_ON_GONE_FLOOR_MS, retryOnGone } from '../../lib/operators/retry-on-gone.js';
import { trackBookmarks } from '../../lib/operators/track-bookmarks.js';
import { WatchCursor } from '../../lib/watch/watch-cursor.js';
import { added, bookmark, initialEventsEnd, modified, recordingSource, snapshot, type CursorSnapshot, type PodEvent } from './watch-events.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** The in-stream ERROR a real server sends for a too-old RV (HTTP 200, then this event, then EOF). */
const expired = (): GoneError =>
  statusErrorFrom({ status: 'Failure', message: 'too old resource version: 200 (1000)', reason: 'Expired', code: 410 }) as GoneError;
/** The "Too large resource version" in-stream 504 of a watch-list asking for a future RV (protocol sheet §4.3). */
const tooLarge = () =>
  statusErrorFrom({
    status: 'Failure',
    message: 'Timeout: Too large resource version: 300, current: 250',
    reason: 'Timeout',
    code: 504,
    details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
  });

const AFTER_GONE: CursorSnapshot = { resourceVersion: undefined, initialEventsRequired: true };

describe('retryOnGone', () => {
  it('passes a never source through', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-');
      expectObservable(source.pipe(retryOnGone(cursor))).toBe('-');
      expectSubscriptions(source.subscriptions).toBe('^');
    });
    expect(snapshot(cursor)).toEqual({ resourceVersion: '100', initialEventsRequired: false });
  });

  it('completes with an empty source, without resubscribing', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('|');
      expectObservable(source.pipe(retryOnGone(cursor))).toBe('|');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('emits the values of a source that completes', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    const values = { a: modified('web-0', '101'), b: bookmark('160') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('a 1m b|', values);
      expectObservable(source.pipe(retryOnGone(cursor))).toBe('a 1m b|', values);
      expectSubscriptions(source.subscriptions).toBe('^ 1m -!');
    });
    expect(cursor.resourceVersion).toBe('100'); // retryOnGone alone never writes the RV
  });

  it('passes other errors through untouched, without resubscribing or touching the cursor', () => {
    for (const error of [new UnauthorizedError({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' }), new TransportError('ECONNRESET'), new Error('bug')]) {
      const cursor = new WatchCursor({ resourceVersion: '100' });
      let caught: unknown;
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<PodEvent>('-a-#', { a: modified('web-0', '101') }, error);
        const result = source.pipe(retryOnGone(cursor), tap({ error: (e: unknown) => (caught = e) }));
        expectObservable(result).toBe('-a-#', { a: modified('web-0', '101') }, error);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
      expect(caught).toBe(error);
      expect(snapshot(cursor)).toEqual({ resourceVersion: '100', initialEventsRequired: false });
    }
  });

  it('on an in-stream 410 Expired, forgets the RV, asks for the initial state and resubscribes at once', () => {
    const cursor = new WatchCursor({ resourceVersion: '200' });
    const values = { f: added('foo', '8467'), b: added('bar', '5726'), e: initialEventsEnd('10245'), m: modified('foo', '10300') };
    let seen: CursorSnapshot[] = [];
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const stale = cold<PodEvent>('--#', undefined, expired());
      const relist = cold<PodEvent>('fbe 1m m-', values);
      const recorded = recordingSource(cursor, [stale, relist]);
      seen = recorded.seen;
      expectObservable(recorded.source.pipe(trackBookmarks(cursor), retryOnGone(cursor))).toBe('--fbe 1m m-', values);
      expectSubscriptions(stale.subscriptions).toBe('^-!');
      expectSubscriptions(relist.subscriptions).toBe('--^');
    });
    expect(seen).toEqual([{ resourceVersion: '200', initialEventsRequired: false }, AFTER_GONE]);
    // The relist's initial-events-end bookmark gave the new position and cleared the flag.
    expect(snapshot(cursor)).toEqual({ resourceVersion: '10300', initialEventsRequired: false });
  });

  it('treats an HTTP 410 on connect and the "Too large resource version" 504 the same way', () => {
    const http410 = statusErrorFromBody(410, '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"gone","reason":"Gone","code":410}');
    for (const error of [http410, tooLarge()]) {
      const cursor = new WatchCursor({ resourceVersion: '300' });
      let seen: CursorSnapshot[] = [];
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold<PodEvent>('#', undefined, error);
        const second = cold<PodEvent>('-e', { e: initialEventsEnd('400') });
        const recorded = recordingSource(cursor, [first, second]);
        seen = recorded.seen;
        expectObservable(recorded.source.pipe(trackBookmarks(cursor), retryOnGone(cursor))).toBe('-e', { e: initialEventsEnd('400') });
        expectSubscriptions(first.subscriptions).toBe('(^!)');
        expectSubscriptions(second.subscriptions).toBe('^');
      });
      expect(seen).toEqual([{ resourceVersion: '300', initialEventsRequired: false }, AFTER_GONE]);
      expect(snapshot(cursor)).toEqual({ resourceVersion: '400', initialEventsRequired: false });
    }
  });

  it('waits `delay` in virtual time before resubscribing', () => {
    const cursor = new WatchCursor({ resourceVersion: '200' });
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('--#', undefined, expired());
      const recorded = recordingSource(cursor, [source]);
      expectObservable(recorded.source.pipe(retryOnGone(cursor, { delay: 5000, count: 2 }))).toBe('-- 5s -- 5s --#', undefined, expired());
      expectSubscriptions(source.subscriptions).toBe(['^-!', '-- 5s ^-!', '-- 5s -- 5s ^-!']);
    });
    expect(snapshot(cursor)).toEqual(AFTER_GONE);
  });

  it('gives up after `count` consecutive 410s, and forgets the RV even then', () => {
    const cursor = new WatchCursor({ resourceVersion: '200' });
    let caught: unknown;
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-#', undefined, expired());
      const result = source.pipe(retryOnGone(cursor, { count: 0 }), tap({ error: (e: unknown) => (caught = e) }));
      expectObservable(result).toBe('-#', undefined, expired());
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
    expect(caught).toBeInstanceOf(GoneError);
    expect(snapshot(cursor)).toEqual(AFTER_GONE);
  });

  it('resets the count after an event', () => {
    const cursor = new WatchCursor({ resourceVersion: '200' });
    const values = { e: initialEventsEnd('500') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const gone = cold<PodEvent>('-#', undefined, expired());
      const progress = cold<PodEvent>('-e-#', values, expired());
      const recorded = recordingSource(cursor, [gone, progress, gone]);
      // count 1: gone (retry 1 of 1) -> progress emits, so the counter resets, then 410 (retry 1 of 1 again)
      // -> gone: error. Without the reset, progress's 410 would have ended the stream at frame 4.
      expectObservable(recorded.source.pipe(retryOnGone(cursor, { count: 1 }))).toBe('--e--#', values, expired());
      expectSubscriptions(gone.subscriptions).toBe(['^!', '----^!']);
      expectSubscriptions(progress.subscriptions).toBe('-^--!');
    });
  });

  it('follows an endless source until unsubscribed, retrying each 410', () => {
    const cursor = new WatchCursor({ resourceVersion: '200' });
    const values = { b: bookmark('260') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const gone = cold<PodEvent>('5m #', undefined, expired());
      const endless = cold<PodEvent>('1m b 59999ms b 59999ms b', values);
      const recorded = recordingSource(cursor, [gone, endless]);
      expectObservable(recorded.source.pipe(retryOnGone(cursor)), '^ 7m !').toBe('5m 1m b 59999ms b', values);
      expectSubscriptions(gone.subscriptions).toBe('^ 299999ms !');
      expectSubscriptions(endless.subscriptions).toBe('5m ^ 2m !');
    });
  });

  it('waits at least RETRY_ON_GONE_FLOOR_MS before a relist that follows another one without any event', () => {
    // #14: a server (or a misuse) answering 410 to every request must not be asked in a hot loop.
    expect(RETRY_ON_GONE_FLOOR_MS).toBe(1000);
    const cursor = new WatchCursor({ resourceVersion: '200' });
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-#', undefined, expired());
      const recorded = recordingSource(cursor, [source]);
      // the first relist at once (delay 0), then 1 s before each consecutive one; count 3 used up at 2004 ms
      expectObservable(recorded.source.pipe(retryOnGone(cursor, { count: 3 }))).toBe('2004ms #', undefined, expired());
      expectSubscriptions(source.subscriptions).toBe(['^!', '-^!', '-- 1000ms ^!', '-- 1000ms - 1000ms ^!']);
    });
  });

  it('relists at once again after a relist that made progress (no floor then)', () => {
    const cursor = new WatchCursor({ resourceVersion: '200' });
    const values = { e: initialEventsEnd('500') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const gone = cold<PodEvent>('-#', undefined, expired());
      const progress = cold<PodEvent>('-e-#', values, expired());
      const endless = cold<PodEvent>('-');
      const recorded = recordingSource(cursor, [gone, progress, endless]);
      expectObservable(recorded.source.pipe(retryOnGone(cursor))).toBe('--e-', values);
      expectSubscriptions(progress.subscriptions).toBe('-^--!');
      expectSubscriptions(endless.subscriptions).toBe('----^');
    });
  });

  it('errors with a TypeError, without resubscribing, when the source does not read the cursor (watch$({ resourceVersion }))', () => {
    // #14: passing resourceVersion instead of cursor made 248-293 requests/s with the same stale RV.
    const cursor = new WatchCursor({ resourceVersion: '200' });
    let caught: unknown;
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-#', undefined, expired()); // never calls noteCursorRead, like watch$({ resourceVersion })
      const result = source.pipe(retryOnGone(cursor, { count: 5 }), tap({ error: (e: unknown) => (caught = e) })); // count: a regression fails, not hangs
      expectObservable(result).toBe('-#', undefined, expect.any(TypeError));
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).toMatch(/did not read the cursor/);
    expect((caught as Error).cause).toBeInstanceOf(GoneError);
  });

  it('unsubscribing cancels a pending delay: no resubscription', () => {
    const cursor = new WatchCursor({ resourceVersion: '200' });
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-#', undefined, expired());
      expectObservable(recordingSource(cursor, [source]).source.pipe(retryOnGone(cursor, { delay: 10_000 })), '^ 5s !').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('unsubscribing early unsubscribes the source', () => {
    const cursor = new WatchCursor({ resourceVersion: '200' });
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('---m', { m: modified('web-0', '201') });
      expectObservable(source.pipe(retryOnGone(cursor)), '-!').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('rejects a bad config at call time', () => {
    const cursor = new WatchCursor();
    expect(() => retryOnGone(cursor, { count: -1 })).toThrow(TypeError);
    expect(() => retryOnGone(cursor, { count: 1.5 })).toThrow(TypeError);
    expect(() => retryOnGone(cursor, { delay: -5 })).toThrow(TypeError);
    expect(() => retryOnGone(cursor, { delay: Number.NaN })).toThrow(TypeError);
  });
});

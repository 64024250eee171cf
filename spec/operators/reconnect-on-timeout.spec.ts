import { describe, expect, it } from '@jest/globals';
import { tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { TransportError } from '../../lib/errors/kubex-error.js';
import { WatchEndedTooSoonError } from '../../lib/errors/resilience-errors.js';
import { reconnectOnTimeout } from '../../lib/operators/reconnect-on-timeout.js';
import { trackBookmarks } from '../../lib/operators/track-bookmarks.js';
import { WatchCursor } from '../../lib/watch/watch-cursor.js';
import { bookmark, modified, recordingSource, type CursorSnapshot, type PodEvent } from './watch-events.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('reconnectOnTimeout', () => {
  it('passes a never source through', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-');
      expectObservable(source.pipe(reconnectOnTimeout())).toBe('-');
      expectSubscriptions(source.subscriptions).toBe('^');
    });
  });

  it('errors with WatchEndedTooSoonError when the source completes at once, empty', () => {
    let caught: unknown;
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('|');
      // count bounds the test: without the rule it would complete after 4 subscriptions instead of looping forever.
      const result = source.pipe(reconnectOnTimeout({ count: 3 }), tap({ error: (e: unknown) => (caught = e) }));
      expectObservable(result).toBe('#', undefined, new WatchEndedTooSoonError(0, 1000));
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
    expect(caught).toBeInstanceOf(WatchEndedTooSoonError);
    expect(caught).toMatchObject({ name: 'WatchEndedTooSoonError', duration: 0, minWatchDuration: 1000 });
  });

  it('resubscribes when a watch with events ends after timeoutSeconds, reading the updated cursor', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    const values = { a: modified('web-0', '150'), b: bookmark('200'), c: modified('web-1', '250'), d: bookmark('300') };
    let seen: CursorSnapshot[] = [];
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // timeoutSeconds=290: a bookmark ~2 s before the deadline (protocol sheet §3.2), then a clean end.
      const first = cold<PodEvent>('a 287999ms b 1999ms |', values);
      const second = cold<PodEvent>('c 287999ms d 1999ms |', values);
      const recorded = recordingSource(cursor, [first, second]);
      seen = recorded.seen;
      const result = recorded.source.pipe(trackBookmarks(cursor), reconnectOnTimeout());
      expectObservable(result, '^ 599999ms !').toBe('a 287999ms b 1999ms c 287999ms d 1999ms c', values);
      expectSubscriptions(first.subscriptions).toBe('^ 289999ms !');
      expectSubscriptions(second.subscriptions).toBe(['290s ^ 289999ms !', '580s ^ 19999ms !']);
    });
    expect(seen).toEqual([
      { resourceVersion: '100', initialEventsRequired: false },
      { resourceVersion: '200', initialEventsRequired: false },
      { resourceVersion: '300', initialEventsRequired: false },
    ]);
  });

  it('resubscribes after a long empty watch (no bookmarks asked for, idle cluster)', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('290s |');
      expectObservable(source.pipe(reconnectOnTimeout()), '^ 599999ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe(['^ 289999ms !', '290s ^ 289999ms !', '580s ^ 19999ms !']);
    });
  });

  it('errors instead of reconnecting when a watch ends within minWatchDuration without events', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('500ms |');
      expectObservable(source.pipe(reconnectOnTimeout()), '^ 10s !').toBe('500ms #', undefined, new WatchEndedTooSoonError(500, 1000));
      expectSubscriptions(source.subscriptions).toBe('^ 499ms !');
    });
  });

  it('measures each subscription on its own: a long watch, then a short empty one', () => {
    const values = { a: modified('web-0', '150') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const long = cold<PodEvent>('a 289999ms |', values);
      const short = cold<PodEvent>('100ms |');
      const recorded = recordingSource(new WatchCursor(), [long, short]);
      expectObservable(recorded.source.pipe(reconnectOnTimeout()), '^ 300s !').toBe('a 289999ms 100ms #', values, new WatchEndedTooSoonError(100, 1000));
      expectSubscriptions(long.subscriptions).toBe('^ 289999ms !');
      expectSubscriptions(short.subscriptions).toBe('290s ^ 99ms !');
    });
  });

  it('reconnects a short watch that had an event, and an empty one that reached minWatchDuration', () => {
    const values = { a: modified('web-0', '150') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const quick = cold<PodEvent>('a|', values);
      expectObservable(quick.pipe(reconnectOnTimeout({ count: 2 }))).toBe('aaa|', values);
      expectSubscriptions(quick.subscriptions).toBe(['^!', '-^!', '--^!']);

      const exact = cold<PodEvent>('1s |');
      expectObservable(exact.pipe(reconnectOnTimeout({ count: 1 }))).toBe('2s |');
      expectSubscriptions(exact.subscriptions).toBe(['^ 999ms !', '1s ^ 999ms !']);
    });
  });

  it('honours a custom minWatchDuration, and 0 turns the rule off', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fiveSeconds = cold<PodEvent>('3s |');
      expectObservable(fiveSeconds.pipe(reconnectOnTimeout({ minWatchDuration: 5000 })), '^ 10s !').toBe('3s #', undefined, new WatchEndedTooSoonError(3000, 5000));
      expectSubscriptions(fiveSeconds.subscriptions).toBe('^ 2999ms !');

      const off = cold<PodEvent>('|');
      expectObservable(off.pipe(reconnectOnTimeout({ minWatchDuration: 0, count: 2 }))).toBe('|');
      expectSubscriptions(off.subscriptions).toBe(['(^!)', '(^!)', '(^!)']);
    });
  });

  it('waits `delay` in virtual time before each reconnection', () => {
    const values = { b: bookmark('200') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('b 289999ms |', values);
      expectObservable(source.pipe(reconnectOnTimeout({ delay: 1000 })), '^ 582s !').toBe('b 289999ms 1s b 289999ms 1s b', values);
      expectSubscriptions(source.subscriptions).toBe(['^ 289999ms !', '291s ^ 289999ms !', '582s ^ 0ms !']);
    });
  });

  it('completes after `count` reconnections', () => {
    const values = { b: bookmark('200') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('b 4999ms |', values);
      expectObservable(source.pipe(reconnectOnTimeout({ count: 2 }))).toBe('b 4999ms b 4999ms b 4999ms |', values);
      expectSubscriptions(source.subscriptions).toBe(['^ 4999ms !', '5s ^ 4999ms !', '10s ^ 4999ms !']);
    });
  });

  it('passes errors through without reconnecting', () => {
    const error = new TransportError('socket hang up');
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-a-#', { a: modified('web-0', '150') }, error);
      expectObservable(source.pipe(reconnectOnTimeout())).toBe('-a-#', { a: modified('web-0', '150') }, error);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('follows an endless source until unsubscribed', () => {
    const values = { b: bookmark('200') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('1m b 59999ms b 59999ms b 59999ms b', values);
      expectObservable(source.pipe(reconnectOnTimeout()), '^ 150s !').toBe('1m b 59999ms b', values);
      expectSubscriptions(source.subscriptions).toBe('^ 150s !');
    });
  });

  it('unsubscribing early unsubscribes the source, and cancels a pending delay', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const running = cold<PodEvent>('--b|', { b: bookmark('200') });
      expectObservable(running.pipe(reconnectOnTimeout()), '-!').toBe('');
      expectSubscriptions(running.subscriptions).toBe('^!');

      const waiting = cold<PodEvent>('b|', { b: bookmark('200') });
      expectObservable(waiting.pipe(reconnectOnTimeout({ delay: 10_000 })), '^ 5s !').toBe('b', { b: bookmark('200') });
      expectSubscriptions(waiting.subscriptions).toBe('^!');
    });
  });

  it('rejects a bad config at call time', () => {
    expect(() => reconnectOnTimeout({ minWatchDuration: -1 })).toThrow(TypeError);
    expect(() => reconnectOnTimeout({ delay: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => reconnectOnTimeout({ count: -2 })).toThrow(TypeError);
  });
});

import { ExecPluginError } from '../../lib/errors/config-errors.js';
import { describe, expect, it } from '@jest/globals';
import { defer, finalize, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { statusErrorFromBody } from '../../lib/errors/from-response.js';
import { DecodeError, TransportError } from '../../lib/errors/kubex-error.js';
import { IdleTimeoutError, WatchEndedTooSoonError } from '../../lib/errors/resilience-errors.js';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  GoneError,
  InternalError,
  InvalidError,
  NotFoundError,
  ServiceUnavailableError,
  statusErrorFrom,
  TooManyRequestsError,
  UnauthorizedError,
} from '../../lib/errors/status-error.js';
import { reconnectOnTimeout } from '../../lib/operators/reconnect-on-timeout.js';
import { isTransientError, retryWithBackoff, type RetryInfo } from '../../lib/operators/retry-with-backoff.js';
import { LineTooLongError } from '../../lib/stream/line-too-long-error.js';
import { WatchCursor } from '../../lib/watch/watch-cursor.js';
import { bookmark, modified, recordingSource, type PodEvent } from './watch-events.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
/** Unsubscribes after 10 virtual minutes: a broken retry limit then fails the test instead of looping forever. */
const GUARD = '^ 10m !';

const refused = (): TransportError => new TransportError('connect ECONNREFUSED 127.0.0.1:6443');
const status = (code: number, reason: string) => statusErrorFrom({ code, reason, status: 'Failure', message: `${code} ${reason}` });

/** onRetry that records attempt and delay (the error is checked separately where it matters). */
function retryLog(): { log: { attempt: number; delay: number }[]; onRetry: (info: RetryInfo) => void } {
  const log: { attempt: number; delay: number }[] = [];
  return { log, onRetry: ({ attempt, delay }) => log.push({ attempt, delay }) };
}

describe('retryWithBackoff', () => {
  it('passes a never source through', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-');
      expectObservable(source.pipe(retryWithBackoff())).toBe('-');
      expectSubscriptions(source.subscriptions).toBe('^');
    });
  });

  it('completes with an empty source', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('|');
      expectObservable(source.pipe(retryWithBackoff())).toBe('|');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('emits the values of a source that completes', () => {
    const values = { a: modified('web-0', '101'), b: bookmark('160') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('a 1m b|', values);
      expectObservable(source.pipe(retryWithBackoff())).toBe('a 1m b|', values);
      expectSubscriptions(source.subscriptions).toBe('^ 1m -!');
    });
  });

  it('backs off exponentially from 800 ms, doubling up to the 30 s cap (client-go defaults), then gives up after maxRetries', () => {
    const { log, onRetry } = retryLog();
    const errors: unknown[] = [];
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('#', undefined, refused());
      const result = source.pipe(retryWithBackoff({ jitter: 0, maxRetries: 8, onRetry: (info) => (errors.push(info.error), onRetry(info)) }));
      // 0 +0.8 +1.6 +3.2 +6.4 +12.8 +25.6 +30 +30 = 110.4 s
      expectObservable(result, GUARD).toBe('110400ms #', undefined, refused());
      expectSubscriptions(source.subscriptions).toBe([
        '(^!)',
        '800ms (^!)',
        '2400ms (^!)',
        '5600ms (^!)',
        '12s (^!)',
        '24800ms (^!)',
        '50400ms (^!)',
        '80400ms (^!)',
        '110400ms (^!)',
      ]);
    });
    expect(log).toEqual([
      { attempt: 1, delay: 800 },
      { attempt: 2, delay: 1600 },
      { attempt: 3, delay: 3200 },
      { attempt: 4, delay: 6400 },
      { attempt: 5, delay: 12_800 },
      { attempt: 6, delay: 25_600 },
      { attempt: 7, delay: 30_000 },
      { attempt: 8, delay: 30_000 },
    ]);
    expect(errors.every((e) => e instanceof TransportError)).toBe(true);
  });

  it('adds jitter on top of the delay as client-go does (wait.Jitter: [d, d * (1 + jitter)))', () => {
    const full = retryLog();
    const ratio = retryLog();
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const draws = [0.5, 0.25, 0.999];
      const source = cold<PodEvent>('#', undefined, refused());
      const result = source.pipe(retryWithBackoff({ random: () => draws.shift() ?? 0, maxRetries: 3, onRetry: full.onRetry }));
      // 800 * 1.5 = 1200; 1600 * 1.25 = 2000; 3200 * 1.999 = 6396.8 -> 6397
      expectObservable(result, GUARD).toBe('9597ms #', undefined, refused());
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '1200ms (^!)', '3200ms (^!)', '9597ms (^!)']);

      const source2 = cold<PodEvent>('#', undefined, refused());
      const result2 = source2.pipe(retryWithBackoff({ jitter: 0.5, random: () => 0.5, maxRetries: 1, onRetry: ratio.onRetry }));
      expectObservable(result2, GUARD).toBe('1000ms #', undefined, refused()); // 800 * (1 + 0.5 * 0.5)
      expectSubscriptions(source2.subscriptions).toBe(['(^!)', '1000ms (^!)']);
    });
    expect(full.log.map((r) => r.delay)).toEqual([1200, 2000, 6397]);
    expect(ratio.log).toEqual([{ attempt: 1, delay: 1000 }]);
  });

  it('never waits less than the exponential delay nor more than delay * (1 + jitter), whatever random returns', () => {
    // The issue: with jitter 1 a retry came after 4 ms. The delay d is now a floor (client-go), the cap applies
    // before jitter (Backoff.Step), and an out-of-range random is clamped to [0, 1].
    const draws = [0, 0.004, 0.5, 0.999_999, 1, -3, 7, Number.NaN, Number.POSITIVE_INFINITY];
    for (const jitter of [0, 0.1, 0.5, 1]) {
      const infos: RetryInfo[] = [];
      const queue = [...draws, ...draws];
      newScheduler().run(({ cold }) => {
        const source = cold<PodEvent>('#', undefined, refused());
        source.pipe(retryWithBackoff({ jitter, random: () => queue.shift() ?? 0, maxRetries: 2 * draws.length, onRetry: (i) => infos.push(i) })).subscribe({ error: () => undefined });
      });
      expect(infos).toHaveLength(2 * draws.length);
      for (const { attempt, delay } of infos) {
        const d = Math.min(30_000, 800 * 2 ** (attempt - 1));
        expect(delay).toBeGreaterThanOrEqual(d);
        expect(delay).toBeLessThanOrEqual(Math.round(d * (1 + jitter)));
      }
    }
  });

  it('waits at least Retry-After (429 from priority and fairness, 504 "Too large resource version")', () => {
    const { log, onRetry } = retryLog();
    const throttled = statusErrorFromBody(429, 'Too many requests, please try again later.\n', '5');
    const tooLarge = statusErrorFrom({
      code: 504,
      reason: 'Timeout',
      message: 'Timeout: Too large resource version: 300, current: 250',
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
    });
    expect(throttled).toBeInstanceOf(TooManyRequestsError);
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<PodEvent>('#', undefined, throttled);
      const second = cold<PodEvent>('#', undefined, tooLarge);
      const third = cold<PodEvent>('-');
      const recorded = recordingSource(new WatchCursor(), [first, second, third]);
      // 429: max(800, 5000) = 5 s; 504: max(1600, 1000) = 1.6 s
      expectObservable(recorded.source.pipe(retryWithBackoff({ jitter: 0, onRetry }))).toBe('-');
      expectSubscriptions(first.subscriptions).toBe('(^!)');
      expectSubscriptions(second.subscriptions).toBe('5s (^!)');
      expectSubscriptions(third.subscriptions).toBe('6600ms ^');
    });
    expect(log).toEqual([
      { attempt: 1, delay: 5000 },
      { attempt: 2, delay: 1600 },
    ]);
  });

  it('starts again at attempt 1 when the failing subscription had run for resetAfter (2 min)', () => {
    const infos: RetryInfo[] = [];
    const values = { b: bookmark('200') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fail = cold<PodEvent>('#', undefined, refused());
      const healthy = cold<PodEvent>('b 119999ms #', values, refused()); // fails after exactly 2 min
      const recorded = recordingSource(new WatchCursor(), [fail, healthy, fail]);
      const result = recorded.source.pipe(retryWithBackoff({ jitter: 0, maxRetries: 3, onRetry: (i) => infos.push(i) }));
      // healthy fails at 120.8 s -> attempt 1 again (0.8 s) -> 2 (1.6 s) -> 3 (3.2 s) -> maxRetries used up at 126.4 s
      expectObservable(result, GUARD).toBe('800ms b 125599ms #', values, refused());
      expectSubscriptions(healthy.subscriptions).toBe('800ms ^ 119999ms !');
      expectSubscriptions(fail.subscriptions).toBe(['(^!)', '121600ms (^!)', '123200ms (^!)', '126400ms (^!)']);
    });
    expect(infos.map((i) => [i.attempt, i.delay])).toEqual([
      [1, 800],
      [1, 800],
      [2, 1600],
      [3, 3200],
    ]);
  });

  it('keeps backing off when the failing subscription ran for less than resetAfter', () => {
    const infos: RetryInfo[] = [];
    const values = { b: bookmark('200') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fail = cold<PodEvent>('#', undefined, refused());
      const flapping = cold<PodEvent>('b 59999ms #', values, refused()); // fails after 1 min
      const recorded = recordingSource(new WatchCursor(), [fail, flapping, fail]);
      const result = recorded.source.pipe(retryWithBackoff({ jitter: 0, maxRetries: 3, onRetry: (i) => infos.push(i) }));
      expectObservable(result, GUARD).toBe('800ms b 64799ms #', values, refused());
      expectSubscriptions(flapping.subscriptions).toBe('800ms ^ 59999ms !');
      expectSubscriptions(fail.subscriptions).toBe(['(^!)', '62400ms (^!)', '65600ms (^!)']);
    });
    expect(infos.map((i) => [i.attempt, i.delay])).toEqual([
      [1, 800],
      [2, 1600],
      [3, 3200],
    ]);
  });

  it('passes non-transient errors through at once (401, 403, 404, 410, 422, decode)', () => {
    const permanent = [
      status(401, 'Unauthorized'),
      status(403, 'Forbidden'),
      status(404, 'NotFound'),
      statusErrorFrom({ code: 410, reason: 'Expired', message: 'too old resource version: 200 (1000)' }),
      status(422, 'Invalid'),
      new DecodeError('watch line is not valid JSON', '{"type":'),
    ];
    for (const error of permanent) {
      const { log, onRetry } = retryLog();
      let caught: unknown;
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<PodEvent>('-a-#', { a: modified('web-0', '101') }, error);
        const result = source.pipe(retryWithBackoff({ onRetry }), tap({ error: (e: unknown) => (caught = e) }));
        expectObservable(result, GUARD).toBe('-a-#', { a: modified('web-0', '101') }, error);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
      expect(caught).toBe(error);
      expect(log).toEqual([]);
    }
  });

  it('retries what isRetryable says, and only that', () => {
    const conflict = status(409, 'Conflict');
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('#', undefined, conflict);
      const result = source.pipe(retryWithBackoff({ jitter: 0, maxRetries: 1, isRetryable: (e) => e instanceof ConflictError }));
      expectObservable(result, GUARD).toBe('800ms #', undefined, conflict);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '800ms (^!)']);

      const transport = cold<PodEvent>('#', undefined, refused());
      expectObservable(transport.pipe(retryWithBackoff({ isRetryable: () => false })), GUARD).toBe('#', undefined, refused());
      expectSubscriptions(transport.subscriptions).toBe('(^!)');
    });
  });

  it('errors with what onRetry, isRetryable or random throws, without resubscribing', () => {
    const boom = new Error('state channel closed');
    const throwing = [
      { onRetry: () => { throw boom; } },
      { isRetryable: () => { throw boom; } },
      { random: () => { throw boom; } },
    ];
    for (const config of throwing) {
      newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<PodEvent>('-a-#', { a: modified('web-0', '101') }, refused());
        expectObservable(source.pipe(retryWithBackoff(config)), GUARD).toBe('-a-#', { a: modified('web-0', '101') }, boom);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    }
  });

  it('retries sequentially: one subscription of the source at a time, never a storm', () => {
    let active = 0;
    let maxActive = 0;
    let subscriptions = 0;
    const values = { b: bookmark('200') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const flaky = cold<PodEvent>('b 999ms #', values, refused());
      const source = defer(() => {
        subscriptions += 1;
        maxActive = Math.max(maxActive, ++active);
        return flaky.pipe(finalize(() => active--));
      });
      // fails at 1 s; waits 0.8 s; fails at 2.8 s; waits 1.6 s; fails at 5.4 s; waits 3.2 s; 8.6 s...
      expectObservable(source.pipe(retryWithBackoff({ jitter: 0 })), '^ 9s !').toBe('b 999ms 800ms b 999ms 1600ms b 999ms 3200ms b', values);
      expectSubscriptions(flaky.subscriptions).toBe(['^ 999ms !', '1800ms ^ 999ms !', '4400ms ^ 999ms !', '8600ms ^ 400ms !']);
    });
    expect(subscriptions).toBe(4);
    expect(maxActive).toBe(1);
  });

  it('paces the WatchEndedTooSoonError of reconnectOnTimeout (a server closing every watch at once)', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('100ms |');
      // too soon at 0.1 s, 0.8 s wait; too soon at 1 s, 1.6 s wait; too soon at 2.7 s, 3.2 s wait; 5.9 s...
      expectObservable(source.pipe(reconnectOnTimeout(), retryWithBackoff({ jitter: 0 })), '^ 6s !').toBe('');
      expectSubscriptions(source.subscriptions).toBe(['^ 99ms !', '900ms ^ 99ms !', '2600ms ^ 99ms !', '5900ms ^ 99ms !']);
    });
  });

  it('follows an endless source until unsubscribed', () => {
    const values = { b: bookmark('200') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('1m b 59999ms b 59999ms b', values);
      expectObservable(source.pipe(retryWithBackoff()), '^ 150s !').toBe('1m b 59999ms b', values);
      expectSubscriptions(source.subscriptions).toBe('^ 150s !');
    });
  });

  it('unsubscribing early unsubscribes the source, and cancels a pending wait', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const running = cold<PodEvent>('--b', { b: bookmark('200') });
      expectObservable(running.pipe(retryWithBackoff()), '-!').toBe('');
      expectSubscriptions(running.subscriptions).toBe('^!');

      const failing = cold<PodEvent>('#', undefined, refused());
      expectObservable(failing.pipe(retryWithBackoff({ jitter: 0 })), '^ 500ms !').toBe('');
      expectSubscriptions(failing.subscriptions).toBe('(^!)');
    });
  });

  it('keeps a separate attempt counter per subscription (cold)', () => {
    const { log, onRetry } = retryLog();
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('#', undefined, refused());
      const result = source.pipe(retryWithBackoff({ jitter: 0, maxRetries: 1, onRetry }));
      expectObservable(result, GUARD).toBe('800ms #', undefined, refused());
      expectObservable(result, '10s ^ 10m !').toBe('10800ms #', undefined, refused());
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '800ms (^!)', '10s (^!)', '10800ms (^!)']);
    });
    expect(log).toEqual([
      { attempt: 1, delay: 800 },
      { attempt: 1, delay: 800 },
    ]);
  });

  it('rejects a bad config at call time', () => {
    expect(() => retryWithBackoff({ initialDelay: -1 })).toThrow(TypeError);
    expect(() => retryWithBackoff({ maxDelay: Number.NaN })).toThrow(TypeError);
    expect(() => retryWithBackoff({ factor: 0.5 })).toThrow(TypeError);
    expect(() => retryWithBackoff({ jitter: 1.5 })).toThrow(TypeError);
    expect(() => retryWithBackoff({ resetAfter: -1 })).toThrow(TypeError);
    expect(() => retryWithBackoff({ maxRetries: 2.5 })).toThrow(TypeError);
  });
});

describe('isTransientError', () => {
  it.each([
    ['TransportError', refused()],
    ['WatchEndedTooSoonError', new WatchEndedTooSoonError(12, 1000)],
    ['IdleTimeoutError', new IdleTimeoutError(30_000)],
    ['429 TooManyRequests', statusErrorFromBody(429, 'Too many requests, please try again later.', '1')],
    ['500 InternalError', status(500, 'InternalError')],
    ['503 ServiceUnavailable', status(503, 'ServiceUnavailable')],
    ['504 Too large resource version', status(504, 'Timeout')],
    ['502 from a proxy', statusErrorFromBody(502, '<html>Bad Gateway</html>')],
    ['an exec plugin that exited with an error', new ExecPluginError('exited with 1', { command: 'aws', exitCode: 1 })],
  ])('%s is transient', (_label, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['400 BadRequest', status(400, 'BadRequest')],
    ['401 Unauthorized', status(401, 'Unauthorized')],
    ['403 Forbidden', status(403, 'Forbidden')],
    ['404 NotFound', status(404, 'NotFound')],
    ['409 Conflict', status(409, 'Conflict')],
    ['410 Gone', status(410, 'Gone')],
    ['Expired with an odd code', statusErrorFrom({ code: 500, reason: 'Expired' })],
    ['422 Invalid', status(422, 'Invalid')],
    ['DecodeError', new DecodeError('bad', 'x')],
    ['LineTooLongError', new LineTooLongError(1024, 2048)],
    ['a plain Error', new Error('bug')],
    ['an exec plugin that cannot run', new ExecPluginError('not found', { command: 'no-such-plugin' })],
    ['a string', 'nope'],
    ['undefined', undefined],
  ])('%s is not transient', (_label, error) => {
    expect(isTransientError(error)).toBe(false);
  });

  it('maps the classes as expected', () => {
    expect(status(401, 'Unauthorized')).toBeInstanceOf(UnauthorizedError);
    expect(status(403, 'Forbidden')).toBeInstanceOf(ForbiddenError);
    expect(status(404, 'NotFound')).toBeInstanceOf(NotFoundError);
    expect(status(400, 'BadRequest')).toBeInstanceOf(BadRequestError);
    expect(status(422, 'Invalid')).toBeInstanceOf(InvalidError);
    expect(status(500, 'InternalError')).toBeInstanceOf(InternalError);
    expect(status(503, 'ServiceUnavailable')).toBeInstanceOf(ServiceUnavailableError);
    expect(statusErrorFrom({ code: 500, reason: 'Expired' })).toBeInstanceOf(GoneError);
  });
});

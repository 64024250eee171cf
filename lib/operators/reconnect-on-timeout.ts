import { asapScheduler, asyncScheduler, concat, defer, EMPTY, repeat, tap, throwError, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { WatchEndedTooSoonError } from '../errors/resilience-errors.js';
import { checkCount, checkNonNegative } from './validate.js';

/**
 * Options of {@link reconnectOnTimeout}.
 * @since 0.1.0
 */
export interface ReconnectOnTimeoutConfig {
  /**
   * A subscription that completes sooner than this many milliseconds after it started, without any event, is an
   * error ({@link WatchEndedTooSoonError}) instead of a reconnection. Default `1000` (client-go's reflector).
   * `0` turns the rule off.
   */
  readonly minWatchDuration?: number;
  /** Milliseconds to wait before resubscribing. Default `0` (at once, as the next scheduler task). */
  readonly delay?: number;
  /** The most resubscriptions in total; past it, a completion completes the output. Default `Infinity`. */
  readonly count?: number;
  /** The scheduler of the delay and of the duration measurement. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * When the source completes (the server ended the watch cleanly, normally after `timeoutSeconds`), resubscribes
 * to it; with `watch$({ cursor })` and {@link trackBookmarks} the new request resumes from the last position.
 *
 * Why (kubernetes-watch-protocol.md §5, §9.2): a watch always ends, after `timeoutSeconds` or the server's
 * 30–60 min default, on shutdown, or when the cacher drops a slow watcher, all as a clean end of the body with no
 * error. client-go's reflector re-watches at once from the last RV. Its one exception is kept here: a watch that
 * lasted under one second with no event is an error (`VeryShortWatchError`), so that a server closing every
 * watch at once is retried with backoff and not in a tight loop. That is {@link WatchEndedTooSoonError}, which is
 * transient for {@link retryWithBackoff}.
 *
 * Emits every source event; never completes unless `count` resubscriptions are used up; errors when the source
 * errors, or with {@link WatchEndedTooSoonError} for a short empty watch. Unsubscribing unsubscribes the current
 * source subscription, or cancels a pending delay. One subscription of the source at a time.
 *
 * @param config - `minWatchDuration` (ms, default `1000`), `delay` (ms, default `0`), `count` (default
 *   `Infinity`), `scheduler` (default `asyncScheduler`).
 * @throws TypeError - at call time, for a negative or non-numeric option.
 * @example
 * ```ts
 * const cursor = new WatchCursor();
 * pods.watch$({ cursor, allowBookmarks: true, timeoutSeconds: 290 })
 *   .pipe(trackBookmarks(cursor), retryOnGone(cursor), reconnectOnTimeout(), retryWithBackoff())
 *   .subscribe((e) => console.log(e.type));
 * ```
 * @since 0.1.0
 */
export function reconnectOnTimeout<T>(config: ReconnectOnTimeoutConfig = {}): MonoTypeOperatorFunction<T> {
  checkNonNegative('reconnectOnTimeout', 'minWatchDuration', config.minWatchDuration);
  checkNonNegative('reconnectOnTimeout', 'delay', config.delay);
  checkCount('reconnectOnTimeout', 'count', config.count);
  const { minWatchDuration = 1000, delay = 0, count = Infinity, scheduler = asyncScheduler } = config;
  // A 0 ms timer on asyncScheduler is a setTimeout(0), which Node clamps to 1 ms: with no scheduler given, resume
  // as a microtask-queued task instead (measured: reconnect 2.0-2.5 ms -> 1.3 ms). Still asynchronous, so never a
  // synchronous resubscription loop; WatchEndedTooSoonError still guards against tight loops.
  const repeatScheduler = delay === 0 && config.scheduler === undefined ? asapScheduler : scheduler;
  return (source) =>
    defer(() => {
      // Per subscription of the source: when it started, and whether it emitted.
      const startedAt = scheduler.now();
      let emitted = false;
      return concat(
        source.pipe(tap(() => (emitted = true))),
        defer(() => {
          const duration = scheduler.now() - startedAt;
          return !emitted && duration < minWatchDuration ? throwError(() => new WatchEndedTooSoonError(duration, minWatchDuration)) : EMPTY;
        }),
      );
    }).pipe(
      // `count` resubscriptions means count + 1 subscriptions. Always through the scheduler, even for 0 ms: a
      // resubscription is a new task, never a synchronous loop.
      repeat({ count: count + 1, delay: () => timer(delay, repeatScheduler) }),
    );
}

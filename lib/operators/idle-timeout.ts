import { Observable, Subscription, asyncScheduler, throwError, timeout as rxTimeout, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { IdleTimeoutError } from '../errors/resilience-errors.js';
import { checkNonNegative, checkPositive } from './validate.js';

/**
 * Options of {@link idleTimeout}.
 * @since 0.1.0
 */
export interface IdleTimeoutConfig {
  /**
   * The longest silence allowed, in milliseconds (see {@link idleTimeoutFor} to derive it from the watch). A
   * function is asked for the window each time one starts (at subscription and after every event), so the window
   * can follow what is measured, e.g. the server's bookmark cadence (`BookmarkCadence.idleWindow`); it must return
   * a finite number > 0, else the output errors with a `TypeError`. Functions since 0.3.0.
   */
  readonly timeout: number | (() => number);
  /** The scheduler of the idle timer. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Errors with {@link IdleTimeoutError} when no event arrives for `config.timeout` milliseconds.
 *
 * Why (kubernetes-watch-protocol.md §10, "no heartbeat"): a watch has no keep-alive other than bookmarks, and a
 * connection silently dropped by a NAT, load balancer or proxy (half-open TCP) never errors: the stream just goes
 * quiet forever. The server itself always ends a watch after `timeoutSeconds`, so a silence longer than that (or
 * than a few bookmark intervals, with bookmarks on) means the connection is dead.
 *
 * The first window starts at subscription; every event (BOOKMARKs included) starts a new one. Emits every source
 * event; completes when the source completes; errors when the source errors, or with {@link IdleTimeoutError}
 * after unsubscribing the source (which aborts the HTTP request), so a downstream {@link retryWithBackoff}
 * reconnects. Unsubscribing unsubscribes the source and cancels the timer.
 *
 * @param config - `timeout` (ms, or a function giving the ms of each window; required), `scheduler` (default
 *   `asyncScheduler`).
 * @throws TypeError - at call time, when `timeout` is neither a finite number > 0 nor a function.
 * @example
 * ```ts
 * const cursor = new WatchCursor();
 * pods.watch$({ cursor, allowBookmarks: true, timeoutSeconds: 290 })
 *   .pipe(
 *     trackBookmarks(cursor),
 *     idleTimeout({ timeout: idleTimeoutFor({ timeoutSeconds: 290, bookmarkIntervalSeconds: 60 }) }),
 *     reconnectOnTimeout(),
 *     retryWithBackoff(),
 *   )
 *   .subscribe((e) => console.log(e.type));
 * ```
 * @since 0.1.0
 */
export function idleTimeout<T>(config: IdleTimeoutConfig): MonoTypeOperatorFunction<T> {
  if (config?.timeout === undefined) throw new TypeError('idleTimeout: timeout is required');
  const { timeout, scheduler = asyncScheduler } = config;
  if (typeof timeout === 'function') return dynamicIdleTimeout(timeout, scheduler);
  checkPositive('idleTimeout', 'timeout', timeout);
  // rxjs `timeout`: `each` also bounds the first event (measured from subscription); on expiry it unsubscribes the
  // source before subscribing to `with`.
  return rxTimeout<T, ReturnType<typeof throwError>>({
    each: timeout,
    scheduler,
    with: () => throwError(() => new IdleTimeoutError(timeout)),
  });
}

/**
 * {@link idleTimeout} with a window asked of `timeout()` each time one starts. Same contract as the fixed one: the
 * first window starts at subscription, every event starts a new one, and on expiry the source is unsubscribed
 * (aborting its request) before the output errors with {@link IdleTimeoutError} (carrying the window that elapsed).
 */
function dynamicIdleTimeout<T>(timeout: () => number, scheduler: SchedulerLike): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const upstream = new Subscription();
      let timer: Subscription | undefined;
      const arm = (): boolean => {
        timer?.unsubscribe();
        const window = timeout();
        if (!(typeof window === 'number' && Number.isFinite(window) && window > 0)) {
          upstream.unsubscribe();
          subscriber.error(new TypeError(`idleTimeout: the timeout function returned ${String(window)}, not a finite number > 0`));
          return false;
        }
        timer = scheduler.schedule(() => {
          upstream.unsubscribe();
          subscriber.error(new IdleTimeoutError(window));
        }, window);
        return true;
      };
      if (!arm()) return undefined;
      upstream.add(
        source.subscribe({
          next: (value) => {
            if (arm()) subscriber.next(value);
          },
          error: (error: unknown) => {
            timer?.unsubscribe();
            subscriber.error(error);
          },
          complete: () => {
            timer?.unsubscribe();
            subscriber.complete();
          },
        }),
      );
      return () => {
        timer?.unsubscribe();
        upstream.unsubscribe();
      };
    });
}

/**
 * Options of {@link idleTimeoutFor}; all in seconds.
 * @since 0.1.0
 */
export interface IdleTimeoutForOptions {
  /** The watch's `timeoutSeconds`. `0` or omitted: the server's default, at most 3600 s (2 × `--min-request-timeout`). */
  readonly timeoutSeconds?: number;
  /** When bookmarks are on (`allowBookmarks`/`sendInitialEvents`), the expected bookmark interval (real servers: ~60 s). */
  readonly bookmarkIntervalSeconds?: number;
  /** Slack added to either bound, in seconds. Default `30`. */
  readonly margin?: number;
}

/** The longest a server keeps a watch without `timeoutSeconds`: uniform in [1800, 3600) s (kubernetes-watch-protocol.md §5). */
const SERVER_DEFAULT_MAX_TIMEOUT_SECONDS = 3600;
/**
 * How many bookmark intervals may pass without a bookmark before the connection is presumed dead (also the
 * informer's `BookmarkCadence`).
 * @internal
 */
export const BOOKMARK_INTERVALS = 3;
/** Slack added to the idle window, in seconds (also the informer's `BookmarkCadence`). @internal */
export const DEFAULT_MARGIN_SECONDS = 30;

/**
 * The idle window, in milliseconds, for {@link idleTimeout} on a watch with the given timeout and bookmark interval:
 * `min(timeoutSeconds + margin, 3 × bookmarkIntervalSeconds + margin)`, the second bound only when bookmarks are on.
 *
 * Reasoning (kubernetes-watch-protocol.md §3.2, §5, §10):
 * - The server ends every watch cleanly after `timeoutSeconds` (counted from when its handler starts, initial
 *   events included), or after 30–60 min when none is given. A stream silent for longer is dead.
 * - With bookmarks on, the server sends one about every minute (cacher `defaultBookmarkFrequency`) and ~2 s before
 *   the deadline, but only when the global RV has moved past the watch's start RV, and the docs say not to rely on
 *   their interval. On a real cluster the global RV moves all the time (node and leader-election Leases are
 *   renewed every ~10 s), so three missed intervals is a strong sign of a dead connection; on a truly idle
 *   cluster the cost of a false alarm is one cheap reconnect from the cursor.
 * - The margin (default 30 s) covers what happens before the server's clock starts (DNS, TLS, credential plugins,
 *   queueing in priority and fairness), the up-to-3 s wait of a watch-list for a fresh cache, and network delay.
 *
 * @param options - `timeoutSeconds` (`0`/omitted: server default), `bookmarkIntervalSeconds` (omitted: bookmarks
 *   off), `margin` (seconds, default `30`).
 * @returns the window in milliseconds.
 * @throws TypeError - for a negative or non-numeric option, or a zero bookmark interval.
 * @example
 * ```ts
 * idleTimeoutFor({ timeoutSeconds: 290 });                              // 320_000
 * idleTimeoutFor({ timeoutSeconds: 290, bookmarkIntervalSeconds: 60 }); // 210_000
 * ```
 * @since 0.1.0
 */
export function idleTimeoutFor(options: IdleTimeoutForOptions = {}): number {
  checkNonNegative('idleTimeoutFor', 'timeoutSeconds', options.timeoutSeconds);
  checkPositive('idleTimeoutFor', 'bookmarkIntervalSeconds', options.bookmarkIntervalSeconds);
  checkNonNegative('idleTimeoutFor', 'margin', options.margin);
  const margin = options.margin ?? DEFAULT_MARGIN_SECONDS;
  const serverTimeout = options.timeoutSeconds || SERVER_DEFAULT_MAX_TIMEOUT_SECONDS;
  let seconds = serverTimeout + margin;
  if (options.bookmarkIntervalSeconds !== undefined) {
    seconds = Math.min(seconds, BOOKMARK_INTERVALS * options.bookmarkIntervalSeconds + margin);
  }
  return seconds * 1000;
}

import { asyncScheduler, defer, retry, tap, throwError, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { GoneError, isTooLargeResourceVersion } from '../errors/status-error.js';
import { cursorReads, type WatchCursor } from '../watch/watch-cursor.js';
import { checkCount, checkNonNegative } from './validate.js';

/**
 * Options of {@link retryOnGone}.
 * @since 0.1.0
 */
export interface RetryOnGoneConfig {
  /**
   * The most consecutive resubscriptions; the counter resets when an event arrives. Past it, the error passes
   * through. Default `Infinity`.
   */
  readonly count?: number;
  /**
   * Milliseconds to wait before resubscribing after a subscription that got events (or the first one). Default
   * `0` (at once, as the next scheduler task). A resubscription that follows another one without any event in
   * between waits at least {@link RETRY_ON_GONE_FLOOR_MS}, whatever `delay` says.
   */
  readonly delay?: number;
  /** The scheduler of the delay. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** Whether an error means "this resourceVersion cannot be resumed from": 410 Gone/Expired, or "Too large". */
function isResumePositionLost(error: unknown): boolean {
  return error instanceof GoneError || isTooLargeResourceVersion(error);
}

/**
 * The least wait, in ms, before a resubscription that follows another one with no event in between: a server
 * (or a misuse) answering 410 again and again is then asked at most once a second instead of in a hot loop.
 * client-go never relists at once either: its reflector's `wait.BackoffUntil` waits 800 ms or more between two
 * `ListAndWatch` runs (`tools/cache/reflector.go`).
 * @since 0.3.0
 */
export const RETRY_ON_GONE_FLOOR_MS = 1000;

/**
 * On a {@link GoneError} (HTTP 410, or the in-stream ERROR 410 Expired/Gone) or the "Too large resource version"
 * error, forgets the cursor's resourceVersion, asks for the initial state, and resubscribes.
 *
 * Why (kubernetes-watch-protocol.md §4.2, §6, §9.2): a 410 means the RV is older than the server's history
 * (the watch cache keeps ~75 s, etcd ~5 min), so no watch from it can ever succeed; client-go's reflector relists.
 * "Too large resource version" (a 504 with cause `ResourceVersionTooLarge`) means the server's cache has not
 * reached that RV; client-go's watch-list then resets the RV to `""` and retries. Both leave the cursor with
 * `resourceVersion = undefined` and `initialEventsRequired = true`, so the next `watch$({ cursor })` asks
 * `sendInitialEvents=true` with `resourceVersionMatch=NotOlderThan` and bookmarks, without the stale RV
 * (KEP-3157, a consistent read of the current state). Downstream, the relist is visible as ADDED events up to
 * the `k8s.io/initial-events-end` bookmark; {@link trackBookmarks} keeps the cursor still until then.
 *
 * The cursor is updated on every such error, even when `count` is exhausted and the error passes through: the
 * RV is known to be useless either way.
 *
 * Pacing: the first relist after progress comes after `delay` (default at once, to resume quickly); a relist
 * that follows another one without any event in between waits at least {@link RETRY_ON_GONE_FLOOR_MS}, so no
 * server or misuse can turn it into a hot loop.
 *
 * Misuse detection: the source must build each request from the cursor (`watch$({ cursor })`). If a
 * subscription of the source that ended with a 410 never read the cursor (say `watch$({ resourceVersion })`
 * with a separate cursor), resubscribing would send the same stale request forever: the output errors with a
 * `TypeError` instead.
 *
 * Emits every source event; completes when a subscription of the source completes; errors with any other
 * error at once, and with the Gone/Too-large error once `count` consecutive resubscriptions are used up.
 * Unsubscribing unsubscribes the current source subscription, or cancels a pending delay. One subscription of
 * the source at a time.
 *
 * @param cursor - the position shared with `watch$({ cursor })` and {@link trackBookmarks}.
 * @param config - `count` (default `Infinity`), `delay` (ms, default `0`), `scheduler` (default `asyncScheduler`).
 * @throws TypeError - at call time, for a negative or non-numeric `count` or `delay`; through the output, when the
 *   source did not read the cursor (see above).
 * @example
 * ```ts
 * const cursor = new WatchCursor();
 * pods.watch$({ cursor, allowBookmarks: true })
 *   .pipe(trackBookmarks(cursor), retryOnGone(cursor, { count: 5, delay: 1000 }))
 *   .subscribe((e) => console.log(e.type));
 * ```
 * @since 0.1.0
 */
export function retryOnGone<T>(cursor: WatchCursor, config: RetryOnGoneConfig = {}): MonoTypeOperatorFunction<T> {
  checkCount('retryOnGone', 'count', config.count);
  checkNonNegative('retryOnGone', 'delay', config.delay);
  const { count = Infinity, delay = 0, scheduler = asyncScheduler } = config;
  return (source) =>
    defer(() => {
      // Per subscription of the output: the cursor's request count when the current source subscription began,
      // whether it emitted anything, and whether it is a resubscription of ours.
      let readsAtSubscribe = cursorReads(cursor);
      let emitted = false;
      let resubscribed = false;
      return source.pipe(
        tap({
          next: () => (emitted = true),
          error: (error: unknown) => {
            if (!isResumePositionLost(error)) return;
            cursor.resourceVersion = undefined;
            cursor.initialEventsRequired = true;
          },
        }),
        retry({
          count,
          resetOnSuccess: true,
          delay: (error: unknown) => {
            if (!isResumePositionLost(error)) return throwError(() => error);
            if (cursorReads(cursor) === readsAtSubscribe) {
              // The same stale request would be sent again and again (#14: 248-293 requests/s measured).
              return throwError(
                () =>
                  new TypeError(
                    'retryOnGone: the source did not read the cursor, so resubscribing would repeat the same expired request; ' +
                      'watch with watch$({ cursor }) using the cursor given to retryOnGone (not resourceVersion)',
                    { cause: error },
                  ),
              );
            }
            const wait = resubscribed && !emitted ? Math.max(delay, RETRY_ON_GONE_FLOOR_MS) : delay;
            // Always through the scheduler, even for 0 ms: a resubscription is a new task, never a synchronous loop.
            return timer(wait, scheduler).pipe(
              tap(() => {
                readsAtSubscribe = cursorReads(cursor);
                emitted = false;
                resubscribed = true;
              }),
            );
          },
        }),
      );
    });
}

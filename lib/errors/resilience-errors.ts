import { KubexError } from './kubex-error.js';

/**
 * A watch ended cleanly too soon after it started, without a single event: the server accepted the request
 * and closed it at once (a restarting API server, a proxy that drops idle streams, a broken watch cache).
 *
 * client-go's reflector treats a watch that lasted under one second with no event as an error
 * (`VeryShortWatchError` in `tools/cache/reflector.go`) so that its backoff paces the next attempt instead of
 * re-watching in a tight loop. `reconnectOnTimeout` raises this error for the same reason; it is transient, so
 * `retryWithBackoff` retries it after a delay.
 *
 * @example
 * ```ts
 * pods.watch$({ cursor }).pipe(reconnectOnTimeout(), retryWithBackoff()).subscribe({
 *   error: (e) => { if (e instanceof WatchEndedTooSoonError) console.error(`ended after ${e.duration} ms`); },
 * });
 * ```
 * @since 0.1.0
 */
export class WatchEndedTooSoonError extends KubexError {
  /** The class name, `WatchEndedTooSoonError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'WatchEndedTooSoonError';
  /** How long the watch lasted, in milliseconds (scheduler time). */
  readonly duration: number;
  /** The shortest duration, in milliseconds, a watch without events must last to count as normal. */
  readonly minWatchDuration: number;

  /**
   * @param duration - how long the watch lasted, in milliseconds.
   * @param minWatchDuration - the threshold it fell short of, in milliseconds.
   */
  constructor(duration: number, minWatchDuration: number) {
    super(`watch ended after ${duration} ms without any event (shorter than ${minWatchDuration} ms): treated as a failure so that a backoff paces the reconnection`);
    this.duration = duration;
    this.minWatchDuration = minWatchDuration;
  }
}

/**
 * No watch event (BOOKMARKs included) arrived for `timeout` milliseconds: the connection is presumed dead.
 *
 * A watch has no keep-alive other than bookmarks, and a half-open TCP connection (a NAT or load balancer that
 * dropped the flow) can stay silent forever without an error. `idleTimeout` raises this error and unsubscribes
 * the source, which aborts the HTTP request; it is transient, so `retryWithBackoff` reconnects.
 *
 * @example
 * ```ts
 * pods.watch$({ cursor, timeoutSeconds: 290 }).pipe(idleTimeout({ timeout: 320_000 })).subscribe({
 *   error: (e) => { if (e instanceof IdleTimeoutError) console.error(`silent for ${e.timeout} ms`); },
 * });
 * ```
 * @since 0.1.0
 */
export class IdleTimeoutError extends KubexError {
  /** The class name, `IdleTimeoutError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'IdleTimeoutError';
  /** The idle window that elapsed without an event, in milliseconds. */
  readonly timeout: number;

  /** @param timeout - the idle window, in milliseconds. */
  constructor(timeout: number) {
    super(`no watch event for ${timeout} ms: the connection is presumed dead`);
    this.timeout = timeout;
  }
}

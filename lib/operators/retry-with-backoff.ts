import { asyncScheduler, defer, retry, tap, throwError, timer, type MonoTypeOperatorFunction, type ObservableInput, type SchedulerLike } from 'rxjs';
import { ExecPluginError } from '../errors/config-errors.js';
import { TransportError } from '../errors/kubex-error.js';
import { IdleTimeoutError, WatchEndedTooSoonError } from '../errors/resilience-errors.js';
import { GoneError, ServiceUnavailableError, StatusError, TooManyRequestsError } from '../errors/status-error.js';
import { checkCount, checkNonNegative } from './validate.js';

/**
 * What {@link RetryWithBackoffConfig.onRetry} is told before each wait.
 * @since 0.1.0
 */
export interface RetryInfo {
  /** 1 for the first retry after a failure, then 2, 3... until the counter resets. */
  readonly attempt: number;
  /** The wait before this retry, in milliseconds (jitter and `Retry-After` applied). */
  readonly delay: number;
  /** The error being retried. */
  readonly error: unknown;
}

/**
 * Options of {@link retryWithBackoff}. The defaults are client-go's reflector backoff
 * (`tools/cache/reflector.go`: 800 ms initial, factor 2, cap 30 s, jitter 1.0, reset after 2 min).
 * @since 0.1.0
 */
export interface RetryWithBackoffConfig {
  /** The wait before the first retry, in ms, before jitter. Default `800`. */
  readonly initialDelay?: number;
  /** The cap of the delay, in ms, before jitter (jitter adds up to `jitter * maxDelay` on top, as in client-go). Default `30_000`. */
  readonly maxDelay?: number;
  /** How much the wait grows per attempt (`>= 1`). Default `2`. */
  readonly factor?: number;
  /**
   * How much random wait is added on top of the delay, as a fraction of it, from `0` (none: exactly the exponential
   * delay) to `1` (uniform between the delay and twice the delay). Default `1`, as client-go's reflector: the wait
   * is in `[delay, delay * (1 + jitter))`, so jitter never shortens it (`wait.Jitter` in k8s.io/apimachinery).
   */
  readonly jitter?: number;
  /**
   * After a subscription of the source has run this many ms without an error, its next failure starts again
   * at attempt 1. Default `120_000`.
   */
  readonly resetAfter?: number;
  /** The most consecutive retries (since the last reset); past it the error passes through. Default `Infinity`. */
  readonly maxRetries?: number;
  /** Which errors to retry. Default {@link isTransientError}. */
  readonly isRetryable?: (error: unknown) => boolean;
  /** The source of randomness for jitter, returning a number in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** The scheduler of the waits and of the reset clock. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Called before each wait, e.g. to report "backing off, attempt N, delay D". If it throws, the output errors with that. */
  readonly onRetry?: (info: RetryInfo) => void;
}

/**
 * Whether an error is worth retrying after a pause: the network failed, the server is overloaded, restarting or
 * failing, or the watch went silent or ended at once. The default of {@link RetryWithBackoffConfig.isRetryable}.
 *
 * Transient: {@link TransportError}, {@link WatchEndedTooSoonError}, {@link IdleTimeoutError},
 * {@link TooManyRequestsError} (429, priority and fairness or an unready watch cache),
 * {@link ServiceUnavailableError}, any {@link StatusError} with code >= 500 (500, 503, 504 "Too large resource
 * version"...), and an {@link ExecPluginError} of a plugin that ran and exited with an error. Not transient: {@link GoneError} (the RV is too old: {@link retryOnGone} relists), 400, 401, 403,
 * 404, 422 (retrying cannot change the answer), decode errors, over-long lines, and any non-kubex error.
 * This follows client-go's reflector (kubernetes-watch-protocol.md §9.2), which backs off and re-watches on 429,
 * 5xx and connection errors.
 *
 * @example
 * ```ts
 * pods.watch$({ cursor }).pipe(retryWithBackoff({ isRetryable: (e) => isTransientError(e) || e instanceof ConflictError }));
 * ```
 * @since 0.1.0
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof GoneError) return false;
  if (error instanceof TransportError || error instanceof WatchEndedTooSoonError || error instanceof IdleTimeoutError) return true;
  if (error instanceof TooManyRequestsError || error instanceof ServiceUnavailableError) return true;
  // An exec credential plugin that ran and failed (its login provider down, say) may well succeed later; one
  // that cannot run or prints garbage will not.
  if (error instanceof ExecPluginError) return error.exitCode !== undefined;
  if (error instanceof StatusError) return error.code === 429 || error.code >= 500;
  return false;
}

/** `retryAfterSeconds` of an error (a StatusError's `details.retryAfterSeconds` or `Retry-After` header), if any. */
function retryAfterMs(error: unknown): number {
  const seconds = typeof error === 'object' && error !== null ? (error as { retryAfterSeconds?: unknown }).retryAfterSeconds : undefined;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/**
 * Retries transient failures (see {@link isTransientError}) with capped exponential backoff and jitter,
 * one resubscription at a time.
 *
 * The wait before attempt `n` is `d * (1 + jitter * random())` with `d = min(maxDelay, initialDelay * factor^(n-1))`,
 * at least the error's `retryAfterSeconds` (429/503/504 `Retry-After`), rounded to the ms: it lies in
 * `[d, d * (1 + jitter))`, exactly client-go's `wait.Jitter(duration, maxFactor)` (k8s.io/apimachinery
 * `pkg/util/wait`: `duration + rand.Float64()*maxFactor*duration`), applied after the cap as in `Backoff.Step`.
 * Jitter spreads the reconnections of many clients after an API server restart instead of a synchronised storm,
 * while `d` stays a floor: no draw of `random` can make a retry come sooner. The attempt counter resets when the failing subscription had run for `resetAfter`
 * ms (client-go's `exponentialBackoffManager` resets after 2 min without a backoff), so a watch that failed once
 * after hours starts again at `initialDelay`, while a flapping one keeps backing off.
 *
 * Emits every source event; completes when a subscription of the source completes; errors at once with a
 * non-retryable error, with a retryable one once `maxRetries` consecutive retries are used up, and with whatever
 * `isRetryable`, `random` or `onRetry` throws. Unsubscribing unsubscribes the current source subscription, or
 * cancels a pending wait. Retries are sequential: the source is resubscribed only after the wait, never while a
 * previous subscription is open, so there is one reconnection in flight at most.
 *
 * @param config - see {@link RetryWithBackoffConfig} (defaults: 800 ms, 30 s cap, factor 2, jitter 1, reset after
 *   2 min, unlimited retries, {@link isTransientError}, `Math.random`, `asyncScheduler`).
 * @throws TypeError - at call time, for a negative or non-numeric option, `factor < 1` or `jitter > 1`.
 * @example
 * ```ts
 * const cursor = new WatchCursor();
 * pods.watch$({ cursor, allowBookmarks: true, timeoutSeconds: 290 })
 *   .pipe(
 *     trackBookmarks(cursor),
 *     retryOnGone(cursor),
 *     reconnectOnTimeout(),
 *     retryWithBackoff({ onRetry: ({ attempt, delay }) => console.warn(`backing off, attempt ${attempt}, ${delay} ms`) }),
 *   )
 *   .subscribe((e) => console.log(e.type));
 * ```
 * @since 0.1.0
 */
export function retryWithBackoff<T>(config: RetryWithBackoffConfig = {}): MonoTypeOperatorFunction<T> {
  const name = 'retryWithBackoff';
  checkNonNegative(name, 'initialDelay', config.initialDelay);
  checkNonNegative(name, 'maxDelay', config.maxDelay);
  checkNonNegative(name, 'factor', config.factor);
  checkNonNegative(name, 'jitter', config.jitter);
  checkNonNegative(name, 'resetAfter', config.resetAfter);
  checkCount(name, 'maxRetries', config.maxRetries);
  if (config.factor !== undefined && config.factor < 1) throw new TypeError(`${name}: factor must be >= 1`);
  if (config.jitter !== undefined && config.jitter > 1) throw new TypeError(`${name}: jitter must be between 0 and 1`);
  const {
    initialDelay = 800,
    maxDelay = 30_000,
    factor = 2,
    jitter = 1,
    resetAfter = 120_000,
    maxRetries = Infinity,
    isRetryable = isTransientError,
    random = Math.random,
    scheduler = asyncScheduler,
    onRetry,
  } = config;

  return (source) =>
    defer(() => {
      // Per subscription of the output: the attempt counter and when the current source subscription started.
      let attempt = 0;
      let subscribedAt = scheduler.now();

      const nextRetry = (error: unknown): ObservableInput<unknown> => {
        try {
          if (scheduler.now() - subscribedAt >= resetAfter) attempt = 0;
          if (attempt >= maxRetries || !isRetryable(error)) return throwError(() => error);
          attempt += 1;
          const exponential = initialDelay * factor ** (attempt - 1); // NaN only for 0 * Infinity
          const capped = Number.isNaN(exponential) ? 0 : Math.min(maxDelay, exponential);
          const r = random();
          const unit = Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0;
          // client-go wait.Jitter: duration + rand * maxFactor * duration, so the delay is a floor, never shortened.
          const delay = Math.round(Math.max(capped * (1 + jitter * unit), retryAfterMs(error)));
          onRetry?.({ attempt, delay, error });
          return timer(delay, scheduler).pipe(tap(() => (subscribedAt = scheduler.now())));
        } catch (thrown) {
          return throwError(() => thrown);
        }
      };

      return source.pipe(retry({ delay: nextRetry }));
    });
}

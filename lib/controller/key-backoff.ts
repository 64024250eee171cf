import { checkNonNegative } from '../operators/validate.js';

/**
 * Options of {@link keyBackoff}. The defaults are client-go's `DefaultItemBasedRateLimiter`
 * (`util/workqueue/default_rate_limiters.go`, `ItemExponentialFailureRateLimiter(5*time.Millisecond, 1000*time.Second)`):
 * 5 ms after the first failure, doubling, capped at 1000 s.
 * @since 0.3.0
 */
export interface KeyBackoffConfig {
  /** The wait after the first failure of a key, in ms. Default `5`. */
  readonly baseDelay?: number;
  /** How much the wait grows per consecutive failure (`>= 1`). Default `2`. */
  readonly factor?: number;
  /** The cap of the wait, in ms. Default `1_000_000` (1000 s). */
  readonly maxDelay?: number;
}

/**
 * The wait before retrying a key after `failures` consecutive failures (`failures >= 1`), in ms.
 * @since 0.3.0
 */
export type KeyBackoff = (failures: number) => number;

/**
 * Per-key exponential backoff: `min(maxDelay, baseDelay * factor^(failures - 1))`, without jitter (as client-go's
 * item limiter: the retries of one key are already spread by when each key failed).
 *
 * Pure: the failure count lives in the queue, per key, and is reset by a success (client-go's `Forget`).
 *
 * @throws TypeError - at call time, for a negative or non-numeric option, or `factor < 1`.
 * @example
 * ```ts
 * const backoff = keyBackoff({ baseDelay: 100, maxDelay: 60_000 });
 * backoff(1); // 100
 * backoff(3); // 400
 * ```
 * @since 0.3.0
 */
export function keyBackoff(config: KeyBackoffConfig = {}): KeyBackoff {
  const name = 'keyBackoff';
  checkNonNegative(name, 'baseDelay', config.baseDelay);
  checkNonNegative(name, 'factor', config.factor);
  checkNonNegative(name, 'maxDelay', config.maxDelay);
  if (config.factor !== undefined && config.factor < 1) throw new TypeError(`${name}: factor must be >= 1`);
  const { baseDelay = 5, factor = 2, maxDelay = 1_000_000 } = config;
  return (failures) => {
    const exponent = Math.max(0, Math.floor(failures) - 1);
    // client-go guards the float overflow the same way (`if backoff > math.MaxInt64 { return maxDelay }`).
    const delay = baseDelay * factor ** exponent;
    return Number.isFinite(delay) ? Math.min(maxDelay, delay) : maxDelay;
  };
}

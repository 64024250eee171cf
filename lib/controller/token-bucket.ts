/**
 * Token buckets keyed by string, on an injectable clock: the rate limit of the event recorder.
 *
 * Follows client-go `tools/record/events_cache.go` (`EventSourceObjectSpamFilter`: one `flowcontrol` token bucket
 * per source+object key, `defaultSpamBurst = 25`, `defaultSpamQPS = 1/300`, i.e. 25 events at once and then one
 * every 5 minutes per object) but computes tokens lazily from the clock (no goroutine, no timer), so it runs in
 * virtual time, and forgets buckets that have refilled, so memory stays bounded by the recently active keys.
 */

/** Options of a {@link TokenBuckets}. @internal */
export interface TokenBucketOptions {
  /** Tokens a new (or fully refilled) bucket holds: how many writes may go at once. */
  readonly burst: number;
  /** Milliseconds to refill one token. */
  readonly refillMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per key, refilled lazily from the times passed in. @internal */
export class TokenBuckets {
  readonly #burst: number;
  readonly #refillMs: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: TokenBucketOptions) {
    if (!(options.burst >= 1) || !(options.refillMs > 0)) throw new TypeError('TokenBuckets: burst must be at least 1 and refillMs above 0');
    this.#burst = options.burst;
    this.#refillMs = options.refillMs;
  }

  #refilled(key: string, now: number): Bucket {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    const tokens = Math.min(this.#burst, bucket.tokens + Math.max(0, now - bucket.at) / this.#refillMs);
    return { tokens, at: now };
  }

  /** Takes one token of `key` if there is one (`true`), else leaves the bucket as it is (`false`). */
  take(key: string, now: number): boolean {
    const bucket = this.#refilled(key, now);
    if (bucket.tokens < 1) {
      this.#buckets.set(key, bucket);
      return false;
    }
    bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    return true;
  }

  /** Milliseconds from `now` until `key` has a token (0 when it has one). */
  waitMs(key: string, now: number): number {
    const bucket = this.#refilled(key, now);
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) * this.#refillMs);
  }

  /** Forgets the buckets that are full again at `now` (a new bucket starts full: nothing is lost). */
  sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) / this.#refillMs >= this.#burst) this.#buckets.delete(key);
    }
  }

  /** How many keys have a bucket that is not full (for tests and metrics). */
  get size(): number {
    return this.#buckets.size;
  }
}

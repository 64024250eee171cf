import { Observable, asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * Options of a {@link ReconnectBudget} (`createClient({ reconnectBudget })`).
 * @since 0.3.0
 */
export interface ReconnectBudgetOptions {
  /** Watch requests allowed per second once the burst is spent (the bucket's refill rate). Default `10`. */
  readonly perSecond?: number;
  /** Watch requests allowed at once (the bucket's size; it starts full). Default `20`. */
  readonly burst?: number;
  /**
   * A request that has to wait also pays a random fraction in `[0, jitter)` of one token, so that its wait is
   * lengthened by up to `jitter / perSecond` seconds: waiters do not wake on a fixed grid, and the bound still holds
   * exactly (the jitter is charged to the budget). Default `0.5`; `0` waits on the grid.
   */
  readonly jitter?: number;
  /** The scheduler of the waits (tests pass a `TestScheduler`). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** The default refill rate: 10 watch requests per second. See {@link ReconnectBudget} for the reasoning. */
const DEFAULT_PER_SECOND = 10;
/** The default burst: 20 watch requests at once. */
const DEFAULT_BURST = 20;
const DEFAULT_JITTER = 0.5;

/**
 * One budget of watch (re)connections for a client: a token bucket that every watch request of the client takes a
 * token from before it is sent. At most `burst + perSecond · t` watch requests start in any window of `t` seconds,
 * so when an API server restart drops 200 informers' connections at once they come back at a bounded rate instead
 * of in one burst. Other requests (lists, gets, writes) are not gated.
 *
 * Follows client-go's client-side rate limiter (`k8s.io/client-go/util/flowcontrol` `NewTokenBucketRateLimiter`,
 * a `golang.org/x/time/rate.Limiter` whose `Wait` reserves a future token and returns it when the context is
 * cancelled). Differences: client-go's limiter (QPS 5, burst 10 by default) gates every request of a client; this
 * one gates only watch requests, whose reconnect storms are the danger for a long-running process, so lists and
 * writes are never delayed by it. A waiter's wait is jittered (paid from the budget, so the bound is exact), and
 * waiting is a cold Observable: nothing is reserved before subscription, and unsubscribing while waiting gives the
 * reservation back (no token is taken).
 *
 * Defaults (`perSecond: 10`, `burst: 20`) never delay one informer: its fastest legitimate reconnect pattern is an
 * immediate re-watch after the server's timeout (every 300–600 s), relists at most once a second after
 * `retryOnGone`'s floor, and backoff from 800 ms, so it starts at most ~1.25 watches per second with short runs of
 * 2–3; a controller's 10–20 informers can even start together without waiting. Yet 200 informers dropped at once
 * take ~20 s to come back (20 at once, then ~8 per second with the default jitter), a load an API server that has
 * just restarted and is refilling its watch cache can absorb.
 *
 * @example
 * ```ts
 * const client = await createClient({ reconnectBudget: { perSecond: 5, burst: 10 } });
 * ```
 * @since 0.3.0
 */
export class ReconnectBudget {
  /** Tokens added per second. */
  readonly perSecond: number;
  /** The bucket's size. */
  readonly burst: number;
  /** The fraction of a token a waiter pays on top of its own, at most. */
  readonly jitter: number;
  readonly #scheduler: SchedulerLike;
  readonly #random: () => number;
  /** Tokens at `#last`; negative while reservations wait for tokens not yet refilled. */
  #tokens: number;
  #last: number;

  constructor(options: ReconnectBudgetOptions = {}) {
    const { perSecond = DEFAULT_PER_SECOND, burst = DEFAULT_BURST, jitter = DEFAULT_JITTER } = options;
    if (!(typeof perSecond === 'number' && Number.isFinite(perSecond) && perSecond > 0)) throw new TypeError('reconnectBudget: perSecond must be a finite number > 0');
    if (!(Number.isInteger(burst) && burst >= 1)) throw new TypeError('reconnectBudget: burst must be an integer >= 1');
    if (!(typeof jitter === 'number' && jitter >= 0 && jitter <= 1)) throw new TypeError('reconnectBudget: jitter must be a number in [0, 1]');
    this.perSecond = perSecond;
    this.burst = burst;
    this.jitter = jitter;
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#random = options.random ?? Math.random;
    this.#tokens = burst;
    this.#last = this.#scheduler.now();
  }

  /** The tokens available now (negative while requests wait). For diagnostics and tests. */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /**
   * Waits for a token: a cold Observable that, at subscription, reserves one and emits how many milliseconds it
   * waited (`0`, synchronously, when a token was there), then completes. Unsubscribing before it emits gives the
   * reservation back.
   */
  take$(): Observable<number> {
    return new Observable<number>((subscriber) => {
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        subscriber.next(0);
        subscriber.complete();
        return undefined;
      }
      // Reserve now (x/time/rate's reserveN): the token count goes negative and this waiter's turn is when the
      // refill brings it back to zero. The jitter is paid like a token, so later waiters queue behind it.
      const cost = 1 + this.jitter * this.#random();
      this.#tokens -= cost;
      const wait = Math.ceil((-this.#tokens / this.perSecond) * 1000);
      let done = false;
      const action = this.#scheduler.schedule(() => {
        done = true;
        subscriber.next(wait);
        subscriber.complete();
      }, wait);
      return () => {
        action.unsubscribe();
        if (done) return;
        // Cancelled while waiting: give the reservation back (Reservation.Cancel); later waiters keep their turn,
        // so the token goes to the next request that comes.
        this.#refill();
        this.#tokens = Math.min(this.burst, this.#tokens + cost);
      };
    });
  }

  #refill(): void {
    const now = this.#scheduler.now();
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.perSecond) / 1000);
  }
}

/**
 * `source` once the budget gives a token (at once with none): cold, and cancellable while waiting. `onWait` is
 * told how long a request waited, when it did.
 * @internal
 */
export function withBudget<T>(budget: ReconnectBudget | undefined, source: Observable<T>, onWait: (ms: number) => void): Observable<T> {
  if (budget === undefined) return source;
  return new Observable<T>((subscriber) => {
    let inner: { unsubscribe(): void } | undefined;
    const wait = budget.take$().subscribe((ms) => {
      if (ms > 0) onWait(ms);
      inner = source.subscribe(subscriber);
    });
    return () => {
      wait.unsubscribe();
      inner?.unsubscribe();
    };
  });
}

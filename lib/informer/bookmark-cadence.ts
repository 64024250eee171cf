import { Observable, asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { BOOKMARK_INTERVALS, DEFAULT_MARGIN_SECONDS, idleTimeoutFor } from '../operators/idle-timeout.js';
import { checkNonNegative, checkPositive } from '../operators/validate.js';
import { isInitialEventsEnd, type WatchEvent } from '../watch/watch-event.js';

/**
 * Options of {@link BookmarkCadence}. Times in milliseconds, except `timeoutSeconds`.
 * @since 0.3.0
 */
export interface BookmarkCadenceOptions {
  /**
   * The watches' `timeoutSeconds` (the longest, when it varies); `0` or omitted: the server's default, at most
   * 3600 s. The idle window never exceeds what it implies ({@link idleTimeoutFor} without bookmarks): a stream
   * silent for longer than the server keeps it open is dead whatever the cadence.
   */
  readonly timeoutSeconds?: number;
  /** The idle window before any interval is measured. Default: {@link idleTimeoutFor} with the ~60 s bookmarks of a real server. */
  readonly initialWindow?: number;
  /** The idle window is never shorter. Default `60_000`. */
  readonly minWindow?: number;
  /** Slack added to three measured intervals. Default `30_000` (as {@link idleTimeoutFor}'s margin). */
  readonly margin?: number;
  /** How many recent intervals the estimate is the largest of. Default `5`. */
  readonly samples?: number;
  /** The clock. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

const DEFAULT_MIN_WINDOW = 60_000;
/** The same slack as {@link idleTimeoutFor}'s, in ms. */
const DEFAULT_MARGIN = DEFAULT_MARGIN_SECONDS * 1000;
const DEFAULT_SAMPLES = 5;

/**
 * Measures the bookmark interval a server actually keeps and derives a watch's idle window from it, for
 * {@link idleTimeout}`({ timeout: () => cadence.idleWindow })`. The informer uses one per subscription session and
 * shows the measurement as `bookmarkInterval` on its `watching` state.
 *
 * What a server does (kubernetes-watch-protocol.md §3.2; k8s.io/apiserver `pkg/storage/cacher/cache_watcher.go`
 * `nextBookmarkTime`, `cacher.go` `defaultBookmarkFrequency` and `dispatchEvents`): kube-apiserver's watch cache
 * schedules each watcher's next bookmark one minute after the last, or 2 s before the watch's deadline if that
 * comes first, checks the schedule about once a second (±25 %), and sends one only when the cache's resourceVersion
 * has moved past the watcher's. Other API servers (aggregated ones, proxies, test servers) keep their own cadence,
 * or none, and the docs promise no interval at all.
 *
 * How it measures: the time between two consecutive periodic BOOKMARKs on one connection (the initial-events-end
 * bookmark, sent as soon as the initial state is out, is not periodic; a reconnection starts over). The estimate is
 * the largest of the last `samples` intervals: the idle window must cover the longest gap a healthy connection
 * shows, so it follows a slower server at once and a faster one only after `samples` faster intervals (the short
 * pre-deadline interval never lowers it alone).
 *
 * The window: `min(ceiling, max(minWindow, 3 × interval + margin))`, the ceiling being the watch's
 * `timeoutSeconds` plus the margin; `initialWindow` until an interval is measured. Against a real server (60 s)
 * that is 210 s, today's fixed default; a server that bookmarks every 2 minutes gets 390 s instead of false stalls
 * every 210 s; one that bookmarks every 5 s gets the 60 s floor (three intervals plus 30 s would be 45 s: below a
 * minute a false alarm from a GC pause or a busy event loop costs more than finding a dead connection sooner saves).
 *
 * @example
 * ```ts
 * const cadence = new BookmarkCadence({ timeoutSeconds: 290 });
 * pods.watch$({ cursor, allowBookmarks: true, timeoutSeconds: 290 })
 *   .pipe(cadence.measure(), trackBookmarks(cursor), idleTimeout({ timeout: () => cadence.idleWindow }), reconnectOnTimeout(), retryWithBackoff())
 *   .subscribe();
 * ```
 * @since 0.3.0
 */
export class BookmarkCadence {
  readonly #scheduler: SchedulerLike;
  readonly #samples: number;
  readonly #initial: number;
  readonly #min: number;
  readonly #max: number;
  readonly #margin: number;
  /** The last intervals, oldest first (ms). */
  readonly #recent: number[] = [];
  /** When the last periodic bookmark of the current connection came; `undefined` before one, or after a reconnection. */
  #last: number | undefined;

  constructor(options: BookmarkCadenceOptions = {}) {
    checkNonNegative('BookmarkCadence', 'timeoutSeconds', options.timeoutSeconds);
    checkPositive('BookmarkCadence', 'initialWindow', options.initialWindow);
    checkPositive('BookmarkCadence', 'minWindow', options.minWindow);
    checkNonNegative('BookmarkCadence', 'margin', options.margin);
    if (options.samples !== undefined && !(Number.isInteger(options.samples) && options.samples >= 1)) {
      throw new TypeError('BookmarkCadence: samples must be an integer >= 1');
    }
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#samples = options.samples ?? DEFAULT_SAMPLES;
    this.#margin = options.margin ?? DEFAULT_MARGIN;
    this.#max = idleTimeoutFor({ timeoutSeconds: options.timeoutSeconds ?? 0, margin: this.#margin / 1000 });
    this.#min = Math.min(options.minWindow ?? DEFAULT_MIN_WINDOW, this.#max);
    this.#initial = options.initialWindow ?? idleTimeoutFor({ timeoutSeconds: options.timeoutSeconds ?? 0, bookmarkIntervalSeconds: 60 });
  }

  /** The measured bookmark interval in ms (the largest of the recent ones), or `undefined` before the first one. */
  get interval(): number | undefined {
    return this.#recent.length === 0 ? undefined : Math.max(...this.#recent);
  }

  /** The idle window for the next silence, in ms (see the class description). */
  get idleWindow(): number {
    const interval = this.interval;
    if (interval === undefined) return this.#initial;
    return Math.min(this.#max, Math.max(this.#min, BOOKMARK_INTERVALS * interval + this.#margin));
  }

  /** A new connection starts: the next bookmark opens a new interval instead of closing one. */
  connected(): void {
    this.#last = undefined;
  }

  /** Takes one event of the current connection into account; `true` when the measured interval changed. */
  observe(event: WatchEvent<unknown>): boolean {
    if (event.type !== 'BOOKMARK' || isInitialEventsEnd(event)) return false;
    const now = this.#scheduler.now();
    const last = this.#last;
    this.#last = now;
    if (last === undefined) return false;
    const before = this.interval;
    this.#recent.push(now - last);
    if (this.#recent.length > this.#samples) this.#recent.shift();
    return this.interval !== before;
  }

  /**
   * An operator to put right after the watch (before any retry), so that each of its subscriptions is one
   * connection: calls {@link BookmarkCadence.connected} at subscription and {@link BookmarkCadence.observe} for every
   * event, and `onChange` with the new interval whenever the measurement changes. Emits what the source emits.
   */
  measure<T>(onChange?: (interval: number) => void): MonoTypeOperatorFunction<WatchEvent<T>> {
    return (source) =>
      new Observable<WatchEvent<T>>((subscriber) => {
        this.connected();
        return source.subscribe({
          next: (event) => {
            if (this.observe(event) && onChange) onChange(this.interval!);
            subscriber.next(event);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
      });
  }
}

/**
 * `{ bookmarkInterval }` for an informer's `watching` state once `cadence` has measured one, else `{}`.
 * @internal
 */
export function bookmarkIntervalOf(cadence: BookmarkCadence | undefined): { readonly bookmarkInterval?: number } {
  const interval = cadence?.interval;
  return interval === undefined ? {} : { bookmarkInterval: interval };
}

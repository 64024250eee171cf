/**
 * A stand-in for an `Api` in marble tests of a user's pipeline (`kubex-rx/testing`): `watch$` and `list$` play the
 * cold Observables a test gives (from its `TestScheduler`), one per request, and record each request as the real
 * `watch$` would build it. No HTTP and no fetch: the user's pipeline alone, in virtual time.
 *
 * Faithful where a pipeline can tell the difference: options are validated at call time (the same `TypeError`s);
 * the cursor is read at each subscription through `WatchCursor.read()` (so `retryOnGone`'s misuse check sees a
 * source that follows the cursor) and the recorded query is the one the real `watch$` would send; `onConnected`
 * is called when the stream says the server answered; an object marked {@link rejected} is refused as the codec
 * would refuse it. Go tests drive a watch imperatively (k8s.io/apimachinery `watch.NewFake()`: `Add`, `Modify`,
 * `Delete`, `Error`, which client-go's fake clientsets hand out); marbles put every event, error and reconnection
 * of every request on one virtual clock, and the stub records what each request asked, which is what reconnection
 * logic needs to be tested.
 */
import { defer, filter, type Observable, type SchedulerLike } from 'rxjs';
import type { ListOptions, ObjectList } from '../../api/list.js';
import { validateWatchOptions, watchQuery, type WatchOptions } from '../../api/watch-options.js';
import { DecodeError } from '../../errors/kubex-error.js';
import type { InformerSource } from '../../informer/informer-source.js';
import type { Resource } from '../../resource/define-resource.js';
import { ON_REJECTED_OBJECT, rejectedObject } from '../../watch/rejected-object.js';
import type { CursorPosition } from '../../watch/watch-cursor.js';
import type { WatchEvent } from '../../watch/watch-event.js';

/**
 * The marker a stub watch stream emits where the server's response headers arrive (HTTP 200): the
 * {@link StubApi} calls the request's `onConnected` there and does not pass the marker on. See {@link connected}.
 * @since 0.3.0
 */
export interface StubConnected {
  /** Always `kubex-rx/testing:connected`. */
  readonly type: 'kubex-rx/testing:connected';
}

const CONNECTED: StubConnected = Object.freeze({ type: 'kubex-rx/testing:connected' });

/**
 * The "server answered 200" marker of a {@link StubApi} watch stream: place it in the marble where the headers
 * arrive (usually first: `cold('c-a-b', { c: connected(), ... })`). Without it, `onConnected` is never called, as
 * for a server that never answers; the informer then stays `connecting` until an event comes.
 * @since 0.3.0
 */
export function connected(): StubConnected {
  return CONNECTED;
}

/** What a stub watch stream may emit: events, and the {@link connected} marker. @since 0.3.0 */
export type StubWatchStream<T> = Observable<WatchEvent<T> | StubConnected>;

/** The errors of events marked by {@link rejected}. */
const rejections = new WeakMap<object, readonly string[]>();

/**
 * Marks an event whose object the resource's codec "rejects" (a custom resource stored before a schema change, a
 * field typed wrongly): the {@link StubApi} handles it as the real `watch$` handles such a line, failing the stream
 * with a `DecodeError` (whose `errors` are the given io-ts messages) or, under an informer with
 * `decodeErrors: 'skip'`, leaving the object out and reporting it. Returns a marked copy; the event is unchanged.
 * @since 0.3.0
 */
export function rejected<E extends WatchEvent<unknown>>(event: E, errors: readonly string[] = ['spec: invalid value']): E {
  const copy = { ...event };
  rejections.set(copy, [...errors]);
  return copy;
}

/**
 * One watch request of a {@link StubApi}: one per subscription of a `watch$` Observable (a `retry` resubscribes:
 * a new request), recorded at subscription, as the real `watch$` builds its request then.
 * @since 0.3.0
 */
export interface WatchCall {
  /** Virtual time (`scheduler.now()`) of the subscription. */
  readonly at: number;
  /** The options `watch$` was called with. */
  readonly options: WatchOptions;
  /** What `options.cursor` said at subscription (`undefined` without a cursor). */
  readonly cursor: CursorPosition | undefined;
  /** The `resourceVersion` the request asks for (from the cursor or the options), as the real `watch$` sends it. */
  readonly resourceVersion: string | undefined;
  /** The `sendInitialEvents` sent: `true` for a watch-list (and whenever the cursor requires the initial state). */
  readonly sendInitialEvents: boolean | undefined;
  /** The whole query string the real `watch$` would send (`watch`, `allowWatchBookmarks`, `timeoutSeconds`, ...). */
  readonly query: Readonly<Record<string, string>>;
}

/**
 * One list request of a {@link StubApi}, recorded at subscription.
 * @since 0.3.0
 */
export interface ListCall {
  /** Virtual time of the subscription. */
  readonly at: number;
  /** The options `list$` was called with. */
  readonly options: ListOptions;
}

/**
 * Options of {@link StubApi}.
 * @since 0.3.0
 */
export interface StubApiOptions<T> {
  /** The resource watched and listed (an informer reads its kind and scope). */
  readonly resource: Resource<T>;
  /** The test's scheduler (a `TestScheduler`): the clock of the recorded `at`. */
  readonly scheduler: SchedulerLike;
  /**
   * What each watch request plays, in order: the first subscription plays `watches[0]`, and so on. A request past
   * the end errors (a test that did not expect it should fail visibly). End a stream with `|` for a server that
   * closed the watch, `#` with an error for a failure (e.g. a `GoneError`).
   */
  readonly watches?: readonly StubWatchStream<T>[];
  /** What each list request plays, in order (see `objectList`); a request past the end errors. */
  readonly lists?: readonly Observable<ObjectList<T>>[];
  /** The stub's default namespace, as `Api.namespace` (the informer names it in its log lines). */
  readonly namespace?: string;
}

/**
 * A marble-driven `InformerSource`: give it to your own pipeline or to `new Informer(stub, ...)` in place of an
 * `Api`, then assert on {@link StubApi.watchCalls} and {@link StubApi.listCalls}.
 *
 * @example
 * ```ts
 * const stub = new StubApi({ resource: widgets, scheduler, watches: [cold('c-a-#', { c: connected(), a: added(widget('a', '5')) }, gone)] });
 * ```
 * @since 0.3.0
 */
export class StubApi<T> implements InformerSource<T> {
  /** Every watch request so far, in order. */
  readonly watchCalls: WatchCall[] = [];
  /** Every list request so far, in order. */
  readonly listCalls: ListCall[] = [];
  /** The resource given in the options. */
  readonly resource: Resource<T>;
  /** The default namespace given in the options, if any (as `Api.namespace`). */
  readonly namespace?: string;
  readonly #scheduler: SchedulerLike;
  readonly #watches: readonly StubWatchStream<T>[];
  readonly #lists: readonly Observable<ObjectList<T>>[];

  /** A stub that plays `options.watches` and `options.lists`, one per request, on `options.scheduler`'s clock. */
  constructor(options: StubApiOptions<T>) {
    this.resource = options.resource;
    if (options.namespace !== undefined) this.namespace = options.namespace;
    this.#scheduler = options.scheduler;
    this.#watches = options.watches ?? [];
    this.#lists = options.lists ?? [];
  }

  /**
   * Plays the next watch stream at each subscription. Throws the real `watch$`'s `TypeError` at once for options
   * that can never work (e.g. `cursor` with `resourceVersion`).
   */
  watch$(options: WatchOptions = {}): Observable<WatchEvent<T>> {
    validateWatchOptions(options, this.resource.namespaced);
    return defer(() => {
      const n = this.watchCalls.length;
      // watchQuery reads the cursor with cursor.read(), exactly as the real watch$ does at subscription.
      const query = Object.fromEntries(watchQuery(options));
      const cursor = options.cursor === undefined ? undefined : { resourceVersion: options.cursor.resourceVersion, initialEventsRequired: options.cursor.initialEventsRequired };
      const sendInitialEvents = query['sendInitialEvents'] === undefined ? undefined : query['sendInitialEvents'] === 'true';
      this.watchCalls.push({ at: this.#scheduler.now(), options, cursor, resourceVersion: query['resourceVersion'], sendInitialEvents, query });
      const stream = this.#watches[n];
      if (stream === undefined) throw new Error(`StubApi: unexpected watch request #${n + 1} at ${this.#scheduler.now()} ms (${this.#watches.length} given)`);
      const onRejected = options[ON_REJECTED_OBJECT];
      return stream.pipe(
        filter((value): value is WatchEvent<T> => {
          if (value === CONNECTED) {
            options.onConnected?.();
            return false;
          }
          const errors = rejections.get(value);
          if (errors === undefined) return true;
          const event = value as WatchEvent<T>;
          const error = new DecodeError(`${event.type} event object does not match ${this.resource.codec.name}`, JSON.stringify(event), errors);
          if (onRejected === undefined) throw error;
          onRejected(rejectedObject(event.type as 'ADDED' | 'MODIFIED' | 'DELETED', event.object, error));
          return false;
        }),
      );
    });
  }

  /** Plays the next list answer at each subscription. */
  list$(options: ListOptions = {}): Observable<ObjectList<T>> {
    return defer(() => {
      const n = this.listCalls.length;
      this.listCalls.push({ at: this.#scheduler.now(), options });
      const answer = this.#lists[n];
      if (answer === undefined) throw new Error(`StubApi: unexpected list request #${n + 1} at ${this.#scheduler.now()} ms (${this.#lists.length} given)`);
      return answer;
    });
  }
}

import {
  BehaviorSubject, Observable, Subject, asyncScheduler, catchError, concat, defer, from, mergeMap, of, tap, throwError,
  type SchedulerLike, type Subscription,
} from 'rxjs';
import type { InformerObject, InformerSource } from './informer-source.js';
import type { Log } from '../client/log.js';
import { errorText, informerLog } from './informer-log.js';
import { validateWatchOptions, type WatchOptions } from '../api/watch-options.js';
import { DecodeError } from '../errors/kubex-error.js';
import { IdleTimeoutError } from '../errors/resilience-errors.js';
import { GoneError, InvalidError } from '../errors/status-error.js';
import { idleTimeout, idleTimeoutFor } from '../operators/idle-timeout.js';
import { reconnectOnTimeout } from '../operators/reconnect-on-timeout.js';
import { retryOnGone } from '../operators/retry-on-gone.js';
import { isTransientError, retryWithBackoff, type RetryWithBackoffConfig } from '../operators/retry-with-backoff.js';
import { trackBookmarks } from '../operators/track-bookmarks.js';
import { ObjectStore, objectKey } from '../store/object-store.js';
import { LineTooLongError } from '../stream/line-too-long-error.js';
import { InvalidUtf8Error } from '../stream/invalid-utf8-error.js';
import { INITIAL_EVENTS_END_ANNOTATION } from '../watch/codecs.js';
import { ON_REJECTED_OBJECT, type RejectedObject } from '../watch/rejected-object.js';
import { WatchCursor } from '../watch/watch-cursor.js';
import { expectInitialEventsEnd } from './expect-initial-events-end.js';
import { isInitialEventsEnd, type BookmarkEvent, type WatchEvent } from '../watch/watch-event.js';

export type { InformerObject, InformerSource } from './informer-source.js';

/**
 * Options of {@link Informer} (`api.informer(options)`).
 * @since 0.1.0
 */
export interface InformerOptions extends Pick<WatchOptions, 'namespace' | 'labelSelector' | 'fieldSelector' | 'maxLineBytes'> {
  /**
   * `timeoutSeconds` of each watch request. Default: a random whole number in [300, 600) per request, as
   * client-go's reflector does, so many clients do not reconnect in step.
   */
  readonly timeoutSeconds?: number;
  /** Backoff for transient failures; defaults are client-go's (800 ms doubling to 30 s, jitter, reset after 2 min). */
  readonly backoff?: Omit<RetryWithBackoffConfig, 'scheduler' | 'onRetry' | 'isRetryable'>;
  /**
   * Reconnect when no event or bookmark arrives for this many ms. Default: {@link idleTimeoutFor} the watch's
   * timeout with ~60 s bookmarks. `false` turns idle detection off.
   */
  readonly idleTimeout?: number | false;
  /**
   * How long (ms without any event) to wait for the `k8s.io/initial-events-end` bookmark of a watch-list before
   * concluding that the server ignores `sendInitialEvents` and falling back to list + watch. Default 30 000.
   * (A server that rejects `sendInitialEvents` with 422 is detected at once.)
   */
  readonly initialSyncTimeout?: number;
  /**
   * After falling back to list + watch (a 422 on `sendInitialEvents`, or a server that ignored it), how long (ms)
   * before the next relist tries a watch-list again: a server may be upgraded, or get its WatchList feature gate
   * turned on, under a long-running process. Default 600 000 (10 min). `Infinity` never re-probes.
   *
   * client-go's reflector re-probes on every relist (`ListAndWatchWithContext` tries `watchList` each time
   * `UseWatchList` is set and falls back per call). Here a probe of a server that ignores `sendInitialEvents`
   * can delay a relist by up to `initialSyncTimeout`, so probes are spaced out; relists are rare in list + watch
   * mode (410 Gone, bad lines), so this costs little either way. Transient failures (500, network) never cause
   * the fallback.
   * @since 0.3.0
   */
  readonly watchListReprobeInterval?: number;
  /**
   * What an object the resource's codec rejects does (a custom resource stored before a schema change, a field the
   * generated model types wrongly):
   *
   * - `skip` (default, since 0.3.0): that version is left out of the store (an older valid version of it is
   *   removed, with a DELETED on `events$`), the store syncs without it, and it is reported on
   *   {@link Informer.rejected$} and {@link Informer.rejected} (key, resourceVersion, io-ts path messages) and
   *   logged as a warning. A later valid version enters the store normally. No relist, so no loop: one bad object
   *   costs one report per time the server sends it.
   * - `relist` (the default before 0.3.0): back off and relist, as client-go does on a decode error. A bad object
   *   that stays in storage makes every relist fail: the informer never syncs.
   * - `fail`: end the informer with the `DecodeError`.
   *
   * A line that is not a watch event at all (not JSON, no `{type, object}`, an unknown type, a BOOKMARK without
   * resourceVersion, too long, not UTF-8) is not one object: which object it was, and whether the stream can be
   * trusted after it, is unknown. It backs off and relists with `skip` and `relist`, and fails with `fail`.
   */
  readonly decodeErrors?: 'skip' | 'relist' | 'fail';
  /** The scheduler of every timer (tests pass a `TestScheduler`). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Random numbers in [0, 1) for timeouts and jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Where an informer is. Every state says whether the store has held the complete state at least once (`synced`).
 *
 * - `idle`: nobody is subscribed; no connection.
 * - `connecting`: a watch (or list) request is on its way.
 * - `syncing`: the initial state is arriving (first connection, or a relist after 410 Gone).
 * - `watching`: in sync, following live changes.
 * - `backingOff`: a transient failure; the next attempt comes after `delay` ms.
 * - `stalled`: the connection went silent (no event or bookmark for the idle timeout); reconnecting after `delay`.
 * - `failed`: an unrecoverable error (401, 403, 404, a decode error with `decodeErrors: 'fail'`); the informer
 *   stopped and its Observables errored.
 *
 * @since 0.1.0
 */
export type InformerState =
  | {
      /** Nobody is subscribed; no connection. */
      readonly phase: 'idle';
      /** Whether the store has held the complete state at least once. */
      readonly synced: false;
    }
  | {
      /** A request is on its way (`connecting`), or the initial state is arriving (`syncing`). */
      readonly phase: 'connecting' | 'syncing';
      /** Whether the store has held the complete state at least once. */
      readonly synced: boolean;
    }
  | {
      /** In sync, following live changes. */
      readonly phase: 'watching';
      /** Always true while watching. */
      readonly synced: true;
      /** The resourceVersion the store is at (opaque). */
      readonly resourceVersion: string | undefined;
    }
  | {
      /** Waiting before the next attempt after a transient failure (`backingOff`) or a silent connection (`stalled`). */
      readonly phase: 'backingOff' | 'stalled';
      /** Whether the store has held the complete state at least once. */
      readonly synced: boolean;
      /** 1 for the first retry after a failure, then 2, 3... until the backoff resets. */
      readonly attempt: number;
      /** Milliseconds until the next attempt. */
      readonly delay: number;
      /** What went wrong. */
      readonly error: unknown;
    }
  | {
      /** Stopped by an unrecoverable error; the informer's Observables errored with it. */
      readonly phase: 'failed';
      /** Whether the store had held the complete state at least once. */
      readonly synced: boolean;
      /** The error that ended it. */
      readonly error: unknown;
    };

/** One life of the shared connection: from the first subscriber to the last, or to a terminal error. */
interface Session<T extends InformerObject> {
  readonly store: ObjectStore<T>;
  readonly events: Subject<WatchEvent<T>>;
  readonly stores: Subject<ReadonlyMap<string, T>>;
  readonly states: BehaviorSubject<InformerState>;
  readonly rejections: Subject<RejectedObject>;
  /** The objects left out by `decodeErrors: 'skip'` since the last relist began, by key. */
  readonly rejected: Map<string, RejectedObject>;
  /** The last store$ value, kept while the store is unchanged (a copy is O(objects)); `undefined` when stale. */
  snapshot: ReadonlyMap<string, T> | undefined;
  refs: number;
  connection: Subscription | undefined;
}

const IDLE: InformerState = { phase: 'idle', synced: false };

/**
 * A resilient, shared watch of one resource type with a local store: the recommended way to follow a cluster.
 *
 * The first subscriber to any of its Observables opens one watch; later subscribers share it (ref-counted) and the
 * last unsubscribe closes it and forgets the store. Inside, each connection follows the recommended pipeline:
 * a watch-list (`sendInitialEvents`, bookmarks on, random `timeoutSeconds`), {@link trackBookmarks} into a fresh
 * {@link WatchCursor}, {@link idleTimeout}, {@link retryOnGone} (relist after 410), {@link reconnectOnTimeout}
 * (resume from the last bookmark when the server closes the stream) and {@link retryWithBackoff} for transient
 * failures. A server that rejects `sendInitialEvents` (422: WatchList disabled, or older than 1.27) or ignores it
 * is served by list + watch instead (a watch-list is tried again at the first relist after `watchListReprobeInterval`).
 *
 * Recoverable trouble is never an Rx error: it shows on {@link Informer.state$}. Only unrecoverable errors
 * (401, 403, 404, 400, 422 other than the WatchList rejection, decode errors with `decodeErrors: 'fail'`) end
 * `events$` and `store$` with an error and `state$` with a `failed` state.
 *
 * @example
 * ```ts
 * const informer = pods.informer({ labelSelector: 'app=web' });
 * informer.store$.subscribe((pods) => console.log(pods.size, 'pods'));
 * informer.state$.subscribe((state) => console.log(state.phase));
 * ```
 * @since 0.1.0
 */
export class Informer<T extends InformerObject> {
  readonly #api: InformerSource<T>;
  readonly #options: InformerOptions;
  /** The client's log, each line prefixed with what this informer follows. */
  readonly #log: Log;
  #session: Session<T> | undefined;
  /** The `failed` state of the last session, kept for {@link Informer.state} until a new session starts. */
  #lastFailure: InformerState | undefined;

  constructor(api: InformerSource<T>, options: InformerOptions = {}) {
    validateWatchOptions(
      { namespace: options.namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, timeoutSeconds: options.timeoutSeconds, maxLineBytes: options.maxLineBytes },
      api.resource.namespaced,
    );
    if (options.initialSyncTimeout !== undefined && !(options.initialSyncTimeout > 0)) throw new TypeError('informer: initialSyncTimeout must be positive');
    if (options.watchListReprobeInterval !== undefined && !(options.watchListReprobeInterval > 0)) {
      throw new TypeError('informer: watchListReprobeInterval must be positive (Infinity never re-probes)');
    }
    if (options.idleTimeout !== undefined && options.idleTimeout !== false && !(options.idleTimeout > 0)) {
      throw new TypeError('informer: idleTimeout must be positive, or false');
    }
    this.#api = api;
    this.#options = options;
    this.#log = informerLog(api, options);
  }

  /**
   * The changes, as watch events. A subscriber first receives the objects the store holds (as ADDED) and, when the
   * store is in sync, a BOOKMARK annotated `k8s.io/initial-events-end`; then live events. After every (re)list the
   * same annotated BOOKMARK marks the state complete again, preceded by synthetic DELETED events for objects that
   * vanished while disconnected. Objects a relist re-announces unchanged are not repeated.
   *
   * Never completes; errors only with an unrecoverable error. Unsubscribing releases the shared connection.
   */
  readonly events$: Observable<WatchEvent<T>> = new Observable<WatchEvent<T>>((subscriber) => {
    const session = this.#acquire();
    for (const object of session.store.values()) subscriber.next({ type: 'ADDED', object });
    if (session.store.synced && !session.store.relisting) subscriber.next(endBookmark(session.store.resourceVersion));
    const inner = session.events.subscribe(subscriber);
    this.#start(session);
    return () => {
      inner.unsubscribe();
      this.#release(session);
    };
  });

  /**
   * The store: an immutable `ReadonlyMap` of the objects keyed by `namespace/name`, emitted when the initial state is
   * complete and after every change. A late subscriber gets the current map at once (once in sync).
   *
   * Never completes; errors only with an unrecoverable error. Unsubscribing releases the shared connection.
   */
  readonly store$: Observable<ReadonlyMap<string, T>> = new Observable<ReadonlyMap<string, T>>((subscriber) => {
    const session = this.#acquire();
    if (session.store.synced && !session.store.relisting) subscriber.next((session.snapshot ??= session.store.snapshot()));
    else if (session.snapshot !== undefined) subscriber.next(session.snapshot);
    const inner = session.stores.subscribe(subscriber);
    this.#start(session);
    return () => {
      inner.unsubscribe();
      this.#release(session);
    };
  });

  /**
   * The state channel ({@link InformerState}), current state first: bind a health check or a status badge to it.
   * Subscribing holds the connection like the other Observables. Completes after a `failed` state.
   */
  readonly state$: Observable<InformerState> = new Observable<InformerState>((subscriber) => {
    const session = this.#acquire();
    const inner = session.states.subscribe(subscriber);
    this.#start(session);
    return () => {
      inner.unsubscribe();
      this.#release(session);
    };
  });

  /**
   * The objects the resource's codec rejected (with `decodeErrors: 'skip'`), each time the server sends one: its key,
   * resourceVersion and io-ts path messages. A relist reports those still stored again. Subscribing holds the
   * connection like the other Observables. Completes after a `failed` state.
   * @since 0.3.0
   */
  readonly rejected$: Observable<RejectedObject> = new Observable<RejectedObject>((subscriber) => {
    const session = this.#acquire();
    const inner = session.rejections.subscribe(subscriber);
    this.#start(session);
    return () => {
      inner.unsubscribe();
      this.#release(session);
    };
  });

  /**
   * The objects left out of the store now (with `decodeErrors: 'skip'`), by key: a rejected version whose key has
   * had no valid version or deletion since. Empty when nobody is subscribed. For a health check or a status page.
   * @since 0.3.0
   */
  get rejected(): ReadonlyMap<string, RejectedObject> {
    return new Map(this.#session?.rejected ?? []);
  }

  /** The current state, without subscribing; after a terminal failure, that `failed` state until the next subscription. */
  get state(): InformerState {
    return this.#session?.states.value ?? this.#lastFailure ?? IDLE;
  }

  #acquire(): Session<T> {
    if (this.#session === undefined) this.#lastFailure = undefined;
    const session = (this.#session ??= {
      store: new ObjectStore<T>(),
      events: new Subject<WatchEvent<T>>(),
      stores: new Subject<ReadonlyMap<string, T>>(),
      states: new BehaviorSubject<InformerState>(IDLE),
      rejections: new Subject<RejectedObject>(),
      rejected: new Map<string, RejectedObject>(),
      snapshot: undefined,
      refs: 0,
      connection: undefined,
    });
    session.refs++;
    return session;
  }

  #start(session: Session<T>): void {
    if (session.connection !== undefined || this.#session !== session || session.states.value.phase === 'failed') return;
    session.connection = this.#pipeline(session).subscribe({
      next: (event) => this.#apply(session, event),
      error: (error: unknown) => {
        this.#log.error(`stopped: ${errorText(error)}`);
        this.#lastFailure = { phase: 'failed', synced: session.store.synced, error };
        session.states.next(this.#lastFailure);
        if (this.#session === session) this.#session = undefined;
        session.events.error(error);
        session.stores.error(error);
        session.states.complete();
        session.rejections.complete();
      },
    });
  }

  #release(session: Session<T>): void {
    if (--session.refs > 0) return;
    session.connection?.unsubscribe(); // aborts the HTTP request
    if (this.#session === session) this.#session = undefined;
  }

  /** Applies one event of the connection to the store and tells the subscribers what changed. */
  #apply(session: Session<T>, event: WatchEvent<T>): void {
    const { store } = session;
    const wasRelisting = store.relisting;
    // A valid version (or the deletion) of an object left out before: it is no longer rejected.
    if (event.type !== 'BOOKMARK' && session.rejected.size > 0) session.rejected.delete(objectKey(event.object));
    const changes = store.apply(event);
    for (const change of changes) session.events.next(change);
    if (wasRelisting && !store.relisting) {
      this.#log.info(`in sync: ${store.size} object${store.size === 1 ? '' : 's'} at resourceVersion ${store.resourceVersion ?? '""'}`);
      // The state is complete again: say so with the marker a watch-list uses, whatever ended the relist.
      session.events.next(isInitialEventsEnd(event) ? event : endBookmark(store.resourceVersion));
    } else if (event.type === 'BOOKMARK') {
      session.events.next(event);
    }
    if (!store.relisting && (changes.length > 0 || wasRelisting)) this.#publishStore(session);
    const phase = session.states.value.phase;
    if (store.relisting) {
      if (phase !== 'syncing') session.states.next({ phase: 'syncing', synced: store.synced });
    } else if (phase !== 'watching' || wasRelisting) {
      session.states.next({ phase: 'watching', synced: true, resourceVersion: store.resourceVersion });
    }
  }

  /** Emits the store on store$. Copying it is O(objects): only when someone watches (a late subscriber copies on demand). */
  #publishStore(session: Session<T>): void {
    session.snapshot = undefined;
    if (session.stores.observed) {
      session.snapshot = session.store.snapshot();
      session.stores.next(session.snapshot);
    }
  }

  /**
   * One object the codec rejected (`decodeErrors: 'skip'`): report it and leave it out of the store. During a relist
   * nothing else is needed (the relist's end drops an older version that was not re-announced); live, an older
   * valid version is removed now (its DELETED on events$), and the cursor moves past the event so a reconnection
   * does not replay it.
   */
  #reject(session: Session<T>, cursor: WatchCursor, rejected: RejectedObject): void {
    const { store } = session;
    this.#log.warn(
      `left out ${rejected.key} at resourceVersion ${rejected.resourceVersion ?? '""'} (${rejected.source}): ${rejected.errors.slice(0, 5).join('; ') || rejected.error.message}`,
    );
    if (rejected.source === 'DELETED') session.rejected.delete(rejected.key);
    else session.rejected.set(rejected.key, rejected);
    session.rejections.next(rejected);
    if (store.relisting) return;
    if (rejected.resourceVersion !== undefined) cursor.resourceVersion = rejected.resourceVersion;
    const previous = store.remove(rejected.key);
    if (previous === undefined) return;
    session.events.next({ type: 'DELETED', object: previous });
    this.#publishStore(session);
  }

  /** The connection: one Observable of watch events that survives everything recoverable. */
  #pipeline(session: Session<T>): Observable<WatchEvent<T>> {
    const options = this.#options;
    const api = this.#api;
    const scheduler = options.scheduler ?? asyncScheduler;
    const random = options.random ?? Math.random;
    const { store, states } = session;
    const cursor = new WatchCursor();
    cursor.initialEventsRequired = true; // the first connection asks for the state as a watch-list
    /** `watchList` until the server shows it cannot serve one (422, or ignoring sendInitialEvents). */
    let mode: 'watchList' | 'listWatch' = 'watchList';
    /** When (scheduler time) the informer fell back to list + watch; the next relist after the interval re-probes. */
    let fellBackAt = 0;
    const reprobeInterval = options.watchListReprobeInterval ?? 600_000;
    /** Watch-lists in a row the server closed before their end marker (errors do not count: they say nothing). */
    let unfinishedWatchLists = 0;
    const decodeErrors = options.decodeErrors ?? 'skip';
    const relistOnDecodeError = decodeErrors !== 'fail';
    const rejectedHook = decodeErrors === 'skip' ? { [ON_REJECTED_OBJECT]: (rejected: RejectedObject) => this.#reject(session, cursor, rejected) } : {};
    /** Every relist starts with nothing rejected: what is still stored and still bad is reported again. */
    const beginRelist = (): void => {
      store.beginRelist();
      session.rejected.clear();
    };
    const timeoutSeconds = (): number => options.timeoutSeconds ?? 300 + Math.floor(random() * 300);
    const selection = { namespace: options.namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, ...rejectedHook };

    // Connected and in sync (not relisting): the informer is watching even if no event comes for a while.
    const connected = (): void => {
      if (!store.relisting) states.next({ phase: 'watching', synced: true, resourceVersion: store.resourceVersion });
    };
    const watch = (seconds: number): Observable<WatchEvent<T>> =>
      api.watch$({ ...selection, cursor, allowBookmarks: true, timeoutSeconds: seconds, maxLineBytes: options.maxLineBytes, onConnected: connected });

    // LIST, then WATCH from the list's resourceVersion (the fallback for servers without WatchList).
    const listThenWatch = (seconds: number): Observable<WatchEvent<T>> =>
      api.list$(selection).pipe(
        mergeMap((list) => {
          const rv = list.metadata.resourceVersion;
          const added = list.items.map((object): WatchEvent<T> => ({ type: 'ADDED', object }));
          return concat(
            from(added),
            // The end of the listed state, in the watch-list's own terms; trackBookmarks moves the cursor to it.
            of(endBookmark(rv)),
            defer(() => watch(seconds)),
          );
        }),
      );

    const log = this.#log;
    /** From now on, (re)list by list + watch; `why` is logged once. */
    const useListWatch = (why: string): void => {
      if (mode === 'listWatch') return;
      mode = 'listWatch';
      fellBackAt = scheduler.now();
      log.info(`${why}; listing then watching${Number.isFinite(reprobeInterval) ? ` (trying a watch-list again after ${reprobeInterval} ms)` : ' from now on'}`);
    };

    const connect = defer((): Observable<WatchEvent<T>> => {
      const relist = cursor.resourceVersion === undefined || cursor.initialEventsRequired;
      states.next({ phase: relist ? 'syncing' : 'connecting', synced: store.synced });
      const seconds = timeoutSeconds();
      if (!relist) {
        log.debug(`watching from resourceVersion ${cursor.resourceVersion ?? '""'} for ${seconds} s`);
        return watch(seconds);
      }
      beginRelist();
      // A server may have been upgraded (or its WatchList gate turned on) since the fallback: try again now and then.
      if (mode === 'listWatch' && scheduler.now() - fellBackAt >= reprobeInterval) {
        mode = 'watchList';
        unfinishedWatchLists = 0;
        log.info(`trying a watch-list again (${scheduler.now() - fellBackAt} ms after falling back to list + watch)`);
      }
      // Two watch-lists in a row that the server closed before their end marker (a server ignoring
      // sendInitialEvents whose timeout is shorter than initialSyncTimeout): list + watch gets a complete state.
      // Errors (500, network, 429) do not count: a transient failure says nothing about watch-list support.
      if (unfinishedWatchLists >= 2) useListWatch('two watch-lists in a row ended before their initial-events-end bookmark');
      log.debug(mode === 'listWatch' ? 'listing, then watching' : 'watch-list: the current state, then changes');
      if (mode === 'listWatch') return listThenWatch(seconds);
      let ended = false;
      return watch(seconds).pipe(
        tap({
          next: (event) => {
            if (event.type !== 'ADDED') {
              ended = true; // the initial state ended (marker, or live event)
              unfinishedWatchLists = 0;
            }
          },
          complete: () => {
            if (!ended) unfinishedWatchLists++;
          },
        }),
        expectInitialEventsEnd(options.initialSyncTimeout ?? 30_000, scheduler, () => {
          useListWatch(`no initial-events-end bookmark after ${options.initialSyncTimeout ?? 30_000} ms: the server ignores sendInitialEvents`);
          beginRelist();
          return listThenWatch(seconds);
        }, () => {
          // Live events before the marker: the server ignored sendInitialEvents but the legacy watch's initial
          // state is complete; carry on, and relist by list + watch from now on.
          useListWatch('live events before the initial-events-end bookmark: the server ignores sendInitialEvents');
        }),
        catchError((error: unknown) => {
          // 422 on sendInitialEvents or resourceVersionMatch: WatchList disabled, or a server before 1.27 (§1.3).
          if (error instanceof InvalidError && mode === 'watchList') {
            useListWatch(`the server refuses watch-lists (${errorText(error)})`);
            return listThenWatch(seconds);
          }
          return throwError(() => error);
        }),
      );
    });

    const idle = options.idleTimeout ?? idleTimeoutFor({ timeoutSeconds: options.timeoutSeconds ?? 600, bookmarkIntervalSeconds: 60 });
    const isDecodeFailure = (error: unknown): boolean => error instanceof DecodeError || error instanceof LineTooLongError || error instanceof InvalidUtf8Error;

    return connect.pipe(
      trackBookmarks(cursor),
      idle === false ? (source) => source : idleTimeout<WatchEvent<T>>({ timeout: idle, scheduler }),
      tap({ error: (error: unknown) => error instanceof GoneError && log.info(`${errorText(error)}; relisting`) }),
      // A relist right away; should the server answer 410 again and again, the backoff below paces it.
      retryOnGone(cursor, { scheduler, count: 3 }),
      tap({ complete: () => log.debug('the server ended the watch; reconnecting') }),
      reconnectOnTimeout({ scheduler }),
      retryWithBackoff({
        ...options.backoff,
        scheduler,
        random,
        isRetryable: (error) => isTransientError(error) || error instanceof GoneError || (relistOnDecodeError && isDecodeFailure(error)),
        onRetry: ({ attempt, delay, error }) => {
          // After a bad line the resume position is untrustworthy: relist, as client-go does on decode errors.
          if (isDecodeFailure(error)) cursor.initialEventsRequired = true;
          log.warn(`${errorText(error)}; ${error instanceof IdleTimeoutError ? 'reconnecting' : 'retrying'} in ${delay} ms (attempt ${attempt})`);
          states.next({ phase: error instanceof IdleTimeoutError ? 'stalled' : 'backingOff', synced: store.synced, attempt, delay, error });
        },
      }),
    );
  }
}

/** The BOOKMARK that marks a complete state (the watch-list's initial-events-end marker). */
function endBookmark(resourceVersion: string | undefined): BookmarkEvent {
  return {
    type: 'BOOKMARK',
    object: { metadata: { resourceVersion: resourceVersion ?? '', annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' } } },
  };
}

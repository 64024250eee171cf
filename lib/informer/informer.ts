import { BehaviorSubject, Observable, Subject, type Subscription } from 'rxjs';
import type { InformerObject, InformerSource } from './informer-source.js';
import type { Log } from '../client/log.js';
import { errorText, informerLog } from './informer-log.js';
import { ObjectStore, objectKey } from '../store/object-store.js';
import type { RejectedObject } from '../watch/rejected-object.js';
import type { WatchCursor } from '../watch/watch-cursor.js';
import { isInitialEventsEnd, type WatchEvent } from '../watch/watch-event.js';
import { informerConnection } from './informer-connection.js';
import { validateInformerOptions, type InformerOptions } from './informer-options.js';
import { endBookmark, IDLE, type InformerState } from './informer-state.js';

export type { InformerObject, InformerSource } from './informer-source.js';
export type { InformerOptions } from './informer-options.js';
export type { InformerState } from './informer-state.js';

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
    validateInformerOptions(options, api.resource);
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
    session.connection = informerConnection(this.#api, this.#options, {
      store: session.store,
      log: this.#log,
      setState: (state) => session.states.next(state),
      beginRelist: () => {
        // Every relist starts with nothing rejected: what is still stored and still bad is reported again.
        session.store.beginRelist();
        session.rejected.clear();
      },
      reject: (cursor, rejected) => this.#reject(session, cursor, rejected),
    }).subscribe({
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
}

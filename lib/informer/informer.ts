import { BehaviorSubject, Observable, Subject, type Subscriber, asyncScheduler, concat, defer, ignoreElements, map, merge, tap, type Subscription } from 'rxjs';
import type { InformerObject, InformerSource } from './informer-source.js';
import type { Log } from '../client/log.js';
import { errorText, informerLog } from './informer-log.js';
import type { RejectedObject } from '../watch/rejected-object.js';
import type { WatchCursor } from '../watch/watch-cursor.js';
import { isInitialEventsEnd, type WatchEvent } from '../watch/watch-event.js';
import { informerConnection } from './informer-connection.js';
import type { EventOrigin, InformerEvent } from './informer-event.js';
import { aggregateState } from './informer-namespaces.js';
import { ForbiddenError } from '../errors/status-error.js';
import { validateInformerOptions, type InformerOptions } from './informer-options.js';
import { Partition, withOrigin } from './informer-partition.js';
import { endBookmark, IDLE, type InformerState } from './informer-state.js';
import { BookmarkCadence, bookmarkIntervalOf } from './bookmark-cadence.js';
import { Checkpointing } from './checkpointing.js';

export type { InformerObject, InformerSource } from './informer-source.js';
export type { InformerOptions } from './informer-options.js';
export type { InformerState } from './informer-state.js';

/** One life of the shared connection: from the first subscriber to the last, or to a terminal error. */
interface Session<T extends InformerObject> {
  /** One per connection (the informer's only one, or one per namespace of `namespaces`), each with its own store and state. */
  readonly partitions: readonly Partition<T>[];
  readonly events: Subject<InformerEvent<T>>;
  readonly stores: Subject<ReadonlyMap<string, T>>;
  readonly states: BehaviorSubject<InformerState>;
  readonly rejections: Subject<RejectedObject>;
  /** Whether the store holds a complete state now (every partition counted is synced, none relisting). */
  inSync: boolean;
  /** Whether it ever did in this session: the end marker's origin is `initial` the first time. */
  everInSync: boolean;
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
  readonly #options: InformerOptions<T>;
  /** The client's log, each line prefixed with what this informer follows. */
  readonly #log: Log;
  /** The durable checkpoint (`checkpoint` option), if any: see checkpointing.ts. */
  readonly #checkpointing: Checkpointing<T> | undefined;
  #session: Session<T> | undefined;
  /** Whether the `namespaces` option is given: one partition per namespace, and the state tells each (even of one). */
  readonly #several: boolean;
  /** The `failed` state of the last session, kept for {@link Informer.state} until a new session starts. */
  #lastFailure: InformerState | undefined;

  constructor(api: InformerSource<T>, options: InformerOptions<T> = {}) {
    validateInformerOptions(options, api.resource);
    this.#api = api;
    this.#options = options;
    this.#several = options.namespaces !== undefined;
    const { namespaces } = options;
    this.#log = informerLog(api, namespaces === undefined ? options : { ...options, namespace: namespaces.join(', ') });
    this.#checkpointing = Checkpointing.of(api, options, options.scheduler ?? asyncScheduler, this.#log);
  }

  /**
   * The changes, as watch events, each with its `origin` ({@link InformerEvent}) (since 0.3.0): `initial`, `relist`,
   * `live` or `restored` (see {@link EventOrigin}). A subscriber first receives the objects the store holds (as
   * ADDED, origin `initial`) and, when the store is in sync, a BOOKMARK annotated `k8s.io/initial-events-end`; then
   * the changes. After every (re)list the same annotated BOOKMARK marks the state complete again, preceded by
   * synthetic DELETED events for objects that vanished while disconnected (origin `relist`). Objects a relist
   * re-announces unchanged are not repeated.
   *
   * Never completes; errors only with an unrecoverable error. Unsubscribing releases the shared connection.
   */
  readonly events$: Observable<InformerEvent<T>> = this.#shared<InformerEvent<T>>((session, subscriber) => {
    for (const partition of session.partitions) {
      for (const object of partition.store.values()) subscriber.next(withOrigin({ type: 'ADDED', object }, 'initial'));
    }
    if (session.inSync) subscriber.next(withOrigin<T>(endBookmark(this.#resourceVersion(session)), 'initial'));
    return session.events.subscribe(subscriber);
  });

  /**
   * The store: an immutable `ReadonlyMap` of the objects keyed by `namespace/name`, emitted when the initial state is
   * complete and after every change. A late subscriber gets the current map at once (once in sync).
   *
   * Never completes; errors only with an unrecoverable error. Unsubscribing releases the shared connection.
   */
  readonly store$: Observable<ReadonlyMap<string, T>> = this.#shared<ReadonlyMap<string, T>>((session, subscriber) => {
    if (session.inSync) subscriber.next((session.snapshot ??= this.#snapshot(session)));
    else if (session.snapshot !== undefined) subscriber.next(session.snapshot);
    return session.stores.subscribe(subscriber);
  });

  /**
   * The state channel ({@link InformerState}), current state first: bind a health check or a status badge to it.
   * Subscribing holds the connection like the other Observables. Completes after a `failed` state.
   */
  readonly state$: Observable<InformerState> = this.#shared<InformerState>((session, subscriber) => session.states.subscribe(subscriber));

  /**
   * The objects the resource's codec rejected (with `decodeErrors: 'skip'`), each time the server sends one: its key,
   * resourceVersion and io-ts path messages. A relist reports those still stored again. Subscribing holds the
   * connection like the other Observables. Completes after a `failed` state.
   * @since 0.3.0
   */
  readonly rejected$: Observable<RejectedObject> = this.#shared<RejectedObject>((session, subscriber) => session.rejections.subscribe(subscriber));

  /**
   * The objects left out of the store now (with `decodeErrors: 'skip'`), by key: a rejected version whose key has
   * had no valid version or deletion since. Empty when nobody is subscribed. For a health check or a status page.
   * @since 0.3.0
   */
  get rejected(): ReadonlyMap<string, RejectedObject> {
    return new Map((this.#session?.partitions ?? []).flatMap((partition) => [...partition.rejected]));
  }

  /**
   * One object of the store by key (`namespace/name`, or `name` for cluster-scoped kinds), read synchronously:
   * client-go's `Lister`/`GetByKey`. `undefined` when the store lacks it or nobody is subscribed (no session).
   * @example
   * ```ts
   * const pod = informer.get('default/web-0');
   * ```
   * @since 0.3.0
   */
  get(key: string): T | undefined {
    for (const partition of this.#session?.partitions ?? []) {
      const object = partition.store.get(key);
      if (object !== undefined) return object;
    }
    return undefined;
  }

  /**
   * With the `checkpoint` option: saves the store now if it changed since the last save (while subscribed), then
   * resolves when every checkpoint write started so far has ended, the one of the last unsubscribe included. Await
   * it before the process exits. Rejects with the error of the last write if it failed (failures are also logged).
   * Without the option, resolves at once.
   * @since 0.3.0
   */
  flushCheckpoint(): Promise<void> {
    return this.#checkpointing?.flush() ?? Promise.resolve();
  }

  /**
   * The current state, without subscribing; after a terminal failure, that `failed` state until the next subscription.
   * With `namespaces`, its `namespaces` detail is current (state$ emits only when the informer's own state changes).
   */
  get state(): InformerState {
    const session = this.#session;
    if (session !== undefined && this.#several && session.states.value.phase !== 'idle' && session.states.value.phase !== 'failed') return this.#aggregate(session);
    return session?.states.value ?? this.#lastFailure ?? IDLE;
  }

  /**
   * An Observable over the shared session: subscribing acquires it (the first subscriber starts the connection),
   * `attach` replays what a late subscriber needs and subscribes it to one of the session's subjects, and
   * unsubscribing releases it (the last closes the connection).
   */
  #shared<V>(attach: (session: Session<T>, subscriber: Subscriber<V>) => Subscription): Observable<V> {
    return new Observable<V>((subscriber) => {
      const session = this.#acquire();
      const inner = attach(session, subscriber);
      this.#start(session);
      return () => {
        inner.unsubscribe();
        this.#release(session);
      };
    });
  }

  #acquire(): Session<T> {
    if (this.#session === undefined) this.#lastFailure = undefined;
    const session = (this.#session ??= {
      partitions: this.#partitions(),
      events: new Subject<InformerEvent<T>>(),
      stores: new Subject<ReadonlyMap<string, T>>(),
      states: new BehaviorSubject<InformerState>(IDLE),
      rejections: new Subject<RejectedObject>(),
      inSync: false,
      everInSync: false,
      snapshot: undefined,
      refs: 0,
      connection: undefined,
    });
    session.refs++;
    return session;
  }

  /** A connection's bookmark cadence meter: the idle window follows it, unless `idleTimeout` fixes it (or turns it off). */
  #cadence(): BookmarkCadence | undefined {
    const options = this.#options;
    return options.idleTimeout === undefined ? new BookmarkCadence({ timeoutSeconds: options.timeoutSeconds ?? 600, ...(options.scheduler && { scheduler: options.scheduler }) }) : undefined;
  }

  /** The partitions of a new session: one per namespace of `namespaces`, else one. */
  #partitions(): Partition<T>[] {
    const { namespaces } = this.#options;
    if (namespaces === undefined) return [new Partition<T>(undefined, this.#log)];
    return namespaces.map((namespace) => new Partition<T>(namespace, informerLog(this.#api, { ...this.#options, namespace })));
  }

  #start(session: Session<T>): void {
    if (session.connection !== undefined || this.#session !== session || session.states.value.phase === 'failed') return;
    const connections = session.partitions.map((partition) => {
      const connection = (): Observable<readonly [Partition<T>, WatchEvent<T>]> => this.#connection(session, partition);
      const checkpointing = this.#checkpointing;
      if (checkpointing === undefined) return connection();
      // With a checkpoint, its state first (events origin `restored`), then the connection resumes from it.
      return concat(
        checkpointing.restore(partition.store).pipe(
          tap(({ objects, resourceVersion }) => this.#restore(session, partition, objects, resourceVersion)),
          ignoreElements(),
        ),
        defer(connection),
      );
    });
    session.connection = merge(...connections).subscribe({
      next: ([partition, event]) => this.#apply(session, partition, event),
      error: (error: unknown) => {
        this.#log.error(`stopped: ${errorText(error)}`);
        this.#checkpoint(session, 'stop');
        const failed: InformerState = { phase: 'failed', synced: this.#synced(session), error };
        this.#lastFailure = this.#several ? { ...this.#aggregate(session), ...failed } : failed;
        session.states.next(this.#lastFailure);
        if (this.#session === session) this.#session = undefined;
        session.events.error(error);
        session.stores.error(error);
        session.states.complete();
        session.rejections.complete();
      },
    });
  }

  /** One partition's connection, its events tagged with the partition. */
  #connection(session: Session<T>, partition: Partition<T>): Observable<readonly [Partition<T>, WatchEvent<T>]> {
    return informerConnection(this.#api, this.#options, {
      store: partition.store,
      namespace: partition.namespace,
      log: partition.log,
      resumeFrom: partition.resumeFrom,
      cadence: (partition.cadence = this.#cadence()),
      setState: (state) => this.#setState(session, partition, state),
      beginRelist: () => {
        partition.beginRelist();
        // Not complete any more, unless this partition is not counted (a forbidden namespace trying again).
        session.inSync &&= this.#complete(session);
      },
      reject: (cursor, rejected) => this.#reject(session, partition, cursor, rejected),
      // Several namespaces: a 403 on one is retried with backoff, unless every other one is forbidden too.
      alsoRetry: (error) => this.#several && error instanceof ForbiddenError && session.partitions.some((other) => other !== partition && !other.forbidden),
    }).pipe(map((event) => [partition, event] as const));
  }

  #release(session: Session<T>): void {
    if (--session.refs > 0) return;
    session.connection?.unsubscribe(); // aborts the HTTP requests
    this.#checkpoint(session, 'stop'); // the shutdown save
    if (this.#session === session) this.#session = undefined;
  }

  /** Tells the checkpoint (one partition: `namespaces` and `checkpoint` are exclusive) that the store changed, or that the session stops. */
  #checkpoint(session: Session<T>, what: 'changed' | 'stop'): void {
    const store = session.partitions[0]?.store;
    if (this.#checkpointing === undefined || store === undefined) return;
    if (what === 'changed') this.#checkpointing.changed(store);
    else this.#checkpointing.stop(store);
  }

  /** Applies one event of a partition's connection to its store and tells the subscribers what changed. */
  #apply(session: Session<T>, partition: Partition<T>, event: WatchEvent<T>): void {
    const change = partition.apply(event);
    session.inSync &&= this.#complete(session); // a forbidden namespace that answers counts again, relisting
    for (const published of change.events) session.events.next(published);
    if (!this.#checkSync(session, partition, event, change.ended) && session.inSync && change.changed) this.#publishStore(session);
    const { store, state } = partition;
    if (store.relisting) {
      if (state.phase !== 'syncing') this.#setState(session, partition, { phase: 'syncing', synced: store.synced });
    } else if (state.phase !== 'watching' || change.ended !== undefined) {
      this.#setState(session, partition, { phase: 'watching', synced: true, resourceVersion: store.resourceVersion, ...bookmarkIntervalOf(partition.cadence) });
    }
    this.#checkpoint(session, 'changed'); // a bookmark too: the saved resume position stays recent
  }

  /**
   * When the whole state has just become complete (every partition counted in sync): the marker on events$ (the
   * event itself when it is a watch-list's own), the store on store$. Returns whether it did.
   */
  #checkSync(session: Session<T>, partition: Partition<T>, event: WatchEvent<T> | undefined, ended: EventOrigin | undefined): boolean {
    if (session.inSync || !this.#complete(session)) return false;
    session.inSync = true;
    const size = this.#size(session);
    this.#log.info(`in sync: ${size} object${size === 1 ? '' : 's'} at resourceVersion ${partition.store.resourceVersion ?? '""'}`);
    // The state is complete again: say so with the marker a watch-list uses, whatever ended the relist.
    const marker = event !== undefined && session.partitions.length === 1 && isInitialEventsEnd(event) ? event : endBookmark(partition.store.resourceVersion);
    session.events.next(withOrigin<T>(marker, ended ?? (session.everInSync ? 'relist' : 'initial')));
    session.everInSync = true;
    this.#publishStore(session);
    return true;
  }

  /**
   * The checkpoint seam (issue #14; the checkpoint itself is built elsewhere): seeds one partition with objects saved
   * earlier, before its first connection (call it from `#start`, before the connections are subscribed). Their
   * ADDED events go out with origin `restored`; when every partition counted then holds a state, the end marker
   * too (origin `restored`), and the store on store$. The partition's first connection resumes from
   * `resourceVersion` (a 410 relists, and the relist's synthetic DELETED events cover what vanished meanwhile).
   */
  #restore(session: Session<T>, partition: Partition<T>, objects: Iterable<T>, resourceVersion: string): void {
    for (const restored of partition.restore(objects, resourceVersion)) session.events.next(restored);
    this.#checkSync(session, partition, undefined, 'restored');
  }

  /** A new state of one partition; the informer's state follows. */
  #setState(session: Session<T>, partition: Partition<T>, state: InformerState): void {
    partition.state = state;
    if (!this.#several) {
      session.states.next(state);
      return;
    }
    if (state.phase === 'backingOff' && state.error instanceof ForbiddenError) partition.forbidden = true;
    else if (state.phase === 'watching') partition.forbidden = false;
    // Only when the informer's own state changes: a namespace retrying behind a forbidden one is no news.
    const next = this.#aggregate(session);
    if (!sameState(session.states.value, next)) session.states.next(next);
    // A namespace counted out (403) may leave the others complete: the informer is in sync without it.
    this.#checkSync(session, partition, undefined, undefined);
  }

  #aggregate(session: Session<T>): InformerState {
    return aggregateState(session.partitions.map((p) => ({ namespace: p.namespace, state: p.state, forbidden: p.forbidden, synced: p.store.synced })));
  }

  /** The partitions counted for the sync: all but those answering 403 (several namespaces only). */
  #counted(session: Session<T>): Partition<T>[] {
    return session.partitions.filter((partition) => !partition.forbidden);
  }

  /** Whether every partition counted holds a complete state. */
  #complete(session: Session<T>): boolean {
    const counted = this.#counted(session);
    return counted.length > 0 && counted.every((partition) => partition.inSync);
  }

  /** Whether every partition counted has held a complete state at least once. */
  #synced(session: Session<T>): boolean {
    const counted = this.#counted(session);
    return counted.length > 0 && counted.every((partition) => partition.store.synced);
  }

  #size(session: Session<T>): number {
    return session.partitions.reduce((sum, partition) => sum + partition.store.size, 0);
  }

  /** The resourceVersion of the end marker replayed to a late subscriber (with several namespaces, the first's: opaque). */
  #resourceVersion(session: Session<T>): string | undefined {
    return this.#counted(session)[0]?.store.resourceVersion;
  }

  #snapshot(session: Session<T>): ReadonlyMap<string, T> {
    const [only, ...others] = session.partitions;
    if (only !== undefined && others.length === 0) return only.store.snapshot();
    return new Map(session.partitions.flatMap((partition) => [...partition.store.snapshot()]));
  }

  /** Emits the store on store$. Copying it is O(objects): only when someone watches (a late subscriber copies on demand). */
  #publishStore(session: Session<T>): void {
    session.snapshot = undefined;
    if (session.stores.observed) {
      session.snapshot = this.#snapshot(session);
      session.stores.next(session.snapshot);
    }
  }

  /** One object the codec rejected (`decodeErrors: 'skip'`): report it and leave it out of the store. */
  #reject(session: Session<T>, partition: Partition<T>, cursor: WatchCursor, rejected: RejectedObject): void {
    partition.log.warn(
      `left out ${rejected.key} at resourceVersion ${rejected.resourceVersion ?? '""'} (${rejected.source}): ${rejected.errors.slice(0, 5).join('; ') || rejected.error.message}`,
    );
    const previous = partition.reject(cursor, rejected);
    session.rejections.next(rejected);
    if (previous === undefined) return;
    session.events.next(withOrigin({ type: 'DELETED', object: previous }, 'live'));
    this.#checkpoint(session, 'changed');
    if (session.inSync) this.#publishStore(session);
  }
}

/** Whether two states say the same of the informer as a whole (the per-namespace detail aside). */
function sameState(a: InformerState, b: InformerState): boolean {
  const fields = (state: InformerState): unknown[] => {
    const { namespaces: _detail, forbidden, ...rest } = state;
    return [JSON.stringify(forbidden ?? []), ...Object.keys(rest).sort().map((key) => [key, (rest as Record<string, unknown>)[key]])].flat();
  };
  const x = fields(a);
  const y = fields(b);
  return x.length === y.length && x.every((value, i) => Object.is(value, y[i]));
}

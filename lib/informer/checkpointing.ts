/**
 * The informer side of the durable checkpoint (issue #14): restore before the first connection, saves at most every
 * `checkpointInterval`, and a save at shutdown. `informer.ts` calls into it from a few hook lines (the informer is
 * being split at the same time; keeping the logic here keeps those hooks portable).
 *
 * Why resuming from the saved resourceVersion is safe, and why client-go and kube-rs do not do it: see
 * `checkpoint.ts`. The short version: the resourceVersion goes back to the server, which either replays every
 * change since (deletions included) or answers 410 Gone, after which the ordinary relist rebuilds the state.
 */
import { EMPTY, catchError, concat, defer, from, map, mergeMap, of, race, timer, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { Log } from '../client/log.js';
import type { ObjectStore } from '../store/object-store.js';
import { CheckpointRejected, decodeCheckpoint, encodeCheckpoint, type CheckpointIdentity, type CheckpointStore } from './checkpoint.js';
import { errorText } from './informer-log.js';
import type { InformerObject, InformerSource } from './informer-source.js';

/**
 * The checkpoint options of an informer (part of `InformerOptions`).
 * @since 0.3.0
 */
export interface CheckpointOptions {
  /**
   * Where to keep the store between runs ({@link fileCheckpoint}, or your own {@link CheckpointStore}). When the
   * informer starts (first subscriber), the checkpoint is loaded before any connection: its objects enter the store
   * and `events$` as ADDED events, then the initial-events-end BOOKMARK, all with `origin: 'restored'`, and the first
   * watch resumes from the saved resourceVersion (no `sendInitialEvents`: no relist while the server still holds
   * the history). Should the server answer 410 Gone, the informer relists as usual, and the relist's synthetic
   * DELETED events cover what was deleted while the process was down. The restored store counts as synced: `store$`
   * emits it at once and `state$` says `watching` before the first connection, as after any disconnection (the
   * state as of the checkpoint, then the changes since).
   *
   * One checkpoint per informer: the checkpoint records the resource, namespace and selectors it was written for,
   * and an informer ignores one written for others. Objects are saved as they are in the store (after a
   * `transform`, if any) and decoded again with the resource's codec when loaded.
   *
   * The store and its resourceVersion are saved at most every `checkpointInterval`, and when the last subscriber
   * unsubscribes (or the informer fails); await {@link Informer.flushCheckpoint} before the process exits. A
   * checkpoint that is missing, unreadable, corrupted, truncated, of another format version or written for another
   * informer (resource, namespace, selectors), or whose objects the resource's codec rejects, is ignored with a
   * warning on the client's log: the informer then starts fresh.
   * @since 0.3.0
   */
  readonly checkpoint?: CheckpointStore;
  /** The least time (ms) between two saves while running. Default 10 000. @since 0.3.0 */
  readonly checkpointInterval?: number;
  /**
   * How long (ms) the informer waits for the checkpoint to load before starting fresh (with a warning): a slow or
   * hung volume never keeps it from connecting. Default 10 000.
   * @since 0.3.0
   */
  readonly checkpointLoadTimeout?: number;
}

/** A checkpoint as loaded: the objects (decoded by the resource's codec) and the resourceVersion they are at. */
export interface RestoredCheckpoint<T> {
  readonly objects: readonly T[];
  readonly resourceVersion: string;
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/** Whether a value is a Promise (or another thenable). */
function isPromiseLike<V>(value: V | PromiseLike<V>): value is PromiseLike<V> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/** What a checkpoint is for, from the informer's source and options (the namespace resolved as `watch$` does). */
export function checkpointIdentity<T>(api: InformerSource<T>, options: Pick<CheckpointOptions & { namespace?: string | null; labelSelector?: string; fieldSelector?: string }, 'namespace' | 'labelSelector' | 'fieldSelector'>): CheckpointIdentity {
  const { apiVersion, kind, plural, namespaced } = api.resource;
  const namespace = options.namespace === undefined ? api.namespace : options.namespace;
  return {
    server: api.client?.server.href ?? null,
    apiVersion,
    kind,
    plural,
    namespace: namespaced ? (namespace ?? null) : null,
    labelSelector: options.labelSelector ?? null,
    fieldSelector: options.fieldSelector ?? null,
  };
}

/**
 * One informer's checkpointing. Sessions (first subscriber to last) follow one another: `restore` starts one,
 * `stop` ends it; writes of all sessions are serialized, and a load waits for the writes before it.
 */
export class Checkpointing<T extends InformerObject> {
  readonly #store: CheckpointStore;
  readonly #identity: CheckpointIdentity;
  readonly #api: InformerSource<T>;
  readonly #interval: number;
  readonly #loadTimeout: number;
  readonly #scheduler: SchedulerLike;
  readonly #log: Log;
  /** The store of the session in progress (for {@link Checkpointing.flush}). */
  #current: ObjectStore<T> | undefined;
  /** Changed since the last save. */
  #dirty = false;
  /** Scheduler time of the last save (or of the restore). */
  #lastSave = -Infinity;
  #timer: Subscription | undefined;
  /** A write is in progress; a save due meanwhile waits for it (`#again`) rather than queueing texts. */
  #writing = false;
  #again: ObjectStore<T> | undefined;
  /** The latest write (never rejects). */
  #writes: Promise<void> = Promise.resolve();
  /** The error of the last write, if it failed. */
  #lastError: unknown;

  /** The checkpointing an informer's options ask for, or `undefined`; throws a `TypeError` for a bad option. */
  static of<T extends InformerObject>(
    api: InformerSource<T>,
    options: CheckpointOptions & { namespace?: string | null; labelSelector?: string; fieldSelector?: string },
    scheduler: SchedulerLike,
    log: Log,
  ): Checkpointing<T> | undefined {
    const { checkpoint, checkpointInterval = 10_000, checkpointLoadTimeout = 10_000 } = options;
    if (!(checkpointInterval >= 0 && checkpointInterval < Infinity)) throw new TypeError('informer: checkpointInterval must be a finite number of ms, 0 or more');
    if (!(checkpointLoadTimeout > 0)) throw new TypeError('informer: checkpointLoadTimeout must be positive');
    if (checkpoint === undefined) return undefined;
    if (typeof checkpoint?.load !== 'function' || typeof checkpoint.save !== 'function') throw new TypeError('informer: checkpoint must be a CheckpointStore (load and save)');
    return new Checkpointing(checkpoint, checkpointIdentity(api, options), api, checkpointInterval, checkpointLoadTimeout, scheduler, log);
  }

  private constructor(store: CheckpointStore, identity: CheckpointIdentity, api: InformerSource<T>, interval: number, loadTimeout: number, scheduler: SchedulerLike, log: Log) {
    this.#store = store;
    this.#identity = identity;
    this.#api = api;
    this.#interval = interval;
    this.#loadTimeout = loadTimeout;
    this.#scheduler = scheduler;
    this.#log = log;
  }

  /** `checkpoint /path/to/file` in log lines. */
  get #name(): string {
    return `checkpoint${this.#store.description === undefined ? '' : ` ${this.#store.description}`}`;
  }

  /**
   * Starts a session: loads the checkpoint (after the writes in progress; bounded by `checkpointLoadTimeout`) and,
   * when it is valid, emits it once (its objects, decoded, and its resourceVersion) for the informer to restore its
   * store from (`Partition.restore`: ADDED events and the initial-events-end BOOKMARK, all `origin: 'restored'`;
   * the first watch resumes from the resourceVersion). Completes without a value when there is nothing to restore.
   * `store` is the session's (empty) store, which the informer then fills.
   */
  restore(store: ObjectStore<T>): Observable<RestoredCheckpoint<T>> {
    return defer(() => {
      this.#current = store;
      this.#dirty = false;
      this.#lastSave = -Infinity;
      const started = this.#scheduler.now();
      const load = (): Observable<string | undefined> => {
        const text = this.#store.load();
        return isPromiseLike(text) ? from(text) : of(text);
      };
      // A synchronous store with no write pending loads synchronously (marble tests stay in virtual time).
      const loaded = this.#writing ? from(this.#settled()).pipe(mergeMap(load)) : defer(load);
      return race(loaded, timer(this.#loadTimeout, this.#scheduler).pipe(map((): typeof TIMED_OUT => TIMED_OUT))).pipe(
        mergeMap((text: string | undefined | typeof TIMED_OUT) => {
          if (text === TIMED_OUT) {
            this.#log.warn(`${this.#name}: not loaded after ${this.#loadTimeout} ms; starting without it`);
            return EMPTY;
          }
          if (text === undefined) {
            this.#log.info(`${this.#name}: none yet; starting from the server's state`);
            return EMPTY;
          }
          return this.#restored(text, started);
        }),
        // Never fatal: a checkpoint is an optimisation.
        catchError((error: unknown) => {
          this.#log.warn(`${this.#name}: could not be loaded (${errorText(error)}); starting without it`);
          return EMPTY;
        }),
      );
    });
  }

  #restored(text: string, started: number): Observable<RestoredCheckpoint<T>> {
    let checkpoint;
    try {
      checkpoint = decodeCheckpoint(text, this.#identity, this.#api.resource.codec);
    } catch (error) {
      if (!(error instanceof CheckpointRejected)) throw error;
      this.#log.warn(`${this.#name}: ignored, ${error.message}; starting from the server's state`);
      return EMPTY;
    }
    const { resourceVersion, objects, savedAt } = checkpoint;
    this.#log.info(
      `${this.#name}: restored ${objects.length} object${objects.length === 1 ? '' : 's'} at resourceVersion ${resourceVersion} (saved ${savedAt}) in ${this.#scheduler.now() - started} ms; resuming the watch from there`,
    );
    // The restored state is the checkpoint: nothing to save until something changes.
    this.#cancelTimer();
    this.#dirty = false;
    this.#lastSave = this.#scheduler.now();
    return of({ objects: objects as readonly T[], resourceVersion });
  }

  /** The store changed (an event was applied): save when the interval since the last save has passed. */
  changed(store: ObjectStore<T>): void {
    this.#dirty = true;
    // A relist in progress is a mix of old and new: its end (an event too) schedules the save.
    if (this.#timer !== undefined || store.relisting) return;
    const delay = Math.max(0, this.#lastSave + this.#interval - this.#scheduler.now());
    this.#timer = this.#scheduler.schedule(() => {
      this.#timer = undefined;
      this.#save(store);
    }, delay);
  }

  /** The session ends (last unsubscribe, or a terminal failure): save what changed since the last save. */
  stop(store: ObjectStore<T>): void {
    this.#cancelTimer();
    this.#save(store);
    if (this.#current === store) this.#current = undefined;
  }

  /**
   * Saves now what changed (if a session is running), then resolves when every write started so far has ended;
   * rejects with the error of the last write if it failed.
   */
  async flush(): Promise<void> {
    if (this.#current !== undefined) {
      this.#cancelTimer();
      this.#save(this.#current);
    }
    await this.#settled();
    if (this.#lastError !== undefined) throw this.#lastError;
  }

  /** Resolves when no write is in progress, the saves that waited for one included. */
  async #settled(): Promise<void> {
    for (let writes = this.#writes; ; writes = this.#writes) {
      await writes;
      if (writes === this.#writes) return; // a save that waited for that write would have started another
    }
  }

  #cancelTimer(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
  }

  /** Saves the store if it changed; `due` when a save was already decided (it waited for a write in progress). */
  #save(store: ObjectStore<T>, due = false): void {
    const resourceVersion = store.resourceVersion;
    if (!(this.#dirty || due) || store.relisting || !store.synced || !resourceVersion) return;
    if (this.#writing) {
      this.#again = store;
      return;
    }
    let text: string;
    try {
      const { codec } = this.#api.resource;
      text = encodeCheckpoint(this.#identity, resourceVersion, Array.from(store.values(), (object) => codec.encode(object)));
    } catch (error) {
      this.#log.warn(`${this.#name}: could not encode the store (${errorText(error)}); not saved`);
      return;
    }
    this.#dirty = false;
    this.#lastSave = this.#scheduler.now();
    const size = store.size;
    const saved = (): void => {
      this.#lastError = undefined;
      this.#log.debug(`${this.#name}: saved ${size} object${size === 1 ? '' : 's'} at resourceVersion ${resourceVersion} (${text.length} characters)`);
    };
    const failed = (error: unknown): void => {
      this.#lastError = error;
      this.#dirty = true; // the next change, or the shutdown, tries again
      this.#log.warn(`${this.#name}: save failed (${errorText(error)})`);
    };
    let result: void | PromiseLike<void>;
    try {
      result = this.#store.save(text);
    } catch (error) {
      failed(error);
      return;
    }
    // A synchronous store has saved already (marble tests stay in virtual time).
    if (!isPromiseLike(result)) return saved();
    this.#writing = true;
    this.#writes = Promise.resolve(result)
      .then(saved, failed)
      .then(() => {
        this.#writing = false;
        const again = this.#again;
        this.#again = undefined;
        if (again !== undefined) this.#save(again, true); // even if a new session began meanwhile
      });
  }
}

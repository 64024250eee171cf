import type { ObjectMeta } from '../watch/codecs.js';
import { isInitialEventsEnd, type ObjectEvent, type WatchEvent } from '../watch/watch-event.js';

/**
 * What an {@link ObjectStore} needs of an object: its name and namespace (the key), in `metadata`.
 * @since 0.3.0
 */
export type StoreObject = {
  /** Its `name` and `namespace` key it in the store. */
  readonly metadata?: Pick<ObjectMeta, 'name' | 'namespace'> | undefined;
};

/**
 * The key of an object in a store: `namespace/name`, or `name` for cluster-scoped objects (client-go's
 * `MetaNamespaceKeyFunc`).
 *
 * @since 0.1.0
 */
export function objectKey(object: StoreObject): string {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * A local copy of the objects a watch reports, kept equal to the server's state across relists.
 *
 * Feed it every event with {@link ObjectStore.apply}. A relist (a watch that starts with the full state, after the
 * first connection or a 410 Gone) is framed by {@link ObjectStore.beginRelist} and the BOOKMARK annotated
 * `k8s.io/initial-events-end` (or the first MODIFIED/DELETED/BOOKMARK of a legacy watch): when it ends, objects
 * that were not re-announced vanished during the gap and are removed, reported as synthetic DELETED events.
 *
 * Pure and synchronous: the operators and the informer build on it; it is exported for custom pipelines.
 *
 * @example
 * ```ts
 * const store = new ObjectStore<Pod>();
 * store.beginRelist();
 * for (const event of events) for (const change of store.apply(event)) console.log(change.type, objectKey(change.object));
 * ```
 * @since 0.1.0
 */
export class ObjectStore<T extends StoreObject> {
  #objects = new Map<string, T>();
  /** Keys re-announced by the relist in progress; `undefined` when no relist is in progress. */
  #fresh: Set<string> | undefined = new Set();
  #synced = false;
  #resourceVersion: string | undefined;

  /** Whether the store has held the complete state at least once (the first relist has ended). */
  get synced(): boolean {
    return this.#synced;
  }

  /** Whether a relist is in progress (its objects are arriving). */
  get relisting(): boolean {
    return this.#fresh !== undefined;
  }

  /** The resourceVersion of the last event or bookmark applied. Opaque: never compare it. */
  get resourceVersion(): string | undefined {
    return this.#resourceVersion;
  }

  /** The number of objects. */
  get size(): number {
    return this.#objects.size;
  }

  /** One object by key (`namespace/name`). */
  get(key: string): T | undefined {
    return this.#objects.get(key);
  }

  /** The objects, in insertion order. A live view: copy it ({@link ObjectStore.snapshot}) to keep it. */
  values(): IterableIterator<T> {
    return this.#objects.values();
  }

  /** An immutable copy of the objects, keyed by `namespace/name`. */
  snapshot(): ReadonlyMap<string, T> {
    return new Map(this.#objects);
  }

  /** A new relist begins: the ADDED events that follow, up to its end, are the complete state. */
  beginRelist(): void {
    this.#fresh = new Set();
  }

  /**
   * Applies one event and returns what changed for a consumer: the event itself, or, when it ends a relist, the
   * synthetic DELETED events of the objects that vanished during the gap (each with its last known state) followed
   * by nothing else. An ADDED event for an object the store already holds (a relist re-announcing it) is reported
   * as MODIFIED when its resourceVersion changed, and not at all when it did not.
   */
  apply(event: WatchEvent<T>): ObjectEvent<T>[] {
    if (event.type === 'BOOKMARK') {
      this.#resourceVersion = event.object.metadata.resourceVersion;
      // Any bookmark ends a relist: initial events always precede the first one (protocol sheet §3.3).
      return this.#fresh !== undefined ? this.#endRelist() : [];
    }
    const changes: ObjectEvent<T>[] = [];
    const key = objectKey(event.object);
    const rv = (event.object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    if (event.type === 'ADDED') {
      const previous = this.#objects.get(key);
      this.#objects.set(key, event.object);
      this.#fresh?.add(key);
      if (previous === undefined) changes.push(event);
      else if ((previous.metadata as { resourceVersion?: string } | undefined)?.resourceVersion !== rv) changes.push({ type: 'MODIFIED', object: event.object });
      // During a relist the synthetic ADDED events carry their own, unordered resourceVersions: not a position.
      if (this.#fresh === undefined && rv !== undefined) this.#resourceVersion = rv;
      return changes;
    }
    // A MODIFIED or DELETED can only come after the initial events: the relist (of a legacy watch) is over.
    if (this.#fresh !== undefined) changes.push(...this.#endRelist());
    if (event.type === 'MODIFIED') {
      changes.push(this.#objects.has(key) ? event : { type: 'ADDED', object: event.object });
      this.#objects.set(key, event.object);
    } else if (this.#objects.delete(key)) {
      changes.push(event);
    }
    if (rv !== undefined) this.#resourceVersion = rv;
    return changes;
  }

  /**
   * Removes one object without an event from the server (an informer leaving out a version its codec rejects) and
   * returns it, or `undefined` when the store did not hold it. The resourceVersion does not move.
   */
  remove(key: string): T | undefined {
    const object = this.#objects.get(key);
    if (object === undefined) return undefined;
    this.#objects.delete(key);
    this.#fresh?.delete(key);
    return object;
  }

  /**
   * Ends the relist in progress now, as its end marker would, and returns the synthetic DELETED events of the objects
   * it did not re-announce. Nothing happens (and nothing is returned) when no relist is in progress. For a caller
   * that must tell the relist's end from the live event that ends it (an informer giving each event its origin).
   * @since 0.3.0
   */
  endRelist(): ObjectEvent<T>[] {
    return this.#fresh !== undefined ? this.#endRelist() : [];
  }

  /**
   * Replaces the contents with objects saved earlier (a checkpoint) and their resourceVersion: the store counts as
   * synced (it holds a complete state, if an old one), and no relist is in progress. A later relist (after a 410)
   * reports what changed since as usual, with synthetic DELETED events for what vanished.
   * @since 0.3.0
   */
  restore(objects: Iterable<T>, resourceVersion: string | undefined): void {
    this.#objects = new Map();
    for (const object of objects) this.#objects.set(objectKey(object), object);
    this.#resourceVersion = resourceVersion;
    this.#fresh = undefined;
    this.#synced = true;
  }

  /** Whether an event ends the relist in progress (used by callers that track sync state). */
  endsRelist(event: WatchEvent<T>): boolean {
    return this.#fresh !== undefined && (event.type !== 'ADDED' || isInitialEventsEnd(event));
  }

  #endRelist(): ObjectEvent<T>[] {
    const fresh = this.#fresh!;
    this.#fresh = undefined;
    this.#synced = true;
    const vanished: ObjectEvent<T>[] = [];
    for (const [key, object] of this.#objects) {
      if (!fresh.has(key)) {
        this.#objects.delete(key);
        vanished.push({ type: 'DELETED', object });
      }
    }
    return vanished;
  }
}

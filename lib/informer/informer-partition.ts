/**
 * One partition of an informer's store: the objects of one connection (the informer's only one, or one namespace of
 * `namespaces`), with its own store, relist framing, rejected objects and state. Pure and synchronous: it turns a
 * watch event into the events the informer publishes, each with its {@link EventOrigin}; the informer owns the
 * subjects and decides, across partitions, when the whole state is complete.
 *
 * A relist of one partition touches only its objects: its synthetic DELETED events are those of its own store.
 * This is also the seam of a checkpoint: {@link Partition.restore} seeds one partition, and
 * {@link Partition.resumeFrom} tells its first connection where to resume.
 */
import type { Log } from '../client/log.js';
import { ObjectStore, objectKey } from '../store/object-store.js';
import type { RejectedObject } from '../watch/rejected-object.js';
import type { WatchCursor } from '../watch/watch-cursor.js';
import type { WatchEvent } from '../watch/watch-event.js';
import type { EventOrigin, InformerEvent } from './informer-event.js';
import type { InformerObject } from './informer-source.js';
import { IDLE, type InformerState } from './informer-state.js';
import type { BookmarkCadence } from './bookmark-cadence.js';

/**
 * An event with its origin: a new object (the event is never mutated: a stub or a caller may hold it).
 * @internal
 */
export function withOrigin<T>(event: WatchEvent<T>, origin: EventOrigin): InformerEvent<T> {
  return { ...event, origin } as InformerEvent<T>;
}

/** What one event did to a partition. */
export interface PartitionChange<T> {
  /** The events to publish, in order, each with its origin. */
  readonly events: InformerEvent<T>[];
  /** Whether the store changed. */
  readonly changed: boolean;
  /** Set when the event ended a relist: the origin of that relist (`initial` for the partition's first). */
  readonly ended: EventOrigin | undefined;
}

/**
 * One partition of an informer's store (see the module comment). Not exported from the package.
 * @internal
 */
export class Partition<T extends InformerObject> {
  readonly store = new ObjectStore<T>();
  /** The objects left out by `decodeErrors: 'skip'` since this partition's last relist began, by key. */
  readonly rejected = new Map<string, RejectedObject>();
  /** This partition's own state. */
  state: InformerState = IDLE;
  /** Its last attempt was answered 403 and nothing has arrived since: not counted for the informer's sync. */
  forbidden = false;
  /** Where the first connection resumes (a checkpoint's resourceVersion); `undefined`: a full initial state. */
  resumeFrom: string | undefined;
  /** Measures the server's bookmark cadence for this connection's idle window (unless `idleTimeout` is fixed). */
  cadence: BookmarkCadence | undefined;

  /**
   * @param namespace - the namespace of this partition's connection; `undefined`: the informer's own selection.
   * @param log - the log of this partition's connection.
   */
  constructor(
    readonly namespace: string | undefined,
    readonly log: Log,
  ) {}

  /** Whether this partition holds a complete state now (synced, no relist in progress). */
  get inSync(): boolean {
    return this.store.synced && !this.store.relisting;
  }

  /** A relist begins: frame it in the store, and forget what it rejected (still stored and still bad: reported again). */
  beginRelist(): void {
    this.store.beginRelist();
    this.rejected.clear();
  }

  /** Applies one event of this partition's connection. The end-of-state marker is the informer's to emit. */
  apply(event: WatchEvent<T>): PartitionChange<T> {
    const { store } = this;
    this.forbidden = false; // the server answered: whatever was forbidden is allowed now
    if (!store.relisting) {
      // Live: the event as it happened (a periodic BOOKMARK included).
      if (event.type !== 'BOOKMARK') this.rejected.delete(objectKey(event.object));
      const changes = store.apply(event);
      const events = changes.map((change) => withOrigin(change, 'live'));
      if (event.type === 'BOOKMARK') events.push(withOrigin<T>(event, 'live'));
      return { events, changed: changes.length > 0, ended: undefined };
    }
    const origin: EventOrigin = store.synced ? 'relist' : 'initial';
    if (event.type === 'ADDED') {
      this.rejected.delete(objectKey(event.object));
      const changes = store.apply(event);
      return { events: changes.map((change) => withOrigin(change, origin)), changed: changes.length > 0, ended: undefined };
    }
    // The relist ends: at its marker (any BOOKMARK), or at the first live change of a legacy watch, which is then
    // reported as live after the relist's synthetic DELETED events.
    const vanished = store.endRelist().map((change) => withOrigin(change, origin));
    if (event.type === 'BOOKMARK') {
      store.apply(event); // its resourceVersion
      return { events: vanished, changed: true, ended: origin };
    }
    this.rejected.delete(objectKey(event.object));
    const live = store.apply(event).map((change) => withOrigin(change, 'live'));
    return { events: [...vanished, ...live], changed: true, ended: origin };
  }

  /**
   * One object the codec (or the transform) rejected with `decodeErrors: 'skip'`: remember it and, live, remove an
   * older valid version (returned, for its DELETED) and move the cursor past it so a reconnection does not replay
   * it. During a relist nothing else is needed: the relist's end drops an older version it did not re-announce.
   */
  reject(cursor: WatchCursor, rejected: RejectedObject): T | undefined {
    if (rejected.source === 'DELETED') this.rejected.delete(rejected.key);
    else this.rejected.set(rejected.key, rejected);
    if (this.store.relisting) return undefined;
    if (rejected.resourceVersion !== undefined) cursor.resourceVersion = rejected.resourceVersion;
    return this.store.remove(rejected.key);
  }

  /**
   * The checkpoint seam: seeds the store with objects saved earlier, before the partition's first connection, which
   * then resumes from `resourceVersion` (no relist while the server keeps that history; a 410 relists, and the
   * relist's synthetic DELETED events cover what vanished meanwhile). Returns their ADDED events, origin `restored`.
   * @since 0.3.0
   */
  restore(objects: Iterable<T>, resourceVersion: string): InformerEvent<T>[] {
    this.store.restore(objects, resourceVersion);
    this.resumeFrom = resourceVersion;
    return [...this.store.values()].map((object) => withOrigin({ type: 'ADDED', object }, 'restored'));
  }
}

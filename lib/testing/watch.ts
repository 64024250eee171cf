/**
 * One watch of the FakeApiServer (the per-watcher part of kube-apiserver's cacher, `cacheWatcher`): which events
 * it sees (§10: selector enter/leave), its output (full objects, PartialObjectMetadata or Table rows), bookmarks,
 * the initial snapshot, the terminal ERROR, eviction and close reasons; and the fan-out of writes to open watches.
 * @internal
 */
import type { ServerResponse } from 'node:http';
import { INITIAL_EVENTS_END_ANNOTATION } from '../watch/codecs.js';
import type { StatusBody } from './status.js';
import type { JsonObject, ObjectRecord, StoreEvent, StoreEventType } from './store.js';
import { WatchOutput, type ChunkingMode, type OutputEnd } from './watch-output.js';
import { bookmarkTableJson, tableJson, type IncludeObject } from './table.js';
import type { ListOptions } from './list-options.js';
import type { Registered } from './registry.js';
import type { RecordedRequest, ResourceRef, WatchCloseReason, WatchInfo } from './server-types.js';

/** One open watch. @internal */
export class Watch implements WatchInfo {
  closeReason: WatchCloseReason | undefined;
  readonly closed: Promise<WatchCloseReason>;
  /** RV of the last event sent (or the start RV): events at or below it are skipped (§6: strictly increasing). */
  lastRV = 0;
  /** Receives live events (after its initial phase). */
  live = false;
  private endCause: WatchCloseReason | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private resolveClosed!: (r: WatchCloseReason) => void;
  readonly output: WatchOutput;

  constructor(
    readonly id: number,
    readonly request: RecordedRequest,
    private readonly reg: Registered,
    readonly namespace: string | undefined,
    /** The object name of a single-item watch through the deprecated `/watch/.../NAME` path. */
    private readonly name: string | undefined,
    readonly timeoutMs: number,
    private readonly opts: ListOptions,
    private readonly metadataOnly: boolean,
    res: ServerResponse,
    private readonly server: ServerInternals,
    /** Table output (§8): each event's object is a one-row Table, column definitions on the first only. */
    private readonly table?: IncludeObject,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.output = new WatchOutput(res, server, (by) => this.onClose(by));
  }

  get resource(): ResourceRef {
    return this.reg.resource;
  }

  /** The store collection it watches (shared by the versions of a CRD). */
  get storeKey(): string {
    return this.reg.store.key;
  }

  get allowBookmarks(): boolean {
    return this.opts.allowWatchBookmarks;
  }

  addTimer(t: NodeJS.Timeout): void {
    this.timers.push(t);
  }

  private onClose(by: OutputEnd): void {
    for (const t of this.timers) clearTimeout(t);
    this.live = false;
    this.closeReason =
      by === 'client' ? 'client' : by === 'dropped' ? 'dropped' : by === 'evicted' ? 'unresponsive' : (this.endCause ?? 'ended');
    this.server.watchClosed(this);
    this.resolveClosed(this.closeReason);
  }

  matches(rec: ObjectRecord): boolean {
    if (this.namespace !== undefined && rec.namespace !== this.namespace) return false;
    if (this.name !== undefined && rec.name !== this.name) return false;
    if (!this.opts.labelSelector.empty && !this.opts.labelSelector.matches(rec.labels)) return false;
    if (!this.opts.fieldSelector.empty && !this.opts.fieldSelector.matches(rec.fields)) return false;
    return true;
  }

  /** Whether the next Table event still carries the column definitions (only the first does, §8). */
  private tableHeaders = true;

  /** One event line: the object as stored, PartialObjectMetadata, or a one-row Table. */
  private lineOf(stored: ObjectRecord, type: StoreEventType): string {
    // The versions of a CRD share one collection: each watch sees objects in its own version.
    const rec = stored.as(this.reg.store.apiVersion);
    if (!this.table) return rec.line(type, this.metadataOnly);
    const headers = this.tableHeaders;
    this.tableHeaders = false;
    return `{"type":"${type}","object":${tableJson([rec], { resourceVersion: String(rec.rv) }, this.table, headers).trimEnd()}}\n`;
  }

  /**
   * A live write, converted per §10: entering a selector is ADDED, leaving is DELETED with the event's RV.
   * `initial`: part of the history replay a watch starts with (not counted toward the queue bound).
   */
  deliver(e: StoreEvent, initial = false): void {
    if (!this.live || e.rv <= this.lastRV) return;
    if (this.namespace !== undefined && e.current.namespace !== this.namespace) return;
    let line: string | undefined;
    if (e.type === 'MODIFIED') {
      const now = this.matches(e.current);
      const before = this.matches(e.previous!);
      if (now) line = this.lineOf(e.current, before ? 'MODIFIED' : 'ADDED');
      else if (before) line = this.lineOf(e.left, 'DELETED');
    } else if (this.matches(e.current)) {
      line = this.lineOf(e.current, e.type);
    }
    if (line === undefined) return;
    this.lastRV = e.rv;
    this.output.push(line, initial ? 'initial' : 'event');
  }

  /** The initial ADDED events, sorted by namespace/name, each with its own RV (§6, checklist 9). */
  sendSnapshot(records: readonly ObjectRecord[]): void {
    for (const rec of records) if (this.matches(rec)) this.output.push(this.lineOf(rec, 'ADDED'), 'initial');
  }

  /** A BOOKMARK of the watched kind carrying only `metadata.resourceVersion` (+ the end annotation) (§3.1). */
  sendBookmark(rv: number, initialEventsEnd: boolean): void {
    const metadata: JsonObject = { resourceVersion: String(rv) };
    if (initialEventsEnd) metadata['annotations'] = { [INITIAL_EVENTS_END_ANNOTATION]: 'true' };
    const object = this.metadataOnly
      ? { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata }
      : { kind: this.reg.resource.kind, apiVersion: this.reg.resource.apiVersion, metadata, ...this.reg.skeleton };
    let line: string;
    if (this.table) {
      const headers = this.tableHeaders;
      this.tableHeaders = false;
      line = `{"type":"BOOKMARK","object":${bookmarkTableJson(metadata, headers).trimEnd()}}\n`;
    } else {
      line = `{"type":"BOOKMARK","object":${JSON.stringify(object)}}\n`;
    }
    // A periodic bookmark that does not fit under the queue bound is skipped (the cacher's nonblockingAdd).
    if (this.output.push(line, initialEventsEnd ? 'initial' : 'bookmark')) this.lastRV = Math.max(this.lastRV, rv);
  }

  /** A periodic bookmark: only with allowWatchBookmarks, only when the global RV moved past what was sent (§3.2). */
  maybeBookmark(): void {
    if (!this.opts.allowWatchBookmarks || !this.live || this.output.terminal) return;
    const rv = this.server.currentRV;
    if (rv > this.lastRV) this.sendBookmark(rv, false);
  }

  /** One ERROR event, then a clean close; never more than one (§10, checklist 19). */
  fail(status: StatusBody): void {
    if (this.output.terminal) return;
    this.live = false;
    this.endCause = 'error';
    this.output.pushFinal(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
  }

  end(cause: WatchCloseReason): void {
    if (this.output.closed) return;
    this.live = false;
    this.endCause ??= cause;
    this.output.end();
  }

  drop(midLine: boolean): void {
    if (this.output.closed) return;
    if (!midLine) this.live = false;
    this.output.drop(midLine);
  }

  /** Closes the watch as unresponsive (see {@link WatchOutput.evict}); `false` if it was already ending. */
  evict(): boolean {
    return this.output.evict();
  }
}

/** What a Watch needs from the server. @internal */
export interface ServerInternals {
  readonly chunking: ChunkingMode;
  readonly stalled: boolean;
  readonly maxQueueBytes: number | false;
  readonly currentRV: number;
  watchClosed(w: Watch): void;
}

/**
 * The open watches, and the fan-out of the store's events to those of the event's resource type (the cacher's
 * `dispatchEvent`). Iterates in the order the watches opened.
 * @internal
 */
export class OpenWatches implements Iterable<Watch> {
  private readonly open = new Set<Watch>();
  private readonly byKey = new Map<string, Set<Watch>>();

  get size(): number {
    return this.open.size;
  }

  [Symbol.iterator](): Iterator<Watch> {
    return this.open[Symbol.iterator]();
  }

  add(w: Watch): void {
    this.open.add(w);
    const key = keyOf(w);
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(w);
  }

  delete(w: Watch): void {
    this.open.delete(w);
    this.byKey.get(keyOf(w))?.delete(w);
  }

  /** A write, to every open watch of its resource type. */
  deliver(e: StoreEvent): void {
    const watches = this.byKey.get(e.resourceKey);
    if (watches) for (const w of watches) w.deliver(e);
  }
}

/** The store key of a watch's resource type (`/apis/G/V/plural`; one key for all versions of a CRD). */
function keyOf(w: Watch): string {
  return w.storeKey;
}

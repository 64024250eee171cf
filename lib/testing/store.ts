/**
 * The FakeApiServer's in-memory object store: one global resourceVersion shared by every kind (protocol sheet §6,
 * checklist 8), a bounded event history for watches that resume from an RV (checklist 13), and a synchronous
 * event hook that the server fans out to open watches.
 *
 * Internal to `lib/testing`; the public surface is {@link FakeApiServer}.
 */
import { randomUUID } from 'node:crypto';
import type { KindStrategy } from './strategies.js';
import type { SharedStorage } from './versions.js';
import { NAMESPACES_KEY, specFinalizers } from './namespaces.js';
import { ObjectRecord, StoreEvent, normalize, type JsonObject, type StoreEventType } from './object-record.js';
import { EventHistory } from './event-history.js';
import { FakeStoreError } from './store-error.js';

export { ObjectRecord, StoreEvent, type JsonObject, type StoreEventType } from './object-record.js';
export { FakeStoreError } from './store-error.js';

/** What the store needs to know about a resource type. @internal @since 0.1.0 */
export interface StoreResource {
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** The kind's strategy (`lib/testing/strategies.ts`): its generation rule and write hooks. */
  readonly strategy: KindStrategy;
  /**
   * Set when the group-resource is served in several versions sharing one store (`lib/testing/versions.ts`): objects
   * are stored in `storage.apiVersion` and converted to and from `apiVersion` on every read and write.
   */
  readonly storage?: Pick<SharedStorage, 'apiVersion' | 'convert'>;
}

const views = new WeakMap<ObjectRecord, Map<string, ObjectRecord>>();

/**
 * A stored record as `r` serves it: itself when stored in `r`'s version, else converted to it (cached per record
 * and version, so N watchers of one event convert it once).
 * @internal
 */
export function recordFor(r: StoreResource, rec: ObjectRecord): ObjectRecord {
  if (!r.storage || rec.object['apiVersion'] === r.apiVersion) return rec;
  let cache = views.get(rec);
  if (!cache) views.set(rec, (cache = new Map()));
  let view = cache.get(r.apiVersion);
  if (!view) {
    const converted = r.storage.convert(JSON.parse(rec.json) as JsonObject, r.apiVersion);
    const obj = normalize(r.kind, r.apiVersion, converted, (converted['metadata'] as JsonObject | undefined) ?? {});
    view = new ObjectRecord(rec.resourceKey, rec.namespace, rec.name, rec.rv, obj, JSON.stringify(obj));
    cache.set(r.apiVersion, view);
  }
  return view;
}


const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What counts as the spec for the generation rule: everything but metadata and status (`withStatus`: but metadata). */
function specPart(obj: JsonObject, withStatus = false): string {
  const rest: JsonObject = {};
  for (const k of Object.keys(obj)) if (k !== 'metadata' && (withStatus || k !== 'status') && k !== 'kind' && k !== 'apiVersion') rest[k] = obj[k];
  return JSON.stringify(rest);
}

/** JSON with object keys sorted at every level: equal for equal content, whatever the key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * Options of a store write. `dryRun`: validate and build the result, but change nothing, take no RV and emit no
 * event (the `dryRun=All` of the HTTP API).
 * @internal
 * @since 0.1.0
 */
export interface StoreWriteOptions {
  readonly dryRun?: boolean;
  /** The uid a create gives the object (the HTTP path sets it before `PrepareForCreate`); default: a new one. */
  readonly uid?: string;
}

/**
 * What {@link FakeStore.remove} did: `deleted` is false when the object has finalizers and was only marked for
 * deletion (or already was), true when it is gone (or, in a dry run, would be).
 * @internal
 * @since 0.1.0
 */
export interface RemoveResult {
  readonly record: ObjectRecord;
  readonly deleted: boolean;
}

function hasFinalizers(meta: JsonObject): boolean {
  const f = meta['finalizers'];
  return Array.isArray(f) && f.length > 0;
}

/** The input of a programmatic write: any JSON object; `metadata` may be partial. @since 0.1.0 */
export type ObjectInput = {
  /** The object's metadata (an object, if set): `name` (or `generateName`), `namespace`, labels and so on. */
  readonly metadata?: unknown;
  readonly [key: string]: unknown;
};

/**
 * The in-memory store: collections keyed by group-resource (`group/plural`, shared by its served versions, see
 * `versions.ts`), the global RV, the history ring buffer.
 * @internal
 * @since 0.1.0
 */
export class FakeStore {
  private rv: number;
  private readonly collections = new Map<string, Map<string, ObjectRecord>>();
  private readonly history: EventHistory;
  private rvWaiters: { rv: number; resolve: (reached: boolean) => void }[] = [];
  /** Called synchronously after every committed write, in RV order. */
  onEvent: (e: StoreEvent) => void = () => undefined;
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(initialResourceVersion: number, historySize: number) {
    this.rv = initialResourceVersion;
    this.history = new EventHistory(historySize, initialResourceVersion);
  }

  get currentRV(): number {
    return this.rv;
  }

  /** Every event with an RV above this is still retained; a watch from an older RV is expired (410). */
  get historyBoundaryRV(): number {
    return this.history.boundaryRV;
  }

  get historyLength(): number {
    return this.history.length;
  }

  eventsSince(rv: number): StoreEvent[] {
    return this.history.since(rv);
  }

  private collection(key: string): Map<string, ObjectRecord> {
    let c = this.collections.get(key);
    if (!c) this.collections.set(key, (c = new Map()));
    return c;
  }

  private static copyInput(input: ObjectInput): { obj: JsonObject; meta: JsonObject } {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new FakeStoreError('Invalid', 'object must be a JSON object');
    }
    const obj = JSON.parse(JSON.stringify(input)) as JsonObject;
    const meta = obj['metadata'] ?? {};
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new FakeStoreError('Invalid', 'metadata must be an object');
    return { obj, meta: meta as JsonObject };
  }

  /** The input as stored: type-checked against `r`'s version, then converted to the storage version. */
  private static storedInput(r: StoreResource, input: ObjectInput): { obj: JsonObject; meta: JsonObject } {
    const { obj, meta } = FakeStore.copyInput(input);
    FakeStore.checkTypeMeta(r, obj);
    if (!r.storage || r.storage.apiVersion === r.apiVersion) return { obj, meta };
    obj['metadata'] = meta;
    const converted = r.storage.convert({ ...obj, kind: r.kind, apiVersion: r.apiVersion }, r.storage.apiVersion);
    return { obj: converted, meta: (converted['metadata'] as JsonObject | undefined) ?? {} };
  }

  private static checkTypeMeta(r: StoreResource, obj: JsonObject): void {
    if (obj['kind'] !== undefined && obj['kind'] !== r.kind) {
      throw new FakeStoreError('Invalid', `kind ${JSON.stringify(obj['kind'])} does not match the resource kind ${JSON.stringify(r.kind)}`);
    }
    if (obj['apiVersion'] !== undefined && obj['apiVersion'] !== r.apiVersion) {
      throw new FakeStoreError('Invalid', `apiVersion ${JSON.stringify(obj['apiVersion'])} does not match ${JSON.stringify(r.apiVersion)}`);
    }
  }

  private static scope(r: StoreResource, namespace: unknown): string {
    if (!r.namespaced) {
      if (namespace !== undefined && namespace !== '') {
        throw new FakeStoreError('Invalid', `${r.kind} is cluster-scoped: metadata.namespace must not be set`);
      }
      return '';
    }
    if (namespace === undefined || namespace === '') return 'default';
    if (typeof namespace !== 'string') throw new FakeStoreError('Invalid', 'metadata.namespace must be a string');
    return namespace;
  }

  private static itemKey(namespace: string, name: string): string {
    return namespace ? `${namespace}/${name}` : name;
  }

  private commit(type: StoreEventType, r: StoreResource, current: ObjectRecord, previous: ObjectRecord | undefined): void {
    const e = new StoreEvent(type, current.rv, r.key, current, previous);
    this.history.push(e);
    this.onEvent(e);
    for (const listener of this.listeners) listener(e);
    this.notifyRVWaiters();
  }

  /**
   * Adds a listener called synchronously after {@link FakeStore.onEvent} for every committed write (controllers such
   * as the CRD controller). A listener may write to the store; returns a function that removes it.
   */
  addListener(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(r: StoreResource, namespace: string, name: string, rv: number, obj: JsonObject, meta: JsonObject): ObjectRecord {
    const normalized = normalize(r.kind, r.storage?.apiVersion ?? r.apiVersion, obj, meta);
    return new ObjectRecord(r.key, namespace, name, rv, normalized, JSON.stringify(normalized));
  }

  /**
   * A free name from `generateName`: the prefix (cut to 58 characters) plus 5 random characters of
   * `bcdfghjklmnpqrstvwxz2456789` (`names.SimpleNameGenerator` in apiserver `storage/names/generate.go`), retried
   * while taken.
   */
  generateName(r: StoreResource, namespace: string, prefix: string): string {
    const items = this.collection(r.key);
    const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    let name: string;
    do {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += NAME_SUFFIX_ALPHABET[Math.floor(Math.random() * NAME_SUFFIX_ALPHABET.length)];
      name = base + suffix;
    } while (items.has(FakeStore.itemKey(namespace, name)));
    return name;
  }

  create(r: StoreResource, input: ObjectInput, options: StoreWriteOptions = {}): ObjectRecord {
    const { obj, meta } = FakeStore.storedInput(r, input);
    const namespace = FakeStore.scope(r, meta['namespace']);
    const items = this.collection(r.key);
    let name = meta['name'];
    if (name === undefined || name === '') {
      const prefix = meta['generateName'];
      if (typeof prefix !== 'string' || prefix === '') throw new FakeStoreError('Invalid', 'metadata.name or metadata.generateName is required');
      name = this.generateName(r, namespace, prefix);
    }
    if (typeof name !== 'string') throw new FakeStoreError('Invalid', 'metadata.name must be a string');
    const key = FakeStore.itemKey(namespace, name);
    if (items.has(key)) throw new FakeStoreError('AlreadyExists', `${r.plural} ${JSON.stringify(name)} already exists${namespace ? ` in namespace ${JSON.stringify(namespace)}` : ''}`);
    const rv = options.dryRun ? 0 : ++this.rv;
    meta['name'] = name;
    if (r.namespaced) meta['namespace'] = namespace;
    else delete meta['namespace'];
    meta['uid'] = options.uid ?? randomUUID();
    // A dry-run create is never stored, so it gets no resourceVersion (DryRunnableStorage.Create copies the object as is).
    if (options.dryRun) delete meta['resourceVersion'];
    else meta['resourceVersion'] = String(rv);
    // The kind's PrepareForCreate sets generation 1, or leaves it as sent (lib/testing/strategies.ts).
    if (r.strategy.generation !== 'none') meta['generation'] = 1;
    meta['creationTimestamp'] = timestamp();
    const rec = this.record(r, namespace, name, rv, obj, meta);
    if (options.dryRun) return recordFor(r, rec);
    items.set(key, rec);
    this.commit('ADDED', r, rec, undefined);
    return recordFor(r, rec);
  }

  /**
   * Replaces an object. An object being deleted keeps its `deletionTimestamp`/`deletionGracePeriodSeconds`
   * (`rest.BeforeUpdate`: "an update can never remove/change a deletion timestamp"); when such an update leaves no
   * finalizers, the object is deleted instead (`Store.shouldDeleteDuringUpdate`, `deleteWithoutFinalizers`): the
   * watch event is DELETED carrying the last *stored* state (finalizers included, as etcd's prevKV has them) with the
   * deletion RV, and the returned record is the requested state with that RV.
   */
  update(r: StoreResource, input: ObjectInput, options: StoreWriteOptions = {}): ObjectRecord {
    const { obj, meta } = FakeStore.storedInput(r, input);
    const namespace = FakeStore.scope(r, meta['namespace']);
    const name = meta['name'];
    if (typeof name !== 'string' || name === '') throw new FakeStoreError('Invalid', 'metadata.name is required for an update');
    const items = this.collection(r.key);
    const key = FakeStore.itemKey(namespace, name);
    const prev = items.get(key);
    if (!prev) throw new FakeStoreError('NotFound', `${r.plural} ${JSON.stringify(name)} not found${namespace ? ` in namespace ${JSON.stringify(namespace)}` : ''}`);
    const prevMeta = prev.object['metadata'] as JsonObject;
    // Optimistic concurrency as for PUT: a stale metadata.resourceVersion is a conflict; an absent one is accepted.
    if (meta['resourceVersion'] !== undefined && meta['resourceVersion'] !== '' && meta['resourceVersion'] !== prevMeta['resourceVersion']) {
      throw new FakeStoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${r.plural} ${JSON.stringify(name)}: the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    if (prevMeta['deletionTimestamp'] !== undefined) {
      meta['deletionTimestamp'] = prevMeta['deletionTimestamp'];
      if (meta['deletionGracePeriodSeconds'] === undefined && prevMeta['deletionGracePeriodSeconds'] !== undefined) {
        meta['deletionGracePeriodSeconds'] = prevMeta['deletionGracePeriodSeconds'];
      }
    }
    const finalize =
      prevMeta['deletionTimestamp'] !== undefined &&
      !hasFinalizers(meta) &&
      // A Namespace also waits for its spec.finalizers (`ShouldDeleteNamespaceDuringUpdate`, lib/testing/namespaces.ts).
      !(r.key === NAMESPACES_KEY && specFinalizers(obj).length > 0) &&
      (prevMeta['deletionGracePeriodSeconds'] === undefined || prevMeta['deletionGracePeriodSeconds'] === 0);
    if (r.namespaced) meta['namespace'] = namespace;
    meta['uid'] = prevMeta['uid'];
    meta['creationTimestamp'] = prevMeta['creationTimestamp'];
    if (r.strategy.generation !== 'none') {
      // PrepareForUpdate: `if !apiequality.Semantic.DeepEqual(newX.Spec, oldX.Spec) { newX.Generation = oldX.Generation + 1 }`
      // (lib/testing/strategies.ts); everything but metadata and status counts as the spec ('non-metadata': but metadata).
      const prevGeneration = typeof prevMeta['generation'] === 'number' ? prevMeta['generation'] : 1;
      const withStatus = r.strategy.generation === 'non-metadata';
      meta['generation'] = specPart(obj, withStatus) === specPart(prev.object, withStatus) ? prevGeneration : prevGeneration + 1;
    }
    // A write that changes nothing is not written: AS:`storage/etcd3/store.go` `GuaranteedUpdate` compares the newly
    // encoded object with the stored bytes (`if !origState.stale && bytes.Equal(data, origState.data)`) and, when
    // equal, returns the existing object without a transaction: no new resourceVersion, so no watch event. Key order
    // never differs on a real server (Go encodes structs in field order and maps sorted), hence a canonical compare.
    meta['resourceVersion'] = prevMeta['resourceVersion'];
    const unchanged = this.record(r, namespace, name, prev.rv, obj, meta);
    if (!finalize && canonicalJson(unchanged.object) === canonicalJson(prev.object)) return recordFor(r, prev);
    const rv = options.dryRun ? Number(prevMeta['resourceVersion']) : ++this.rv;
    meta['resourceVersion'] = String(rv);
    const rec = this.record(r, namespace, name, rv, obj, meta);
    if (options.dryRun) return recordFor(r, rec);
    if (finalize) {
      items.delete(key);
      this.commit('DELETED', r, prev.withResourceVersion(rv), prev);
      return recordFor(r, rec);
    }
    items.set(key, rec);
    this.commit('MODIFIED', r, rec, prev);
    return recordFor(r, rec);
  }

  /**
   * Writes the new state of an existing object exactly as given (metadata included: deletionTimestamp, finalizers,
   * generation), with the next RV and a MODIFIED event; nothing when it is unchanged. The deletion path's
   * `GuaranteedUpdate` (AS:`registry/generic/registry/store.go` `updateForGracefulDeletionAndFinalizers`), used by
   * `lib/testing/deletion.ts`; no generation rule, no protection of the deletion fields.
   */
  put(r: StoreResource, input: JsonObject, options: StoreWriteOptions = {}): ObjectRecord {
    const { obj, meta } = FakeStore.storedInput(r, input);
    const namespace = FakeStore.scope(r, meta['namespace']);
    const name = String(meta['name']);
    const items = this.collection(r.key);
    const key = FakeStore.itemKey(namespace, name);
    const prev = items.get(key);
    if (!prev) throw new FakeStoreError('NotFound', `${r.plural} ${JSON.stringify(name)} not found${namespace ? ` in namespace ${JSON.stringify(namespace)}` : ''}`);
    meta['resourceVersion'] = String(prev.rv);
    if (canonicalJson(this.record(r, namespace, name, prev.rv, obj, meta).object) === canonicalJson(prev.object)) return recordFor(r, prev);
    const rv = options.dryRun ? prev.rv : ++this.rv;
    meta['resourceVersion'] = String(rv);
    const rec = this.record(r, namespace, name, rv, obj, meta);
    if (options.dryRun) return recordFor(r, rec);
    items.set(key, rec);
    this.commit('MODIFIED', r, rec, prev);
    return recordFor(r, rec);
  }

  /** Deletes an object, honouring finalizers (see {@link FakeStore.remove}); returns the resulting record. */
  delete(r: StoreResource, name: string, namespace: string | undefined): ObjectRecord {
    return this.remove(r, name, namespace).record;
  }

  /**
   * Deletes an object. With `metadata.finalizers` non-empty it is only marked: the first delete sets
   * `deletionTimestamp` (now), `deletionGracePeriodSeconds: 0` and bumps `generation` (`markAsDeleting` in
   * `registry/generic/registry/store.go`), a MODIFIED event; a later delete changes nothing. The object goes away
   * (DELETED) once an update removes the last finalizer. Without finalizers the object is removed at once; the
   * result carries the deletion RV, which is also what watches get in DELETED (protocol sheet §10).
   */
  remove(r: StoreResource, name: string, namespace: string | undefined, options: StoreWriteOptions = {}): RemoveResult {
    const ns = FakeStore.scope(r, namespace);
    const items = this.collection(r.key);
    const key = FakeStore.itemKey(ns, name);
    const prev = items.get(key);
    if (!prev) throw new FakeStoreError('NotFound', `${r.plural} ${JSON.stringify(name)} not found${ns ? ` in namespace ${JSON.stringify(ns)}` : ''}`);
    const prevMeta = prev.object['metadata'] as JsonObject;
    // A kind whose registry marks objects itself on the first delete (KindStrategy.markForDeletion, e.g. a CRD).
    const registryMark = prevMeta['deletionTimestamp'] === undefined ? r.strategy.markForDeletion : undefined;
    if (hasFinalizers(prevMeta) || registryMark) {
      if (prevMeta['deletionTimestamp'] !== undefined) return { record: recordFor(r, prev), deleted: false };
      const obj = prev.copy();
      const meta = obj['metadata'] as JsonObject;
      meta['deletionTimestamp'] = timestamp();
      if (registryMark) registryMark(obj);
      else {
        meta['deletionGracePeriodSeconds'] = 0;
        if (typeof meta['generation'] === 'number' && meta['generation'] > 0) meta['generation'] = meta['generation'] + 1;
      }
      const rv = options.dryRun ? prev.rv : ++this.rv;
      meta['resourceVersion'] = String(rv);
      const rec = this.record(r, ns, name, rv, obj, meta);
      if (options.dryRun) return { record: recordFor(r, rec), deleted: false };
      items.set(key, rec);
      this.commit('MODIFIED', r, rec, prev);
      return { record: recordFor(r, rec), deleted: false };
    }
    if (options.dryRun) return { record: recordFor(r, prev), deleted: true };
    items.delete(key);
    const rv = ++this.rv;
    // DELETED carries the last state with the deletion revision as its RV (protocol sheet §10).
    const rec = prev.withResourceVersion(rv);
    this.commit('DELETED', r, rec, prev);
    return { record: recordFor(r, rec), deleted: true };
  }

  get(r: StoreResource, name: string, namespace: string | undefined): ObjectRecord | undefined {
    const ns = FakeStore.scope(r, namespace);
    const rec = this.collections.get(r.key)?.get(FakeStore.itemKey(ns, name));
    return rec && recordFor(r, rec);
  }

  /** The stored objects of one collection, unsorted and not copied (read-only use, e.g. the Service allocator). */
  *objects(key: string): IterableIterator<JsonObject> {
    const items = this.collections.get(key);
    if (items) for (const rec of items.values()) yield rec.object;
  }

  /**
   * The objects of one collection (optionally one namespace), sorted by `namespace/name` (protocol sheet §10), as
   * stored (`recordFor` gives a version's view).
   */
  snapshot(key: string, namespace: string | undefined): ObjectRecord[] {
    const items = this.collections.get(key);
    if (!items) return [];
    const out: ObjectRecord[] = [];
    for (const rec of items.values()) if (namespace === undefined || rec.namespace === namespace) out.push(rec);
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out;
  }

  /** Advances the global RV by `n` without any event, as writes to unwatched kinds would (checklist 8). */
  burn(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError('burnRevisions: n must be a non-negative integer');
    this.rv += n;
    this.notifyRVWaiters();
  }

  /** Drops the whole history: every RV below the current one becomes "too old". */
  compact(): void {
    this.history.clear(this.rv);
  }

  /** Resolves `true` once the global RV is at least `rv`, or `false` after `timeoutMs`. */
  waitForRV(rv: number, timeoutMs: number): Promise<boolean> {
    if (this.rv >= rv) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        rv,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.rvWaiters = this.rvWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.rvWaiters.push(waiter);
    });
  }

  private notifyRVWaiters(): void {
    if (this.rvWaiters.length === 0) return;
    const ready = this.rvWaiters.filter((w) => w.rv <= this.rv);
    if (ready.length === 0) return;
    this.rvWaiters = this.rvWaiters.filter((w) => w.rv > this.rv);
    for (const w of ready) w.resolve(true);
  }

  /** Settles every pending RV wait as "not reached" (server shutdown). */
  cancelWaits(): void {
    const waiters = this.rvWaiters;
    this.rvWaiters = [];
    for (const w of waiters) w.resolve(false);
  }
}

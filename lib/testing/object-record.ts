/**
 * One stored object of the FakeApiServer and one committed write: the object normalized to the key order a real
 * server encodes (metadata fields in Go struct order), its JSON and watch lines cached, and the events fanned out to
 * watches and kept in the history.
 * @internal
 */
/** A JSON object. @internal @since 0.1.0 */
export type JsonObject = Record<string, unknown>;

/** The write event types (BOOKMARK and ERROR are produced per watch, never stored). @internal @since 0.1.0 */
export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Go's typed structs keep field order: `kind, apiVersion, metadata, spec, status` (protocol sheet §10). */
export function normalize(kind: string, apiVersion: string, obj: JsonObject, metadata: JsonObject): JsonObject {
  const meta: JsonObject = {};
  for (const k of METADATA_ORDER) if (metadata[k] !== undefined) meta[k] = metadata[k];
  for (const k of Object.keys(metadata)) if (!(k in meta) && metadata[k] !== undefined) meta[k] = metadata[k];
  const out: JsonObject = { kind, apiVersion, metadata: meta };
  for (const k of Object.keys(obj)) if (k !== 'kind' && k !== 'apiVersion' && k !== 'metadata') out[k] = obj[k];
  return out;
}

/**
 * One stored version of an object. Immutable once built; never handed out (callers get parsed copies of `json`).
 * @internal
 * @since 0.1.0
 */
export class ObjectRecord {
  private metaJson: string | undefined;
  private lineCache: Map<string, string> | undefined;
  /** Selectable fields (protocol sheet §1.2: default field selectors `metadata.name`, `metadata.namespace`). */
  readonly fields: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly resourceKey: string,
    readonly namespace: string,
    readonly name: string,
    readonly rv: number,
    readonly object: JsonObject,
    readonly json: string,
  ) {
    this.fields = { 'metadata.name': name, 'metadata.namespace': namespace };
    const labels = (object['metadata'] as JsonObject | undefined)?.['labels'];
    this.labels = labels && typeof labels === 'object' ? (labels as Record<string, string>) : undefined;
  }

  /** `namespace/name` (or `name`): the watch cache's sort key (protocol sheet §10). */
  get key(): string {
    return this.namespace ? `${this.namespace}/${this.name}` : this.name;
  }

  /** A deep copy of the object, safe to give to callers. */
  copy(): JsonObject {
    return JSON.parse(this.json) as JsonObject;
  }

  /** The same content with another resourceVersion (DELETED and "left the selector" events, protocol sheet §10). */
  withResourceVersion(rv: number): ObjectRecord {
    const meta = { ...(this.object['metadata'] as JsonObject), resourceVersion: String(rv) };
    const obj = { ...this.object, metadata: meta };
    return new ObjectRecord(this.resourceKey, this.namespace, this.name, rv, obj, JSON.stringify(obj));
  }

  /** The PartialObjectMetadata form (protocol sheet §8). */
  metadataJson(): string {
    this.metaJson ??= JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: this.object['metadata'] });
    return this.metaJson;
  }

  /**
   * The framed watch line for this object: compact JSON `{"type":..,"object":..}` and exactly one `\n`
   * (protocol sheet §2). Cached, so N watchers of one event serialize it once.
   */
  line(type: StoreEventType, metadataOnly: boolean): string {
    const cacheKey = metadataOnly ? `m${type}` : type;
    this.lineCache ??= new Map();
    let line = this.lineCache.get(cacheKey);
    if (line === undefined) {
      line = `{"type":"${type}","object":${metadataOnly ? this.metadataJson() : this.json}}\n`;
      this.lineCache.set(cacheKey, line);
    }
    return line;
  }
}

/** One committed write, as kept in the history and fanned out to watches. @internal @since 0.1.0 */
export class StoreEvent {
  private leftRecord: ObjectRecord | undefined;
  constructor(
    readonly type: StoreEventType,
    readonly rv: number,
    readonly resourceKey: string,
    /** The new state; for DELETED the last state carrying the deletion RV (protocol sheet §10). */
    readonly current: ObjectRecord,
    /** For MODIFIED: the state before the write (its own RV). */
    readonly previous: ObjectRecord | undefined,
  ) {}

  /** For an object leaving a selector: the previous content with this event's RV (protocol sheet §10). */
  get left(): ObjectRecord {
    this.leftRecord ??= (this.previous ?? this.current).withResourceVersion(this.rv);
    return this.leftRecord;
  }
}

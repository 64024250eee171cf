/**
 * `meta.k8s.io/v1` Table output (what `kubectl get` asks for with `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`),
 * as kube-apiserver's default table convertor makes it: a Name and an Age column, one row per object, the row's
 * object as PartialObjectMetadata unless `includeObject` says otherwise.
 */
import type { JsonObject, ObjectRecord } from './store.js';

/** `includeObject` of a Table request: row objects as nothing, PartialObjectMetadata (default), or the full object. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The columns of the default table convertor, Age as the humanized duration kubectl shows. @internal */
export const TABLE_COLUMNS = [
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    description:
      'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
    priority: 0,
  },
  {
    name: 'Age',
    type: 'string',
    format: '',
    description:
      'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
    priority: 0,
  },
] as const;

/**
 * A duration as apimachinery's `duration.HumanDuration` writes it (`5s`, `3m20s`, `45m`, `2h5m`, `30h`, `3d4h`,
 * `120d`, `2y10d`, `5y`). Negative durations (clock skew) count as zero below -1 s, as kubectl shows `<invalid>`.
 * @since 0.1.0
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Parses `includeObject` (unknown values: the default, `Metadata`). @internal */
export function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/**
 * A Table of `records` (one row each) with the given list metadata, as JSON text with a trailing newline.
 * Without `headers` (watch events after the first, the server's `NoHeaders`), `columnDefinitions` is `null`.
 * @internal
 */
export function tableJson(records: readonly ObjectRecord[], listMeta: JsonObject, includeObject: IncludeObject, headers = true, now = Date.now()): string {
  const rows = records.map((rec) => {
    const meta = (rec.object['metadata'] ?? {}) as JsonObject;
    const created = typeof meta['creationTimestamp'] === 'string' ? Date.parse(meta['creationTimestamp']) : NaN;
    const age = Number.isNaN(created) ? '<unknown>' : humanDuration(now - created);
    const object = includeObject === 'None' ? '' : `,"object":${includeObject === 'Object' ? rec.json : rec.metadataJson()}`;
    return `{"cells":[${JSON.stringify(rec.name)},${JSON.stringify(age)}]${object}}`;
  });
  return tableText(listMeta, rows, headers);
}

/** The Table envelope around row JSON texts. */
function tableText(listMeta: JsonObject, rows: readonly string[], headers: boolean): string {
  const columns = headers ? JSON.stringify(TABLE_COLUMNS) : 'null';
  return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(listMeta)},"columnDefinitions":${columns},"rows":[${rows.join(',')}]}\n`;
}

/**
 * The Table of a watch BOOKMARK (§8): one row for the bookmark object, whose row object is always
 * PartialObjectMetadata so the initial-events-end annotation survives.
 * @internal
 */
export function bookmarkTableJson(metadata: JsonObject, headers: boolean): string {
  const object = JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata });
  return tableText({ resourceVersion: metadata['resourceVersion'] ?? '' }, [`{"cells":["","<unknown>"],"object":${object}}`], headers);
}

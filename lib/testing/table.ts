/**
 * `meta.k8s.io/v1` Table output (what `kubectl get` asks for with `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`):
 * the kind's printer columns (its strategy's `columns`, `lib/testing/kinds/columns-*.ts`, as kube-apiserver's
 * `pkg/printers/internalversion/printers.go` defines them), else a Name and an Age column; one row per object with
 * every column's cell (the server prints with `Wide: true`, `pkg/printers/storage/storage.go`; kubectl drops
 * priority-1 columns unless `-o wide`), the row's object as PartialObjectMetadata unless `includeObject` says otherwise.
 */
import type { JsonObject, ObjectRecord } from './store.js';
import type { PrinterColumn } from './strategies.js';

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

/** The cell of the Name column. */
function nameCell(obj: JsonObject): unknown {
  const name = (obj['metadata'] as JsonObject | undefined)?.['name'];
  return typeof name === 'string' ? name : '';
}

/** The cell of the Age column (`translateTimestampSince`). */
function ageCell(obj: JsonObject, now: number): unknown {
  const created = (obj['metadata'] as JsonObject | undefined)?.['creationTimestamp'];
  const t = typeof created === 'string' ? Date.parse(created) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

const [NAME_DEFINITION, AGE_DEFINITION] = TABLE_COLUMNS;
const NAME_COLUMN: PrinterColumn = { ...NAME_DEFINITION, cell: nameCell };
const DEFAULT_COLUMNS: readonly PrinterColumn[] = [NAME_COLUMN, { ...AGE_DEFINITION, cell: ageCell }];

/**
 * The full column list of a kind: NAME then the strategy's columns, or those alone when they hold the name column
 * (see `KindStrategy.columns`); NAME and AGE without any.
 * @internal
 */
export function tableColumnsOf(columns: readonly PrinterColumn[] | undefined): readonly PrinterColumn[] {
  if (!columns) return DEFAULT_COLUMNS;
  return columns.some((c) => c.format === 'name') ? columns : [NAME_COLUMN, ...columns];
}

/** The `columnDefinitions` JSON (`TableColumnDefinition`: name, type, format, description, priority; none omitted). */
function definitionsJson(columns: readonly PrinterColumn[]): string {
  return JSON.stringify(columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority })));
}

function cellsJson(columns: readonly PrinterColumn[], obj: JsonObject, now: number): string {
  return JSON.stringify(columns.map((c) => c.cell(obj, now)));
}

/**
 * A Table of `records` (one row each) with the given list metadata, as JSON text with a trailing newline.
 * Without `headers` (watch events after the first, the server's `NoHeaders`), `columnDefinitions` is `null`.
 * `columns`: the kind strategy's (see {@link tableColumnsOf}).
 * @internal
 */
export function tableJson(
  records: readonly ObjectRecord[],
  listMeta: JsonObject,
  includeObject: IncludeObject,
  headers = true,
  now = Date.now(),
  columns?: readonly PrinterColumn[],
): string {
  const all = tableColumnsOf(columns);
  const rows = records.map((rec) => {
    const object = includeObject === 'None' ? '' : `,"object":${includeObject === 'Object' ? rec.json : rec.metadataJson()}`;
    return `{"cells":${cellsJson(all, rec.object, now)}${object}}`;
  });
  return tableText(listMeta, rows, headers ? all : undefined);
}

/** The Table envelope around row JSON texts. */
function tableText(listMeta: JsonObject, rows: readonly string[], columns: readonly PrinterColumn[] | undefined): string {
  const definitions = columns ? definitionsJson(columns) : 'null';
  return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(listMeta)},"columnDefinitions":${definitions},"rows":[${rows.join(',')}]}\n`;
}

/**
 * The Table of a watch BOOKMARK (§8): one row for the bookmark object (cells of the typed zero object `bookmark`),
 * whose row object is always PartialObjectMetadata so the initial-events-end annotation survives.
 * @internal
 */
export function bookmarkTableJson(metadata: JsonObject, headers: boolean, columns?: readonly PrinterColumn[], bookmark: JsonObject = { metadata }): string {
  const all = tableColumnsOf(columns);
  const object = JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata });
  return tableText(
    { resourceVersion: metadata['resourceVersion'] ?? '' },
    [`{"cells":${cellsJson(all, bookmark, Date.now())},"object":${object}}`],
    headers ? all : undefined,
  );
}

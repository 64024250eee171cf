/**
 * Building blocks of the FakeApiServer's per-kind Table columns (kube-apiserver's
 * `pkg/printers/internalversion/printers.go`): column constructors, JSON access, and the formatting helpers the
 * printers share (`translateTimestampSince`, `labels.FormatLabels`, `metav1.FormatLabelSelector`,
 * `layoutContainerCells`).
 *
 * A printer's row is computed with `GenerateOptions{Wide: true}` on the server (`pkg/printers/storage/storage.go`
 * `TableConvertor.ConvertToTable`): every column, priority 1 included, has a cell; kubectl hides priority-1 columns
 * unless `-o wide`.
 * @internal
 */
import type { PrinterColumn } from '../strategies.js';
import type { JsonObject } from '../store.js';
import { humanDuration } from '../table.js';
import { COLUMN_DESCRIPTIONS } from './column-descriptions.js';

/** A key of the generated column descriptions. @internal */
export type DescriptionKey = keyof typeof COLUMN_DESCRIPTIONS;

/** A column; `description` is a generated key or a literal text of printers.go. @internal */
export function column(
  name: string,
  type: string,
  description: DescriptionKey | { readonly text: string },
  cell: PrinterColumn['cell'],
  priority = 0,
  format = '',
): PrinterColumn {
  const text = typeof description === 'string' ? COLUMN_DESCRIPTIONS[description] : description.text;
  return { name, type, format, description: text, priority, cell };
}

/** `{Name: "Name", Type: "string", Format: "name", ...}`: the object's name (printers put it first, Event last). @internal */
export function nameColumn(priority = 0): PrinterColumn {
  return column('Name', 'string', 'ObjectMeta.name', (o) => str(path(o, 'metadata', 'name')), priority, 'name');
}

/** `{Name: "Age", ...}`: `translateTimestampSince(obj.CreationTimestamp)`. @internal */
export const AGE: PrinterColumn = column('Age', 'string', 'ObjectMeta.creationTimestamp', (o, now) => since(path(o, 'metadata', 'creationTimestamp'), now));

/** The `Containers` and `Images` columns (priority 1) of a pod template at `templatePath` (`layoutContainerCells`). @internal */
export function containerColumns(...templatePath: string[]): PrinterColumn[] {
  const containers = (o: JsonObject): JsonObject[] => objects(path(o, ...templatePath, 'spec', 'containers'));
  return [
    column('Containers', 'string', { text: 'Names of each container in the template.' }, (o) => containers(o).map((c) => str(c['name'])).join(','), 1),
    column('Images', 'string', { text: 'Images referenced by each container in the template.' }, (o) => containers(o).map((c) => str(c['image'])).join(','), 1),
  ];
}

/** The value at a path of nested objects, or `undefined`. @internal */
export function path(o: unknown, ...keys: string[]): unknown {
  let v: unknown = o;
  for (const k of keys) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as JsonObject)[k];
  }
  return v;
}

/** A string field (Go's zero value `""` when absent). @internal */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** An integer field (Go's zero value 0 when absent). @internal */
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** The objects of an array field (none when absent). @internal */
export function objects(v: unknown): JsonObject[] {
  return Array.isArray(v) ? v.filter((x): x is JsonObject => x !== null && typeof x === 'object' && !Array.isArray(x)) : [];
}

/** The keys of a map field. @internal */
export function keysOf(v: unknown): string[] {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
}

/** `translateTimestampSince`: `<unknown>` for a zero time, else `duration.HumanDuration(time.Since(t))`. @internal */
export function since(timestamp: unknown, now: number): string {
  const t = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** AM `labels.FormatLabels`: `k=v` sorted by key, comma-joined; `<none>` when empty. @internal */
export function formatLabels(v: unknown): string {
  const keys = keysOf(v).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${str((v as JsonObject)[k])}`).join(',');
}

/**
 * A LabelSelector as AM `metav1.LabelSelectorAsSelector(...).String()`: requirements sorted by key, `k=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. `undefined` (or an empty selector) gives `""`.
 * @internal
 */
export function selectorString(selector: unknown): string {
  if (selector === null || typeof selector !== 'object') return '';
  const reqs: { key: string; text: string }[] = [];
  const labels = path(selector, 'matchLabels');
  for (const k of keysOf(labels)) reqs.push({ key: k, text: `${k}=${str((labels as JsonObject)[k])}` });
  for (const e of objects(path(selector, 'matchExpressions'))) {
    const key = str(e['key']);
    const values = (Array.isArray(e['values']) ? e['values'].map(str) : []).sort().join(',');
    const op = str(e['operator']);
    const text = op === 'In' ? `${key} in (${values})` : op === 'NotIn' ? `${key} notin (${values})` : op === 'Exists' ? key : `!${key}`;
    reqs.push({ key, text });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** AM `metav1.FormatLabelSelector`: {@link selectorString}, `<none>` when empty. @internal */
export function formatLabelSelector(selector: unknown): string {
  const s = selectorString(selector);
  return s === '' ? '<none>' : s;
}

/** `printBoolPtr`: `True`/`False`, `<unset>` when absent. @internal */
export function boolPtr(v: unknown): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : '<unset>';
}

/** The first condition of a type: whether its status is `True` (`hasJobCondition` and kin). @internal */
export function conditionTrue(conditions: unknown, type: string): boolean {
  const c = objects(conditions).find((x) => x['type'] === type);
  return c !== undefined && c['status'] === 'True';
}

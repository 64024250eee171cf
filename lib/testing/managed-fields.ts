/**
 * A simplified model of server-side apply's field ownership (`metadata.managedFields`, `FieldsV1`), for the
 * FakeApiServer. Real kube-apiserver does this with structured-merge-diff and the OpenAPI schema; this module works
 * without a schema:
 *
 * - a field path is a list of tokens as `FieldsV1` spells them: `f:<field>` for an object member and
 *   `k:{"name":"c"}` for an item of a list with a known merge key ({@link MERGE_KEYS}); every other list is atomic;
 * - the owned set of a manager holds leaves (scalars, atomic lists, empty objects) and keyed list items (written with
 *   a `"."` member, like the real encoding);
 * - `kind`, `apiVersion` and the server-set metadata (`name`, `namespace`, `uid`, `resourceVersion`, `generation`,
 *   `creationTimestamp`, deletion fields, `managedFields`) are never owned; `status` is treated like any other field.
 *
 * @internal
 */
import { makeStatus, type StatusBody } from './status.js';
import { MERGE_KEYS, isMap, jsonEqual, mergeKeyFor, strategicMergePatch, type Json, type JsonMap } from './patch.js';

/** One field path: `FieldsV1` tokens. @internal @since 0.1.0 */
export type FieldPath = readonly string[];

interface Owned {
  readonly path: FieldPath;
  /** A leaf (compared by value) or a keyed list item (a set member with `"."`). */
  readonly leaf: boolean;
}

/** A set of owned paths keyed by their joined tokens. */
type FieldSet = Map<string, Owned>;

const IGNORED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

const keyOf = (p: FieldPath): string => p.join('\u0001');

function collect(v: Json, path: string[], out: FieldSet): void {
  if (isMap(v) && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) collectField(k, x, path, out);
    return;
  }
  out.set(keyOf(path), { path, leaf: true });
}

function collectField(k: string, x: Json, path: string[], out: FieldSet): void {
  const p = [...path, `f:${k}`];
  const mk = Array.isArray(x) ? mergeKeyFor(k, x) : undefined;
  if (Array.isArray(x) && mk !== undefined && x.length > 0 && x.every((i) => isMap(i) && i[mk] !== undefined)) {
    for (const item of x as JsonMap[]) {
      const ip = [...p, `k:${JSON.stringify({ [mk]: item[mk] })}`];
      out.set(keyOf(ip), { path: ip, leaf: false });
      collect(item, ip, out);
    }
    return;
  }
  collect(x, p, out);
}

/** The fields an object sets, as owned paths. */
function fieldSet(obj: JsonMap): FieldSet {
  const out: FieldSet = new Map();
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'kind' || k === 'apiVersion') continue;
    if (k === 'metadata' && isMap(v)) {
      for (const [mk, mv] of Object.entries(v)) if (!IGNORED_METADATA.has(mk)) collectField(mk, mv, ['f:metadata'], out);
      continue;
    }
    collectField(k, v, [], out);
  }
  return out;
}

/** The value at a path, or `undefined`. */
function valueAt(obj: Json | undefined, path: FieldPath): Json | undefined {
  let cur: Json | undefined = obj;
  for (const t of path) {
    if (t.startsWith('f:')) cur = isMap(cur) ? cur[t.slice(2)] : undefined;
    else {
      const key = JSON.parse(t.slice(2)) as JsonMap;
      const [[k, want]] = Object.entries(key) as [[string, Json]];
      cur = Array.isArray(cur) ? cur.find((i) => isMap(i) && jsonEqual(i[k], want)) : undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Removes the field or list item at a path (no-op when absent). */
function removePath(obj: JsonMap, path: FieldPath): void {
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (last.startsWith('f:')) {
    if (isMap(parent)) delete parent[last.slice(2)];
    return;
  }
  const [[k, want]] = Object.entries(JSON.parse(last.slice(2)) as JsonMap) as [[string, Json]];
  if (Array.isArray(parent)) {
    const i = parent.findIndex((x) => isMap(x) && jsonEqual(x[k], want));
    if (i >= 0) parent.splice(i, 1);
  }
}

/** `.spec.containers[name="c"].image`: fieldpath.Path.String(). @internal @since 0.1.0 */
export function pathString(path: FieldPath): string {
  return path
    .map((t) => {
      if (t.startsWith('f:')) return `.${t.slice(2)}`;
      const key = JSON.parse(t.slice(2)) as JsonMap;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

/** Serializes owned paths as `FieldsV1`: nested objects, `{}` leaves, `"."` for members, keys sorted. */
function toFieldsV1(set: FieldSet): JsonMap {
  const root: JsonMap = {};
  for (const { path, leaf } of set.values()) {
    let node = root;
    for (const t of path) node = (node[t] ??= {}) as JsonMap;
    if (!leaf) node['.'] = {};
  }
  const sort = (n: JsonMap): JsonMap => {
    const out: JsonMap = {};
    for (const k of Object.keys(n).sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0))) out[k] = sort(n[k] as JsonMap);
    return out;
  };
  return sort(root);
}

function fromFieldsV1(v: Json | undefined): FieldSet {
  const out: FieldSet = new Map();
  const walk = (n: JsonMap, path: string[]): void => {
    const keys = Object.keys(n);
    if (keys.length === 0 && path.length > 0) out.set(keyOf(path), { path, leaf: true });
    for (const k of keys) {
      if (k === '.') out.set(keyOf(path), { path, leaf: false });
      else if (isMap(n[k])) walk(n[k], [...path, k]);
    }
  };
  if (isMap(v)) walk(v, []);
  return out;
}

/** One `managedFields` entry, with its field set decoded. */
interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string | undefined;
  subresource: string | undefined;
  fields: FieldSet;
}

function readEntries(obj: JsonMap | undefined): Entry[] {
  const meta = obj?.['metadata'];
  const mf = isMap(meta) ? meta['managedFields'] : undefined;
  if (!Array.isArray(mf)) return [];
  return mf.filter(isMap).map((e) => ({
    manager: typeof e['manager'] === 'string' ? e['manager'] : '',
    operation: typeof e['operation'] === 'string' ? e['operation'] : 'Update',
    apiVersion: typeof e['apiVersion'] === 'string' ? e['apiVersion'] : '',
    time: typeof e['time'] === 'string' ? e['time'] : undefined,
    subresource: typeof e['subresource'] === 'string' ? e['subresource'] : undefined,
    fields: fromFieldsV1(e['fieldsV1']),
  }));
}

/**
 * Encodes entries in `ManagedFieldsEntry` key order, dropping empty ones and sorting as
 * `sortEncodedManagedFields` does: operation (`Apply` before `Update`), then time, manager, apiVersion.
 */
function writeEntries(entries: readonly Entry[]): Json[] {
  return entries
    .filter((e) => e.fields.size > 0)
    .sort((a, b) => {
      if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
      const ta = a.time ? Date.parse(a.time) : 0;
      const tb = b.time ? Date.parse(b.time) : 0;
      if (ta !== tb) return ta - tb;
      if (a.manager !== b.manager) return a.manager < b.manager ? -1 : 1;
      return a.apiVersion < b.apiVersion ? -1 : a.apiVersion > b.apiVersion ? 1 : 0;
    })
    .map((e) => {
      const out: JsonMap = {};
      if (e.manager) out['manager'] = e.manager;
      out['operation'] = e.operation;
      out['apiVersion'] = e.apiVersion;
      if (e.time) out['time'] = e.time;
      out['fieldsType'] = 'FieldsV1';
      out['fieldsV1'] = toFieldsV1(e.fields);
      if (e.subresource) out['subresource'] = e.subresource;
      return out;
    });
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The entry of `manager`, `operation` and `subresource` (a manager writing `/status` has an entry of its own). */
function entryFor(entries: Entry[], manager: string, operation: string, apiVersion: string, subresource: string | undefined): Entry {
  let e = entries.find((x) => x.manager === manager && x.operation === operation && x.subresource === subresource);
  if (!e) entries.push((e = { manager, operation, apiVersion, time: undefined, subresource, fields: new Map() }));
  return e;
}

/**
 * The field manager of a request without `fieldManager`: the User-Agent up to the first `/`, printable characters
 * only, at most 128 (`prefixFromUserAgent` in `endpoints/handlers/create.go`).
 * @internal
 * @since 0.1.0
 */
export function managerFromUserAgent(userAgent: string | undefined): string {
  // eslint-disable-next-line no-control-regex -- strip non-printable characters as Go's unicode.IsPrint filter does
  return (userAgent ?? '').split('/')[0]!.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 128);
}

/**
 * The `managedFields` after a create, update or non-apply patch by `manager` (operation `Update`): the manager takes
 * every field whose value it added or changed, away from other managers; fields that disappeared leave every set.
 * @internal
 * @since 0.1.0
 */
export function managedFieldsAfterUpdate(old: JsonMap | undefined, next: JsonMap, manager: string, apiVersion: string, subresource?: string): Json[] {
  const entries = readEntries(old);
  const before = old ? fieldSet(old) : new Map<string, Owned>();
  const after = fieldSet(next);
  const changed: Owned[] = [];
  for (const [k, o] of after) {
    const prev = before.get(k);
    if (!prev || (o.leaf && !jsonEqual(valueAt(old, o.path), valueAt(next, o.path)))) changed.push(o);
  }
  for (const e of entries) {
    for (const k of e.fields.keys()) if (!after.has(k)) e.fields.delete(k);
    for (const o of changed) e.fields.delete(keyOf(o.path));
  }
  if (changed.length > 0) {
    const mine = entryFor(entries, manager, 'Update', apiVersion, subresource);
    for (const o of changed) mine.fields.set(keyOf(o.path), o);
    mine.time = now();
    mine.apiVersion = apiVersion;
  }
  return writeEntries(entries);
}

/**
 * One apply conflict: a field the applier sets to a value that differs from the live one, owned by another manager.
 * @internal
 * @since 0.1.0
 */
export interface ApplyConflict {
  /** `printManager`: `"mgr"`, or `"mgr" using v1 at <time>` for an Update entry. */
  readonly manager: string;
  /** `fieldpath.Path.String()`, e.g. `.spec.replicas`. */
  readonly field: string;
}

/**
 * What {@link applyConfiguration} produced: the merged object with its new `managedFields`, or the conflicts.
 * @internal
 * @since 0.1.0
 */
export type ApplyResult = { readonly object: JsonMap; readonly conflicts?: undefined } | { readonly object?: undefined; readonly conflicts: readonly ApplyConflict[] };

function printManager(e: Entry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') return e.time ? `${s} using ${e.apiVersion} at ${e.time}` : `${s} using ${e.apiVersion}`;
  return s;
}

/**
 * Server-side apply, simplified (see the module doc):
 *
 * 1. conflicts: every leaf of `config` owned by a manager with another name whose live value differs. Without
 *    `force` they are returned (the server answers 409); with `force` the other managers lose those fields;
 * 2. the configuration is merged into the live object (strategic-merge rules: keyed lists merge by key);
 * 3. fields the manager applied before but no longer applies are removed, unless another manager owns them;
 * 4. the manager's `Apply` entry becomes exactly the applied field set.
 * @internal
 * @since 0.1.0
 */
export function applyConfiguration(live: JsonMap | undefined, config: JsonMap, manager: string, apiVersion: string, force: boolean, subresource?: string): ApplyResult {
  const entries = readEntries(live);
  const applied = fieldSet(config);
  const conflicts: { entry: Entry; owned: Owned }[] = [];
  for (const [k, o] of applied) {
    if (!o.leaf) continue;
    for (const e of entries) {
      if ((e.manager === manager && e.subresource === subresource) || !e.fields.has(k)) continue;
      if (!jsonEqual(valueAt(live, o.path), valueAt(config, o.path))) conflicts.push({ entry: e, owned: o });
    }
  }
  if (conflicts.length > 0 && !force) {
    return { conflicts: conflicts.map((c) => ({ manager: printManager(c.entry), field: pathString(c.owned.path) })) };
  }
  for (const c of conflicts) c.entry.fields.delete(keyOf(c.owned.path));
  const merged = strategicMergePatch(live ?? {}, config) as JsonMap;
  const mine = entryFor(entries, manager, 'Apply', apiVersion, subresource);
  const dropped = [...mine.fields.values()].filter((o) => !applied.has(keyOf(o.path)) && !entries.some((e) => e !== mine && e.fields.has(keyOf(o.path))));
  // Deepest first, so removing a list item never shifts a path still to be removed.
  for (const o of dropped.sort((a, b) => b.path.length - a.path.length)) removePath(merged, o.path);
  mine.fields = applied;
  mine.apiVersion = apiVersion;
  // The apply's time moves only when the object changed: structured-merge-diff's `Updater.Apply` returns no object
  // for a no-op apply, and AM:`util/managedfields/internal/managedfieldsupdater.go` `Apply` then keeps the live
  // object and sets `managed.Times()[fieldManager]` only `if object != nil`. So a no-op apply leaves managedFields as
  // they were and the store sees an unchanged object (no new resourceVersion, no event).
  if (!live || !jsonEqual(withoutManagedFields(merged), withoutManagedFields(live))) mine.time = now();
  const meta = (isMap(merged['metadata']) ? merged['metadata'] : (merged['metadata'] = {})) as JsonMap;
  meta['managedFields'] = writeEntries(entries);
  return { object: merged };
}

function withoutManagedFields(obj: JsonMap): JsonMap {
  if (!isMap(obj['metadata'])) return obj;
  const { managedFields: _managedFields, ...metadata } = obj['metadata'];
  return { ...obj, metadata };
}

/** Re-exported for documentation: the merge keys the ownership model uses. @internal @since 0.1.0 */
export { MERGE_KEYS };

/** AM:`util/managedfields/internal/conflict.go` `NewConflictError`: 409 Conflict, one FieldManagerConflict cause per field. */
export function applyConflictStatus(conflicts: readonly { manager: string; field: string }[]): StatusBody {
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${conflicts[0]!.manager}: ${conflicts[0]!.field}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const f of byManager.get(m)!) lines.push(`- ${f}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return makeStatus({
    code: 409,
    reason: 'Conflict',
    message,
    details: { causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field })) },
  });
}

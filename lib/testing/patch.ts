/**
 * The patch formats of the FakeApiServer's PATCH verb: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and a
 * documented subset of Kubernetes' strategic merge patch (`k8s.io/apimachinery/pkg/util/strategicpatch`).
 *
 * Everything works on plain JSON values and never mutates its inputs.
 * @internal
 */

/** A JSON value. @internal @since 0.1.0 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. @internal @since 0.1.0 */
export type JsonMap = { [key: string]: Json };

/**
 * Why a patch could not be applied. `kind` says how kube-apiserver answers it: `bad-request` (400, e.g. a patch
 * document of the wrong shape) or `unprocessable` (422 with the generic "the server rejected our request due to an
 * error in our request" message, as for a failing JSON-patch operation).
 * @internal
 * @since 0.1.0
 */
export class PatchError extends Error {
  /** The class name, `PatchError`, also in stack traces and `String(error)`. */
  override readonly name = 'PatchError';
  constructor(
    readonly kind: 'bad-request' | 'unprocessable',
    message: string,
  ) {
    super(message);
  }
}

/** Whether a value is a JSON object (not null, not an array). @internal @since 0.1.0 */
export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A deep copy through JSON. @internal @since 0.1.0 */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Deep equality of JSON values (object key order ignored). @internal @since 0.1.0 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

// ---------------------------------------------------------------- RFC 7386

/**
 * JSON merge patch (RFC 7386 §2 `MergePatch`): objects merge recursively, `null` removes a member, anything else
 * (arrays included) replaces.
 * @internal
 * @since 0.1.0
 */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isMap(patch)) return clone(patch);
  const out: JsonMap = isMap(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---------------------------------------------------------------- RFC 6902

/** RFC 6901 pointer → reference tokens. */
function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string') throw new PatchError('unprocessable', 'path must be a string');
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError('unprocessable', `invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(arr: Json[], token: string, forAdd: boolean): number {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new PatchError('unprocessable', `invalid array index ${JSON.stringify(token)}`);
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new PatchError('unprocessable', `array index ${i} out of bounds`);
  return i;
}

/** The container holding the last token of `tokens` (must exist). */
function parentOf(doc: Json, tokens: string[]): Json {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)]!;
    else if (isMap(cur) && t in cur) cur = cur[t]!;
    else throw new PatchError('unprocessable', `path ${JSON.stringify(t)} not found`);
  }
  return cur;
}

function getAt(doc: Json, tokens: string[]): Json {
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false)]!;
  if (isMap(parent) && last in parent) return parent[last]!;
  throw new PatchError('unprocessable', `path ${JSON.stringify(last)} not found`);
}

function removeAt(doc: Json, tokens: string[]): Json {
  if (tokens.length === 0) throw new PatchError('unprocessable', 'cannot remove the whole document');
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, false), 1)[0]!;
  if (isMap(parent) && last in parent) {
    const v = parent[last]!;
    delete parent[last];
    return v;
  }
  throw new PatchError('unprocessable', `path ${JSON.stringify(last)} not found`);
}

/** `add` (RFC 6902 §4.1); returns the new document (the root may be replaced). */
function addAt(doc: Json, tokens: string[], value: Json): Json {
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value);
  else if (isMap(parent)) parent[last] = value;
  else throw new PatchError('unprocessable', `cannot add to a ${typeof parent} at ${JSON.stringify(last)}`);
  return doc;
}

/**
 * JSON patch (RFC 6902): `add`, `remove`, `replace`, `move`, `copy`, `test`, applied in order, all or nothing.
 * A document that is not an array of operation objects is a `bad-request` (kube-apiserver: `jsonpatch.DecodePatch`
 * failing → 400); an operation that cannot be applied (missing path, failing `test`, unknown op) is
 * `unprocessable` (kube-apiserver: 422 from `applyJSPatch`).
 * @internal
 * @since 0.1.0
 */
export function jsonPatch(target: Json, patch: unknown): Json {
  if (!Array.isArray(patch)) throw new PatchError('bad-request', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  for (const op of patch) {
    if (!isMap(op)) throw new PatchError('bad-request', 'json: cannot unmarshal into Go value of type jsonpatch.Operation');
    const path = parsePointer(op['path']);
    switch (op['op']) {
      case 'add':
        if (!('value' in op)) throw new PatchError('unprocessable', 'add operation does not have a value');
        doc = addAt(doc, path, clone(op['value']!));
        break;
      case 'remove':
        removeAt(doc, path);
        break;
      case 'replace':
        if (!('value' in op)) throw new PatchError('unprocessable', 'replace operation does not have a value');
        if (path.length === 0) doc = clone(op['value']!);
        else {
          getAt(doc, path); // must exist (§4.3)
          const parent = parentOf(doc, path);
          const last = path[path.length - 1]!;
          if (Array.isArray(parent)) parent[arrayIndex(parent, last, false)] = clone(op['value']!);
          else (parent as JsonMap)[last] = clone(op['value']!);
        }
        break;
      case 'move': {
        const from = parsePointer(op['from']);
        const v = removeAt(doc, from);
        doc = addAt(doc, path, v);
        break;
      }
      case 'copy': {
        const from = parsePointer(op['from']);
        doc = addAt(doc, path, clone(getAt(doc, from)));
        break;
      }
      case 'test':
        if (!jsonEqual(getAt(doc, path), op['value'])) throw new PatchError('unprocessable', `testing value ${JSON.stringify(op['path'])} failed`);
        break;
      default:
        throw new PatchError('unprocessable', `unexpected kind of operation: ${JSON.stringify(op['op'])}`);
    }
  }
  return doc;
}

// ---------------------------------------------------------------- strategic merge patch (subset)

/**
 * The `patchMergeKey`s the strategic merge patch subset knows, by field name (from the `patchStrategy:"merge"`
 * tags of `k8s.io/api` core/v1 and meta/v1). `ports` merges by `containerPort` when its items have one (container
 * ports), else by `port` (service ports).
 * @internal
 * @since 0.1.0
 */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  resourceClaims: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  ports: 'containerPort',
};

/** Lists of scalars with `patchStrategy:"merge"` (set union): `metadata.finalizers`. */
const PRIMITIVE_MERGE_LISTS = new Set(['finalizers']);

/**
 * The merge key for a list field, looking at the items when the field name is ambiguous (`ports`); `undefined` for
 * lists that are replaced as a whole.
 * @internal
 * @since 0.1.0
 */
export function mergeKeyFor(field: string, ...lists: readonly unknown[]): string | undefined {
  const key = MERGE_KEYS[field];
  if (key === undefined) return undefined;
  if (field === 'ports') {
    const items = lists.flatMap((l) => (Array.isArray(l) ? l : []));
    if (items.some((i) => isMap(i) && 'port' in i && !('containerPort' in i))) return 'port';
  }
  return key;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => !(isMap(x) && x['$patch'] !== undefined && Object.keys(x).length === 1)).map(stripDirectives);
  if (!isMap(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

function smpList(field: string, original: Json | undefined, patch: Json[]): Json[] {
  const orig = Array.isArray(original) ? clone(original) : [];
  // A `{"$patch": "replace"}` element replaces the whole list with the other elements.
  if (patch.some((x) => isMap(x) && x['$patch'] === 'replace')) return stripDirectives(patch.filter((x) => !(isMap(x) && x['$patch'] === 'replace'))) as Json[];
  if (PRIMITIVE_MERGE_LISTS.has(field) && patch.every((x) => !isMap(x))) {
    const out = [...orig];
    for (const x of patch) if (!out.some((y) => jsonEqual(x, y))) out.push(x);
    return out;
  }
  const key = mergeKeyFor(field, orig, patch);
  if (key === undefined || !patch.every((x) => isMap(x))) return stripDirectives(patch) as Json[];
  let out = orig;
  for (const item of patch as JsonMap[]) {
    if (item['$patch'] === 'replace' && Object.keys(item).length === 1) continue;
    const k = item[key];
    const i = out.findIndex((o) => isMap(o) && jsonEqual(o[key], k));
    if (item['$patch'] === 'delete') {
      if (k === undefined) throw new PatchError('bad-request', `delete directive without merge key ${JSON.stringify(key)}`);
      out = out.filter((o) => !(isMap(o) && jsonEqual(o[key], k)));
    } else if (i >= 0) out[i] = strategicMergePatch(out[i], item);
    else out.push(strategicMergePatch(undefined, item));
  }
  return out;
}

/**
 * A subset of Kubernetes' strategic merge patch, enough for what kubectl and controllers send for built-in kinds:
 *
 * - maps merge like JSON merge patch (`null` deletes a key);
 * - lists of objects whose field has a known merge key ({@link MERGE_KEYS}: `containers`, `initContainers`,
 *   `volumes`, `env` by `name`; `ports` by `containerPort`/`port`; `volumeMounts` by `mountPath`; `conditions` by
 *   `type`; ...) merge item by item; an item with `"$patch": "delete"` removes the matching item; a list element
 *   `{"$patch": "replace"}` replaces the whole list;
 * - `metadata.finalizers` merges as a set; `"$deleteFromPrimitiveList/<field>": [...]` removes values from it;
 * - directives on maps: `"$patch": "replace"` (replace the map), `"$patch": "delete"` (remove it),
 *   `"$retainKeys": [...]` (drop keys not listed after merging);
 * - `$setElementOrder/<field>` is accepted and ignored (order of merged lists is original order, new items appended);
 * - every other list is replaced, as for JSON merge patch.
 *
 * Not supported: the schema-driven parts (CRDs get 415 from the server, as the real one answers), `$patch` on
 * primitive lists other than the above, and reordering by `$setElementOrder`.
 * @internal
 * @since 0.1.0
 */
export function strategicMergePatch(original: Json | undefined, patch: Json): Json {
  if (!isMap(patch)) return clone(patch);
  const directive = patch['$patch'];
  if (directive === 'replace') return stripDirectives(patch);
  if (directive !== undefined && directive !== 'delete' && directive !== 'merge') {
    throw new PatchError('bad-request', `Unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`);
  }
  const out: JsonMap = isMap(original) ? clone(original) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (!Array.isArray(v)) throw new PatchError('bad-request', 'Unable to find primitive list for $deleteFromPrimitiveList');
      const cur = out[field];
      if (Array.isArray(cur)) out[field] = cur.filter((x) => !v.some((d) => jsonEqual(d, x)));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = smpList(k, out[k], v);
    else if (isMap(v)) {
      if (v['$patch'] === 'delete') delete out[k];
      else out[k] = strategicMergePatch(out[k], v);
    } else out[k] = v;
  }
  const retain = patch['$retainKeys'];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new PatchError('bad-request', 'retainKeys must be a list');
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

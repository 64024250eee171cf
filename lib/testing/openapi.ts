/**
 * The FakeApiServer's OpenAPI endpoints: `/openapi/v2` (swagger 2.0) and `/openapi/v3` (the index) plus
 * `/openapi/v3/<group-version>` documents, from the Kubernetes v1.35.0 swagger (`vendor/k8s-openapi/swagger-v1.35.json`,
 * compiled into `generated/openapi-v1_35.ts` by `npm run codegen:fake-server-data`; decompressed on the first
 * OpenAPI request and kept). kubectl reads them for `explain`, for `--validate` (the `fieldValidation` query
 * parameter of each PATCH operation) and for strategic merge patches of `apply`.
 *
 * As a real server, the documents list what the server serves: paths of served resources (and the non-resource
 * paths) only. `definitions` of v2 are the whole spec's; a v3 document's `components.schemas` are the schemas its
 * paths reach.
 *
 * The v3 documents are derived from the v2 spec, since no v3 spec is vendored: definitions become
 * `components.schemas` (`$ref: #/definitions/X` → `#/components/schemas/X`), `#/parameters/...` references are
 * inlined, a parameter's `type`/`format`/`uniqueItems` move into its `schema`, a body parameter becomes the
 * `requestBody`, and responses carry their schema per `produces` media type. That mirrors kube-openapi's
 * `pkg/openapiconv` (`ConvertV2ToV3`), which kube-aggregator uses for aggregated servers that publish only v2; the
 * documents a real v1.35 server builds natively differ in details (e.g. `allOf` around a `$ref` with a description).
 *
 * Group-versions not in the spec (custom resources registered with the server) get the skeleton document of
 * `discovery.ts` (`openApiV3GroupVersion`: PATCH operations with `fieldValidation`, no schemas), as do served kinds of
 * a built-in group-version that the spec lacks. A real server adds CRD schemas to both documents: not emulated.
 * @internal
 */
import { createHash } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import { OPENAPI_V2_V1_35 } from './generated/openapi-v1_35.js';
import type { DiscoveryResource } from './discovery.js';

type Json = unknown;
type JsonMap = Record<string, Json>;


interface Swagger {
  readonly paths: Record<string, JsonMap>;
  readonly definitions: Record<string, JsonMap>;
  readonly parameters?: Record<string, JsonMap>;
  readonly [k: string]: Json;
}

let swagger: Swagger | undefined;

/** The v1.35 swagger, decompressed and parsed once, with the connect operations' kinds of upstream. */
function spec(): Swagger {
  if (!swagger) {
    swagger = JSON.parse(brotliDecompressSync(Buffer.from(OPENAPI_V2_V1_35, 'base64')).toString('utf8')) as Swagger;
    restoreConnectKinds(swagger);
  }
  return swagger;
}

/** `pods/{name}/<subresource>` (and nodes', services') → the options kind upstream tags its connect operations with. */
const CONNECT_KINDS: Readonly<Record<string, string>> = {
  'pods attach': 'PodAttachOptions',
  'pods exec': 'PodExecOptions',
  'pods portforward': 'PodPortForwardOptions',
  'pods proxy': 'PodProxyOptions',
  'nodes proxy': 'NodeProxyOptions',
  'services proxy': 'ServiceProxyOptions',
};

/**
 * Undoes k8s-pb's one change to the upstream spec (`vendor/k8s-openapi/README.md`): it tagged the 48 connect
 * operations (`pods/{name}/proxy`, `exec`, ...) with the kind of their parent (`Pod`) instead of the options kind
 * (`PodProxyOptions`). Left so, kubectl's `fieldValidation` check (`QueryParamVerifierV3`, which takes the first
 * PATCH operation of the kind it meets) may pick the proxy's PATCH, which has no such parameter, and fall back to
 * client-side validation.
 */
function restoreConnectKinds(s: Swagger): void {
  for (const [path, item] of Object.entries(s.paths)) {
    const m = /\/(pods|nodes|services)\/\{name\}\/(attach|exec|portforward|proxy)(\/|$)/.exec(path);
    const kind = m ? CONNECT_KINDS[`${m[1]} ${m[2]}`] : undefined;
    if (!kind) continue;
    for (const op of Object.values(item)) {
      const gvk = (op as JsonMap | null)?.['x-kubernetes-group-version-kind'] as JsonMap | undefined;
      if ((op as JsonMap)['x-kubernetes-action'] === 'connect' && gvk) gvk['kind'] = kind;
    }
  }
}

/** A served group-version's base path (`/api/v1`, `/apis/apps/v1`). */
function basePathOf(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/**
 * The group-version base and resource plural a spec path belongs to (`/api/v1/namespaces/{namespace}/pods/{name}` →
 * `/api/v1`, `pods`; the group-version's own path has plural `''`), or `undefined` for a non-resource path.
 */
function resourceOfPath(path: string): { base: string; plural: string } | undefined {
  const m = /^(\/api\/[^/]+|\/apis\/[^/]+\/[^/]+)\/(.*)$/.exec(path);
  if (!m) return undefined;
  const segs = m[2]!.split('/').filter((s) => s !== '');
  if (segs[0] === 'watch') segs.shift();
  const plural = segs[0] === 'namespaces' && segs[1] === '{namespace}' && segs.length >= 3 ? segs[2]! : (segs[0] ?? '');
  return { base: m[1]!, plural };
}

/** `base plural` of every served resource, and the served group-version bases. */
function servedIndex(resources: readonly DiscoveryResource[]): { plurals: Set<string>; bases: Set<string> } {
  const plurals = new Set<string>();
  const bases = new Set<string>();
  for (const r of resources) {
    const base = basePathOf(r.group, r.version);
    bases.add(base);
    plurals.add(`${base} ${r.plural}`);
  }
  return { plurals, bases };
}

/** Whether a spec path is served: a non-resource path, a served group-version's own path, or a served resource's. */
function served(path: string, index: { plurals: Set<string>; bases: Set<string> }): boolean {
  const of = resourceOfPath(path);
  if (!of) {
    // `/apis/<group>/` (the group's discovery path) when a version of the group is served; other non-resource paths.
    const group = /^\/apis\/([^/]+)\/$/.exec(path)?.[1];
    return group === undefined || [...index.bases].some((b) => b.startsWith(`/apis/${group}/`));
  }
  return of.plural === '' ? index.bases.has(of.base) : index.plurals.has(`${of.base} ${of.plural}`);
}

const v2Cache = new Map<string, string>();

/** The `/openapi/v2` document (JSON text): the spec with the paths this server serves. */
export function openApiV2(resources: readonly DiscoveryResource[]): string {
  const index = servedIndex(resources);
  const key = [...index.plurals].sort().join(',');
  let text = v2Cache.get(key);
  if (text === undefined) {
    const s = spec();
    const paths: Record<string, JsonMap> = {};
    for (const [p, item] of Object.entries(s.paths)) if (served(p, index)) paths[p] = item;
    text = JSON.stringify({ ...s, paths });
    if (v2Cache.size > 16) v2Cache.clear();
    v2Cache.set(key, text);
  }
  return text;
}

/**
 * A deep copy of `v` with `#/definitions/` references pointing at `#/components/schemas/`. A reference with
 * siblings (`description`, `default`) is wrapped in `allOf`, as kube-openapi's v3 builder writes it (OpenAPI 3.0
 * ignores siblings of `$ref`); kubectl explain then names the referenced type (`<IntOrString>`).
 */
function rewriteRefs(v: Json): Json {
  if (Array.isArray(v)) return v.map(rewriteRefs);
  if (v === null || typeof v !== 'object') return v;
  const map = v as JsonMap;
  const ref = map['$ref'];
  if (typeof ref === 'string') {
    const target = { $ref: ref.replace(/^#\/definitions\//, '#/components/schemas/') };
    const siblings = Object.keys(map).filter((k) => k !== '$ref');
    if (siblings.length === 0) return target;
    const out: JsonMap = { allOf: [target] };
    for (const k of siblings) out[k] = rewriteRefs(map[k]);
    return out;
  }
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(map)) out[k] = rewriteRefs(x);
  return out;
}

/** Every definition name `v` refers to (string `$ref` values; a JSONSchemaProps property named `$ref` is an object). */
function refsOf(v: Json, into: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) refsOf(x, into);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as JsonMap)) {
      if (k === '$ref' && typeof x === 'string') {
        const m = /^#\/(?:definitions|components\/schemas)\/(.+)$/.exec(x);
        if (m) into.add(m[1]!);
      } else refsOf(x, into);
    }
  }
}

const SCHEMA_KEYS = ['type', 'format', 'items', 'uniqueItems', 'enum', 'default', 'collectionFormat'];

/** One v2 parameter (references resolved) as a v3 parameter, or `undefined` for a body parameter. */
function convertParameter(p: JsonMap): JsonMap | undefined {
  if (p['in'] === 'body') return undefined;
  const out: JsonMap = {};
  const schema: JsonMap = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'collectionFormat') continue;
    if (SCHEMA_KEYS.includes(k)) schema[k] = v;
    else out[k] = v;
  }
  out['schema'] = schema;
  return out;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** A v2 path item as v3 (kube-openapi `openapiconv`: parameters, requestBody, responses per media type). */
function convertPathItem(item: JsonMap, params: Record<string, JsonMap>): JsonMap {
  const resolve = (p: JsonMap): JsonMap => {
    const ref = p['$ref'];
    return typeof ref === 'string' ? (params[ref.replace(/^#\/parameters\//, '')] ?? p) : p;
  };
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(item)) {
    if (k === 'parameters') {
      out[k] = (v as JsonMap[]).map(resolve).map(convertParameter).filter((p) => p !== undefined);
      continue;
    }
    if (!METHODS.includes(k)) {
      out[k] = v;
      continue;
    }
    const op = v as JsonMap;
    const converted: JsonMap = {};
    const consumes = (op['consumes'] as string[] | undefined) ?? ['*/*'];
    const produces = (op['produces'] as string[] | undefined) ?? ['application/json'];
    for (const [ok, ov] of Object.entries(op)) {
      if (ok === 'consumes' || ok === 'produces' || ok === 'schemes') continue;
      if (ok === 'parameters') {
        const all = (ov as JsonMap[]).map(resolve);
        const body = all.find((p) => p['in'] === 'body');
        converted['parameters'] = all.map(convertParameter).filter((p) => p !== undefined);
        if (body) {
          converted['requestBody'] = {
            content: Object.fromEntries(consumes.map((t) => [t, { schema: body['schema'] }])),
            ...(body['required'] === true ? { required: true } : {}),
          };
        }
        continue;
      }
      if (ok === 'responses') {
        const responses: JsonMap = {};
        for (const [code, r] of Object.entries(ov as Record<string, JsonMap>)) {
          const { schema, ...rest } = r;
          responses[code] = schema === undefined ? rest : { ...rest, content: Object.fromEntries(produces.map((t) => [t, { schema }])) };
        }
        converted['responses'] = responses;
        continue;
      }
      converted[ok] = ov;
    }
    out[k] = converted;
  }
  return out;
}

/**
 * The `/openapi/v3/<group-version>` document of a served group-version from the spec, or `undefined` when the spec
 * has no path of it (the caller serves the skeleton).
 */
export function openApiV3FromSpec(group: string, version: string, resources: readonly DiscoveryResource[]): JsonMap | undefined {
  const s = spec();
  const base = basePathOf(group, version);
  const index = servedIndex(resources);
  const paths: JsonMap = {};
  const reached = new Set<string>();
  for (const [p, item] of Object.entries(s.paths)) {
    const of = resourceOfPath(p);
    if (!of || of.base !== base || !served(p, index)) continue;
    const converted = convertPathItem(item, s.parameters ?? {});
    refsOf(converted, reached);
    paths[p] = rewriteRefs(converted);
  }
  if (Object.keys(paths).length === 0) return undefined;
  // The schemas the paths reach, transitively.
  const schemas: JsonMap = {};
  const queue = [...reached];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (name in schemas) continue;
    const def = s.definitions[name];
    if (!def) continue;
    schemas[name] = rewriteRefs(def);
    const more = new Set<string>();
    refsOf(def, more);
    for (const m of more) if (!(m in schemas)) queue.push(m);
  }
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.35.0' },
    paths,
    components: {
      schemas: sorted,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}

/**
 * The `hash` of a v3 document's `serverRelativeURL`: names its content, as kube-apiserver's does (kubectl caches
 * documents by URL, on disk): the spec's version and the group-version's served resources. The `v1.35.0 spec` salt
 * keeps it apart from the skeleton-only documents of kubex-rx 0.2.0, which a kubectl cache may still hold.
 */
export function openApiV3Hash(group: string, version: string, resources: readonly DiscoveryResource[]): string {
  const served = resources.filter((r) => r.group === group && r.version === version);
  return createHash('sha256').update(`v1.35.0 spec ${JSON.stringify(served)}`).digest('hex').slice(0, 32).toUpperCase();
}

/**
 * Whether `Accept` allows a JSON answer of an OpenAPI endpoint (kube-openapi `handler.go` negotiates JSON and the
 * protobuf forms; this server has JSON only, so a protobuf-only `Accept` is 406).
 */
export function openApiAcceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const type = (range.split(';')[0] ?? '').trim().toLowerCase();
    return type === 'application/json' || type === 'application/*' || type === '*/*';
  });
}

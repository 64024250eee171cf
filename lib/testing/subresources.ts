/**
 * The `/status` and `/scale` subresources of the FakeApiServer, generic over the kind strategy's `subresources`
 * (`lib/testing/strategies.ts`), so built-in kinds and custom resources share them.
 *
 * - `/status` (kube-apiserver's `StatusREST` in `pkg/registry/<group>/<kind>/storage/storage.go`): GET answers the
 *   object; PUT and PATCH (every patch type, apply included) go through the generic write path with the kind's status
 *   strategy (`prepareForStatusUpdate`: spec and some metadata kept from the stored object), managedFields entries
 *   carry `subresource: status`, an apply never creates.
 * - `/scale` (`ScaleREST`, e.g. `pkg/registry/apps/deployment/storage/storage.go`, and apiextensions-apiserver
 *   `customresource/etcd.go` `ScaleREST`): an `autoscaling/v1` `Scale` made of the object (`scaleFromDeployment`):
 *   GET; PUT and PATCH turn the new Scale into an update of the object's `spec.replicas`
 *   (`scaleUpdatedObjectInfo.UpdatedObject`): a Scale with a resourceVersion is a precondition (stale: 409), the main
 *   strategy runs (generation bump), managedFields entries carry `subresource: scale`.
 * Any other method on a subresource is 405, as go-restful answers routes without it.
 * @internal
 */
import type { ServerResponse } from 'node:http';
import { badRequestStatus, invalidStatus, makeStatus, objectNotFoundStatus, unsupportedMediaTypeStatus } from './status.js';
import type { FakeStore, JsonObject, ObjectRecord } from './store.js';
import type { KindStrategy, ScaleSubresource } from './strategies.js';
import { customResourceStatusUpdate } from './status-strategies.js';
import { HttpError } from './responses.js';
import { type WriteHandlers, type WriteRequest, type WriteResource, type WriteResponse } from './writes.js';
import { PatchError, isMap, jsonPatch, mergePatch, strategicMergePatch, type JsonMap } from './patch.js';
import { methodNotAllowed, type Route } from './routing.js';
import { writeRaw } from './responses.js';

const SCALE_API_VERSION = 'autoscaling/v1';
const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

/** Whether a kind with this strategy serves the subresource (`status`, `scale`). @internal */
export function servesSubresource(strategy: KindStrategy, subresource: string): boolean {
  if (subresource === 'status') return strategy.subresources?.status === true;
  if (subresource === 'scale') return strategy.subresources?.scale !== undefined;
  return false;
}

function mediaType(req: WriteRequest): string {
  const ct = req.headers['content-type'] ?? '';
  const i = ct.indexOf(';');
  const t = (i >= 0 ? ct.slice(0, i) : ct).trim().toLowerCase();
  return t === '' ? 'application/json' : t;
}

/** The segments of a CRD-style JSON path (`.spec.replicas` → `['spec', 'replicas']`). */
function segments(path: string): string[] {
  return path.split('.').filter((s) => s !== '');
}

function valueAt(obj: JsonObject, path: string): unknown {
  let v: unknown = obj;
  for (const s of segments(path)) v = isMap(v) ? v[s] : undefined;
  return v;
}

function setAt(obj: JsonObject, path: string, value: unknown): void {
  const segs = segments(path);
  let cur: JsonObject = obj;
  for (const s of segs.slice(0, -1)) {
    const next = cur[s];
    cur = isMap(next) ? (next as JsonObject) : (cur[s] = {});
  }
  cur[segs[segs.length - 1]!] = value;
}

/**
 * `metav1.LabelSelectorAsSelector(sel).String()` (requirements sorted by key; `k=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k`, `!k`), or `labels.SelectorFromSet(map).String()` for a ReplicationController's map selector; a string (a
 * custom resource's `labelSelectorPath`) as is.
 * @internal
 */
export function selectorString(selector: unknown, isSet: boolean): string {
  if (typeof selector === 'string') return selector;
  if (!isMap(selector)) return '';
  const reqs: { key: string; text: string }[] = [];
  const labels = isSet ? selector : isMap(selector['matchLabels']) ? selector['matchLabels'] : {};
  for (const [k, v] of Object.entries(labels)) reqs.push({ key: k, text: `${k}=${String(v)}` });
  const exprs = isSet || !Array.isArray(selector['matchExpressions']) ? [] : selector['matchExpressions'].filter(isMap);
  for (const e of exprs) {
    const key = String(e['key']);
    const values = (Array.isArray(e['values']) ? e['values'].map(String) : []).sort();
    switch (e['operator']) {
      case 'In':
        reqs.push({ key, text: `${key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        reqs.push({ key, text: `${key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        reqs.push({ key, text: `!${key}` });
        break;
    }
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** The autoscaling/v1 Scale of an object (`scaleFromDeployment` and kin; apiextensions `scaleFromCustomResource`). */
function scaleOf(r: WriteResource, scale: ScaleSubresource, obj: JsonObject): JsonObject {
  const meta = (obj['metadata'] ?? {}) as JsonObject;
  const metadata: JsonObject = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']) if (meta[k] !== undefined) metadata[k] = meta[k];
  const specReplicas = valueAt(obj, scale.specReplicasPath);
  const statusReplicas = valueAt(obj, scale.statusReplicasPath);
  const isSet = r.group === '' && r.kind === 'ReplicationController';
  const selector = scale.labelSelectorPath !== undefined ? selectorString(valueAt(obj, scale.labelSelectorPath), isSet) : '';
  // ScaleSpec.replicas and ScaleStatus.selector are omitempty; ScaleStatus.replicas is not.
  return {
    kind: 'Scale',
    apiVersion: SCALE_API_VERSION,
    metadata,
    spec: typeof specReplicas === 'number' && specReplicas !== 0 ? { replicas: specReplicas } : {},
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(selector !== '' ? { selector } : {}) },
  };
}

/** Serves the subresources of one registered kind. @internal */
export class SubresourceHandlers {
  constructor(
    private readonly store: FakeStore,
    private readonly writes: WriteHandlers,
  ) {}

  /**
   * One request on `<item>/<subresource>` of a kind that serves it ({@link servesSubresource}); `getItem` answers a
   * GET of the object itself (the read path, with its content negotiation).
   */
  serve(method: string, route: Route, target: WriteResource, req: WriteRequest, res: ServerResponse, getItem: () => void): void {
    if (route.watchPrefix) throw new HttpError(methodNotAllowed());
    let out: WriteResponse;
    if (route.subresource === 'status') {
      if (method === 'GET') return getItem();
      const status = this.statusTarget(target);
      if (method === 'PUT') out = this.writes.replace(status, req);
      else if (method === 'PATCH') out = this.writes.patch(status, req);
      else throw new HttpError(methodNotAllowed());
    } else {
      const scale = target.store.strategy.subresources!.scale!;
      if (method === 'GET') out = { code: 200, body: `${JSON.stringify(scaleOf(target, scale, this.get(target, req).copy()))}\n` };
      else if (method === 'PUT') out = this.putScale(target, scale, req);
      else if (method === 'PATCH') out = this.patchScale(target, scale, req);
      else throw new HttpError(methodNotAllowed());
    }
    writeRaw(res, out.code, 'application/json', out.body);
  }

  /** The resource as the status strategy writes it: its `prepareForStatusUpdate`, no main-resource validation. */
  private statusTarget(target: WriteResource): WriteResource {
    const strategy = target.store.strategy;
    const statusStrategy: KindStrategy = {
      generation: strategy.generation,
      ...(strategy.defaults ? { defaults: strategy.defaults } : {}),
      ...(strategy.subresources ? { subresources: strategy.subresources } : {}),
      prepareForUpdate: strategy.prepareForStatusUpdate ?? customResourceStatusUpdate,
      // The status strategy's reset fields: the spec (GetResetFields of `<kind>StatusStrategy`).
      resetFields: ['spec'],
    };
    return { ...target, subresource: 'status', store: { ...target.store, strategy: statusStrategy } };
  }

  private get(r: WriteResource, req: WriteRequest): ObjectRecord {
    const rec = this.store.get(r.store, req.name!, req.namespace);
    if (!rec) throw new HttpError(objectNotFoundStatus(r.plural, r.group, req.name!));
    return rec;
  }

  /** A Scale request body, decoded as the update handler decodes (400 for a non-object or another type). */
  private decodeScale(body: string): JsonObject {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      throw new HttpError(badRequestStatus(`the object provided is unrecognized (must be of type Scale): couldn't get version/kind; json parse error: ${(err as Error).message}`));
    }
    if (!isMap(parsed)) throw new HttpError(badRequestStatus('the object provided is unrecognized (must be of type Scale): the body is not a JSON object'));
    return this.checkScale(parsed as JsonObject);
  }

  private checkScale(scale: JsonObject): JsonObject {
    const av = scale['apiVersion'];
    if (av !== undefined && av !== SCALE_API_VERSION) {
      throw new HttpError(badRequestStatus(`the API version in the data (${String(av)}) does not match the expected API version (${SCALE_API_VERSION})`));
    }
    if (scale['kind'] !== undefined && scale['kind'] !== 'Scale') {
      throw new HttpError(badRequestStatus(`${String(scale['kind'])} in version "v1" cannot be handled as a Scale: the kind in the body does not match the resource of the path`));
    }
    return scale;
  }

  /**
   * Writes a new Scale: `ValidateScale` (422 `Scale.autoscaling "x" is invalid`), then the object with the Scale's
   * resourceVersion as precondition and its replicas, PUT through the generic write path with `subresource: scale`.
   */
  private writeScale(r: WriteResource, scale: ScaleSubresource, req: WriteRequest, prev: ObjectRecord, next: JsonObject): WriteResponse {
    const meta = isMap(next['metadata']) ? (next['metadata'] as JsonObject) : {};
    const name = typeof meta['name'] === 'string' ? meta['name'] : '';
    if (name !== req.name) throw new HttpError(badRequestStatus(`the name of the object (${name}) does not match the name on the URL (${req.name!})`));
    const spec = isMap(next['spec']) ? next['spec'] : {};
    const replicas = spec['replicas'] ?? 0;
    // AS-side `autoscaling/validation` ValidateScale: spec.replicas >= 0 (an int32).
    if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
      throw new HttpError(badRequestStatus(`Scale in version "v1" cannot be handled as a Scale: spec.replicas: expected an int32, got ${JSON.stringify(replicas)}`));
    }
    if (replicas < 0) {
      throw new HttpError(invalidStatus('Scale', 'autoscaling', name, [{ field: 'spec.replicas', type: 'FieldValueInvalid', value: replicas, detail: 'must be greater than or equal to 0' }]));
    }
    const obj = prev.copy();
    const objMeta = obj['metadata'] as JsonObject;
    // scaleUpdatedObjectInfo: `if scale.ResourceVersion != "" { obj.ResourceVersion = scale.ResourceVersion }`.
    if (typeof meta['resourceVersion'] === 'string' && meta['resourceVersion'] !== '') objMeta['resourceVersion'] = meta['resourceVersion'];
    else delete objMeta['resourceVersion'];
    setAt(obj, scale.specReplicasPath, replicas);
    const out = this.writes.replace(
      { ...r, subresource: 'scale' },
      { ...req, headers: { ...req.headers, 'content-type': 'application/json' }, body: JSON.stringify(obj) },
    );
    return { code: out.code, body: `${JSON.stringify(scaleOf(r, scale, JSON.parse(out.body) as JsonObject))}\n` };
  }

  /** PUT `/scale`: JSON only, like every update. */
  private putScale(r: WriteResource, scale: ScaleSubresource, req: WriteRequest): WriteResponse {
    if (mediaType(req) !== 'application/json') throw new HttpError(unsupportedMediaTypeStatus(['application/json']));
    const next = this.decodeScale(req.body);
    return this.writeScale(r, scale, req, this.get(r, req), next);
  }

  /**
   * PATCH `/scale`: the patch applies to the current Scale (json, merge and strategic merge patches); an apply
   * configuration is a Scale whose `spec.replicas` is applied to the object by the field manager with
   * `subresource: scale` (the scale handler of AM:`util/managedfields` maps the Scale's fields onto the object's).
   */
  private patchScale(r: WriteResource, scale: ScaleSubresource, req: WriteRequest): WriteResponse {
    const type = mediaType(req);
    // Custom resources take no strategic merge patch, on /scale neither (apiextensions-apiserver `crdHandler.serveScale`).
    const supported = [JSON_PATCH, MERGE_PATCH, ...(r.strategicMergePatch ? [STRATEGIC_PATCH] : []), APPLY_PATCH];
    if (!supported.includes(type)) throw new HttpError(unsupportedMediaTypeStatus(supported));
    const prev = this.get(r, req);
    const current = scaleOf(r, scale, prev.copy());
    let patch: unknown;
    try {
      patch = JSON.parse(req.body);
    } catch (err) {
      throw new HttpError(badRequestStatus(type === JSON_PATCH ? (err as Error).message : `error decoding patch: ${(err as Error).message}`));
    }
    if (type === APPLY_PATCH) {
      if (!isMap(patch)) throw new HttpError(badRequestStatus('error decoding YAML: the apply configuration is not an object'));
      const config = this.checkScale(patch as JsonObject);
      const spec = isMap(config['spec']) ? config['spec'] : {};
      const parent: JsonObject = { apiVersion: r.apiVersion, kind: r.kind, metadata: { name: req.name, ...(req.namespace !== undefined ? { namespace: req.namespace } : {}) } };
      if (spec['replicas'] !== undefined) setAt(parent, scale.specReplicasPath, spec['replicas']);
      const out = this.writes.patch({ ...r, subresource: 'scale' }, { ...req, body: JSON.stringify(parent) });
      return { code: out.code, body: `${JSON.stringify(scaleOf(r, scale, JSON.parse(out.body) as JsonObject))}\n` };
    }
    let patched: unknown;
    try {
      if (type === JSON_PATCH) patched = jsonPatch(current as JsonMap, patch);
      else if (!isMap(patch)) throw new PatchError('bad-request', 'error decoding patch: json: cannot unmarshal into Go value of type map[string]interface {}');
      else patched = type === MERGE_PATCH ? mergePatch(current as JsonMap, patch) : strategicMergePatch(current as JsonMap, patch);
    } catch (err) {
      if (!(err instanceof PatchError)) throw err;
      // A failing JSON-patch operation is the generic 422 (AS:`handlers/patch.go` `applyJSPatch`), as on the object.
      if (err.kind === 'unprocessable') {
        throw new HttpError(makeStatus({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request', details: {} }));
      }
      throw new HttpError(badRequestStatus(err.message));
    }
    if (!isMap(patched)) throw new HttpError(badRequestStatus('the patched Scale is not an object'));
    return this.writeScale(r, scale, req, prev, this.checkScale(patched as JsonObject));
  }
}

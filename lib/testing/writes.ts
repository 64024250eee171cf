/**
 * The write verbs of the FakeApiServer (POST, PUT, PATCH, DELETE, deletecollection), following kube-apiserver's
 * `pkg/endpoints/handlers/{create,update,patch,delete}.go` and the generic registry
 * (`pkg/registry/generic/registry/store.go`, `pkg/registry/rest/{create,update,delete}.go`). Every write goes through
 * the same {@link FakeStore} methods as the programmatic `create`/`update`/`delete`, so watches see exactly the
 * same events.
 *
 * Sources are cited as "AS:" (k8s.io/apiserver) and "AM:" (k8s.io/apimachinery) paths.
 * @internal
 */
import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  alreadyExistsStatus,
  badRequestStatus,
  conflictStatus,
  deleteSuccessStatus,
  internalErrorStatus,
  invalidStatus,
  makeStatus,
  objectNotFoundStatus,
  unsupportedMediaTypeStatus,
  type FieldError,
} from './status.js';
import { FakeStoreError, type JsonObject, type ObjectRecord, type FakeStore, type StoreResource } from './store.js';
import { PatchError, isMap, jsonPatch, mergePatch, strategicMergePatch, type Json, type JsonMap } from './patch.js';
import { applyConfiguration, applyConflictStatus, managedFieldsAfterUpdate, managerFromUserAgent } from './managed-fields.js';
import { HttpError } from './responses.js';
import { validateObjectMetaName, type NameRule } from './name-rules.js';
import { GO_TYPEMETA, goJsonType, mediaType, summarize } from './request-body.js';
import { createOrUpdateOptions, deleteOptions, dryRunErrors, optionsInvalid } from './write-options.js';
import { PROTOBUF_MEDIA_TYPE, decodeProtobufBody, protobufMessageOf } from './protobuf.js';
import { deleteObject } from './deletion.js';
import { NAMESPACES_KEY, immortalNamespaceStatus, namespaceAdmission, type NamespaceLookup } from './namespaces.js';

/**
 * What a validator gets besides the object.
 * @since 0.1.0
 */
export interface ValidationContext {
  /** `CREATE` (POST, or an apply that creates) or `UPDATE` (PUT, PATCH). */
  readonly operation: 'CREATE' | 'UPDATE';
  /** The stored object before an UPDATE. */
  readonly oldObject?: Readonly<Record<string, unknown>>;
  /** Whether the request is a `dryRun=All` (validation runs for dry runs too, as on the real server). */
  readonly dryRun: boolean;
}

/**
 * A validation hook for {@link FakeApiServer.setValidator}: returns the field errors of an object about to be
 * written (empty or `undefined` when valid). Any error makes the server answer 422 Invalid with the real body shape
 * (`Pod "x" is invalid: spec.containers: Required value`, `details.causes[]`).
 * @example
 * ```ts
 * server.setValidator(testResources.Pod, (pod) =>
 *   (pod as any).spec?.containers?.length ? [] : [{ field: 'spec.containers', type: 'FieldValueRequired' }]);
 * ```
 * @since 0.1.0
 */
export type ObjectValidator = (object: Readonly<Record<string, unknown>>, context: ValidationContext) => readonly FieldError[] | undefined | void;

/**
 * What the write handlers know about one resource type.
 * @internal
 * @since 0.1.0
 */
export interface WriteResource {
  readonly kind: string;
  readonly apiVersion: string;
  readonly group: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly store: StoreResource;
  /** `ReturnDeletedObject` of the kind's registry: DELETE answers the object (else a Success Status). */
  readonly deleteReturnsObject: boolean;
  /** Whether `application/strategic-merge-patch+json` is accepted (built-in kinds; not CRDs). */
  readonly strategicMergePatch: boolean;
  readonly nameRule: NameRule;
  readonly validator: ObjectValidator | undefined;
  /**
   * The subresource written (`status`), else the main resource: its managedFields entries carry it, and an apply
   * never creates (`StatusREST.Update` passes `forceAllowCreate=false`). `store.strategy.prepareForUpdate` is then
   * the subresource's (lib/testing/subresources.ts).
   */
  readonly subresource?: string;
}

/**
 * One write request, body already read.
 * @internal
 * @since 0.1.0
 */
export interface WriteRequest {
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body's bytes (protobuf bodies are binary; `body` is their UTF-8 reading). */
  readonly bytes?: Buffer;
}

/**
 * A response: status code and the JSON text (with its trailing newline).
 * @internal
 * @since 0.1.0
 */
export interface WriteResponse {
  readonly code: number;
  readonly body: string;
}

/** Patch media types in the order kube-apiserver lists them (AS:`endpoints/installer.go`, `supportedTypes`). */
const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

function json(code: number, body: unknown): WriteResponse {
  return { code, body: `${typeof body === 'string' ? body : JSON.stringify(body)}\n` };
}

// ---------------------------------------------------------------- the handlers

/**
 * The store-facing side of the write verbs. Stateless apart from the store; the server resolves the route and
 * resource and writes the {@link WriteResponse}.
 * @internal
 * @since 0.1.0
 */
export class WriteHandlers {
  constructor(
    private readonly store: FakeStore,
    /** Namespace existence for the `NamespaceLifecycle` admission (none: every namespace is admitted). */
    private readonly namespaces?: NamespaceLookup,
  ) {}

  private manager(req: WriteRequest): string {
    return req.query.get('fieldManager') ?? managerFromUserAgent(req.headers['user-agent']);
  }

  /**
   * The body of a create/update as JSON text: JSON as is, protobuf (built-in kinds only, as custom resources on the
   * real server) decoded by `protobuf.ts`; anything else is 415 (the real server also takes YAML).
   */
  private requireJsonBody(r: WriteResource, req: WriteRequest): string {
    const type = mediaType(req.headers);
    if (type === 'application/json') return req.body;
    const version = r.apiVersion.split('/').pop()!;
    const protobuf = protobufMessageOf(r.group, version, r.kind) !== undefined;
    if (type !== PROTOBUF_MEDIA_TYPE || !protobuf) {
      throw new HttpError(unsupportedMediaTypeStatus(protobuf ? ['application/json', PROTOBUF_MEDIA_TYPE] : ['application/json']));
    }
    const decoded = decodeProtobufBody(r, req.bytes ?? Buffer.from(req.body, 'utf8'));
    if ('status' in decoded) throw new HttpError(decoded.status);
    return JSON.stringify(decoded.object);
  }

  /**
   * Decodes an object body as the create/update handlers do (AS:`handlers/create.go`, `transformDecodeError`):
   * malformed JSON or a non-object is 400 `the object provided is unrecognized (must be of type Pod): ...`.
   */
  private decodeObject(r: WriteResource, body: string): JsonObject {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      const why = body.trim() === '' ? 'unexpected end of JSON input' : (err as Error).message;
      throw new HttpError(badRequestStatus(`the object provided is unrecognized (must be of type ${r.kind}): couldn't get version/kind; json parse error: ${why} (${summarize(body)})`));
    }
    if (!isMap(parsed)) {
      throw new HttpError(
        badRequestStatus(
          `the object provided is unrecognized (must be of type ${r.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(parsed)} into Go value of type ${GO_TYPEMETA} (${summarize(body)})`,
        ),
      );
    }
    if (parsed['metadata'] !== undefined && !isMap(parsed['metadata'])) {
      throw new HttpError(badRequestStatus(`${r.kind} in version ${JSON.stringify(r.apiVersion.split('/').pop())} cannot be handled as a ${r.kind}: metadata must be an object`));
    }
    this.checkTypeMeta(r, parsed);
    r.store.strategy.defaults?.(parsed);
    return parsed;
  }

  /**
   * `apiVersion` other than the path's: 400 `the API version in the data (X) does not match the expected API version
   * (Y)` (AS:`handlers/create.go`, `update.go`). A different `kind` is a 400 too, shaped like `transformDecodeError`.
   */
  private checkTypeMeta(r: WriteResource, obj: JsonObject): void {
    const av = obj['apiVersion'];
    if (av !== undefined && av !== r.apiVersion) {
      throw new HttpError(badRequestStatus(`the API version in the data (${String(av)}) does not match the expected API version (${r.apiVersion})`));
    }
    const kind = obj['kind'];
    if (kind !== undefined && kind !== r.kind) {
      const version = r.apiVersion.split('/').pop()!;
      throw new HttpError(badRequestStatus(`${String(kind)} in version ${JSON.stringify(version)} cannot be handled as a ${r.kind}: the kind in the body does not match the resource of the path`));
    }
  }

  private static meta(obj: JsonObject): JsonObject {
    if (!isMap(obj['metadata'])) obj['metadata'] = {};
    return obj['metadata'] as JsonObject;
  }

  /** The namespace of a namespaced path, `''` for cluster-scoped kinds (`rest.ExpectedNamespaceForResource`). */
  private static requestNamespace(r: WriteResource, req: WriteRequest): string {
    return r.namespaced ? (req.namespace ?? '') : '';
  }

  /** AS:`handlers/rest.go` `checkName`: body name (and namespace, when set) must match the URL; 400 otherwise. */
  private static checkName(r: WriteResource, req: WriteRequest, obj: JsonObject): void {
    const meta = WriteHandlers.meta(obj);
    const objName = typeof meta['name'] === 'string' ? meta['name'] : '';
    if (objName !== req.name) throw new HttpError(badRequestStatus(`the name of the object (${objName}) does not match the name on the URL (${req.name})`));
    const ns = WriteHandlers.requestNamespace(r, req);
    const objNs = typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
    if (ns !== '' && objNs !== '' && objNs !== ns) {
      throw new HttpError(badRequestStatus(`the namespace of the object (${objNs}) does not match the namespace on the request (${ns})`));
    }
  }

  /** AS:`registry/rest/meta.go` `EnsureObjectNamespaceMatchesRequestNamespace`. */
  private static ensureNamespace(r: WriteResource, req: WriteRequest, obj: JsonObject): void {
    const meta = WriteHandlers.meta(obj);
    const ns = WriteHandlers.requestNamespace(r, req);
    const objNs = meta['namespace'] ?? '';
    if (objNs === ns) return;
    if (objNs === '') meta['namespace'] = ns;
    else if (ns === '') delete meta['namespace']; // cluster-scoped: cleared
    else throw new HttpError(badRequestStatus('the namespace of the provided object does not match the namespace sent on the request'));
    if (meta['namespace'] === '') delete meta['namespace'];
  }

  /**
   * Built-in name validation on create, the kind strategy's `Validate`/`ValidateUpdate`, then the resource's
   * validator; 422 `<Kind> "<name>" is invalid: ...`.
   */
  private validate(r: WriteResource, obj: JsonObject, context: ValidationContext): void {
    const meta = WriteHandlers.meta(obj);
    const errs: FieldError[] = context.operation === 'CREATE' ? validateObjectMetaName(r.nameRule, meta) : [];
    const strategy = r.store.strategy;
    if (context.operation === 'CREATE' && strategy.validateCreate) errs.push(...strategy.validateCreate(obj));
    if (context.operation === 'UPDATE' && strategy.validateUpdate && context.oldObject) {
      errs.push(...strategy.validateUpdate(obj, JSON.parse(JSON.stringify(context.oldObject)) as JsonObject));
    }
    if (r.validator) errs.push(...(r.validator(JSON.parse(JSON.stringify(obj)) as JsonObject, context) ?? []));
    if (errs.length > 0) throw new HttpError(invalidStatus(r.kind, r.group, typeof meta['name'] === 'string' ? meta['name'] : '', errs));
  }

  /** A store error as the matching Status (storage errors interpreted as in AS:`registry/generic/registry/storage_factory`, `storeerr`). */
  private storeError(r: WriteResource, name: string, err: unknown): never {
    if (err instanceof FakeStoreError) {
      switch (err.reason) {
        case 'AlreadyExists':
          throw new HttpError(alreadyExistsStatus(r.plural, r.group, name));
        case 'NotFound':
          throw new HttpError(objectNotFoundStatus(r.plural, r.group, name));
        case 'Conflict':
          throw new HttpError(conflictStatus(r.plural, r.group, name));
        case 'Invalid':
          throw new HttpError(badRequestStatus(err.message));
        case 'Forbidden':
          throw new HttpError(makeStatus({ code: 403, reason: 'Forbidden', message: err.message, details: { name, group: r.group, kind: r.plural } }));
      }
    }
    throw err;
  }

  private get(r: WriteResource, req: WriteRequest): ObjectRecord {
    const rec = this.store.get(r.store, req.name!, req.namespace);
    if (!rec) throw new HttpError(objectNotFoundStatus(r.plural, r.group, req.name!));
    return rec;
  }

  /** The create path shared by POST and an apply that creates. */
  private createObject(r: WriteResource, req: WriteRequest, obj: JsonObject, dryRun: boolean, managed: (o: JsonObject) => void): WriteResponse {
    const meta = WriteHandlers.meta(obj);
    // rest.BeforeCreate: deletion fields are cleared; a generateName without name gets its name before validation.
    delete meta['deletionTimestamp'];
    delete meta['deletionGracePeriodSeconds'];
    const ns = WriteHandlers.requestNamespace(r, req) || (r.namespaced ? 'default' : '');
    // Mutating admission (NamespaceLifecycle) runs before the registry's BeforeCreate and validation.
    const refused = this.namespaces && namespaceAdmission(this.namespaces, r.store, r.group, ns, obj);
    if (refused) throw new HttpError(refused);
    if ((meta['name'] === undefined || meta['name'] === '') && typeof meta['generateName'] === 'string' && meta['generateName'] !== '') {
      meta['name'] = this.store.generateName(r.store, ns, meta['generateName']);
    }
    // rest.FillObjectMetaSystemFields sets the uid before PrepareForCreate (Job's generated selector uses it).
    const uid = randomUUID();
    meta['uid'] = uid;
    r.store.strategy.prepareForCreate?.(obj);
    this.validate(r, obj, { operation: 'CREATE', dryRun });
    // etcd3 store.Create: a set resourceVersion is a plain error, so a 500 (AS:`storage/etcd3/store.go`).
    if (meta['resourceVersion'] !== undefined && meta['resourceVersion'] !== '' && meta['resourceVersion'] !== '0') {
      throw new HttpError(internalErrorStatus('resourceVersion should not be set on objects to be created'));
    }
    delete meta['resourceVersion'];
    managed(obj);
    let rec: ObjectRecord;
    try {
      rec = this.store.create(r.store, obj, { dryRun, uid });
    } catch (err) {
      this.storeError(r, String(meta['name']), err);
    }
    return json(201, rec.json);
  }

  /**
   * The update path shared by PUT and PATCH: preconditions, validation, managedFields, then `store.update`. The
   * managedFields are computed from the prepared object, so fields the strategy resets (status on the main resource,
   * spec on `/status`) are not claimed by the writer (the field manager's reset-fields filter).
   */
  private updateObject(r: WriteResource, req: WriteRequest, prev: ObjectRecord, obj: JsonObject, dryRun: boolean, managedFields: ((prepared: JsonObject) => Json[]) | undefined): WriteResponse {
    r.store.strategy.prepareForUpdate?.(obj, prev.copy());
    this.validate(r, obj, { operation: 'UPDATE', oldObject: prev.copy(), dryRun });
    if (managedFields) WriteHandlers.meta(obj)['managedFields'] = managedFields(obj);
    let rec: ObjectRecord;
    try {
      rec = this.store.update(r.store, obj, { dryRun });
    } catch (err) {
      this.storeError(r, req.name!, err);
    }
    return json(200, rec.json);
  }

  /** POST on a collection: create (201). */
  create(r: WriteResource, req: WriteRequest): WriteResponse {
    const body = this.requireJsonBody(r, req);
    const dryRun = createOrUpdateOptions('CreateOptions', req.query);
    const obj = this.decodeObject(r, body);
    WriteHandlers.ensureNamespace(r, req, obj);
    const manager = this.manager(req);
    return this.createObject(r, req, obj, dryRun, (o) => {
      // Fields the strategy resets (the status PrepareForCreate sets) are not the creator's (reset-fields filter).
      const owned = { ...o };
      for (const f of r.store.strategy.resetFields ?? []) delete owned[f];
      WriteHandlers.meta(o)['managedFields'] = managedFieldsAfterUpdate(undefined, owned as JsonMap, manager, r.apiVersion);
    });
  }

  /** PUT on an item: replace (200); 404 when missing (no create-on-update). */
  replace(r: WriteResource, req: WriteRequest): WriteResponse {
    const body = this.requireJsonBody(r, req);
    const dryRun = createOrUpdateOptions('UpdateOptions', req.query);
    const obj = this.decodeObject(r, body);
    WriteHandlers.checkName(r, req, obj);
    WriteHandlers.ensureNamespace(r, req, obj);
    const prev = this.get(r, req);
    const manager = this.manager(req);
    const managed = (o: JsonObject): Json[] => managedFieldsAfterUpdate(prev.copy() as JsonMap, o as JsonMap, manager, r.apiVersion, r.subresource);
    return this.updateObject(r, req, prev, obj, dryRun, managed);
  }

  /** PATCH on an item, by `Content-Type` (AS:`handlers/patch.go`). */
  patch(r: WriteResource, req: WriteRequest): WriteResponse {
    const type = mediaType(req.headers);
    const supported = [JSON_PATCH, MERGE_PATCH, ...(r.strategicMergePatch ? [STRATEGIC_PATCH] : []), APPLY_PATCH];
    if (!supported.includes(type)) throw new HttpError(unsupportedMediaTypeStatus(supported));
    const apply = type === APPLY_PATCH;
    // AM:`apis/meta/v1/validation` `ValidatePatchOptions`.
    const errs: FieldError[] = [];
    const fieldManager = req.query.get('fieldManager') ?? '';
    if (!apply && req.query.has('force')) errs.push({ field: 'force', type: 'FieldValueForbidden', detail: 'may not be specified for non-apply patch' });
    if (apply && fieldManager === '') errs.push({ field: 'fieldManager', type: 'FieldValueRequired', detail: 'is required for apply patch' });
    if (fieldManager.length > 128) errs.push({ field: 'fieldManager', type: 'FieldValueTooLong', detail: 'may not be more than 128 bytes' });
    const dryRunValues = req.query.getAll('dryRun');
    errs.push(...dryRunErrors(dryRunValues));
    if (errs.length > 0) throw optionsInvalid('PatchOptions', errs);
    const dryRun = dryRunValues.length > 0;
    const force = apply && req.query.has('force') && !['0', 'false'].includes((req.query.get('force') ?? '').toLowerCase());

    let patch: unknown;
    try {
      patch = JSON.parse(req.body);
    } catch (err) {
      const msg = (err as Error).message;
      if (apply) throw new HttpError(badRequestStatus(`error decoding YAML: ${msg} (the fake accepts JSON, which is valid YAML)`));
      throw new HttpError(badRequestStatus(type === JSON_PATCH ? msg : `error decoding patch: ${msg}`));
    }
    const prev = this.store.get(r.store, req.name!, req.namespace);

    if (apply) {
      if (!isMap(patch)) throw new HttpError(badRequestStatus(`error decoding YAML: cannot unmarshal ${goJsonType(patch)} into an object`));
      // fieldmanager Apply: the applied configuration must name the same version and kind.
      if (patch['apiVersion'] !== r.apiVersion) {
        throw new HttpError(badRequestStatus(`Incorrect version specified in apply patch. Specified patch version: ${String(patch['apiVersion'] ?? '')}, expected: ${r.apiVersion}`));
      }
      if (patch['kind'] !== r.kind) {
        throw new HttpError(badRequestStatus(`Incorrect kind specified in apply patch. Specified patch kind: ${String(patch['kind'] ?? '')}, expected: ${r.kind}`));
      }
      const config = patch as JsonObject;
      WriteHandlers.checkName(r, req, config);
      WriteHandlers.ensureNamespace(r, req, config);
      // An apply on a subresource never creates (StatusREST.Update: forceAllowCreate=false).
      if (!prev && r.subresource !== undefined) throw new HttpError(objectNotFoundStatus(r.plural, r.group, req.name!));
      // Fields the strategy resets are neither applied nor owned (the field manager's reset-fields filter).
      for (const f of r.store.strategy.resetFields ?? []) delete config[f];
      const result = applyConfiguration(prev?.copy() as JsonMap | undefined, config as JsonMap, fieldManager, r.apiVersion, force, r.subresource);
      if (result.conflicts) throw new HttpError(applyConflictStatus(result.conflicts));
      const merged = result.object as JsonObject;
      // Defaulting happens on the merged object; the applier does not own the defaulted fields.
      r.store.strategy.defaults?.(merged);
      if (!prev) return this.createObject(r, req, merged, dryRun, () => undefined);
      return this.updateObject(r, req, prev, merged, dryRun, undefined);
    }

    if (!prev) throw new HttpError(objectNotFoundStatus(r.plural, r.group, req.name!));
    const current = prev.copy() as JsonMap;
    let patched: Json;
    try {
      if (type === JSON_PATCH) patched = jsonPatch(current, patch);
      else if (!isMap(patch)) throw new PatchError('bad-request', `error decoding patch: json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`);
      else patched = type === MERGE_PATCH ? mergePatch(current, patch) : strategicMergePatch(current, patch);
    } catch (err) {
      if (!(err instanceof PatchError)) throw err;
      // A JSON-patch operation that fails is the generic 422 of NewGenericServerResponse (AS:`handlers/patch.go`
      // `applyJSPatch`): the operation's own message is not sent.
      if (err.kind === 'unprocessable') {
        throw new HttpError(makeStatus({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request', details: {} }));
      }
      throw new HttpError(badRequestStatus(err.message));
    }
    if (!isMap(patched)) throw new HttpError(badRequestStatus(`the patched object is a ${goJsonType(patched)}, not an object`));
    const obj = patched as JsonObject;
    this.checkTypeMeta(r, obj);
    // The patched JSON is decoded again, so defaulted (patch.go `applyPatch` → `DecodeInto`).
    r.store.strategy.defaults?.(obj);
    WriteHandlers.checkName(r, req, obj);
    WriteHandlers.ensureNamespace(r, req, obj);
    const manager = this.manager(req);
    const managed = (o: JsonObject): Json[] => managedFieldsAfterUpdate(current, o as JsonMap, manager, r.apiVersion, r.subresource);
    return this.updateObject(r, req, prev, obj, dryRun, managed);
  }

  /** DELETE on an item (AS:`handlers/delete.go`, `Store.Delete`). */
  delete(r: WriteResource, req: WriteRequest): WriteResponse {
    const opts = deleteOptions(req.query, req.body);
    const prev = this.get(r, req);
    const meta = prev.object['metadata'] as JsonObject;
    // rest.BeforeDelete checks the preconditions early; its Conflict names the Kind, not the resource (sic).
    const pre = opts.preconditions;
    if (pre.uid !== undefined && pre.uid !== meta['uid']) {
      throw new HttpError(
        conflictStatus(r.kind, r.group, req.name!, `the UID in the precondition (${pre.uid}) does not match the UID in record (${String(meta['uid'])}). The object might have been deleted and then recreated`),
      );
    }
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== meta['resourceVersion']) {
      throw new HttpError(
        conflictStatus(
          r.kind,
          r.group,
          req.name!,
          `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${String(meta['resourceVersion'])}). The object might have been modified`,
        ),
      );
    }
    // NamespaceLifecycle admission: the immortal namespaces cannot be deleted.
    const immortal = r.store.key === NAMESPACES_KEY && this.namespaces ? immortalNamespaceStatus(req.name!) : undefined;
    if (immortal) throw new HttpError(immortal);
    let result;
    try {
      result = deleteObject(this.store, r.store, req.name!, req.namespace, opts);
    } catch (err) {
      this.storeError(r, req.name!, err);
    }
    const { record, deleted } = result;
    if (!deleted) {
      // Pending finalizers: the object with deletionTimestamp; 202 only when orphanDependents=false was asked.
      return json(opts.orphanDependents === false ? 202 : 200, record.json);
    }
    if (r.deleteReturnsObject) return json(200, record.json);
    const uid = (record.object['metadata'] as JsonObject)['uid'];
    return json(200, deleteSuccessStatus(r.plural, r.group, req.name!, typeof uid === 'string' ? uid : undefined));
  }

  /**
   * DELETE on a collection (deletecollection): every object passing `match` is deleted (or marked, with finalizers);
   * the answer is a `<Kind>List` of them at the RV the collection was listed at.
   */
  deleteCollection(r: WriteResource, req: WriteRequest, match: (rec: ObjectRecord) => boolean, typeMetaPrefix: string): WriteResponse {
    const opts = deleteOptions(req.query, req.body);
    const listRV = this.store.currentRV;
    const items = this.store.snapshot(r.store.key, req.namespace).filter(match);
    const out: string[] = [];
    for (const item of items) {
      let record: ObjectRecord;
      try {
        ({ record } = deleteObject(this.store, r.store, item.name, item.namespace || undefined, opts));
      } catch (err) {
        // Store.DeleteCollection ignores NotFound (an item deleted meanwhile).
        if (err instanceof FakeStoreError && err.reason === 'NotFound') continue;
        throw err;
      }
      out.push(record.json.startsWith(typeMetaPrefix) ? `{${record.json.slice(typeMetaPrefix.length)}` : record.json);
    }
    const head = `{"kind":${JSON.stringify(`${r.kind}List`)},"apiVersion":${JSON.stringify(r.apiVersion)}`;
    return json(200, `${head},"metadata":{"resourceVersion":"${listRV}"},"items":[${out.join(',')}]}`);
  }
}

/**
 * The strategy of `apiextensions.k8s.io/v1` CustomResourceDefinition objects: defaulting
 * (apiextensions-apiserver `pkg/apis/apiextensions/v1/defaults.go`), `PrepareForCreate`/`PrepareForUpdate`
 * (`pkg/registry/customresourcedefinition/strategy.go`), validation (`pkg/apis/apiextensions/validation/validation.go`
 * `ValidateCustomResourceDefinition`, `ValidateCustomResourceDefinitionUpdate`, in the subset listed on
 * {@link validateCrd}), and the finalizer its registry adds on delete (`pkg/registry/customresourcedefinition/etcd.go`
 * `REST.Delete`).
 * @internal
 */
import type { FieldError } from '../status.js';
import type { JsonObject } from '../store.js';
import type { KindStrategy } from '../strategies.js';
import { structuralErrors, type SchemaNode } from './structural-schema.js';

/** The finalizer of the CRD finalizer controller (`apiextensions.CustomResourceCleanupFinalizer`). @internal */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

function isMap(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** `spec` of a CRD, `{}` when missing. @internal */
export function crdSpec(crd: JsonObject): JsonObject {
  return isMap(crd['spec']) ? crd['spec'] : {};
}

/** `spec.names`. @internal */
export function crdNames(crd: JsonObject): JsonObject {
  const names = crdSpec(crd)['names'];
  return isMap(names) ? names : {};
}

/** `spec.versions` (objects only). @internal */
export function crdVersions(crd: JsonObject): JsonObject[] {
  const v = crdSpec(crd)['versions'];
  return Array.isArray(v) ? v.filter(isMap) : [];
}

/** The name of the storage version, if exactly one is marked. @internal */
export function storageVersion(crd: JsonObject): string | undefined {
  const storage = crdVersions(crd).filter((v) => v['storage'] === true);
  return storage.length === 1 ? str(storage[0]!['name']) : undefined;
}

// ---------------------------------------------------------------- names (AM: util/validation IsDNS1035Label)

const DNS1035 = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_RE = new RegExp(`^${DNS1035}$`);
const DNS1035_MESSAGE = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035}')`;
const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN}$`);
const DNS1123_SUBDOMAIN_MESSAGE = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`;

function dns1035(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1035_RE.test(v)) out.push(DNS1035_MESSAGE);
  return out;
}

function dns1123Subdomain(v: string): string[] {
  const out: string[] = [];
  if (v.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN_RE.test(v)) out.push(DNS1123_SUBDOMAIN_MESSAGE);
  return out;
}

/** `ValidateCustomResourceDefinitionNames`. */
function namesErrors(names: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const check = (key: 'plural' | 'singular'): void => {
    const v = str(names[key]);
    const e = dns1035(v);
    if (v !== '' && e.length > 0) errs.push({ field: `${path}.${key}`, type: 'FieldValueInvalid', value: v, detail: e.join(',') });
  };
  check('plural');
  check('singular');
  for (const key of ['kind', 'listKind'] as const) {
    const v = str(names[key]);
    const e = dns1035(v.toLowerCase());
    if (v !== '' && e.length > 0) errs.push({ field: `${path}.${key}`, type: 'FieldValueInvalid', value: v, detail: `may have mixed case, but should otherwise match: ${e.join(',')}` });
  }
  for (const key of ['shortNames', 'categories'] as const) {
    const list = Array.isArray(names[key]) ? (names[key] as unknown[]) : [];
    list.forEach((item, i) => {
      const e = dns1035(str(item));
      if (e.length > 0) errs.push({ field: `${path}.${key}[${i}]`, type: 'FieldValueInvalid', value: item, detail: e.join(',') });
    });
  }
  if (str(names['kind']) !== '' && names['kind'] === names['listKind']) {
    errs.push({ field: `${path}.listKind`, type: 'FieldValueInvalid', value: names['listKind'], detail: 'kind and listKind may not be the same' });
  }
  return errs;
}

/**
 * `ValidateCustomResourceDefinition` in the subset the fake checks: `metadata.name` is `<plural>.<group>`; `spec.group`
 * a DNS subdomain with a dot; `spec.scope` `Cluster` or `Namespaced`; `spec.names` (plural, singular, kind, listKind
 * required and DNS-1035, shortNames, categories); `spec.versions` with unique DNS-1035 names, exactly one storage
 * version, and (v1) a structural `schema.openAPIV3Schema` on every version (`schemas are required`). Values that are
 * Go structs in the real message (the whole `spec.versions`) are left out of the fake's.
 * @internal
 */
export function validateCrd(crd: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crdSpec(crd);
  const names = crdNames(crd);
  const meta = isMap(crd['metadata']) ? crd['metadata'] : {};
  const group = str(spec['group']);
  const name = str(meta['name']);
  if (name !== '' && name !== `${str(names['plural'])}.${group}`) {
    errs.push({ field: 'metadata.name', type: 'FieldValueInvalid', value: name, detail: 'must be spec.names.plural+"."+spec.group' });
  }
  if (group === '') errs.push({ field: 'spec.group', type: 'FieldValueRequired' });
  else if (dns1123Subdomain(group).length > 0) errs.push({ field: 'spec.group', type: 'FieldValueInvalid', value: group, detail: dns1123Subdomain(group).join(',') });
  else if (group.split('.').length < 2) errs.push({ field: 'spec.group', type: 'FieldValueInvalid', value: group, detail: 'should be a domain with at least one dot' });
  const scope = str(spec['scope']);
  if (scope === '') errs.push({ field: 'spec.scope', type: 'FieldValueRequired' });
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push({ field: 'spec.scope', type: 'FieldValueNotSupported', value: scope, supported: ['Cluster', 'Namespaced'] });

  const versions = crdVersions(crd);
  const seen = new Set<string>();
  let unique = true;
  let storage = 0;
  versions.forEach((v, i) => {
    const vName = str(v['name']);
    if (v['storage'] === true) storage++;
    if (seen.has(vName)) unique = false;
    seen.add(vName);
    const e = dns1035(vName);
    if (e.length > 0) errs.push({ field: `spec.versions[${i}].name`, type: 'FieldValueInvalid', value: vName, detail: e.join(',') });
  });
  if (!unique) errs.push({ field: 'spec.versions', type: 'FieldValueInvalid', detail: 'must contain unique version names' });
  if (storage !== 1) errs.push({ field: 'spec.versions', type: 'FieldValueInvalid', detail: 'must have exactly one version marked as storage version' });

  for (const key of ['plural', 'singular', 'kind', 'listKind'] as const) {
    if (str(names[key]) === '') errs.push({ field: `spec.names.${key}`, type: 'FieldValueRequired' });
  }
  errs.push(...namesErrors(names, 'spec.names'));

  versions.forEach((v, i) => {
    const path = `spec.versions[${i}].schema.openAPIV3Schema`;
    const schema = isMap(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
    if (!isMap(schema)) {
      errs.push({ field: path, type: 'FieldValueRequired', detail: 'schemas are required' });
      return;
    }
    errs.push(...structuralErrors(schema as SchemaNode, path));
    forbidUniqueItems(schema as SchemaNode, path, errs);
  });
  return errs;
}

/** `ValidateCustomResourceDefinitionOpenAPISchema`: `uniqueItems: true` is forbidden. */
function forbidUniqueItems(s: SchemaNode, path: string, errs: FieldError[]): void {
  if (s.uniqueItems === true) errs.push({ field: `${path}.uniqueItems`, type: 'FieldValueForbidden', detail: 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic' });
  for (const [k, p] of Object.entries(s.properties ?? {})) forbidUniqueItems(p, `${path}.properties[${k}]`, errs);
  if (s.items) forbidUniqueItems(s.items, `${path}.items`, errs);
  if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') forbidUniqueItems(s.additionalProperties, `${path}.additionalProperties`, errs);
}

function conditionTrue(crd: JsonObject, type: string): boolean {
  const status = isMap(crd['status']) ? crd['status'] : {};
  const conditions = Array.isArray(status['conditions']) ? status['conditions'] : [];
  return conditions.some((c) => isMap(c) && c['type'] === type && c['status'] === 'True');
}

/**
 * `ValidateCustomResourceDefinitionUpdate`: everything of {@link validateCrd}, `spec.group` and `spec.names.plural`
 * immutable, `spec.scope` and `spec.names.kind` immutable once Established, and every `status.storedVersions` entry
 * still in `spec.versions`.
 * @internal
 */
export function validateCrdUpdate(crd: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateCrd(crd);
  const immutable = (field: string, a: unknown, b: unknown): void => {
    if (a !== b) errs.push({ field, type: 'FieldValueInvalid', value: a, detail: 'field is immutable' });
  };
  const [spec, oldSpec, names, oldNames] = [crdSpec(crd), crdSpec(old), crdNames(crd), crdNames(old)];
  if (conditionTrue(old, 'Established')) {
    immutable('spec.scope', spec['scope'], oldSpec['scope']);
    immutable('spec.names.kind', names['kind'], oldNames['kind']);
  }
  immutable('spec.group', spec['group'], oldSpec['group']);
  immutable('spec.names.plural', names['plural'], oldNames['plural']);
  const status = isMap(crd['status']) ? crd['status'] : {};
  const stored = Array.isArray(status['storedVersions']) ? status['storedVersions'] : [];
  const declared = new Set(crdVersions(crd).map((v) => str(v['name'])));
  stored.forEach((v, i) => {
    if (!declared.has(str(v))) errs.push({ field: `status.storedVersions[${i}]`, type: 'FieldValueInvalid', value: v, detail: 'must appear in spec.versions' });
  });
  return errs;
}

/** v1 defaults (`SetDefaults_CustomResourceDefinitionSpec`, `SetDefaults_CustomResourceDefinition`). */
function defaults(crd: JsonObject): void {
  const spec = crdSpec(crd);
  if (!isMap(crd['spec'])) return;
  const names = spec['names'];
  if (isMap(names)) {
    if (str(names['singular']) === '' && str(names['kind']) !== '') names['singular'] = str(names['kind']).toLowerCase();
    if (str(names['listKind']) === '' && str(names['kind']) !== '') names['listKind'] = `${str(names['kind'])}List`;
  }
  if (!isMap(spec['conversion'])) spec['conversion'] = { strategy: 'None' };
}

/** `PrepareForCreate`: status cleared, `storedVersions` = the storage version. */
function prepareForCreate(crd: JsonObject): void {
  const v = storageVersion(crd);
  crd['status'] = { acceptedNames: { plural: '', kind: '' }, ...(v !== undefined ? { storedVersions: [v] } : {}) };
}

/** `PrepareForUpdate`: status from the stored object, the (new) storage version appended to `storedVersions`. */
function prepareForUpdate(crd: JsonObject, old: JsonObject): void {
  const status: JsonObject = isMap(old['status']) ? { ...old['status'] } : {};
  const v = storageVersion(crd);
  const stored = Array.isArray(status['storedVersions']) ? [...(status['storedVersions'] as unknown[])] : [];
  if (v !== undefined && !stored.includes(v)) stored.push(v);
  if (stored.length > 0) status['storedVersions'] = stored;
  crd['status'] = status;
}

/**
 * `REST.Delete` (`pkg/registry/customresourcedefinition/etcd.go`): the first DELETE is an update that adds the cleanup
 * finalizer and sets `Terminating` True (`InstanceDeletionPending`); no grace period, no generation bump.
 */
function markForDeletion(crd: JsonObject): void {
  const meta = crd['metadata'] as JsonObject;
  const finalizers = Array.isArray(meta['finalizers']) ? (meta['finalizers'] as unknown[]) : [];
  if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) finalizers.push(CRD_CLEANUP_FINALIZER);
  meta['finalizers'] = finalizers;
  setCrdCondition(crd, {
    type: 'Terminating',
    status: 'True',
    reason: 'InstanceDeletionPending',
    message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
  });
}

/** A CRD condition as `SetCRDCondition` writes it (see {@link setCrdCondition}). @internal */
export interface CrdCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

/** The conditions of a CRD's status. @internal */
export function crdConditions(crd: JsonObject): CrdCondition[] {
  const status = isMap(crd['status']) ? crd['status'] : {};
  return Array.isArray(status['conditions']) ? (status['conditions'] as CrdCondition[]) : [];
}

/**
 * `SetCRDCondition` (`pkg/apis/apiextensions/helpers.go`): replaces the condition of that type; `lastTransitionTime`
 * moves only when the status changes. Keys in the Go struct's order: type, status, lastTransitionTime, reason, message.
 * @internal
 */
export function setCrdCondition(crd: JsonObject, c: Omit<CrdCondition, 'lastTransitionTime'>): void {
  const status: JsonObject = isMap(crd['status']) ? crd['status'] : (crd['status'] = {});
  const list = crdConditions(crd).slice();
  const i = list.findIndex((x) => x.type === c.type);
  const old = i >= 0 ? list[i] : undefined;
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const next: CrdCondition = { type: c.type, status: c.status, lastTransitionTime: old && old.status === c.status ? (old.lastTransitionTime ?? now) : now, reason: c.reason, message: c.message };
  if (i >= 0) list[i] = next;
  else list.push(next);
  status['conditions'] = list;
}

/**
 * The CustomResourceDefinition kind strategy (see the module doc); its `status` subresource carries the
 * controllers' writes.
 * @internal
 */
export const CRD_STRATEGY: KindStrategy = {
  generation: 'spec',
  defaults,
  prepareForCreate,
  prepareForUpdate,
  validateCreate: validateCrd,
  validateUpdate: validateCrdUpdate,
  subresources: { status: true },
  markForDeletion,
};

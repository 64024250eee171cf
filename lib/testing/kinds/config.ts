/**
 * ConfigMap, Secret, Namespace and Lease: defaults of kubernetes/kubernetes `pkg/apis/core/v1/defaults.go`
 * (`SetDefaults_ConfigMap`, `SetDefaults_Secret`, `SetDefaults_Namespace`, `SetDefaults_NamespaceStatus`), the Secret
 * v1 conversion (`stringData` merged into `data`: `pkg/apis/core/v1/conversion.go` `Convert_v1_Secret_To_core_Secret`),
 * and the rules of `pkg/apis/core/validation/validation.go` (`ValidateConfigMap`, `ValidateSecret`, their `...Update`)
 * and `pkg/apis/coordination/validation/validation.go` (`ValidateLeaseSpec`).
 * @internal
 */
import type { FieldError } from '../status.js';
import type { JsonObject } from '../store.js';
import { jsonEqual } from '../patch.js';
import { configMapKeyMessages, ensureMap, immutable, mapAt, setDefault, str } from './field-rules.js';
import type { KindParts } from './workloads.js';

/** `core.MaxSecretSize`: 1 MiB of data in a ConfigMap or Secret. */
const MAX_SIZE = 1024 * 1024;

function keyErrors(map: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(mapAt(map) ?? {})) {
    for (const detail of configMapKeyMessages(key)) errs.push({ field: `${path}[${key}]`, type: 'FieldValueInvalid', value: key, detail });
  }
  return errs;
}

/** `ValidateConfigMapUpdate` / `ValidateSecretUpdate`: an `immutable` object keeps its data and stays immutable. */
function immutableObject(obj: JsonObject, old: JsonObject, dataKeys: readonly string[]): FieldError[] {
  if (old['immutable'] !== true) return [];
  const errs: FieldError[] = [];
  if (obj['immutable'] !== true) errs.push({ field: 'immutable', type: 'FieldValueForbidden', detail: 'field is immutable when `immutable` is set' });
  for (const k of dataKeys) {
    if (!jsonEqual(obj[k] ?? {}, old[k] ?? {})) errs.push({ field: k, type: 'FieldValueForbidden', detail: 'field is immutable when `immutable` is set' });
  }
  return errs;
}

/** `ValidateConfigMap`: keys, no key in both maps, 1 MiB in all. */
function validateConfigMap(obj: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = mapAt(obj['data']) ?? {};
  const binary = mapAt(obj['binaryData']) ?? {};
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const detail of configMapKeyMessages(key)) errs.push({ field: `data[${key}]`, type: 'FieldValueInvalid', value: key, detail });
    if (key in binary) errs.push({ field: `data[${key}]`, type: 'FieldValueInvalid', value: key, detail: 'duplicate of key present in binaryData' });
    size += Buffer.byteLength(str(value), 'utf8');
  }
  for (const [key, value] of Object.entries(binary)) {
    for (const detail of configMapKeyMessages(key)) errs.push({ field: `binaryData[${key}]`, type: 'FieldValueInvalid', value: key, detail });
    if (key in data) errs.push({ field: `binaryData[${key}]`, type: 'FieldValueInvalid', value: key, detail: 'duplicate of key present in data' });
    size += Buffer.from(str(value), 'base64').length;
  }
  if (size > MAX_SIZE) errs.push({ field: '[]', type: 'FieldValueTooLong', detail: `may not be more than ${MAX_SIZE} bytes` });
  return errs;
}

/** ConfigMap: `SetDefaults_ConfigMap` (`data: {}`). */
export const configMapParts: KindParts = {
  defaults(obj) {
    if (!mapAt(obj['data'])) obj['data'] = {};
  },
  validateCreate: validateConfigMap,
  validateUpdate: (obj, old) => [...validateConfigMap(obj), ...immutableObject(obj, old, ['data', 'binaryData'])],
};

/** The keys `ValidateSecret` requires per type. */
const REQUIRED_SECRET_KEYS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

/** `ValidateSecret`: keys, 1 MiB of data, the keys of the typed secrets. */
function validateSecret(obj: JsonObject): FieldError[] {
  const data = mapAt(obj['data']) ?? {};
  const errs = keyErrors(data, 'data');
  let size = 0;
  for (const v of Object.values(data)) size += Buffer.from(str(v), 'base64').length;
  if (size > MAX_SIZE) errs.push({ field: 'data', type: 'FieldValueTooLong', detail: `may not be more than ${MAX_SIZE} bytes` });
  const type = str(obj['type']);
  if (type === 'kubernetes.io/service-account-token') {
    const annotations = mapAt(mapAt(obj['metadata'])?.['annotations']) ?? {};
    if (str(annotations['kubernetes.io/service-account.name']) === '') {
      errs.push({ field: 'metadata.annotations[kubernetes.io/service-account.name]', type: 'FieldValueRequired' });
    }
  } else if (type === 'kubernetes.io/basic-auth') {
    if (!('username' in data) && !('password' in data)) errs.push({ field: 'data[username]', type: 'FieldValueRequired' }, { field: 'data[password]', type: 'FieldValueRequired' });
  }
  for (const key of REQUIRED_SECRET_KEYS[type] ?? []) if (!(key in data)) errs.push({ field: `data[${key}]`, type: 'FieldValueRequired' });
  return errs;
}

/** Secret: `stringData` folded into `data` (base64) by the v1 conversion; `SetDefaults_Secret` (`type: Opaque`). */
export const secretParts: KindParts = {
  defaults(obj) {
    const stringData = mapAt(obj['stringData']);
    if (stringData) {
      const data = ensureMap(obj, 'data');
      for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(str(v), 'utf8').toString('base64');
      delete obj['stringData'];
    }
    setDefault(obj, 'type', 'Opaque');
  },
  validateCreate: validateSecret,
  validateUpdate: (obj, old) => [...validateSecret(obj), ...immutable(obj['type'], old['type'], 'type'), ...immutableObject(obj, old, ['data'])],
};

/** Namespace: `SetDefaults_Namespace` (the `kubernetes.io/metadata.name` label) and `SetDefaults_NamespaceStatus` (Active). */
export const namespaceParts: KindParts = {
  defaults(obj) {
    const meta = ensureMap(obj, 'metadata');
    const name = str(meta['name']);
    if (name !== '') ensureMap(meta, 'labels')['kubernetes.io/metadata.name'] = name;
    setDefault(ensureMap(obj, 'status'), 'phase', 'Active');
  },
};

/** Lease: `ValidateLeaseSpec`. */
export const leaseParts: KindParts = {
  validateCreate(obj) {
    const spec = mapAt(obj['spec']) ?? {};
    const errs: FieldError[] = [];
    const duration = spec['leaseDurationSeconds'];
    if (typeof duration === 'number' && duration <= 0) errs.push({ field: 'spec.leaseDurationSeconds', type: 'FieldValueInvalid', value: duration, detail: 'must be greater than 0' });
    const transitions = spec['leaseTransitions'];
    if (typeof transitions === 'number' && transitions < 0) errs.push({ field: 'spec.leaseTransitions', type: 'FieldValueInvalid', value: transitions, detail: 'must be greater than or equal to 0' });
    return errs;
  },
  validateUpdate: (obj) => leaseParts.validateCreate!(obj),
};

/**
 * The structural schema of a CustomResourceDefinition version, as apiextensions-apiserver reads it
 * (`pkg/apiserver/schema/structural.go` `Structural`, built by `NewStructural` from `JSONSchemaProps`), and the
 * structural invariants a v1 CRD must satisfy (`pkg/apiserver/schema/validation.go` `ValidateStructural`,
 * `validateStructuralInvariants`), in the subset the FakeApiServer checks.
 * @internal
 */
import type { FieldError } from '../status.js';
import type { JsonObject } from '../store.js';

/** One node of an `openAPIV3Schema` (the fields the fake uses). @internal */
export interface SchemaNode {
  readonly type?: string;
  readonly format?: string;
  readonly description?: string;
  readonly nullable?: boolean;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly maximum?: number;
  readonly minimum?: number;
  readonly exclusiveMaximum?: boolean;
  readonly exclusiveMinimum?: boolean;
  readonly multipleOf?: number;
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly maxItems?: number;
  readonly minItems?: number;
  readonly uniqueItems?: boolean;
  readonly maxProperties?: number;
  readonly minProperties?: number;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: string;
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: string;
  readonly 'x-kubernetes-validations'?: readonly unknown[];
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The `openAPIV3Schema` of one version of a v1 CRD (`spec.versions[].schema.openAPIV3Schema`), if any. @internal */
export function versionSchema(crd: JsonObject, version: string): SchemaNode | undefined {
  const spec = isObject(crd['spec']) ? crd['spec'] : {};
  const versions = Array.isArray(spec['versions']) ? spec['versions'] : [];
  for (const v of versions) {
    if (!isObject(v) || v['name'] !== version) continue;
    const schema = isObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
    return isObject(schema) ? (schema as SchemaNode) : undefined;
  }
  return undefined;
}

/** The child path `a.b` / `a[key]` as `field.Path` prints it (`properties[spec]`). */
function key(path: string, name: string, k: string): string {
  return `${path}.${name}[${k}]`;
}

const ALLOWED_METADATA_PROPERTIES = new Set(['name', 'generateName']);

/**
 * The structural invariants of a v1 CRD schema that the fake checks (apiextensions-apiserver
 * `pkg/apiserver/schema/validation.go` `validateStructuralInvariants` and `validateStructuralMetadataInvariants`,
 * `ValidateStructural`): every specified node has a `type` unless `x-kubernetes-int-or-string` or
 * `x-kubernetes-preserve-unknown-fields` leave it open; the root is an object; `int-or-string` has no type;
 * `metadata` at the root or of an embedded resource only restricts `name` and `generateName`;
 * `x-kubernetes-embedded-resource` needs `type: object`; `x-kubernetes-list-type: map` needs `x-kubernetes-list-map-keys`.
 * @internal
 */
export function structuralErrors(schema: SchemaNode, path: string): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, path, 'root', errs);
  return errs;
}

type Level = 'root' | 'field' | 'item';
const EMPTY_TYPE: Record<Level, string> = {
  root: 'must not be empty at the root',
  field: 'must not be empty for specified object fields',
  item: 'must not be empty for specified array items',
};

function walk(s: SchemaNode, path: string, level: Level, errs: FieldError[]): void {
  const root = level === 'root';
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (intOrString && s.type !== undefined && s.type !== '') {
    errs.push({ field: `${path}.type`, type: 'FieldValueInvalid', value: s.type, detail: 'must be empty if x-kubernetes-int-or-string is true' });
  }
  if (s['x-kubernetes-embedded-resource'] === true && s.type !== 'object') {
    if (s.type === undefined || s.type === '') errs.push({ field: `${path}.type`, type: 'FieldValueRequired', detail: 'must be object if x-kubernetes-embedded-resource is true' });
    else errs.push({ field: `${path}.type`, type: 'FieldValueInvalid', value: s.type, detail: 'must be object if x-kubernetes-embedded-resource is true' });
  } else if ((s.type === undefined || s.type === '') && !intOrString && !preserve) {
    errs.push({ field: `${path}.type`, type: 'FieldValueRequired', detail: EMPTY_TYPE[level] });
  }
  if (s.type === 'array' && s.items === undefined) errs.push({ field: `${path}.items`, type: 'FieldValueRequired', detail: 'must be specified' });
  if (s['x-kubernetes-list-type'] === 'map' && (s['x-kubernetes-list-map-keys'] ?? []).length === 0) {
    errs.push({ field: `${path}.x-kubernetes-list-map-keys`, type: 'FieldValueRequired', detail: 'must not be empty if x-kubernetes-list-type is map' });
  }
  if (root && s.type !== undefined && s.type !== '' && s.type !== 'object') {
    errs.push({ field: `${path}.type`, type: 'FieldValueInvalid', value: s.type, detail: 'must be object at the root' });
  }
  if (s.properties && s.additionalProperties !== undefined && s.additionalProperties !== true) {
    errs.push({ field: `${path}.additionalProperties`, type: 'FieldValueForbidden', detail: 'additionalProperties and properties are mutual exclusive' });
  }
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    const childPath = key(path, 'properties', name);
    if ((root || s['x-kubernetes-embedded-resource'] === true) && name === 'metadata') {
      if (child.type !== undefined && child.type !== 'object') {
        errs.push({ field: `${childPath}.type`, type: 'FieldValueInvalid', value: child.type, detail: 'must be object' });
      }
      for (const p of Object.keys(child.properties ?? {})) {
        if (!ALLOWED_METADATA_PROPERTIES.has(p)) errs.push({ field: `${childPath}.properties[${p}]`, type: 'FieldValueForbidden', detail: 'must not be specified' });
      }
      continue;
    }
    walk(child, childPath, 'field', errs);
  }
  if (s.items) walk(s.items, `${path}.items`, 'item', errs);
  if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') walk(s.additionalProperties, `${path}.additionalProperties`, 'field', errs);
}

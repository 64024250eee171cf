/**
 * Validation of a custom resource against its CRD version's `openAPIV3Schema`, with the messages a real server
 * sends. kube-apiserver validates custom resources with kube-openapi's validator (`k8s.io/kube-openapi/pkg/validation/
 * validate`: `type.go`, `object_validator.go`, `slice_validator.go`, ...; messages from `pkg/validation/errors/schema.go`,
 * always with `in body`), and turns each error into a `field.Error` in apiextensions-apiserver
 * `pkg/apiserver/validation/validation.go` `kubeOpenAPIResultToFieldErrors`:
 *
 * - required → `Required value`; enum → `Unsupported value: <v>: supported values: ...`;
 * - maxLength → `Too long: may not be longer than N` (`field.TooLongMaxLength`); maxItems → `Too many: <n>: must have
 *   at most N items`;
 * - a wrong type → `Invalid value: "string": spec.replicas in body must be of type integer: "string"`
 *   (`field.TypeInvalid`, the value being the JSON type of the data);
 * - anything else → `Invalid value: <v>: <kube-openapi message>` (`field.Invalid`).
 *
 * Then `x-kubernetes-list-type: set|map` duplicates (`pkg/apiserver/schema/listtype/validation.go`
 * `ValidateListSetsAndMaps`: `Duplicate value`). CEL rules (`x-kubernetes-validations`) are not evaluated.
 * Errors come in the schema's property order (Go iterates a map, so the real order varies), required ones after the
 * properties of the same object, as `objectValidator.Validate` does.
 * @internal
 */
import type { FieldError } from '../status.js';
import type { SchemaNode } from './structural-schema.js';

/** kube-openapi's JSON type of a decoded value (`typeValidator.schemaInfoForType`). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  return typeof v === 'string' ? 'string' : 'object';
}

/** The schema's types (`x-kubernetes-int-or-string` is `["integer","string"]`, `ConvertJSONSchemaPropsWithPostProcess`). */
function typesOf(s: SchemaNode): string[] {
  if (s['x-kubernetes-int-or-string'] === true) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

/** `%v` of a float64 in Go for the bounds in messages. */
function goFloat(n: number): string {
  return String(n);
}

const FORMATS: Readonly<Record<string, RegExp>> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  email: /^[^@\s]+@[^@\s]+$/,
  uuid: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
  ipv4: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
  hostname: /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/,
  byte: /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
};

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

class Validator {
  readonly errors: FieldError[] = [];

  private invalid(path: string, value: unknown, message: string): void {
    this.errors.push({ field: path, type: 'FieldValueInvalid', value: value ?? '', detail: message });
  }

  validate(s: SchemaNode, v: unknown, path: string): void {
    const types = typesOf(s);
    const t = jsonType(v);
    if (v === null) {
      if (types.length > 0 && s.nullable !== true) {
        this.errors.push({ field: path, type: 'FieldValueTypeInvalid', value: 'null', detail: `${path} in body must be of type ${types.join(',')}: "null"` });
      }
      return;
    }
    // `isFloatInt` / `isIntFloat`: an integral number is an integer, an integer is a number.
    const typeOk = types.length === 0 || types.includes(t) || (t === 'integer' && types.includes('number'));
    if (!typeOk) {
      this.errors.push({ field: path, type: 'FieldValueTypeInvalid', value: t, detail: `${path} in body must be of type ${types.join(',')}: "${t}"` });
      return;
    }
    if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
      this.errors.push({
        field: path,
        type: 'FieldValueNotSupported',
        value: v,
        supported: s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))),
      });
    }
    if (typeof v === 'string') this.string(s, v, path);
    else if (typeof v === 'number') this.number(s, v, path);
    else if (Array.isArray(v)) this.array(s, v, path);
    else if (t === 'object') this.object(s, v as Record<string, unknown>, path);
  }

  private string(s: SchemaNode, v: string, path: string): void {
    const len = [...v].length;
    if (s.maxLength !== undefined && len > s.maxLength) {
      this.errors.push({ field: path, type: 'FieldValueTooLong', value: v, detail: `may not be longer than ${s.maxLength}` });
    }
    if (s.minLength !== undefined && len < s.minLength) this.invalid(path, v, `${path} in body should be at least ${s.minLength} chars long`);
    if (s.pattern !== undefined) {
      let re: RegExp | undefined;
      try {
        re = new RegExp(s.pattern, 'u');
      } catch {
        re = undefined;
      }
      if (re && !re.test(v)) this.invalid(path, v, `${path} in body should match '${s.pattern}'`);
    }
    const format = s.format !== undefined ? FORMATS[s.format] : undefined;
    if (format && !format.test(v)) {
      this.errors.push({ field: path, type: 'FieldValueTypeInvalid', value: v, detail: `${path} in body must be of type ${s.format}: ${JSON.stringify(v)}` });
    }
  }

  private number(s: SchemaNode, v: number, path: string): void {
    if (s.multipleOf !== undefined && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) {
      this.invalid(path, v, `${path} in body should be a multiple of ${goFloat(s.multipleOf)}`);
    }
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
      this.invalid(path, v, `${path} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${goFloat(s.maximum)}`);
    }
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
      this.invalid(path, v, `${path} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${goFloat(s.minimum)}`);
    }
  }

  private array(s: SchemaNode, v: unknown[], path: string): void {
    if (s.items) for (let i = 0; i < v.length; i++) this.validate(s.items, v[i], `${path}[${i}]`);
    if (s.minItems !== undefined && v.length < s.minItems) this.invalid(path, v.length, `${path} in body should have at least ${s.minItems} items`);
    if (s.maxItems !== undefined && v.length > s.maxItems) {
      this.errors.push({ field: path, type: 'FieldValueTooMany', value: v.length, detail: `must have at most ${s.maxItems} items` });
    }
    if (s.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) {
      this.invalid(path, '', `${path} in body shouldn't contain duplicates`);
    }
  }

  private object(s: SchemaNode, v: Record<string, unknown>, path: string): void {
    const n = Object.keys(v).length;
    if (s.minProperties !== undefined && n < s.minProperties) return this.invalid(path, n, `${path} in body should have at least ${s.minProperties} properties`);
    if (s.maxProperties !== undefined && n > s.maxProperties) {
      this.errors.push({ field: path, type: 'FieldValueTooMany', value: n, detail: `must have at most ${s.maxProperties} items` });
      return;
    }
    const props = s.properties ?? {};
    if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') {
      for (const [k, value] of Object.entries(v)) if (!(k in props)) this.validate(s.additionalProperties, value, child(path, k));
    } else if (s.additionalProperties === false) {
      for (const k of Object.keys(v)) if (!(k in props)) this.invalid(path, k, `${path}.${k} in body is a forbidden property`);
    }
    for (const [k, ps] of Object.entries(props)) if (k in v) this.validate(ps, v[k], child(path, k));
    for (const k of s.required ?? []) if (!(k in v)) this.errors.push({ field: child(path, k), type: 'FieldValueRequired' });
  }
}

/**
 * The field errors of `obj` (a whole custom resource) against its version's schema: kube-openapi validation, then
 * the list-type rules. The root's `apiVersion`, `kind` and `metadata` are checked elsewhere (`metadata.name` by the
 * write path's name rule), as `customResourceStrategy.Validate` does.
 * @internal
 */
export function validateAgainstSchema(schema: SchemaNode, obj: Record<string, unknown>): FieldError[] {
  const v = new Validator();
  const root: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(obj)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') root[k] = value;
  const rootSchema: SchemaNode = { ...schema, properties: Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => k !== 'metadata')) };
  v.validate(rootSchema, root, '');
  return [...v.errors, ...listTypeErrors(schema, obj, '')];
}

/**
 * `x-kubernetes-list-type` rules (apiextensions-apiserver `pkg/apiserver/schema/listtype/validation.go`
 * `validateListSetsAndMapsArray`): in a `set`, every later copy of an item is `Duplicate value: <item>` at its index;
 * in a `map`, every later item with the same `x-kubernetes-list-map-keys` values is a `Duplicate value` (the real
 * server prints the keys as Go's `map[string]interface {}{...}`, the fake as JSON).
 * @internal
 */
export function listTypeErrors(s: SchemaNode, v: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (Array.isArray(v)) {
    const listType = s['x-kubernetes-list-type'];
    const seen = new Set<string>();
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      if (listType === 'set') {
        const k = JSON.stringify(item);
        if (seen.has(k)) errs.push({ field: `${path}[${i}]`, type: 'FieldValueDuplicate', value: item });
        seen.add(k);
      } else if (listType === 'map' && item !== null && typeof item === 'object' && !Array.isArray(item)) {
        const keys: Record<string, unknown> = {};
        for (const k of s['x-kubernetes-list-map-keys'] ?? []) if ((item as Record<string, unknown>)[k] !== undefined) keys[k] = (item as Record<string, unknown>)[k];
        const k = JSON.stringify(Object.entries(keys).sort());
        if (seen.has(k)) errs.push({ field: `${path}[${i}]`, type: 'FieldValueDuplicate', value: keys });
        seen.add(k);
      }
      if (s.items) errs.push(...listTypeErrors(s.items, item, `${path}[${i}]`));
    }
  } else if (v !== null && typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    for (const [k, ps] of Object.entries(s.properties ?? {})) if (k in obj) errs.push(...listTypeErrors(ps, obj[k], child(path, k)));
    if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') {
      for (const [k, value] of Object.entries(obj)) if (!(k in (s.properties ?? {}))) errs.push(...listTypeErrors(s.additionalProperties, value, child(path, k)));
    }
  }
  return errs;
}

/** The segments of a field path as the validator prints it (`spec.ports[0].name` → `spec`, `ports`, 0, `name`). */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [];
    if (m[1] !== '') out.push(m[1]!);
    for (const idx of (m[2] ?? '').match(/\d+/g) ?? []) out.push(Number(idx));
  }
  return out;
}

function at(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur = obj;
  for (const s of path) {
    if (typeof s === 'number') cur = Array.isArray(cur) ? cur[s] : undefined;
    else cur = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[s] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * Validation ratcheting on update (feature `CRDValidationRatcheting`, GA in v1.33: apiextensions-apiserver
 * `pkg/apiserver/schema/validation/ratcheting.go`): a schema error about a value that the update did not change is
 * dropped, so an object stored before a schema got stricter can still be updated elsewhere. The fake compares the
 * value at the error's path (for `Required`, the object that lacks the field) in the new and old objects; list
 * indices are compared positionally (the real ratcheting correlates map-list items by key).
 * @internal
 */
export function ratchet(errors: readonly FieldError[], obj: Record<string, unknown>, old: Record<string, unknown>): FieldError[] {
  return errors.filter((e) => {
    if (e.type === 'FieldValueDuplicate') return true;
    const path = segments(e.field);
    if (path.length === 0) return true;
    const target = e.type === 'FieldValueRequired' ? path.slice(0, -1) : path;
    const before = at(old, target);
    return before === undefined || JSON.stringify(before) !== JSON.stringify(at(obj, target));
  });
}

/**
 * The value rules of a structural schema that generated CRD codecs check at run time (with the runtime's
 * `kubex-rx/k8s/checks`): `enum`, `minimum`/`maximum` (and their `exclusive...` flags), `minLength`/`maxLength`,
 * `pattern`, `format`, `minItems`/`maxItems`.
 *
 * They are the value validations kube-apiserver applies to custom objects (k8s.io/kube-openapi
 * `pkg/validation/validate`, called by apiextensions-apiserver's `pkg/apiserver/validation`), so an object the
 * server accepted passes them, and one that fails them was not written by that server under that schema.
 * Not checked client-side: `multipleOf` (float semantics), `uniqueItems` (structural schemas forbid `true`),
 * `minProperties`/`maxProperties`, `allOf`/`anyOf`/`oneOf`/`not`, and `x-kubernetes-validations` (CEL rules).
 */
import { STRING_FORMATS, normalizeFormat } from '../k8s/formats.js';
import type { Literal, TypeRef, ValueRules } from './model.js';
import type { SchemaObject } from './schema-object.js';

/** JSON types whose schemas carry value rules. */
type ScalarType = 'string' | 'integer' | 'number' | 'boolean';

/** `true` when `value` belongs to the JSON type (an `integer` is a number without a fractional part). */
function ofType(value: unknown, type: ScalarType): value is Literal {
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  return typeof value === type;
}

/** Keeps the defined entries: `{ minimum: undefined }` is no rule. */
function defined(rules: ValueRules): ValueRules | undefined {
  const entries = Object.entries(rules).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as ValueRules);
}

const count = (n: unknown): number | undefined => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined);

/**
 * A `minimum` or `maximum` with its `exclusive...` flag: OpenAPI v3.0's boolean qualifying the bound (as CRDs write
 * it), or JSON Schema's later numeric form, which is the bound itself.
 */
function bound(limit: unknown, exclusive: unknown): { value?: number; exclusive?: true } {
  const value = typeof exclusive === 'number' && limit === undefined ? exclusive : limit;
  if (typeof value !== 'number' || !Number.isFinite(value)) return {};
  return exclusive === true || typeof exclusive === 'number' ? { value, exclusive: true } : { value };
}

/**
 * The pattern if JavaScript can check it as Kubernetes does, else why not. Kubernetes compiles patterns with Go's
 * regexp (RE2 syntax, `k8s.io/kube-openapi/pkg/validation/validate` `Pattern`); most are also ECMAScript regular
 * expressions (with the `u` flag) of the same meaning. Those that do not compile (`(?i)`, `\z`, `(?P<name>`,
 * `\pL`, `\Q..\E`) and POSIX classes (`[[:alpha:]]`, which compile with another meaning) are left to the server.
 */
function checkPattern(pattern: string): { readonly ok: true } | { readonly ok: false; readonly why: string } {
  if (/\[:\^?[a-z]+:\]/.test(pattern)) return { ok: false, why: 'a POSIX character class, RE2 syntax' };
  try {
    new RegExp(pattern, 'u');
    return { ok: true };
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, why: `not an ECMAScript regular expression: ${message.slice(message.lastIndexOf(': ') + 2)}` };
  }
}

/** A rule as the generated comment quotes it: `pattern '(?i)^a$'`. */
function quoted(name: string, value: string): string {
  return `${name} ${JSON.stringify(value)}`;
}

/**
 * The model type of a `string`, `integer`, `number` or `boolean` schema of a CRD, with its value rules: a closed
 * `enum` (its values of the schema's type, `null` left to `nullable`) when there is one, else the base type with
 * the rules that apply to it.
 * @since 0.2.0
 */
export function checkedScalar(schema: SchemaObject, type: ScalarType): TypeRef {
  const unchecked: string[] = [];
  if (Array.isArray(schema.enum)) {
    const nonNull = schema.enum.filter((v) => v !== null);
    const typed = nonNull.filter((v): v is Literal => ofType(v, type));
    if (typed.length > 0 && typed.length === nonNull.length) return { t: 'enum', values: [...new Set(typed)] };
    if (nonNull.length > 0) unchecked.push(`enum ${JSON.stringify(schema.enum)} (not all of type ${type})`);
  }
  if (type === 'boolean') return { t: 'boolean' };
  const rules: { -readonly [K in keyof ValueRules]: ValueRules[K] } = {};
  if (type === 'string') {
    rules.minLength = count(schema.minLength);
    rules.maxLength = count(schema.maxLength);
    if (typeof schema.pattern === 'string') {
      const pattern = checkPattern(schema.pattern);
      if (pattern.ok) rules.pattern = schema.pattern;
      else unchecked.push(`${quoted('pattern', schema.pattern)} (${pattern.why})`);
    }
    const format = schema.format;
    // `password` is any string; `date-time` is also the `null` of a zero time (see `schema.ts`), checked inside it.
    if (format !== undefined && format !== 'password') {
      if (STRING_FORMATS[normalizeFormat(format)] !== undefined) rules.format = format;
      else unchecked.push(`${quoted('format', format)} (no client-side check)`);
    }
  } else {
    const low = bound(schema.minimum, schema.exclusiveMinimum);
    const high = bound(schema.maximum, schema.exclusiveMaximum);
    Object.assign(rules, { minimum: low.value, exclusiveMinimum: low.exclusive, maximum: high.value, exclusiveMaximum: high.exclusive });
    // int32/int64: the ranges of Go's types (float/double: any JSON number).
    if (type === 'integer' && (schema.format === 'int32' || schema.format === 'int64')) rules.format = schema.format;
  }
  return { t: type, ...withRules({ ...rules, unchecked }) };
}

/** The item count rules of an array schema, as the `rules` of its model type (none: `{}`). @since 0.2.0 */
export function arrayRules(schema: SchemaObject): { rules?: ValueRules } {
  return withRules({ minItems: count(schema.minItems), maxItems: count(schema.maxItems) });
}

function withRules(rules: ValueRules): { rules?: ValueRules } {
  const kept = defined(rules);
  return kept === undefined ? {} : { rules: kept };
}

/**
 * Field-level rules shared by the built-in kinds' validation (lib/testing/kinds/*): the value checks of apimachinery
 * `pkg/util/validation/validation.go` (`IsDNS1123Label`, `IsValidPortNum`, `IsConfigMapKey`, ...), the generic
 * `ValidateNonnegativeField`/`ValidateImmutableField` of `pkg/apis/core/validation/validation.go`, how Go prints a bad
 * value in a field error (`field.Error.ErrorBody`: `%#v`), and `metav1.LabelSelector` matching.
 * @internal
 */
import type { FieldError } from '../status.js';
import { isMap, jsonEqual } from '../patch.js';
import type { JsonObject } from '../store.js';

/** A plain JSON map, or undefined. @internal */
export function mapAt(v: unknown): JsonObject | undefined {
  return isMap(v) ? (v as JsonObject) : undefined;
}

/** A list, or `[]`. @internal */
export function listAt(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `obj[key]` as a map, created when absent (or not a map). @internal */
export function ensureMap(obj: JsonObject, key: string): JsonObject {
  if (!isMap(obj[key])) obj[key] = {};
  return obj[key] as JsonObject;
}

/** Sets `obj[key] = value` when the field is absent, null or `""` (a Go zero value). @internal */
export function setDefault(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') obj[key] = value;
}

/** A string field, `''` otherwise (Go's zero value). @internal */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

// ---------------------------------------------------------------- AM: pkg/util/validation/validation.go

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const CONFIG_MAP_KEY = '[-._a-zA-Z0-9]+';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** `RegexError(msg, fmt, examples...)`: the message with its examples and regex. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** `IsDNS1123Label`: length, then format. @internal */
export function dns1123LabelMessages(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (!new RegExp(`^${DNS1123_LABEL}$`).test(v)) {
    out.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL, 'my-name', '123-abc'));
  }
  return out;
}

/** `IsDNS1035Label`. @internal */
export function dns1035LabelMessages(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (!new RegExp(`^${DNS1035_LABEL}$`).test(v)) {
    out.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL, 'my-name', 'abc-123'));
  }
  return out;
}

/** `IsDNS1123Subdomain`: length, then format. @internal */
export function dns1123SubdomainMessages(v: string): string[] {
  const out: string[] = [];
  if (v.length > 253) out.push('must be no more than 253 characters');
  if (!new RegExp(`^${DNS1123_SUBDOMAIN}$`).test(v)) {
    out.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN, 'example.com'));
  }
  return out;
}

/**
 * `IsQualifiedName` (since v1.34 an alias of `content.IsLabelKey`, AM:`api/validate/content/kube.go`): an optional
 * DNS-subdomain prefix and `/`, then a name of at most 63 characters. @internal
 */
export function qualifiedNameMessages(v: string): string[] {
  const out: string[] = [];
  const parts = v.split('/');
  if (parts.length > 2) {
    return [`a valid label key ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') out.push('prefix part must be non-empty');
    else out.push(...dns1123SubdomainMessages(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === '') out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (!new RegExp(`^${QUALIFIED_NAME}$`).test(name)) out.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')}`);
  return out;
}

/** `IsValidPortNum`. @internal */
export function portNumMessages(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** `IsValidPortName` (IANA_SVC_NAME). @internal */
export function portNameMessages(name: string): string[] {
  const out: string[] = [];
  if (name.length > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) out.push('must contain at least one letter (a-z)');
  if (name.includes('--')) out.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}

/** `IsConfigMapKey` (ConfigMap and Secret data keys). @internal */
export function configMapKeyMessages(key: string): string[] {
  const out: string[] = [];
  if (key.length > 253) out.push('must be no more than 253 characters');
  if (!new RegExp(`^${CONFIG_MAP_KEY}$`).test(key)) {
    out.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_MAP_KEY, 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (key === '.') out.push("must not be '.'");
  else if (key === '..') out.push("must not be '..'");
  else if (key.startsWith('..')) out.push("must not start with '..'");
  return out;
}

// ---------------------------------------------------------------- Go's %#v of the values in field errors

/**
 * A field error whose value Go prints with `%#v` (a map, a struct): `FieldError.value` would be printed as JSON, so
 * the rendered value goes first in the detail, which gives the same `Invalid value: <value>: <detail>` body.
 * @internal
 */
export function invalidRendered(field: string, rendered: string, detail: string): FieldError {
  return { field, type: 'FieldValueInvalid', detail: `${rendered}: ${detail}` };
}

/** `%#v` of a `map[string]string` (keys sorted, as fmt prints maps); `nil` when absent. @internal */
export function goStringMap(v: unknown): string {
  const m = mapAt(v);
  if (!m) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(str(m[k]))}`).join(', ')}}`;
}

/** `%#v` of a `[]string`. @internal */
export function goStringSlice(v: unknown): string {
  if (!Array.isArray(v)) return '[]string(nil)';
  return `[]string{${v.map((s) => JSON.stringify(str(s))).join(', ')}}`;
}

/**
 * `%#v` of a `metav1.LabelSelector` value (ErrorBody dereferences the pointer; the value type has no `String()`):
 * `v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`.
 * @internal
 */
export function goLabelSelector(v: unknown): string {
  const s = mapAt(v);
  if (!s) return 'null';
  const exprs = s['matchExpressions'];
  const renderedExprs = Array.isArray(exprs)
    ? `[]v1.LabelSelectorRequirement{${exprs
        .map((e) => {
          const r = mapAt(e) ?? {};
          return `v1.LabelSelectorRequirement{Key:${JSON.stringify(str(r['key']))}, Operator:${JSON.stringify(str(r['operator']))}, Values:${goStringSlice(r['values'])}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s['matchLabels'])}, MatchExpressions:${renderedExprs}}`;
}

// ---------------------------------------------------------------- generic field rules (core/validation)

/** `ValidateNonnegativeField`: `Invalid value: -1: must be greater than or equal to 0`. @internal */
export function nonNegative(v: unknown, field: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [{ field, type: 'FieldValueInvalid', value: v, detail: 'must be greater than or equal to 0' }] : [];
}

/** `ValidateImmutableField` for a value Go prints plainly (string, number, bool, `[]string`). @internal */
export function immutable(newVal: unknown, oldVal: unknown, field: string): FieldError[] {
  if (jsonEqual(newVal ?? null, oldVal ?? null)) return [];
  return [{ field, type: 'FieldValueInvalid', value: newVal === undefined ? null : newVal, detail: 'field is immutable' }];
}

/** The `DNS1123Label` errors of a name field (`ValidateDNS1123Label`). @internal */
export function dnsLabelErrors(v: string, field: string): FieldError[] {
  return dns1123LabelMessages(v).map((detail) => ({ field, type: 'FieldValueInvalid', value: v, detail }));
}

// ---------------------------------------------------------------- metav1.LabelSelector

/**
 * Whether a `metav1.LabelSelector` (JSON) selects `labels`, as `LabelSelectorAsSelector(...).Matches`: `null` selects
 * nothing, `{}` everything. Returns `undefined` when the selector cannot be converted (unknown operator).
 * @internal
 */
export function selectorMatches(selector: unknown, labels: unknown): boolean | undefined {
  const s = mapAt(selector);
  if (!s) return false;
  const l = mapAt(labels) ?? {};
  for (const [k, v] of Object.entries(mapAt(s['matchLabels']) ?? {})) if (l[k] !== v) return false;
  for (const e of listAt(s['matchExpressions'])) {
    const r = mapAt(e) ?? {};
    const key = str(r['key']);
    const values = listAt(r['values']).map(str);
    const has = Object.prototype.hasOwnProperty.call(l, key);
    switch (r['operator']) {
      case 'In':
        if (!has || !values.includes(str(l[key]))) return false;
        break;
      case 'NotIn':
        if (has && values.includes(str(l[key]))) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return undefined;
    }
  }
  return true;
}

/** Whether a selector has no requirement at all (`len(MatchLabels)+len(MatchExpressions) == 0`). @internal */
export function selectorIsEmpty(selector: unknown): boolean {
  const s = mapAt(selector) ?? {};
  return Object.keys(mapAt(s['matchLabels']) ?? {}).length + listAt(s['matchExpressions']).length === 0;
}

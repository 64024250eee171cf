/**
 * Value checks for codecs generated from a CustomResourceDefinition: the rules of its structural schema that the
 * API server enforces on custom objects (`enum`, `minimum`/`maximum`, `minLength`/`maxLength`, `pattern`,
 * `format`, `minItems`/`maxItems`), checked again when a client decodes one.
 *
 * Each is an io-ts refinement of `t.string`, `t.number` or `t.array`: the TypeScript type stays the plain one
 * (`string`, `number`; a literal union for `enum`), no brand, so objects stay easy to write by hand; `encode` is
 * the identity. A value that breaks a rule fails with one error per broken rule, at the value's path, naming the
 * rule: `spec.replicas: expected integer (maximum 10), got 11`.
 *
 * Never generated for the built-in Kubernetes models: their enums are open-ended (see `lib/codegen/schema.ts`).
 * Imported by generated code through `kubex-rx/k8s/runtime`.
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';
import { INTEGER_FORMATS, STRING_FORMATS, normalizeFormat } from './formats.js';

/**
 * The rules of a `type: string` schema that {@link stringWith} checks.
 * @since 0.2.0
 */
export interface StringRules {
  /** At least this many characters (Unicode code points, as the API server counts runes). */
  readonly minLength?: number;
  /** At most this many characters (Unicode code points). */
  readonly maxLength?: number;
  /**
   * A regular expression the string must match somewhere (anchor it with `^...$` to match all of it), compiled
   * once as an ECMAScript `RegExp` with the `u` flag. One that does not compile here is not checked.
   */
  readonly pattern?: string;
  /** A format of `STRING_FORMATS` (`date-time`, `byte`, `uuid`, `hostname`, `ipv4`, ...); others are not checked. */
  readonly format?: string;
}

/**
 * The rules of a `type: integer` or `type: number` schema that {@link integerWith} and {@link numberWith} check.
 * @since 0.2.0
 */
export interface NumberRules {
  /** The smallest value allowed (itself excluded with `exclusiveMinimum`). */
  readonly minimum?: number;
  /** With `minimum`: the bound itself is excluded (OpenAPI v3.0's boolean form, as CRDs write it). */
  readonly exclusiveMinimum?: boolean;
  /** The largest value allowed (itself excluded with `exclusiveMaximum`). */
  readonly maximum?: number;
  /** With `maximum`: the bound itself is excluded. */
  readonly exclusiveMaximum?: boolean;
  /** `int32` or `int64` (integers only): the range of Go's type of that name. */
  readonly format?: 'int32' | 'int64';
}

/**
 * The rules of a `type: array` schema that {@link arrayWith} checks.
 * @since 0.2.0
 */
export interface ArrayRules {
  /** At least this many items. */
  readonly minItems?: number;
  /** At most this many items. */
  readonly maxItems?: number;
}

/** One rule: its text in messages (`maxLength 63`) and its test, applied to a value of the base type. */
type Rule<A> = readonly [text: string, test: (value: A) => boolean];

/**
 * `base` refined by `rules`. A failure reports each broken rule at the value's own path: the last context entry
 * (the property, or the root) is kept, with a stand-in type named after the rule, which is what messages print.
 */
function refine<A>(base: t.Type<A, A, unknown>, rules: ReadonlyArray<Rule<A>>): t.Type<A, A, unknown> {
  if (rules.length === 0) return base;
  const named = rules.map(([text, test]) => ({ test, type: new t.Type<A, A, unknown>(`${base.name} (${text})`, base.is, base.validate, base.encode) }));
  const is = (u: unknown): u is A => {
    if (!base.is(u)) return false;
    for (const rule of named) if (!rule.test(u)) return false;
    return true;
  };
  return new t.Type<A, A, unknown>(
    `${base.name} (${rules.map(([text]) => text).join(', ')})`,
    is,
    (u, c) => {
      const result = base.validate(u, c);
      if (result._tag === 'Left') return result;
      const errors: t.ValidationError[] = [];
      for (const rule of named) {
        if (rule.test(result.right)) continue;
        const last = c[c.length - 1];
        const context: t.Context = last === undefined ? [{ key: '', type: rule.type, actual: u }] : [...c.slice(0, -1), { ...last, type: rule.type }];
        errors.push({ value: u, context });
      }
      return errors.length > 0 ? t.failures(errors) : result;
    },
    base.encode,
  );
}

/** The rules of `minimum`/`maximum` (kube-openapi `validate.Minimum`/`Maximum`: exclusive bounds are strict). */
function rangeRules(rules: NumberRules): Array<Rule<number>> {
  const out: Array<Rule<number>> = [];
  const { minimum, maximum } = rules;
  if (minimum !== undefined) {
    out.push(rules.exclusiveMinimum === true ? [`exclusiveMinimum ${minimum}`, (n) => n > minimum] : [`minimum ${minimum}`, (n) => n >= minimum]);
  }
  if (maximum !== undefined) {
    out.push(rules.exclusiveMaximum === true ? [`exclusiveMaximum ${maximum}`, (n) => n < maximum] : [`maximum ${maximum}`, (n) => n <= maximum]);
  }
  return out;
}

/** Unicode code points in `s` (Go's utf8.RuneCount of the same text): UTF-16 units less the surrogate pairs. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * The pattern as a `RegExp`, or `undefined` if this JavaScript engine cannot compile it: the generator already
 * leaves out patterns Node cannot compile (with a comment in the generated code); an older engine must not fail
 * to load the module either. Kubernetes compiles patterns as RE2 (Go's regexp); ECMAScript differs in corners
 * (`.` also stops at `\r`, `\s` also takes Unicode spaces).
 */
function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/**
 * `t.string` with the rules of a string schema.
 *
 * @example
 * ```ts
 * const Name = stringWith({ maxLength: 63, pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$' });
 * Name.decode('web-1');   // right('web-1')
 * Name.decode('Web');     // left: `expected string (pattern ^[a-z]([-a-z0-9]*[a-z0-9])?$), got "Web"`
 * ```
 * @since 0.2.0
 */
export function stringWith(rules: StringRules): t.Type<string, string, unknown> {
  const out: Array<Rule<string>> = [];
  const { minLength, maxLength, pattern, format } = rules;
  // A code point is one or two UTF-16 units: count them only when the length alone cannot decide.
  if (minLength !== undefined) out.push([`minLength ${minLength}`, (s) => s.length >= minLength && (s.length >= 2 * minLength || codePoints(s) >= minLength)]);
  if (maxLength !== undefined) out.push([`maxLength ${maxLength}`, (s) => s.length <= maxLength || codePoints(s) <= maxLength]);
  const regexp = pattern === undefined ? undefined : compile(pattern);
  if (regexp !== undefined) out.push([`pattern ${pattern}`, (s) => regexp.test(s)]);
  const check = format === undefined ? undefined : STRING_FORMATS[normalizeFormat(format)];
  if (check !== undefined) out.push([`format ${format}`, check]);
  return refine(t.string, out);
}

/**
 * A number with no fractional part: `type: integer`. The TypeScript type is `number` (io-ts' `t.Int` brands it).
 * @since 0.2.0
 */
export const integer: t.Type<number, number, unknown> = new t.Type<number, number, unknown>(
  'integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u),
  (u, c) => (typeof u === 'number' && Number.isInteger(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * {@link integer} with the rules of an integer schema: its `format` range (`int32`, `int64`) and bounds.
 *
 * @example
 * ```ts
 * const Replicas = integerWith({ format: 'int32', minimum: 1, maximum: 10 });
 * Replicas.decode(11);   // left: `expected integer (maximum 10), got 11`
 * ```
 * @since 0.2.0
 */
export function integerWith(rules: NumberRules): t.Type<number, number, unknown> {
  const range = rules.format === undefined ? undefined : INTEGER_FORMATS[rules.format];
  const formatRule: Array<Rule<number>> = range === undefined ? [] : [[`format ${rules.format}`, (n) => n >= range.min && n <= range.max]];
  return refine(integer, [...formatRule, ...rangeRules(rules)]);
}

/**
 * `t.number` with the bounds of a number schema.
 *
 * @example
 * ```ts
 * const Ratio = numberWith({ minimum: 0, exclusiveMinimum: true, maximum: 1 });
 * Ratio.decode(0);   // left: `expected number (exclusiveMinimum 0), got 0`
 * ```
 * @since 0.2.0
 */
export function numberWith(rules: NumberRules): t.Type<number, number, unknown> {
  return refine(t.number, rangeRules(rules));
}

/**
 * `t.array(items)` with the item count rules of an array schema.
 *
 * @example
 * ```ts
 * const Hosts = arrayWith(t.string, { minItems: 1 });
 * Hosts.decode([]);   // left: `expected Array<string> (minItems 1), got []`
 * ```
 * @since 0.2.0
 */
export function arrayWith<C extends t.Mixed>(items: C, rules: ArrayRules): t.Type<Array<t.TypeOf<C>>, Array<t.TypeOf<C>>, unknown> {
  const out: Array<Rule<Array<t.TypeOf<C>>>> = [];
  const { minItems, maxItems } = rules;
  if (minItems !== undefined) out.push([`minItems ${minItems}`, (a) => a.length >= minItems]);
  if (maxItems !== undefined) out.push([`maxItems ${maxItems}`, (a) => a.length <= maxItems]);
  // The generated item codecs all decode to themselves and encode with the identity, so t.array's do too.
  return refine(t.array(items) as unknown as t.Type<Array<t.TypeOf<C>>, Array<t.TypeOf<C>>, unknown>, out);
}

/**
 * The codec {@link enumOf} returns: a value of a closed `enum`, with its `values` (as `t.keyof` keeps its keys).
 * @since 0.2.0
 */
export class EnumType<V extends string | number | boolean> extends t.Type<V, V, unknown> {
  /** Tells this codec apart, as io-ts' `_tag`s do. */
  readonly _tag = 'EnumType' as const;

  constructor(
    /** The allowed values, in the schema's order. */
    readonly values: readonly V[],
  ) {
    const members = new Set<unknown>(values);
    const is = (u: unknown): u is V => members.has(u);
    super(`${values.map((v) => JSON.stringify(v)).join(' | ')} (enum)`, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);
  }
}

/**
 * A value of a closed `enum`, typed as the union of its literals. One membership test (no `t.union` of
 * `t.literal`s, which reports one error per member).
 *
 * @example
 * ```ts
 * const Mode = enumOf(['Fast', 'Slow']);   // EnumType<'Fast' | 'Slow'>
 * Mode.decode('Medium');                   // left: `expected "Fast" | "Slow" (enum), got "Medium"`
 * ```
 * @since 0.2.0
 */
export function enumOf<const V extends ReadonlyArray<string | number | boolean>>(values: V): EnumType<V[number]> {
  return new EnumType<V[number]>(values);
}

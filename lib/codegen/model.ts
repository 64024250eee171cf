/**
 * The generator's intermediate model: modules of declarations whose types are small {@link TypeRef} trees.
 * Both front ends (OpenAPI v2 definitions, CRD `openAPIV3Schema`s) produce it; the emitter turns it into
 * TypeScript.
 */
import type { ArrayRules, NumberRules, StringRules } from '../k8s/checks.js';

/**
 * The value rules of a schema that generated codecs check at run time (CRDs only; see `./constraints.ts`): the
 * rules the runtime's `stringWith`, `integerWith`, `numberWith` and `arrayWith` take (the emitter writes them as
 * their object literal), and the rules of that schema left to the API server, with why (a comment in the
 * generated code).
 * @since 0.2.0
 */
export type ValueRules = Omit<NumberRules, 'format'> &
  StringRules &
  ArrayRules & {
    /** Rules of the schema left to the API server, each with the reason: `pattern "(?i)^a" (not an ECMAScript ...)`. */
    readonly unchecked?: readonly string[];
  };

/**
 * A literal of a closed `enum`.
 * @since 0.2.0
 */
export type Literal = string | number | boolean;

/**
 * A type in the model. `ref` names a declaration of a module (`module` is the module path, `core/v1`).
 * `rules` (on `string`, `number`, `integer`, `array`) and `enum` come only from CRD schemas; `integer` is a
 * `number` that must have no fractional part.
 * @since 0.1.0
 */
export type TypeRef =
  | { readonly t: 'string'; readonly rules?: ValueRules }
  | { readonly t: 'number'; readonly rules?: ValueRules }
  | { readonly t: 'integer'; readonly rules?: ValueRules }
  | { readonly t: 'enum'; readonly values: readonly Literal[] }
  | { readonly t: 'boolean' }
  | { readonly t: 'unknown' }
  | { readonly t: 'unknownRecord' }
  | { readonly t: 'intOrString' }
  | { readonly t: 'array'; readonly items: TypeRef; readonly rules?: ValueRules }
  | { readonly t: 'record'; readonly values: TypeRef }
  | { readonly t: 'nullable'; readonly inner: TypeRef }
  | { readonly t: 'union'; readonly members: readonly TypeRef[] }
  | { readonly t: 'ref'; readonly module: string; readonly name: string };

/**
 * One property of an object declaration.
 * @since 0.1.0
 */
export interface Prop {
  /** The JSON name, as is (`$ref`, `x-kubernetes-embedded-resource`, ...). */
  readonly name: string;
  readonly required: boolean;
  readonly type: TypeRef;
  readonly description?: string | undefined;
}

/**
 * Where a kind lives on the API server: what `defineResource` takes, minus the codec.
 * @since 0.1.0
 */
export interface ResourceInfo {
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

/**
 * One exported declaration: an object (interface + open codec) or an alias (type + codec of a {@link TypeRef}).
 * @since 0.1.0
 */
export interface Decl {
  /** The exported name (codec and type share it). */
  readonly name: string;
  readonly description?: string | undefined;
  readonly body: { readonly kind: 'object'; readonly props: readonly Prop[] } | { readonly kind: 'alias'; readonly type: TypeRef };
  /** Set for kinds served at a REST path: the export is then a `ResourceCodec`. */
  readonly resource?: ResourceInfo | undefined;
  /** Where the declaration came from (`io.k8s.api.core.v1.Pod`), for the TSDoc. */
  readonly source?: string | undefined;
}

/**
 * One output module: `core/v1`, `apps/v1`, `example.com/v1alpha1`.
 * @since 0.1.0
 */
export interface Module {
  /** `GROUP/VERSION`, with `core` for the core group; also the file path without `.ts`. */
  readonly path: string;
  readonly decls: Decl[];
}

/** The `ref`s a {@link TypeRef} contains, appended to `out`. @since 0.1.0 */
export function refsOf(type: TypeRef, out: Array<Extract<TypeRef, { t: 'ref' }>> = []): Array<Extract<TypeRef, { t: 'ref' }>> {
  switch (type.t) {
    case 'ref':
      out.push(type);
      break;
    case 'array':
      refsOf(type.items, out);
      break;
    case 'record':
      refsOf(type.values, out);
      break;
    case 'nullable':
      refsOf(type.inner, out);
      break;
    case 'union':
      for (const member of type.members) refsOf(member, out);
      break;
    default:
      break;
  }
  return out;
}

/** Every `ref` a declaration makes, in its properties or its alias type. @since 0.1.0 */
export function declRefs(decl: Decl): Array<Extract<TypeRef, { t: 'ref' }>> {
  const out: Array<Extract<TypeRef, { t: 'ref' }>> = [];
  if (decl.body.kind === 'alias') refsOf(decl.body.type, out);
  else for (const prop of decl.body.props) refsOf(prop.type, out);
  return out;
}

/** Turns `foo-bar_baz` / `fooBar` into `FooBarBaz` / `FooBar`, a valid identifier. @since 0.1.0 */
export function pascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  const safe = joined === '' ? 'X' : joined;
  return /^[0-9]/.test(safe) ? `_${safe}` : safe;
}

/** Compares strings by UTF-16 code units: the same order on every machine (no locale). @since 0.1.0 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The small runtime the generated models (`kubex-rx/k8s/v1_35/...`) and user-generated CRD modules import:
 * {@link objectType} (the open object codec of every definition), {@link defineKind} (a codec that is also a
 * {@link Resource}) and {@link nullable}; and, for modules generated from CustomResourceDefinitions, the value checks
 * of their structural schemas (`stringWith`, `integerWith`, `numberWith`, `arrayWith`, `enumOf`, `integer`, from
 * `kubex-rx/k8s/checks`).
 *
 * Hand-written, not generated. Imported by generated code as `kubex-rx/k8s/runtime`.
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';
import { defineResource, type Resource, type ResourceOptions } from '../resource/define-resource.js';

export { arrayWith, enumOf, EnumType, integer, integerWith, numberWith, stringWith, type ArrayRules, type NumberRules, type StringRules } from './checks.js';

/**
 * A Kubernetes kind as the generated models export it: ONE value that is both the io-ts codec of the object
 * type `A` and the {@link Resource} descriptor that `new Api(...)` takes.
 *
 * - `Pod.decode(x)`, `Pod.is(x)`, `Pod.encode(p)`, `t.array(Pod)`: it is a `t.Type<A>`.
 * - `new Api(Pod, { client })`: it is a `Resource<A>` (`apiVersion`, `kind`, `plural`, `namespaced`, `basePath`).
 * - `Pod.codec` is the plain codec (the same validation, without the resource fields); `Pod.codec.decode(x)`
 *   and `Pod.decode(x)` give the same result.
 *
 * @example
 * ```ts
 * import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
 * const pods = new Api(Pod, { client, namespace: 'default' });   // Api<Pod>
 * const result = Pod.decode(JSON.parse(text));                     // Either<Errors, Pod>
 * ```
 * @since 0.1.0
 */
export interface ResourceCodec<A> extends t.Type<A, A, unknown>, Resource<A> {
  /** The plain io-ts codec of the kind (what `Resource.codec` is for hand-written resources). */
  readonly codec: t.Type<A, A, unknown>;
}

/**
 * Builds a {@link ResourceCodec}: the descriptor is made by {@link defineResource} (same validation, same
 * `basePath` rules) and the codec's methods are reached through the prototype chain, so decoding through the
 * returned value costs one prototype lookup and nothing else (`encode` stays io-ts' identity when the codec's
 * is). The result is frozen.
 *
 * Throws a `TypeError` for a malformed descriptor, as {@link defineResource} does.
 *
 * @example
 * ```ts
 * interface FooBar { apiVersion?: string; kind?: string; metadata?: ObjectMeta; spec?: { size?: number } }
 * const FooBar: ResourceCodec<FooBar> = defineKind<FooBar>(
 *   t.partial({ apiVersion: t.string, kind: t.string, metadata: ObjectMeta, spec: t.partial({ size: t.number }) }, 'FooBar'),
 *   { apiVersion: 'example.com/v1', kind: 'FooBar', plural: 'foobars', namespaced: true },
 * );
 * ```
 * @since 0.1.0
 */
export function defineKind<A>(codec: t.Type<A, A, unknown>, options: Omit<ResourceOptions<A>, 'codec'>): ResourceCodec<A> {
  const resource = defineResource<A>({ ...options, codec });
  const value = Object.create(codec) as ResourceCodec<A>;
  return Object.freeze(Object.assign(value, resource));
}

/**
 * `codec`, or `null`: the value Go's `encoding/json` writes for a nil slice or map without `omitempty`, and for
 * a zero `metav1.Time`. Cheaper than `t.union([codec, t.null])` (no context entry per member), reports the inner
 * codec's errors as they are, and keeps io-ts' identity `encode` when the inner codec has it (so an enclosing
 * `t.type` still returns its input unchanged).
 *
 * @example
 * ```ts
 * const Time = nullable(t.string, 'Time');
 * Time.decode(null);   // right(null)
 * ```
 * @since 0.1.0
 */
export function nullable<C extends t.Mixed>(codec: C, name = `${codec.name} | null`): t.Type<t.TypeOf<C> | null, t.OutputOf<C> | null, unknown> {
  const encode = codec.encode === t.identity ? t.identity : (a: t.TypeOf<C> | null) => (a === null ? null : codec.encode(a));
  return new t.Type<t.TypeOf<C> | null, t.OutputOf<C> | null, unknown>(
    name,
    (u): u is t.TypeOf<C> | null => u === null || codec.is(u),
    (u, c) => (u === null ? t.success(null) : codec.validate(u, c)),
    encode,
  );
}

/** The object type of an {@link objectType}: required properties, then optional ones. @since 0.1.0 */
export type ObjectOf<R extends t.Props, O extends t.Props> = { [K in keyof R]: t.TypeOf<R[K]> } & { [K in keyof O]?: t.TypeOf<O[K]> };

/**
 * The straight-line property check the generator emits for an {@link objectType}: called with a non-array,
 * non-null object and the codec's `required` and `optional` props, it returns what the generic check would (every
 * required property passes its codec's `is`, every optional one is `undefined` or passes its codec's `is`), with
 * literal property names V8 can specialise.
 * @since 0.1.0
 */
export type ObjectCheck<R extends t.Props, O extends t.Props> = (u: { readonly [key: string]: unknown }, required: R, optional: O) => boolean;

function isRecord(u: unknown): u is Record<string, unknown> {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}

/**
 * The codec {@link objectType} returns: an io-ts `Type` with the property codecs kept as `required` and
 * `optional` (as `t.type`'s `props`).
 * @since 0.1.0
 */
export class ObjectType<A> extends t.Type<A, A, unknown> {
  /** Tells this codec apart, as io-ts' `_tag`s do. */
  readonly _tag = 'ObjectType' as const;

  constructor(
    name: string,
    /** The codecs of the properties that must be present. */
    readonly required: t.Props,
    /** The codecs of the properties that may be absent (`undefined`). */
    readonly optional: t.Props,
    /** A specialised check of the properties (see {@link ObjectCheck}); the generic loop when absent. */
    check?: ObjectCheck<t.Props, t.Props>,
  ) {
    const requiredKeys = Object.keys(required);
    const requiredCodecs = requiredKeys.map((k) => required[k]!);
    const optionalKeys = Object.keys(optional);
    const optionalCodecs = optionalKeys.map((k) => optional[k]!);
    const genericIs = (u: unknown): u is A => {
      if (!isRecord(u)) return false;
      for (let i = 0; i < requiredKeys.length; i++) if (!requiredCodecs[i]!.is(u[requiredKeys[i]!])) return false;
      for (let i = 0; i < optionalKeys.length; i++) {
        const value = u[optionalKeys[i]!];
        if (value !== undefined && !optionalCodecs[i]!.is(value)) return false;
      }
      return true;
    };
    const is = check === undefined ? genericIs : (u: unknown): u is A => isRecord(u) && check(u, required, optional);
    const validateKeys = (o: Record<string, unknown>, c: t.Context, keys: string[], codecs: t.Mixed[], skipUndefined: boolean, errors: t.ValidationError[], result: { a: Record<string, unknown> }): void => {
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const value = o[key];
        if (skipUndefined && value === undefined) continue;
        const codec = codecs[i]!;
        const r = codec.validate(value, t.appendContext(c, key, codec, value));
        if (r._tag === 'Left') {
          for (const e of r.left) errors.push(e);
        } else if (r.right !== value) {
          if (result.a === o) result.a = { ...o };
          result.a[key] = r.right;
        }
      }
    };
    const allIdentity = [...requiredCodecs, ...optionalCodecs].every((codec) => codec.encode === t.identity);
    super(
      name,
      is,
      (u, c) => {
        // The fast path: every codec the generator emits decodes a valid value to itself, so a value that passes
        // `is` (no context entries, no allocation) is the decoded value. Only invalid input pays for the walk
        // that collects the error paths.
        if (is(u)) return t.success(u);
        if (!isRecord(u)) return t.failure(u, c);
        const errors: t.ValidationError[] = [];
        const result = { a: u };
        validateKeys(u, c, requiredKeys, requiredCodecs, false, errors, result);
        validateKeys(u, c, optionalKeys, optionalCodecs, true, errors, result);
        return errors.length > 0 ? t.failures(errors) : t.success(result.a as A);
      },
      allIdentity
        ? t.identity
        : (a) => {
            const o = { ...(a as Record<string, unknown>) };
            for (let i = 0; i < requiredKeys.length; i++) o[requiredKeys[i]!] = requiredCodecs[i]!.encode(o[requiredKeys[i]!]);
            for (let i = 0; i < optionalKeys.length; i++) {
              const key = optionalKeys[i]!;
              if (o[key] !== undefined) o[key] = optionalCodecs[i]!.encode(o[key]);
            }
            return o as A;
          },
    );
  }
}

/**
 * The open object codec of a definition: `required` properties must be present, `optional` ones may be
 * absent, and any other property passes through untouched (the API adds fields over time).
 *
 * What `t.intersection([t.type(required), t.partial(optional)])` does, as one codec and faster:
 * - a value that passes `is` is returned as is: no context entries, no copy (decoding a valid `PodList` costs
 *   about what `PodList.is` costs; the io-ts combinators allocate a context entry per property);
 * - absent optional properties are skipped, not validated against `undefined`;
 * - invalid input reports the same paths and messages as `t.type` / `t.partial`;
 * - `encode` is io-ts' identity when every property codec's is, so enclosing codecs keep theirs.
 *
 * Decoding returns the input object itself whenever every property decodes to itself (which is always the case
 * for the generated codecs), and a shallow copy with the decoded values otherwise.
 *
 * `check`, when given, replaces the generic loop over the declared properties in `is` (and so in the fast path
 * of `validate`): the generator emits it as straight-line code with literal property names, which V8 specialises
 * (a generic loop of dynamic lookups cannot be). It must accept exactly what the generic loop accepts; invalid
 * input still goes through the generic walk that reports the error paths.
 *
 * @example
 * ```ts
 * const Port = objectType('Port', { port: t.number }, { name: t.string });
 * Port.decode({ port: 80, extra: true });   // right({ port: 80, extra: true }): the same object
 * Port.decode({ name: 'http' });            // left: port is required
 * // What the generator emits: the same codec, with a straight-line check.
 * const PortFast = objectType('Port', { port: t.number }, { name: t.string }, (u) => {
 *   let v: unknown;
 *   v = u.port; if (typeof v !== 'number') return false;
 *   v = u.name; if (v !== undefined && typeof v !== 'string') return false;
 *   return true;
 * });
 * ```
 * @since 0.1.0
 */
export function objectType<R extends t.Props, O extends t.Props>(name: string, required: R, optional: O, check?: ObjectCheck<R, O>): ObjectType<ObjectOf<R, O>> {
  return new ObjectType<ObjectOf<R, O>>(name, required, optional, check as ObjectCheck<t.Props, t.Props> | undefined);
}

/**
 * A map with string keys and values of `codec` (OpenAPI `additionalProperties`): `t.record(t.string, codec)`
 * with the same fast path as {@link objectType} (a value that passes `is` is returned as is, with no copy), and
 * io-ts' identity `encode` when `codec` has it (`t.record` always copies on encode).
 *
 * @example
 * ```ts
 * const Labels = recordOf(t.string);
 * Labels.decode({ app: 'web' });   // right: the same object
 * Labels.decode({ replicas: 3 });  // left, at `replicas`
 * ```
 * @since 0.1.0
 */
export function recordOf<C extends t.Mixed>(codec: C, name = `{ [key: string]: ${codec.name} }`): t.Type<{ [key: string]: t.TypeOf<C> }, { [key: string]: t.OutputOf<C> }, unknown> {
  type A = { [key: string]: t.TypeOf<C> };
  const is = (u: unknown): u is A => {
    if (!isRecord(u)) return false;
    for (const key in u) if (Object.prototype.hasOwnProperty.call(u, key) && !codec.is(u[key])) return false;
    return true;
  };
  return new t.Type<A, { [key: string]: t.OutputOf<C> }, unknown>(
    name,
    is,
    (u, c) => {
      if (is(u)) return t.success(u);
      if (!isRecord(u)) return t.failure(u, c);
      const errors: t.ValidationError[] = [];
      let a: Record<string, unknown> = u;
      for (const key of Object.keys(u)) {
        const value = u[key];
        const r = codec.validate(value, t.appendContext(c, key, codec, value));
        if (r._tag === 'Left') {
          for (const e of r.left) errors.push(e);
        } else if (r.right !== value) {
          if (a === u) a = { ...u };
          a[key] = r.right;
        }
      }
      return errors.length > 0 ? t.failures(errors) : t.success(a as A);
    },
    codec.encode === t.identity
      ? t.identity
      : (a) => {
          const o: Record<string, unknown> = {};
          for (const key of Object.keys(a)) o[key] = codec.encode(a[key]);
          return o as { [key: string]: t.OutputOf<C> };
        },
  );
}

/**
 * `IntOrString` (`x-kubernetes-int-or-string`): a number or a string, as the JSON carries it (`8080`, `"http"`,
 * `"25%"`). One codec rather than `t.union([t.number, t.string])`: one check, and one error (`expected
 * IntOrString`) instead of one per member.
 * @since 0.1.0
 */
export const intOrString: t.Type<number | string, number | string, unknown> = new t.Type<number | string, number | string, unknown>(
  'IntOrString',
  (u): u is number | string => typeof u === 'number' || typeof u === 'string',
  (u, c) => (typeof u === 'number' || typeof u === 'string' ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * Defaulting of a custom resource from its version's structural schema (apiextensions-apiserver
 * `pkg/apiserver/schema/defaulting/algorithm.go` `Default`, run by the custom resource handler's
 * `unstructuredDefaulter` after decoding): for every specified property with a `default` that is absent, or `null`
 * without `nullable: true`, a copy of the default is set; then the algorithm recurses into the properties,
 * `additionalProperties` values and array items (so defaults inside a defaulted object apply too).
 * @internal
 */
import type { SchemaNode } from './structural-schema.js';

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Fills the schema defaults of `x` in place. @internal */
export function applySchemaDefaults(x: unknown, s: SchemaNode | undefined): void {
  if (!s) return;
  if (isMap(x)) {
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      if (prop.default === undefined) continue;
      // `isNonNullableNull`: a null in a non-nullable field is defaulted too.
      if (!(k in x) || (x[k] === null && prop.nullable !== true)) x[k] = JSON.parse(JSON.stringify(prop.default)) as unknown;
    }
    for (const [k, v] of Object.entries(x)) {
      const prop = s.properties?.[k];
      if (prop) applySchemaDefaults(v, prop);
      else if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') applySchemaDefaults(v, s.additionalProperties);
    }
  } else if (Array.isArray(x)) {
    for (const v of x) applySchemaDefaults(v, s.items);
  }
}

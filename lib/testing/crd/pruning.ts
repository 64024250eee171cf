/**
 * Pruning of unknown fields from a custom resource, as apiextensions-apiserver does while decoding
 * (`pkg/apiserver/schema/pruning/algorithm.go` `PruneWithOptions`, called by the custom resource handler's
 * `schemaCoercingDecoder`/`schemaCoercingConverter` in `pkg/apiserver/customresource_handler.go`): a field the
 * structural schema does not specify is dropped, unless the node has `x-kubernetes-preserve-unknown-fields: true`
 * (its specified properties are still pruned) or `additionalProperties` (each value pruned by that schema).
 * `apiVersion`, `kind` and `metadata` survive at the resource root and in `x-kubernetes-embedded-resource` nodes
 * (the fake does not coerce `metadata` itself: `objectmeta.Coerce`).
 * @internal
 */
import type { SchemaNode } from './structural-schema.js';

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function prune(x: unknown, s: SchemaNode | undefined, root: boolean): void {
  if (s?.['x-kubernetes-preserve-unknown-fields'] === true) return skipPrune(x, s, root);
  if (isMap(x)) {
    const embedded = root || s?.['x-kubernetes-embedded-resource'] === true;
    for (const k of Object.keys(x)) {
      if (embedded && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const prop = s?.properties?.[k];
      if (prop) prune(x[k], prop, false);
      else if (s && s.additionalProperties !== undefined && s.additionalProperties !== false) {
        prune(x[k], typeof s.additionalProperties === 'boolean' ? undefined : s.additionalProperties, false);
        // additionalProperties: true keeps the value as is (`AdditionalProperties.Bool`).
      } else delete x[k];
    }
  } else if (Array.isArray(x)) {
    for (const v of x) prune(v, s?.items, false);
  }
}

/** `skipPrune`: keep unknown fields of this node, but still prune inside the specified ones. */
function skipPrune(x: unknown, s: SchemaNode, root: boolean): void {
  if (isMap(x)) {
    for (const [k, v] of Object.entries(x)) {
      if ((root || s['x-kubernetes-embedded-resource'] === true) && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const prop = s.properties?.[k];
      if (prop) prune(v, prop, false);
      else if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') prune(v, s.additionalProperties, false);
    }
  } else if (Array.isArray(x) && s.items) {
    for (const v of x) prune(v, s.items, false);
  }
}

/**
 * Drops, in place, the fields of a custom resource that its version's schema does not specify (silently: the real
 * server only reports them as warnings, or as errors with `fieldValidation=Strict`, which the fake does not do).
 * @internal
 */
export function pruneUnknownFields(obj: Record<string, unknown>, schema: SchemaNode): void {
  prune(obj, schema, true);
}

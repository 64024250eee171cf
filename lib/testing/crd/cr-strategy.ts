/**
 * The kind strategy of a custom resource, built from one version of its CustomResourceDefinition, as
 * apiextensions-apiserver builds `customResourceStrategy` (`pkg/registry/customresource/strategy.go`) and the
 * serializers of `pkg/apiserver/customresource_handler.go`:
 *
 * - `defaults` (the decoder): unknown fields pruned (`schemaCoercingDecoder` → `pruning.PruneWithOptions`), then
 *   schema defaults (`unstructuredDefaulter` → `structuraldefaulting.Default`), in that order;
 * - `prepareForCreate`: with the status subresource, `status` is dropped (`delete(customResource, "status")`);
 * - `prepareForUpdate`: with the status subresource, `status` is the stored one; the generation moves on any change
 *   outside `metadata` (`copyNonMetadata`: without the status subresource, a status change too);
 * - `validateCreate`/`validateUpdate`: the schema (`schema-validation.ts`) and the list types; `metadata.name` is a
 *   DNS subdomain (the write path's name rule). CEL rules are not evaluated. On update, schema errors about values
 *   the update did not change are dropped (validation ratcheting, `ratchet` in `schema-validation.ts`);
 * - `subresources` from the version's `subresources` (`status`, `scale` paths), `columns` from its
 *   `additionalPrinterColumns` (`pkg/registry/customresource/tableconvertor`), `fieldLabels` from its
 *   `selectableFields`.
 * @internal
 */
import type { JsonObject } from '../store.js';
import type { KindStrategy, PrinterColumn, Subresources } from '../strategies.js';
import { humanDuration } from '../table.js';
import { pruneUnknownFields } from './pruning.js';
import { applySchemaDefaults } from './schema-defaulting.js';
import { listTypeErrors, ratchet, validateAgainstSchema } from './schema-validation.js';
import type { SchemaNode } from './structural-schema.js';

function isMap(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The value at a simple JSONPath (`.spec.replicas`, `.status.items[0].name`); `undefined` when absent or when the
 * path uses filters, which the fake does not evaluate.
 * @internal
 */
export function simpleJsonPath(obj: unknown, path: string): unknown {
  const p = path.trim().replace(/^\{(.*)\}$/, '$1');
  if (!p.startsWith('.')) return undefined;
  let cur: unknown = obj;
  for (const part of p.slice(1).split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1] !== '') cur = isMap(cur) ? cur[m[1]!] : undefined;
    for (const idx of (m[2] ?? '').match(/\d+/g) ?? []) cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** A printer column's cell (`tableconvertor.go`: missing → nil; `date` columns as the human duration since then). */
function cellOf(type: string, jsonPath: string): (obj: JsonObject, now: number) => unknown {
  return (obj, now) => {
    const v = simpleJsonPath(obj, jsonPath);
    if (v === undefined) return null;
    if (type === 'date' && typeof v === 'string') {
      const t = Date.parse(v);
      return Number.isNaN(t) ? v : humanDuration(now - t);
    }
    return v;
  };
}

function columnsOf(version: JsonObject): PrinterColumn[] | undefined {
  const cols = version['additionalPrinterColumns'];
  if (!Array.isArray(cols) || cols.length === 0) return undefined;
  return cols.filter(isMap).map((c) => {
    const type = typeof c['type'] === 'string' ? c['type'] : 'string';
    return {
      name: String(c['name'] ?? ''),
      type,
      ...(typeof c['format'] === 'string' ? { format: c['format'] } : {}),
      description: typeof c['description'] === 'string' ? c['description'] : '',
      priority: typeof c['priority'] === 'number' ? c['priority'] : 0,
      cell: cellOf(type, String(c['jsonPath'] ?? '')),
    };
  });
}

function subresourcesOf(version: JsonObject): Subresources | undefined {
  const sub = version['subresources'];
  if (!isMap(sub)) return undefined;
  const scale = isMap(sub['scale']) ? sub['scale'] : undefined;
  const out: { status?: boolean; scale?: Subresources['scale'] } = {};
  if (isMap(sub['status'])) out.status = true;
  if (scale) {
    out.scale = {
      specReplicasPath: String(scale['specReplicasPath'] ?? ''),
      statusReplicasPath: String(scale['statusReplicasPath'] ?? ''),
      ...(typeof scale['labelSelectorPath'] === 'string' ? { labelSelectorPath: scale['labelSelectorPath'] } : {}),
    };
  }
  return out.status || out.scale ? out : undefined;
}

function fieldLabelsOf(version: JsonObject): Record<string, (obj: JsonObject) => string> | undefined {
  const fields = version['selectableFields'];
  if (!Array.isArray(fields) || fields.length === 0) return undefined;
  const out: Record<string, (obj: JsonObject) => string> = {};
  for (const f of fields.filter(isMap)) {
    const path = String(f['jsonPath'] ?? '');
    out[path.replace(/^\./, '')] = (obj) => {
      const v = simpleJsonPath(obj, path);
      return v === undefined || v === null ? '' : String(v);
    };
  }
  return out;
}

/** The strategy of the custom resources of `version` (one entry of the CRD's `spec.versions`). @internal */
export function customResourceStrategy(version: JsonObject): KindStrategy {
  const schemaHolder = isMap(version['schema']) ? version['schema']['openAPIV3Schema'] : undefined;
  const schema = isMap(schemaHolder) ? (schemaHolder as SchemaNode) : undefined;
  const subresources = subresourcesOf(version);
  const columns = columnsOf(version);
  const fieldLabels = fieldLabelsOf(version);
  const status = subresources?.status === true;
  const validate = (obj: JsonObject) => (schema ? validateAgainstSchema(schema, obj) : listTypeErrors({}, obj, ''));
  return {
    // `copyNonMetadata`: without the status subresource a status change is a change too.
    generation: status ? 'spec' : 'non-metadata',
    defaults: (obj) => {
      if (!schema) return;
      pruneUnknownFields(obj, schema);
      applySchemaDefaults(obj, schema);
    },
    prepareForCreate: (obj) => {
      if (status) delete obj['status'];
    },
    prepareForUpdate: (obj, old) => {
      if (!status) return;
      if (old['status'] === undefined) delete obj['status'];
      else obj['status'] = old['status'];
    },
    validateCreate: validate,
    validateUpdate: (obj, old) => (schema ? [...ratchet(validateAgainstSchema(schema, obj).filter((e) => e.type !== 'FieldValueDuplicate'), obj, old), ...listTypeErrors(schema, obj, '')] : validate(obj)),
    ...(subresources ? { subresources } : {}),
    ...(columns ? { columns } : {}),
    ...(fieldLabels ? { fieldLabels } : {}),
  };
}

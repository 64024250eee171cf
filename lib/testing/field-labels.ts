/**
 * Field selectors per kind: which labels a request may use and the value of each for a stored object, from the
 * kind strategy's `fieldLabels` (`lib/testing/kinds/field-labels.ts` for built-in kinds).
 *
 * - Accepted labels: a kind without a field label conversion func accepts `metadata.name` and `metadata.namespace`
 *   and answers anything else with AM:`runtime/scheme.go` `DefaultMetaV1FieldSelectorConversion`'s
 *   `"x" is not a known field selector: only "metadata.name", "metadata.namespace"`; a kind with one (it has
 *   `fieldLabels`) accepts its labels, `metadata.name`, and `metadata.namespace` when namespaced (Node, Namespace and
 *   CSR reject it), and answers `field label not supported: x` (`pkg/apis/core/v1/conversion.go`). Either way
 *   AS:`endpoints/handlers/get.go` `ListResource` wraps the error in `errors.NewBadRequest`: 400 BadRequest.
 * - Values: `generic.ObjectMetaFieldsSet` (`metadata.name`, and `metadata.namespace` for namespaced kinds) plus the
 *   kind's `ToSelectableFields`; a label with no value is `""` (a missing key of a `fields.Set`).
 * @internal
 */
import { badRequestStatus } from './status.js';
import type { ObjectRecord } from './store.js';
import type { KindStrategy } from './strategies.js';
import type { FieldSelector } from './field-selector.js';
import { HttpError } from './responses.js';

/** The field labels of a kind as the list and watch handlers need them. @internal */
export interface KindFieldLabels {
  readonly strategy: KindStrategy;
  readonly namespaced: boolean;
}

const DEFAULT_LABELS = ['metadata.name', 'metadata.namespace'];

/**
 * Answers 400 for a selector naming a label the kind does not accept (the conversion step of `ListResource`, before
 * any storage access).
 * @internal
 */
export function requireSupportedFieldLabels(selector: FieldSelector, kind: KindFieldLabels | undefined): void {
  const labels = kind?.strategy.fieldLabels;
  for (const r of selector.requirements) {
    if (!labels) {
      if (!DEFAULT_LABELS.includes(r.field)) {
        throw new HttpError(badRequestStatus(`${JSON.stringify(r.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`));
      }
      continue;
    }
    const known = r.field === 'metadata.name' || (r.field === 'metadata.namespace' && kind.namespaced) || Object.hasOwn(labels, r.field);
    if (!known) throw new HttpError(badRequestStatus(`field label not supported: ${r.field}`));
  }
}

const cache = new WeakMap<ObjectRecord, WeakMap<KindStrategy, Readonly<Record<string, string>>>>();

/** The selectable fields of a stored object (cached per record, which is immutable). @internal */
export function selectableFields(rec: ObjectRecord, kind: KindFieldLabels | undefined): Readonly<Record<string, string>> {
  const labels = kind?.strategy.fieldLabels;
  if (!kind || !labels) return rec.fields;
  let byStrategy = cache.get(rec);
  let fields = byStrategy?.get(kind.strategy);
  if (fields) return fields;
  const out: Record<string, string> = { 'metadata.name': rec.name };
  if (kind.namespaced) out['metadata.namespace'] = rec.namespace;
  for (const [label, value] of Object.entries(labels)) out[label] = value(rec.object);
  fields = out;
  if (!byStrategy) cache.set(rec, (byStrategy = new WeakMap()));
  byStrategy.set(kind.strategy, fields);
  return fields;
}

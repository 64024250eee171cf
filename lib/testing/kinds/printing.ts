/**
 * The Table columns and field selector labels of the built-in kinds, joined into their strategies
 * (`lib/testing/strategies.ts` `strategyFor`). Kinds listed in neither table keep the fake's NAME/AGE table and the
 * default field labels (`metadata.name`, `metadata.namespace`).
 * @internal
 */
import type { KindStrategy } from '../strategies.js';
import { APPS_COLUMNS } from './columns-apps.js';
import { CORE_COLUMNS } from './columns-core.js';
import { BUILTIN_FIELD_LABELS } from './field-labels.js';

/** `base` with the kind's `columns` and `fieldLabels`, if it has any. @internal */
export function withBuiltInKindHooks(group: string, kind: string, base: KindStrategy): KindStrategy {
  const key = `${group}/${kind}`;
  const columns = group === '' ? CORE_COLUMNS[kind] : APPS_COLUMNS[key];
  const fieldLabels = BUILTIN_FIELD_LABELS[key];
  if (!columns && !fieldLabels) return base;
  return { ...base, ...(columns ? { columns } : {}), ...(fieldLabels ? { fieldLabels } : {}) };
}

/**
 * The naming controller's decision for one CRD (apiextensions-apiserver `pkg/controller/status/naming_controller.go`
 * `calculateNamesAndConditions`, `getAcceptedNamesForGroup`, `equalToAcceptedOrFresh`): which of the requested
 * `spec.names` become `status.acceptedNames`, given the names the CRDs of the same group have already accepted, and
 * the `NamesAccepted` and `Established` conditions that follow.
 * @internal
 */
import type { JsonObject } from '../store.js';
import { crdConditions, crdNames, crdSpec, type CrdCondition } from './crd-validation.js';

function isMap(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** `status.acceptedNames` of a CRD (zero values when absent). @internal */
export function acceptedNamesOf(crd: JsonObject): JsonObject {
  const status = isMap(crd['status']) ? crd['status'] : {};
  return isMap(status['acceptedNames']) ? status['acceptedNames'] : {};
}

/** Names in the Go field order (plural, singular, shortNames, kind, listKind, categories), empty ones omitted but plural and kind. */
function ordered(n: { plural: string; singular: string; shortNames: string[]; kind: string; listKind: string; categories: string[] }): JsonObject {
  const out: JsonObject = { plural: n.plural };
  if (n.singular) out['singular'] = n.singular;
  if (n.shortNames.length > 0) out['shortNames'] = n.shortNames;
  out['kind'] = n.kind;
  if (n.listKind) out['listKind'] = n.listKind;
  if (n.categories.length > 0) out['categories'] = n.categories;
  return out;
}

/** The naming controller's result for one CRD. @internal */
export interface NamingResult {
  readonly acceptedNames: JsonObject;
  readonly namesAccepted: Omit<CrdCondition, 'lastTransitionTime'>;
  readonly established: Omit<CrdCondition, 'lastTransitionTime'>;
}

/** `calculateNamesAndConditions` for `crd` among every CRD stored (`all`, itself included). @internal */
export function calculateNames(crd: JsonObject, all: readonly JsonObject[]): NamingResult {
  const group = crdSpec(crd)['group'];
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const other of all) {
    if (crdSpec(other)['group'] !== group) continue;
    const a = acceptedNamesOf(other);
    for (const n of [str(a['plural']), str(a['singular']), ...strings(a['shortNames'])]) resources.add(n);
    for (const n of [str(a['kind']), str(a['listKind'])]) kinds.add(n);
  }
  const requested = crdNames(crd);
  const accepted = acceptedNamesOf(crd);
  const next = {
    plural: str(accepted['plural']),
    singular: str(accepted['singular']),
    shortNames: strings(accepted['shortNames']),
    kind: str(accepted['kind']),
    listKind: str(accepted['listKind']),
    categories: strings(requested['categories']),
  };
  let conflict: { reason: string; message: string } | undefined;
  const fresh = (req: string, acc: string, used: Set<string>): string | undefined => (req === acc || !used.has(req) ? undefined : `${JSON.stringify(req)} is already in use`);
  const check = (key: 'plural' | 'singular' | 'kind' | 'listKind', reason: string, used: Set<string>): void => {
    const err = fresh(str(requested[key]), str(accepted[key]), used);
    if (err) conflict = { reason, message: err };
    else next[key] = str(requested[key]);
  };
  check('plural', 'PluralConflict', resources);
  check('singular', 'SingularConflict', resources);
  const reqShort = strings(requested['shortNames']);
  const accShort = strings(accepted['shortNames']);
  if (JSON.stringify(reqShort) !== JSON.stringify(accShort)) {
    const errs = reqShort
      .filter((s) => !accShort.includes(s) && s !== str(accepted['plural']) && s !== str(accepted['singular']))
      .map((s) => fresh(s, '', resources))
      .filter((e): e is string => e !== undefined);
    // utilerrors.NewAggregate: one error as is, several as `[a, b]`.
    if (errs.length > 0) conflict = { reason: 'ShortNamesConflict', message: errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]` };
    else next.shortNames = reqShort;
  }
  check('kind', 'KindConflict', kinds);
  check('listKind', 'ListKindConflict', kinds);
  const namesAccepted = conflict
    ? { type: 'NamesAccepted', status: 'False' as const, ...conflict }
    : { type: 'NamesAccepted', status: 'True' as const, reason: 'NoConflicts', message: 'no conflicts found' };
  const old = crdConditions(crd).find((c) => c.type === 'Established');
  let established: Omit<CrdCondition, 'lastTransitionTime'> = old
    ? { type: 'Established', status: old.status, reason: old.reason, message: old.message }
    : { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };
  if (established.status !== 'True' && namesAccepted.status === 'True') {
    established = { type: 'Established', status: 'False', reason: 'Installing', message: 'the initial names have been accepted' };
  }
  return { acceptedNames: ordered(next), namesAccepted, established };
}

/**
 * Query parsing of list and watch requests (k8s.io/apimachinery `ListOptions`): decoding, the WatchList defaulting
 * step and validation in kube-apiserver's order, resourceVersion parsing, continue tokens, and the selection of
 * records by namespace, name and selectors.
 * @internal
 */
import { parseLabelSelector, LabelSelectorError, type LabelSelector } from './label-selector.js';
import { parseFieldSelector, FieldSelectorError, type FieldSelector } from './field-selector.js';
import { badRequestStatus, invalidListOptionsStatus, makeStatus, type FieldError } from './status.js';
import type { ObjectRecord } from './store.js';
import { HttpError } from './responses.js';
import { boolParam, type Route } from './routing.js';
import type { FakeApiServerConfig } from './server-types.js';
import { requireSupportedFieldLabels, selectableFields, type KindFieldLabels } from './field-labels.js';

/** @internal */
export interface ListOptions {
  readonly watch: boolean;
  readonly resourceVersion: string;
  resourceVersionMatch: string;
  sendInitialEvents: boolean | undefined;
  readonly allowWatchBookmarks: boolean;
  readonly timeoutSeconds: number | undefined;
  readonly continue: string;
  /** Page size of a list; 0 = everything. Ignored on watches. */
  readonly limit: number;
  readonly labelSelector: LabelSelector;
  readonly fieldSelector: FieldSelector;
  /** The selectable fields of a record for this request's kind (`lib/testing/field-labels.ts`). */
  readonly fieldsOf: (rec: ObjectRecord) => Readonly<Record<string, string>>;
}

/** The switches of {@link FakeApiServerConfig} that decide how list and watch options are defaulted and validated. @internal */
export type ListOptionsConfig = Pick<FakeApiServerConfig, 'pre127' | 'ignoreSendInitialEvents' | 'watchListDisabled' | 'watchListDefaulting'>;

/**
 * Query decoding, defaulting and validation in kube-apiserver's order (§1.2, §1.3): selector syntax (400), the
 * WatchList defaulting step, ListOptions validation (422), unknown field labels (400), name mismatch (400).
 * @internal
 */
export function parseListOptions(q: URLSearchParams, isWatch: boolean, route: Route, cfg: ListOptionsConfig, kind?: KindFieldLabels): ListOptions {
  const ts = q.get('timeoutSeconds');
  let timeoutSeconds: number | undefined;
  if (ts !== null && ts !== '') {
    timeoutSeconds = Number(ts);
    if (!Number.isFinite(timeoutSeconds)) throw new HttpError(badRequestStatus(`strconv.ParseInt: parsing ${JSON.stringify(ts)}: invalid syntax`));
  }
  let labelSelector: LabelSelector;
  let fieldSelector: FieldSelector;
  try {
    labelSelector = parseLabelSelector(q.get('labelSelector') ?? '');
    fieldSelector = parseFieldSelector(q.get('fieldSelector') ?? '');
  } catch (err) {
    if (err instanceof LabelSelectorError || err instanceof FieldSelectorError) throw new HttpError(badRequestStatus(err.message));
    throw err;
  }
  const opts: ListOptions = {
    watch: isWatch,
    resourceVersion: q.get('resourceVersion') ?? '',
    resourceVersionMatch: q.get('resourceVersionMatch') ?? '',
    sendInitialEvents: boolParam(q, 'sendInitialEvents'),
    allowWatchBookmarks: isWatch && (boolParam(q, 'allowWatchBookmarks') ?? false),
    timeoutSeconds,
    continue: q.get('continue') ?? '',
    limit: Math.max(0, Math.floor(Number(q.get('limit') ?? 0)) || 0),
    labelSelector,
    fieldSelector,
    fieldsOf: (rec) => selectableFields(rec, kind),
  };
  const legacyServer = cfg.pre127 || cfg.ignoreSendInitialEvents;
  const errors: FieldError[] = [];
  if (isWatch) {
    // The defaulting step runs before validation, only when the WatchList gate is on (§1.3, checklist 5).
    if (
      !legacyServer &&
      !cfg.watchListDisabled &&
      cfg.watchListDefaulting &&
      opts.sendInitialEvents === undefined &&
      opts.resourceVersionMatch === '' &&
      (opts.resourceVersion === '' || opts.resourceVersion === '0')
    ) {
      opts.sendInitialEvents = true;
      opts.resourceVersionMatch = 'NotOlderThan';
    }
    if (cfg.pre127) {
      // Servers before 1.27 reject any resourceVersionMatch on a watch and do not know sendInitialEvents (§1.3).
      if (opts.resourceVersionMatch) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch'));
    } else if (!cfg.ignoreSendInitialEvents) {
      errors.push(...validateWatchOptions(opts, !cfg.watchListDisabled));
    }
    if (legacyServer) {
      opts.sendInitialEvents = undefined;
      opts.resourceVersionMatch = '';
    }
  } else {
    errors.push(...validateListOnlyOptions(opts));
  }
  if (errors.length > 0) throw new HttpError(invalidListOptionsStatus(errors));
  requireSupportedFieldLabels(fieldSelector, kind);
  if (route.name !== undefined && fieldSelector.equalityValues('metadata.name').some((n) => n !== route.name)) {
    throw new HttpError(badRequestStatus("fieldSelector metadata.name doesn't match requested name"));
  }
  return opts;
}

/** A non-numeric RV reaches the handler as an untranslated storage error: HTTP 500, empty reason (§1.3). @internal */
export function parseResourceVersion(rv: string): number {
  if (rv === '' || rv === '0') return 0;
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(Number(rv))) {
    const why = /^\d+$/.test(rv) ? 'value out of range' : 'invalid syntax';
    throw new HttpError(
      makeStatus({ code: 500, message: `resourceVersion: Invalid value: ${JSON.stringify(rv)}: strconv.ParseUint: parsing ${JSON.stringify(rv)}: ${why}` }),
    );
  }
  return Number(rv);
}

/** Whether a record is selected by a request's namespace, a name, and its label and field selectors. @internal */
export function matcher(route: Route, opts: ListOptions, nameFilter: string | undefined): (rec: ObjectRecord) => boolean {
  return (rec) =>
    (route.namespace === undefined || rec.namespace === route.namespace) &&
    (nameFilter === undefined || rec.name === nameFilter) &&
    (opts.labelSelector.empty || opts.labelSelector.matches(rec.labels)) &&
    (opts.fieldSelector.empty || opts.fieldSelector.matches(opts.fieldsOf(rec)));
}

function forbidden(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueForbidden', detail };
}

/**
 * AM:`apis/meta/internalversion/validation/validation.go` `ValidateListOptions` for a list: `resourceVersionMatch`
 * needs a `resourceVersion` and no `continue`, is `Exact` or `NotOlderThan`, and `Exact` is not for RV `"0"`;
 * `sendInitialEvents` is watch-only. Every error is collected (422 Invalid).
 */
function validateListOnlyOptions(o: ListOptions): FieldError[] {
  const errors: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (match !== '') {
    if (o.resourceVersion === '') errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (o.continue !== '') errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      errors.push({ field: 'resourceVersionMatch', type: 'FieldValueNotSupported', detail: match, supported: ['Exact', 'NotOlderThan', ''] });
    }
    if (match === 'Exact' && o.resourceVersion === '0') errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (o.sendInitialEvents !== undefined) errors.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errors;
}

/** AM `validateWatchOptions`, rules 1–5 of §1.3, collecting every error as the real validator does. */
function validateWatchOptions(o: ListOptions, watchListEnabled: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (o.sendInitialEvents !== undefined) {
    if (match !== 'NotOlderThan') errors.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (!watchListEnabled) errors.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled'));
  }
  if (match !== '') {
    if (o.sendInitialEvents === undefined) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') errors.push({ field: 'resourceVersionMatch', type: 'FieldValueNotSupported', detail: match, supported: ['NotOlderThan'] });
    if (o.continue !== '') errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return errors;
}

/** A list continue token: base64 of `{"rv":N,"start":"<key>"}` (opaque to clients, like etcd's). @internal */
export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ rv, start })).toString('base64');
}

/** @internal */
export function decodeContinue(token: string): { rv: number; start: string } | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { rv?: unknown; start?: unknown };
    return typeof value.rv === 'number' && typeof value.start === 'string' ? { rv: value.rv, start: value.start } : undefined;
  } catch {
    return undefined;
  }
}

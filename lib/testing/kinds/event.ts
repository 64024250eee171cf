/**
 * Event, served as core/v1 (`/api/v1/.../events`) and as events.k8s.io/v1: the validation kube-apiserver v1.35 runs
 * on both, from kubernetes/kubernetes `pkg/apis/core/validation/events.go` as `pkg/registry/core/event/strategy.go`
 * calls it (`Validate` → `ValidateEventCreate(event, requestGroupVersion(ctx))`, `ValidateUpdate` →
 * `ValidateEventUpdate(new, old, requestGroupVersion(ctx))`).
 *
 * Both APIs store one internal `core.Event`; the registry validates that internal object, so the field paths of the
 * errors are the core ones whatever the request's version: an events.k8s.io/v1 Event's `regarding` is reported as
 * `involvedObject`, `note` as `message`, `deprecatedSource`/`deprecatedFirstTimestamp`/`deprecatedLastTimestamp`/
 * `deprecatedCount` as `source`/`firstTimestamp`/`lastTimestamp`/`count` (`pkg/apis/events/v1/conversion.go`
 * `Convert_v1_Event_To_core_Event`). core/v1 serializes `ReportingController` as `reportingComponent`.
 *
 * - core/v1 (and events.k8s.io/v1beta1, not served by v1.35): only `legacyValidateEvent`, for backward
 *   compatibility; it is strict only for Events that carry an `eventTime` ("new" Events).
 * - events.k8s.io/v1: `legacyValidateEvent`, then on create `ValidateObjectMeta` (DNS-subdomain name: the generic
 *   name rule of the fake), `validateV1EventSeries`, `eventTime` required, `type` Normal|Warning, and the deprecated
 *   fields unset; on update `validateV1EventSeries` when the series changed, and every field but the series (and
 *   metadata) immutable.
 *
 * Lengths are Go's `len`: UTF-8 bytes, not characters. Bad values are printed as Go's `ErrorBody` does: strings
 * quoted, structs `%#v`, `metav1.Time`/`MicroTime` through their `String()`.
 * @internal
 */
import type { FieldError } from '../status.js';
import type { JsonObject } from '../store.js';
import { dns1123SubdomainMessages, invalidRendered, mapAt, qualifiedNameMessages, str } from './field-rules.js';
import type { KindParts } from './workloads.js';

/** `ReportingInstanceLengthLimit`, `ActionLengthLimit`, `ReasonLengthLimit`, `NoteLengthLimit` of events.go. */
const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

/** The fields of the internal `core.Event` the rules read, from either version's JSON (absent = Go zero value). */
interface CoreEvent {
  readonly namespace: string;
  readonly involvedObject: JsonObject;
  readonly reason: string;
  readonly message: string;
  readonly source: JsonObject;
  readonly firstTimestamp: unknown;
  readonly lastTimestamp: unknown;
  readonly count: number;
  readonly type: string;
  readonly eventTime: unknown;
  readonly series: JsonObject | undefined;
  readonly action: string;
  readonly related: JsonObject | undefined;
  readonly reportingController: string;
  readonly reportingInstance: string;
}

/** The internal Event of a request body: events.k8s.io/v1 names mapped as `Convert_v1_Event_To_core_Event` does. */
function toCore(obj: JsonObject, eventsV1: boolean): CoreEvent {
  const field = (core: string, v1: string): unknown => obj[eventsV1 ? v1 : core];
  const count = field('count', 'deprecatedCount');
  return {
    namespace: str(mapAt(obj['metadata'])?.['namespace']),
    involvedObject: mapAt(field('involvedObject', 'regarding')) ?? {},
    reason: str(obj['reason']),
    message: str(field('message', 'note')),
    source: mapAt(field('source', 'deprecatedSource')) ?? {},
    firstTimestamp: field('firstTimestamp', 'deprecatedFirstTimestamp'),
    lastTimestamp: field('lastTimestamp', 'deprecatedLastTimestamp'),
    count: typeof count === 'number' ? count : 0,
    type: str(obj['type']),
    eventTime: obj['eventTime'],
    series: mapAt(obj['series']),
    action: str(obj['action']),
    related: mapAt(obj['related']),
    reportingController: str(field('reportingComponent', 'reportingController')),
    reportingInstance: str(obj['reportingInstance']),
  };
}

/** Go's `len` of a string: its UTF-8 bytes. */
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** A `metav1.Time`/`MicroTime` is zero when absent or null (a parsed time is never `== time.Time{}`: `Local()`). */
const isZeroTime = (v: unknown): boolean => v === undefined || v === null || v === '';

/** An RFC 3339 time as its instant (milliseconds of the whole seconds, and the fraction to nanoseconds). */
function instant(v: unknown): { readonly seconds: number; readonly nanos: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(v);
  const ms = m ? Date.parse(`${m[1]!}${m[3]!}`) : NaN;
  return Number.isNaN(ms) ? undefined : { seconds: ms, nanos: (m![2] ?? '').slice(0, 9).padEnd(9, '0') };
}

/** `Semantic.DeepEqual` of two times: the same instant (both zero counts as equal). */
function sameTime(a: unknown, b: unknown): boolean {
  if (isZeroTime(a) || isZeroTime(b)) return isZeroTime(a) && isZeroTime(b);
  const x = instant(a);
  const y = instant(b);
  return x !== undefined && y !== undefined ? x.seconds === y.seconds && x.nanos === y.nanos : a === b;
}

/** `time.Time.String()` of a parsed time (the server's zone is UTC): `2026-01-02 03:04:05.123456 +0000 UTC`. */
function goTime(v: unknown): string {
  if (isZeroTime(v)) return '0001-01-01 00:00:00 +0000 UTC';
  const t = instant(v);
  if (!t) return str(v);
  const iso = new Date(t.seconds).toISOString();
  const frac = t.nanos.replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac === '' ? '' : `.${frac}`} +0000 UTC`;
}

const REFERENCE_FIELDS: readonly (readonly [string, string])[] = [
  ['Kind', 'kind'],
  ['Namespace', 'namespace'],
  ['Name', 'name'],
  ['UID', 'uid'],
  ['APIVersion', 'apiVersion'],
  ['ResourceVersion', 'resourceVersion'],
  ['FieldPath', 'fieldPath'],
];

/** `%#v` of a `core.ObjectReference`. */
function goReference(ref: JsonObject): string {
  return `core.ObjectReference{${REFERENCE_FIELDS.map(([go, json]) => `${go}:${JSON.stringify(str(ref[json]))}`).join(', ')}}`;
}

/** `%#v` of a `core.EventSource`. */
function goSource(source: JsonObject): string {
  return `core.EventSource{Component:${JSON.stringify(str(source['component']))}, Host:${JSON.stringify(str(source['host']))}}`;
}

const sameReference = (a: JsonObject, b: JsonObject): boolean => REFERENCE_FIELDS.every(([, json]) => str(a[json]) === str(b[json]));
const sameSource = (a: JsonObject, b: JsonObject): boolean => str(a['component']) === str(b['component']) && str(a['host']) === str(b['host']);

/** `reflect.DeepEqual` of two `*core.EventSeries` (nil only equals nil). */
function sameSeries(a: JsonObject | undefined, b: JsonObject | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const count = (s: JsonObject): number => (typeof s['count'] === 'number' ? s['count'] : 0);
  return count(a) === count(b) && sameTime(a['lastObservedTime'], b['lastObservedTime']);
}

/** `field.Invalid(path, "", detail)`: the empty string as the bad value, as events.go passes it. */
const invalidEmpty = (field: string, detail: string): FieldError => ({ field, type: 'FieldValueInvalid', value: '', detail });

/** A required string field with a byte limit (`len(x) == 0` → Required; `len(x) > limit` → Invalid). */
function limited(errs: FieldError[], field: string, value: string, limit: number): void {
  if (value === '') errs.push({ field, type: 'FieldValueRequired' });
  if (bytes(value) > limit) errs.push(invalidEmpty(field, `can have at most ${limit} characters`));
}

/** events.go `legacyValidateEvent`: what every Event must pass, whatever the request's version. */
function legacyValidateEvent(e: CoreEvent): FieldError[] {
  const errs: FieldError[] = [];
  const involvedNs = str(e.involvedObject['namespace']);
  const mismatch: FieldError = { field: 'involvedObject.namespace', type: 'FieldValueInvalid', value: involvedNs, detail: 'does not match event.namespace' };
  if (isZeroTime(e.eventTime)) {
    // An "old" Event: in its object's namespace; a cluster-scoped object's in "" or default (old clients).
    if (involvedNs === '' ? e.namespace !== '' && e.namespace !== 'default' : e.namespace !== involvedNs) errs.push(mismatch);
  } else {
    // A "new" Event: only a cluster-scoped object's Event is placed (default or kube-system, kubernetes#100125); a
    // namespaced object's Event may live in any namespace (no rule compares them).
    if (involvedNs === '' && e.namespace !== 'default' && e.namespace !== 'kube-system') errs.push(mismatch);
    if (e.reportingController === '') errs.push({ field: 'reportingController', type: 'FieldValueRequired' });
    for (const detail of qualifiedNameMessages(e.reportingController)) {
      errs.push({ field: 'reportingController', type: 'FieldValueInvalid', value: e.reportingController, detail });
    }
    limited(errs, 'reportingInstance', e.reportingInstance, REPORTING_INSTANCE_LIMIT);
    limited(errs, 'action', e.action, ACTION_LIMIT);
    limited(errs, 'reason', e.reason, REASON_LIMIT);
    if (bytes(e.message) > NOTE_LIMIT) errs.push(invalidEmpty('message', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const detail of dns1123SubdomainMessages(e.namespace)) errs.push({ field: 'namespace', type: 'FieldValueInvalid', value: e.namespace, detail });
  return errs;
}

/** events.go `validateV1EventSeries`. */
function validateV1EventSeries(e: CoreEvent): FieldError[] {
  if (e.series === undefined) return [];
  const errs: FieldError[] = [];
  const count = e.series['count'];
  if (!(typeof count === 'number' && count >= 2)) errs.push(invalidEmpty('series.count', 'should be at least 2'));
  if (isZeroTime(e.series['lastObservedTime'])) errs.push({ field: 'series.lastObservedTime', type: 'FieldValueRequired' });
  return errs;
}

/** events.go `ValidateEventCreate` for events.k8s.io/v1 (the strict branch; `ValidateObjectMeta` is the generic name rule). */
function validateV1EventCreate(e: CoreEvent): FieldError[] {
  const errs = [...legacyValidateEvent(e), ...validateV1EventSeries(e)];
  if (isZeroTime(e.eventTime)) errs.push({ field: 'eventTime', type: 'FieldValueRequired' });
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalidEmpty('type', `has invalid value: ${e.type}`));
  if (!isZeroTime(e.firstTimestamp)) errs.push(invalidEmpty('firstTimestamp', 'needs to be unset'));
  if (!isZeroTime(e.lastTimestamp)) errs.push(invalidEmpty('lastTimestamp', 'needs to be unset'));
  if (e.count !== 0) errs.push(invalidEmpty('count', 'needs to be unset'));
  if (str(e.source['component']) !== '' || str(e.source['host']) !== '') errs.push(invalidEmpty('source', 'needs to be unset'));
  return errs;
}

/** `ValidateImmutableField`: `field.Invalid(path, newValue, "field is immutable")`, the value printed as Go does. */
function immutableField(errs: FieldError[], field: string, same: boolean, rendered: () => FieldError): void {
  if (!same) errs.push(rendered());
}

/**
 * events.go `ValidateEventUpdate` for events.k8s.io/v1: the new Event passes `legacyValidateEvent`, a changed series
 * `validateV1EventSeries`, and nothing else may change (the same list as Go, `reason` twice included: it yields two
 * causes and one message).
 */
function validateV1EventUpdate(e: CoreEvent, old: CoreEvent): FieldError[] {
  const errs = legacyValidateEvent(e);
  if (!sameSeries(e.series, old.series)) errs.push(...validateV1EventSeries(e));
  const text = (field: string, a: string, b: string): void => immutableField(errs, field, a === b, () => ({ field, type: 'FieldValueInvalid', value: a, detail: 'field is immutable' }));
  const time = (field: string, a: unknown, b: unknown): void => immutableField(errs, field, sameTime(a, b), () => invalidRendered(field, goTime(a), 'field is immutable'));
  immutableField(errs, 'involvedObject', sameReference(e.involvedObject, old.involvedObject), () => invalidRendered('involvedObject', goReference(e.involvedObject), 'field is immutable'));
  text('reason', e.reason, old.reason);
  text('message', e.message, old.message);
  immutableField(errs, 'source', sameSource(e.source, old.source), () => invalidRendered('source', goSource(e.source), 'field is immutable'));
  time('firstTimestamp', e.firstTimestamp, old.firstTimestamp);
  time('lastTimestamp', e.lastTimestamp, old.lastTimestamp);
  immutableField(errs, 'count', e.count === old.count, () => ({ field: 'count', type: 'FieldValueInvalid', value: e.count, detail: 'field is immutable' }));
  text('reason', e.reason, old.reason);
  text('type', e.type, old.type);
  time('eventTime', e.eventTime, old.eventTime);
  text('action', e.action, old.action);
  const sameRelated = e.related === undefined || old.related === undefined ? e.related === old.related : sameReference(e.related, old.related);
  immutableField(errs, 'related', sameRelated, () => invalidRendered('related', e.related === undefined ? 'null' : goReference(e.related), 'field is immutable'));
  text('reportingController', e.reportingController, old.reportingController);
  text('reportingInstance', e.reportingInstance, old.reportingInstance);
  return errs;
}

/** AM:`api/validation/path` `IsValidPathSegmentName`: the only name rule of a core/v1 Event (`rest.BeforeCreate`). */
function pathSegmentNameErrors(meta: JsonObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const check = (field: string, value: string, prefix: boolean): void => {
    if (!prefix && (value === '.' || value === '..')) {
      errs.push({ field, type: 'FieldValueInvalid', value, detail: `may not be '${value}'` });
      return;
    }
    for (const bad of ['/', '%']) if (value.includes(bad)) errs.push({ field, type: 'FieldValueInvalid', value, detail: `may not contain '${bad}'` });
  };
  const generateName = str(meta?.['generateName']);
  if (generateName !== '') check('metadata.generateName', generateName, true);
  const name = str(meta?.['name']);
  if (name !== '') check('metadata.name', name, false);
  return errs;
}

/**
 * core/v1 Event: `ValidateEventCreate`/`ValidateEventUpdate` with the core `v1` request version, i.e.
 * `legacyValidateEvent` only; its name is only a path segment (the registry sets no DNS rule; the fake registers
 * `/api/v1/events` with name rule `none` and checks the path segment here).
 */
export const coreEventParts: KindParts = {
  validateCreate: (obj) => [...pathSegmentNameErrors(mapAt(obj['metadata'])), ...legacyValidateEvent(toCore(obj, false))],
  validateUpdate: (obj) => legacyValidateEvent(toCore(obj, false)),
};

/** events.k8s.io/v1 Event: the strict rules of `ValidateEventCreate`/`ValidateEventUpdate`. */
export const eventsV1EventParts: KindParts = {
  validateCreate: (obj) => validateV1EventCreate(toCore(obj, true)),
  validateUpdate: (obj, old) => validateV1EventUpdate(toCore(obj, true), toCore(old, true)),
};

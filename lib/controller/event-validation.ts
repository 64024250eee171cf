/**
 * What kube-apiserver checks when an `events.k8s.io/v1` Event is created, so the recorder never writes an Event a
 * real server rejects (the FakeApiServer applies the same rules, `lib/testing/kinds/event.ts`, so a recorder that
 * drifts from them fails its loopback tests).
 *
 * Source: kubernetes/kubernetes `pkg/apis/core/validation/events.go`: `ValidateEventCreate` (strict branch for
 * events.k8s.io/v1: eventTime required, type Normal|Warning, no deprecated first/last timestamp, count or source,
 * `validateV1EventSeries`: series.count at least 2 and lastObservedTime set) and `legacyValidateEvent` (with
 * eventTime: reportingController a qualified name, reportingInstance, action and reason required, at most 128
 * characters each, note at most 1024; a cluster-scoped regarding object's Event in `default` or `kube-system`).
 * Lengths are Go's `len`: UTF-8 bytes, not JavaScript characters.
 */
import { isQualifiedName } from './qualified-name.js';

/** `ReportingInstanceLengthLimit`, `ActionLengthLimit`, `ReasonLengthLimit`. @internal */
export const EVENT_FIELD_LIMIT = 128;
/** `NoteLengthLimit`. @internal */
export const EVENT_NOTE_LIMIT = 1024;

/** The fields of an events.k8s.io/v1 Event the rules read. @internal */
export interface EventFields {
  readonly metadata: { readonly namespace?: string | undefined };
  readonly eventTime?: string | null | undefined;
  readonly type?: string | undefined;
  readonly action?: string | undefined;
  readonly reason?: string | undefined;
  readonly note?: string | undefined;
  readonly reportingController?: string | undefined;
  readonly reportingInstance?: string | undefined;
  readonly regarding?: { readonly namespace?: string | undefined } | undefined;
  readonly series?: { readonly count?: number | undefined; readonly lastObservedTime?: string | null | undefined } | undefined;
}

/**
 * The length kube-apiserver checks: Go's `len` of a string, its UTF-8 bytes (a limit of "128 characters" is 128
 * bytes; `é` counts 2).
 * @internal
 */
export function utf8Length(value: string): number {
  // Counted by code point, without Node's Buffer: the controller runs in browsers too (DESIGN.md). A lone surrogate
  // is 3 bytes, as the U+FFFD it becomes on the wire.
  let bytes = 0;
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The longest prefix of `value` of at most `maxBytes` UTF-8 bytes, cut between code points. @internal */
export function cutUtf8(value: string, maxBytes: number): string {
  if (utf8Length(value) <= maxBytes) return value;
  let out = '';
  let size = 0;
  for (const ch of value) {
    const n = utf8Length(ch);
    if (size + n > maxBytes) break;
    out += ch;
    size += n;
  }
  return out;
}

function limit(problems: string[], field: string, value: string | undefined, max: number): void {
  if (value === undefined || value === '') problems.push(`${field}: Required value`);
  else if (utf8Length(value) > max) problems.push(`${field}: can have at most ${max} characters`);
}

/**
 * The reasons kube-apiserver would refuse to create `event` through events.k8s.io/v1, as `field: detail` strings
 * (empty when it would accept it).
 * @internal
 */
export function eventProblems(event: EventFields): string[] {
  const problems: string[] = [];
  if (!event.eventTime) problems.push('eventTime: Required value');
  if (event.type !== 'Normal' && event.type !== 'Warning') problems.push(`type: has invalid value: ${String(event.type)}`);
  if (event.series !== undefined) {
    if (!((event.series.count ?? 0) >= 2)) problems.push('series.count: should be at least 2');
    if (!event.series.lastObservedTime) problems.push('series.lastObservedTime: Required value');
  }
  const controller = event.reportingController ?? '';
  if (controller === '') problems.push('reportingController: Required value');
  else if (!isQualifiedName(controller)) problems.push('reportingController: must be a qualified name');
  limit(problems, 'reportingInstance', event.reportingInstance, EVENT_FIELD_LIMIT);
  limit(problems, 'action', event.action, EVENT_FIELD_LIMIT);
  limit(problems, 'reason', event.reason, EVENT_FIELD_LIMIT);
  if (utf8Length(event.note ?? '') > EVENT_NOTE_LIMIT) problems.push(`note: can have at most ${EVENT_NOTE_LIMIT} characters`);
  const namespace = event.metadata.namespace ?? '';
  if (!event.regarding?.namespace && namespace !== 'default' && namespace !== 'kube-system') {
    problems.push('regarding.namespace: does not match event.namespace');
  }
  return problems;
}

/**
 * A `metav1.MicroTime` as it is serialized: RFC 3339 with exactly six fractional digits, in UTC
 * (`2026-12-03T19:30:00.123000Z`). JavaScript clocks have milliseconds; the last three digits are zeros.
 * @internal
 */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Issue #15: the FakeApiServer validates Events as kube-apiserver v1.35 does (kubernetes/kubernetes
 * `pkg/apis/core/validation/events.go` through `pkg/registry/core/event/strategy.go`): the lenient
 * `legacyValidateEvent` for core/v1, the strict `ValidateEventCreate`/`ValidateEventUpdate` for events.k8s.io/v1,
 * with the internal (core) field paths in both. Every test talks to the server over loopback HTTP.
 */
import { describe, it, expect } from '@jest/globals';
import { Event } from '../../lib/k8s/v1_35/events.k8s.io/v1.js';
import { JSON_CT, MERGE, serverHarness } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const V1 = '/apis/events.k8s.io/v1/namespaces/default/events';
const V1_SYSTEM = '/apis/events.k8s.io/v1/namespaces/kube-system/events';
const CORE = '/api/v1/namespaces/default/events';
const T0 = '2026-12-03T19:00:00.123456Z';

const h = serverHarness({ resources: 'v1.35' }, { each: false });
const { call } = h;

let seq = 0;
const unique = (): string => `ev${++seq}`;

/** A valid events.k8s.io/v1 Event about a Pod in `default` (as the EventRecorder writes them). */
function v1Event(extra: Record<string, unknown> = {}, name = unique()): Record<string, any> {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name },
    eventTime: T0,
    type: 'Normal',
    reason: 'Replicated',
    action: 'Reconcile',
    note: 'copied to 3 namespaces',
    reportingController: 'example.com/replicator',
    reportingInstance: 'replicator-0',
    regarding: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'default', uid: 'u1' },
    ...extra,
  };
}

/** The 422 a write got: its message and causes (and nothing was written). */
async function invalid(method: string, path: string, body: unknown, headers: Record<string, string> = JSON_CT): Promise<{ message: string; causes: any[] }> {
  const rv = h.server.resourceVersion;
  const res = await call(method, path, body, headers);
  expect([res.status, res.status === 422 ? '' : res.body]).toEqual([422, '']);
  expect(h.server.resourceVersion).toBe(rv);
  const status = JSON.parse(res.body);
  expect(status).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
  return { message: status.message, causes: status.details.causes };
}

async function ok(method: string, path: string, body: unknown, headers: Record<string, string> = JSON_CT): Promise<any> {
  const res = await call(method, path, body, headers);
  expect([res.status, res.status < 300 ? '' : res.body]).toEqual([method === 'POST' ? 201 : 200, '']);
  return JSON.parse(res.body);
}

const cause = (field: string, reason: string, message: string): Record<string, string> => ({ reason, message, field });
const ACCEPTED_NAME_RE = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const NAME_PART_FORMAT = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${ACCEPTED_NAME_RE}')`;

describe('events.k8s.io/v1 create (ValidateEventCreate, strict)', () => {
  it('accepts what the EventRecorder writes, and a cluster-scoped object’s Event in default or kube-system', async () => {
    const created = await ok('POST', V1, v1Event({ series: { count: 2, lastObservedTime: T0 }, related: { kind: 'ConfigMap', name: 'c', namespace: 'default' } }));
    expect(created).toMatchObject({ reportingController: 'example.com/replicator', eventTime: T0 });
    const node = { apiVersion: 'v1', kind: 'Node', name: 'n1' };
    await ok('POST', V1, v1Event({ regarding: node }));
    await ok('POST', V1_SYSTEM, v1Event({ regarding: node }));
  });

  it('a namespaced object’s Event may live in another namespace: no rule compares them when eventTime is set', async () => {
    await ok('POST', V1_SYSTEM, v1Event({ regarding: { kind: 'Pod', name: 'web', namespace: 'default' } }));
  });

  it('a cluster-scoped object’s Event elsewhere: involvedObject.namespace (the core path of regarding)', async () => {
    await ok('POST', '/api/v1/namespaces', { metadata: { name: 'team-a' } });
    const name = unique();
    const { message, causes } = await invalid('POST', '/apis/events.k8s.io/v1/namespaces/team-a/events', v1Event({ regarding: { kind: 'Node', name: 'n1' } }, name));
    expect(message).toBe(`Event.events.k8s.io "${name}" is invalid: involvedObject.namespace: Invalid value: "": does not match event.namespace`);
    expect(causes).toEqual([cause('involvedObject.namespace', 'FieldValueInvalid', 'Invalid value: "": does not match event.namespace')]);
  });

  it('eventTime is required (and without it the Event is an "old" one: its regarding namespace must match)', async () => {
    const name = unique();
    const body = v1Event({}, name);
    delete body['eventTime'];
    expect((await invalid('POST', V1, body)).message).toBe(`Event.events.k8s.io "${name}" is invalid: eventTime: Required value`);
    const other = v1Event({ eventTime: null, regarding: { kind: 'Pod', name: 'web', namespace: 'kube-system' } });
    expect((await invalid('POST', V1, other)).causes).toEqual([
      cause('involvedObject.namespace', 'FieldValueInvalid', 'Invalid value: "kube-system": does not match event.namespace'),
      cause('eventTime', 'FieldValueRequired', 'Required value'),
    ]);
  });

  it('reportingController is required and a qualified name', async () => {
    expect((await invalid('POST', V1, v1Event({ reportingController: '' }))).causes).toEqual([
      cause('reportingController', 'FieldValueRequired', 'Required value'),
      cause('reportingController', 'FieldValueInvalid', 'Invalid value: "": name part must be non-empty'),
      cause('reportingController', 'FieldValueInvalid', `Invalid value: "": ${NAME_PART_FORMAT}`),
    ]);
    expect((await invalid('POST', V1, v1Event({ reportingController: 'my-contr@ller' }))).causes).toEqual([
      cause('reportingController', 'FieldValueInvalid', `Invalid value: "my-contr@ller": ${NAME_PART_FORMAT}`),
    ]);
    const prefix = await invalid('POST', V1, v1Event({ reportingController: 'Example.com/replicator' }));
    expect(prefix.causes[0].message).toMatch(/^Invalid value: "Example.com\/replicator": prefix part a lowercase RFC 1123 subdomain must consist of/);
    await ok('POST', V1, v1Event({ reportingController: 'replicator' }));
  });

  it('reportingInstance, action and reason are required, at most 128 bytes', async () => {
    expect((await invalid('POST', V1, v1Event({ reportingInstance: '', action: '', reason: '' }))).causes).toEqual([
      cause('reportingInstance', 'FieldValueRequired', 'Required value'),
      cause('action', 'FieldValueRequired', 'Required value'),
      cause('reason', 'FieldValueRequired', 'Required value'),
    ]);
    const name = unique();
    const long = 'x'.repeat(129);
    const { message, causes } = await invalid('POST', V1, v1Event({ reportingInstance: long, action: long, reason: long }, name));
    expect(causes).toEqual(['reportingInstance', 'action', 'reason'].map((f) => cause(f, 'FieldValueInvalid', 'Invalid value: "": can have at most 128 characters')));
    expect(message).toBe(
      `Event.events.k8s.io "${name}" is invalid: [reportingInstance: Invalid value: "": can have at most 128 characters, ` +
        'action: Invalid value: "": can have at most 128 characters, reason: Invalid value: "": can have at most 128 characters]',
    );
    await ok('POST', V1, v1Event({ reportingInstance: 'x'.repeat(128), action: 'x'.repeat(128), reason: 'x'.repeat(128) }));
    // Go's len counts bytes: 65 two-byte characters are 130 bytes.
    expect((await invalid('POST', V1, v1Event({ reason: 'é'.repeat(65) }))).causes).toEqual([cause('reason', 'FieldValueInvalid', 'Invalid value: "": can have at most 128 characters')]);
  });

  it('note is at most 1024 bytes (reported as message, its core name)', async () => {
    await ok('POST', V1, v1Event({ note: 'n'.repeat(1024) }));
    const expected = [cause('message', 'FieldValueInvalid', 'Invalid value: "": can have at most 1024 characters')];
    expect((await invalid('POST', V1, v1Event({ note: 'n'.repeat(1025) }))).causes).toEqual(expected);
    expect((await invalid('POST', V1, v1Event({ note: 'é'.repeat(513) }))).causes).toEqual(expected);
  });

  it('type is Normal or Warning', async () => {
    await ok('POST', V1, v1Event({ type: 'Warning' }));
    expect((await invalid('POST', V1, v1Event({ type: 'Info' }))).causes).toEqual([cause('type', 'FieldValueInvalid', 'Invalid value: "": has invalid value: Info')]);
    const noType = v1Event();
    delete noType['type'];
    expect((await invalid('POST', V1, noType)).causes).toEqual([cause('type', 'FieldValueInvalid', 'Invalid value: "": has invalid value: ')]);
  });

  it('the deprecated fields must be unset (reported with their core names)', async () => {
    const body = v1Event({
      deprecatedFirstTimestamp: '2026-12-03T19:00:00Z',
      deprecatedLastTimestamp: '2026-12-03T19:00:00Z',
      deprecatedCount: 3,
      deprecatedSource: { component: 'kubelet' },
    });
    expect((await invalid('POST', V1, body)).causes).toEqual(
      ['firstTimestamp', 'lastTimestamp', 'count', 'source'].map((f) => cause(f, 'FieldValueInvalid', 'Invalid value: "": needs to be unset')),
    );
    await ok('POST', V1, v1Event({ deprecatedCount: 0, deprecatedSource: {} }));
  });

  it('a series has a count of at least 2 and a lastObservedTime', async () => {
    expect((await invalid('POST', V1, v1Event({ series: { count: 1 } }))).causes).toEqual([
      cause('series.count', 'FieldValueInvalid', 'Invalid value: "": should be at least 2'),
      cause('series.lastObservedTime', 'FieldValueRequired', 'Required value'),
    ]);
  });

  it('the name is a DNS subdomain (ValidateObjectMeta); core/v1 only asks for a path segment', async () => {
    const { causes } = await invalid('POST', V1, v1Event({}, 'Web_1.abc'));
    expect(causes).toEqual([expect.objectContaining({ field: 'metadata.name', reason: 'FieldValueInvalid' })]);
    await ok('POST', CORE, { metadata: { name: 'Web_1.abc' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Started' });
    expect((await invalid('POST', CORE, { metadata: { name: 'a%b' }, involvedObject: { kind: 'Pod', namespace: 'default' } })).causes).toEqual([
      cause('metadata.name', 'FieldValueInvalid', `Invalid value: "a%b": may not contain '%'`),
    ]);
    expect((await invalid('POST', CORE, { metadata: { name: '..' }, involvedObject: { kind: 'Pod', namespace: 'default' } })).causes).toEqual([
      cause('metadata.name', 'FieldValueInvalid', `Invalid value: "..": may not be '..'`),
    ]);
  });
});

describe('events.k8s.io/v1 update (ValidateEventUpdate, strict)', () => {
  async function stored(extra: Record<string, unknown> = {}): Promise<{ name: string; path: string; event: any }> {
    const name = unique();
    const event = await ok('POST', V1, v1Event(extra, name));
    return { name, path: `${V1}/${name}`, event };
  }

  it('a series (and metadata) may change: what the recorder patches', async () => {
    const { path, event } = await stored();
    const patched = await ok('PATCH', path, { series: { count: 2, lastObservedTime: '2026-12-03T19:00:10.000000Z' } }, MERGE);
    expect(patched.series).toEqual({ count: 2, lastObservedTime: '2026-12-03T19:00:10.000000Z' });
    await ok('PATCH', path, { metadata: { labels: { a: 'b' } }, series: { count: 7, lastObservedTime: '2026-12-03T19:01:00.000000Z' } }, MERGE);
    // The same instant written differently is no change (Semantic.DeepEqual of MicroTime).
    const put = await ok('PUT', path, { ...patched, metadata: { ...patched.metadata, resourceVersion: undefined }, eventTime: '2026-12-03T19:00:00.123456000Z', series: { count: 8, lastObservedTime: T0 } });
    expect([event.series, put.series.count]).toEqual([undefined, 8]);
  });

  it('a changed series is validated; an unchanged one is not re-validated', async () => {
    const { name, path } = await stored();
    const { message } = await invalid('PATCH', path, { series: { count: 1, lastObservedTime: T0 } }, MERGE);
    expect(message).toBe(`Event.events.k8s.io "${name}" is invalid: series.count: Invalid value: "": should be at least 2`);
    expect((await invalid('PATCH', path, { series: { count: 3 } }, MERGE)).causes).toEqual([cause('series.lastObservedTime', 'FieldValueRequired', 'Required value')]);
    // Seeded with a series no write could store (the programmatic create skips validation): left alone, it passes.
    const seeded = unique();
    h.server.create(Event, v1Event({ metadata: { name: seeded, namespace: 'default' }, series: { count: 1 } }, seeded) as never);
    await ok('PATCH', `${V1}/${seeded}`, { metadata: { labels: { seen: 'yes' } } }, MERGE);
  });

  it('note, reason, type, action, the reporting fields are immutable (reason is reported twice, as in Go)', async () => {
    const { name, path } = await stored();
    expect((await invalid('PATCH', path, { note: 'other' }, MERGE)).causes).toEqual([cause('message', 'FieldValueInvalid', 'Invalid value: "other": field is immutable')]);
    const reason = await invalid('PATCH', path, { reason: 'Other' }, MERGE);
    expect(reason.causes).toEqual([cause('reason', 'FieldValueInvalid', 'Invalid value: "Other": field is immutable'), cause('reason', 'FieldValueInvalid', 'Invalid value: "Other": field is immutable')]);
    expect(reason.message).toBe(`Event.events.k8s.io "${name}" is invalid: reason: Invalid value: "Other": field is immutable`);
    const rest = await invalid('PATCH', path, { type: 'Warning', action: 'Delete', reportingController: 'example.com/other', reportingInstance: 'other-0' }, MERGE);
    expect(rest.causes).toEqual([
      cause('type', 'FieldValueInvalid', 'Invalid value: "Warning": field is immutable'),
      cause('action', 'FieldValueInvalid', 'Invalid value: "Delete": field is immutable'),
      cause('reportingController', 'FieldValueInvalid', 'Invalid value: "example.com/other": field is immutable'),
      cause('reportingInstance', 'FieldValueInvalid', 'Invalid value: "other-0": field is immutable'),
    ]);
  });

  it('regarding, related, eventTime and the deprecated fields are immutable, printed as Go prints them', async () => {
    const { path } = await stored();
    expect((await invalid('PATCH', path, { regarding: { name: 'db' } }, MERGE)).causes).toEqual([
      cause('involvedObject', 'FieldValueInvalid', 'Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"default", Name:"db", UID:"u1", APIVersion:"v1", ResourceVersion:"", FieldPath:""}: field is immutable'),
    ]);
    expect((await invalid('PATCH', path, { related: { kind: 'ConfigMap', name: 'c' } }, MERGE)).causes).toEqual([
      cause('related', 'FieldValueInvalid', 'Invalid value: core.ObjectReference{Kind:"ConfigMap", Namespace:"", Name:"c", UID:"", APIVersion:"", ResourceVersion:"", FieldPath:""}: field is immutable'),
    ]);
    expect((await invalid('PATCH', path, { eventTime: '2026-12-03T19:00:01.5Z' }, MERGE)).causes).toEqual([
      cause('eventTime', 'FieldValueInvalid', 'Invalid value: 2026-12-03 19:00:01.5 +0000 UTC: field is immutable'),
    ]);
    const deprecated = await invalid('PATCH', path, { deprecatedCount: 4, deprecatedSource: { component: 'kubelet' }, deprecatedLastTimestamp: '2026-12-03T19:05:00Z' }, MERGE);
    expect(deprecated.causes).toEqual([
      cause('source', 'FieldValueInvalid', 'Invalid value: core.EventSource{Component:"kubelet", Host:""}: field is immutable'),
      cause('lastTimestamp', 'FieldValueInvalid', 'Invalid value: 2026-12-03 19:05:00 +0000 UTC: field is immutable'),
      cause('count', 'FieldValueInvalid', 'Invalid value: 4: field is immutable'),
    ]);
  });

  it('the new Event still passes legacyValidateEvent (clearing a field is both a legacy and an immutability error)', async () => {
    const { path } = await stored({ regarding: { kind: 'Node', name: 'n1' } });
    const { causes } = await invalid('PATCH', path, { eventTime: null }, MERGE);
    expect(causes).toEqual([cause('eventTime', 'FieldValueInvalid', 'Invalid value: 0001-01-01 00:00:00 +0000 UTC: field is immutable')]);
    expect((await invalid('PATCH', path, { reportingInstance: null }, MERGE)).causes).toEqual([
      cause('reportingInstance', 'FieldValueRequired', 'Required value'),
      cause('reportingInstance', 'FieldValueInvalid', 'Invalid value: "": field is immutable'),
    ]);
  });
});

describe('core/v1 Events (legacyValidateEvent only)', () => {
  const oldStyle = (extra: Record<string, unknown> = {}): Record<string, any> => ({
    metadata: { name: unique() },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'Started',
    message: 'started',
    type: 'Info',
    source: { component: 'kubelet' },
    count: 1,
    firstTimestamp: '2026-12-03T19:00:00Z',
    lastTimestamp: '2026-12-03T19:00:00Z',
    ...extra,
  });

  it('an "old" Event (no eventTime) needs only its namespace to match; type and counts are free, and it may change', async () => {
    const created = await ok('POST', CORE, oldStyle());
    const path = `${CORE}/${created.metadata.name}`;
    // client-go's legacy recorder counts by patching count, message and lastTimestamp through core/v1.
    const patched = await ok('PATCH', path, { count: 2, message: 'again', lastTimestamp: '2026-12-03T19:01:00Z', reason: 'Restarted' }, MERGE);
    expect([patched.count, patched.message, patched.reason]).toEqual([2, 'again', 'Restarted']);
    await ok('POST', CORE, oldStyle({ involvedObject: { kind: 'Node', name: 'n1' } }));
    expect((await invalid('PATCH', path, { involvedObject: { namespace: 'kube-system' } }, MERGE)).causes).toEqual([
      cause('involvedObject.namespace', 'FieldValueInvalid', 'Invalid value: "kube-system": does not match event.namespace'),
    ]);
  });

  it('a "new" Event (eventTime set) needs reportingComponent, reportingInstance, action and reason; note at most 1024 bytes', async () => {
    const { causes } = await invalid('POST', CORE, oldStyle({ eventTime: T0, reason: '', message: 'm'.repeat(1025) }));
    expect(causes).toEqual([
      cause('reportingController', 'FieldValueRequired', 'Required value'),
      cause('reportingController', 'FieldValueInvalid', 'Invalid value: "": name part must be non-empty'),
      cause('reportingController', 'FieldValueInvalid', `Invalid value: "": ${NAME_PART_FORMAT}`),
      cause('reportingInstance', 'FieldValueRequired', 'Required value'),
      cause('action', 'FieldValueRequired', 'Required value'),
      cause('reason', 'FieldValueRequired', 'Required value'),
      cause('message', 'FieldValueInvalid', 'Invalid value: "": can have at most 1024 characters'),
    ]);
    // The strict events.k8s.io rules do not apply: type, count, source and timestamps are accepted.
    const created = await ok('POST', CORE, oldStyle({ eventTime: T0, action: 'Start', reportingComponent: 'kubelet', reportingInstance: 'node-1' }));
    expect(created).toMatchObject({ reportingComponent: 'kubelet', type: 'Info', count: 1 });
  });
});

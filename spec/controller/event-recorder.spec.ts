/**
 * EventRecorder: the pure parts (validation rules of kube-apiserver, MicroTime, names, keys, token buckets) as unit
 * tests, and aggregation, rate limiting and failure handling over real loopback HTTP against the FakeApiServer,
 * with the recorder's clock and timers in virtual time (a VirtualTimeScheduler advanced by the test).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom, VirtualTimeScheduler } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { Event } from '../../lib/k8s/v1_35/events.k8s.io/v1.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { EventRecorder } from '../../lib/controller/event-recorder.js';
import { eventProblems, microTime } from '../../lib/controller/event-validation.js';
import { eventKey, eventName, referenceTo } from '../../lib/controller/event-key.js';
import { TokenBuckets } from '../../lib/controller/token-bucket.js';

const T0 = Date.parse('2026-12-03T19:00:00Z');
const MICRO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('event rules (kube-apiserver ValidateEventCreate for events.k8s.io/v1)', () => {
  const valid = {
    metadata: { namespace: 'default' }, eventTime: microTime(T0), type: 'Normal', action: 'Reconcile', reason: 'Replicated',
    reportingController: 'example.com/replicator', reportingInstance: 'replicator-0', regarding: { namespace: 'default' },
  };
  it('accepts a complete Event and names each missing or bad field', () => {
    expect(eventProblems(valid)).toEqual([]);
    expect(eventProblems({ ...valid, eventTime: null })).toEqual(['eventTime: Required value']);
    expect(eventProblems({ ...valid, type: 'Info' })).toEqual(['type: has invalid value: Info']);
    expect(eventProblems({ ...valid, action: '' })).toEqual(['action: Required value']);
    expect(eventProblems({ ...valid, reason: 'x'.repeat(129) })).toEqual(['reason: can have at most 128 characters']);
    expect(eventProblems({ ...valid, reportingInstance: undefined })).toEqual(['reportingInstance: Required value']);
    expect(eventProblems({ ...valid, reportingController: 'Not Qualified' })).toEqual(['reportingController: must be a qualified name']);
    expect(eventProblems({ ...valid, note: 'x'.repeat(1025) })).toEqual(['note: can have at most 1024 characters']);
    // Lengths are UTF-8 bytes (Go's len), as kube-apiserver counts them.
    expect(eventProblems({ ...valid, note: 'é'.repeat(513) })).toEqual(['note: can have at most 1024 characters']);
    expect(eventProblems({ ...valid, action: 'é'.repeat(65) })).toEqual(['action: can have at most 128 characters']);
    expect(eventProblems({ ...valid, series: { count: 1, lastObservedTime: null } })).toEqual(['series.count: should be at least 2', 'series.lastObservedTime: Required value']);
    expect(eventProblems({ ...valid, metadata: { namespace: 'team-a' }, regarding: {} })).toEqual(['regarding.namespace: does not match event.namespace']);
    expect(eventProblems({ ...valid, metadata: { namespace: 'kube-system' }, regarding: {} })).toEqual([]);
  });
  it('formats MicroTime with six fractional digits in UTC', () => {
    expect(microTime(T0 + 123)).toBe('2026-12-03T19:00:00.123000Z');
  });
  it('names Events <object>.<hex nanoseconds>, unique per sequence, as a valid subdomain', () => {
    expect(eventName('web', T0, 0)).toBe(`web.${(BigInt(T0) * 1_000_000n).toString(16)}`);
    expect(eventName('web', T0, 1)).not.toBe(eventName('web', T0, 0));
    expect(eventName('a'.repeat(300), T0, 0).length).toBeLessThanOrEqual(253);
    expect(eventName('-Weird_Name-', T0, 0)).toMatch(/^weird-name\.[0-9a-f]+$/);
  });
  it('keys Events by type, action, reason, source and objects, not by note or resourceVersion', () => {
    const base = { type: 'Normal', action: 'A', reason: 'R', controller: 'c', instance: 'i', related: undefined };
    const at = (rv: string) => referenceTo({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n', uid: 'u', resourceVersion: rv } });
    expect(eventKey({ ...base, regarding: at('1') })).toBe(eventKey({ ...base, regarding: at('2') }));
    expect(eventKey({ ...base, regarding: at('1') })).not.toBe(eventKey({ ...base, reason: 'S', regarding: at('1') }));
    expect(eventKey({ ...base, regarding: at('1') })).not.toBe(eventKey({ ...base, regarding: at('1'), related: at('1') }));
  });
});

describe('TokenBuckets (client-go EventSourceObjectSpamFilter)', () => {
  it('allows a burst per key, then one per refill period, and forgets refilled buckets', () => {
    const buckets = new TokenBuckets({ burst: 2, refillMs: 1000 });
    expect([buckets.take('a', 0), buckets.take('a', 0), buckets.take('a', 0)]).toEqual([true, true, false]);
    expect(buckets.take('b', 0)).toBe(true);
    expect(buckets.waitMs('a', 400)).toBe(600);
    expect(buckets.take('a', 999)).toBe(false);
    expect(buckets.take('a', 1000)).toBe(true);
    buckets.sweep(5000);
    expect(buckets.size).toBe(0);
  });
});

describe('EventRecorder over HTTP', () => {
  let server: FakeApiServer;
  let scheduler: VirtualTimeScheduler;
  let warnings: string[];
  let events: Api<Event>;
  let configMaps: Api<KubernetesObject>;
  let recorder: (options?: Partial<ConstructorParameters<typeof EventRecorder>[1]>) => EventRecorder;

  beforeEach(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 0 });
    server.register(Event);
    scheduler = new VirtualTimeScheduler();
    scheduler.frame = T0;
    warnings = [];
    const log = (): void => undefined;
    const client = await createClient({ server: server.url, logger: { debug: log, info: log, warn: (m) => void warnings.push(m), error: log } });
    events = new Api(Event, { client, namespace: null });
    configMaps = new Api(testResources.ConfigMap, { client, namespace: 'default' });
    recorder = (options = {}) => new EventRecorder(client, { controller: 'example.com/replicator', instance: 'replicator-0', scheduler, ...options });
  });
  afterEach(async () => {
    await server.close();
  });

  /** Moves the virtual clock to T0 + ms, running the timers due by then. */
  const advanceTo = (ms: number): void => {
    scheduler.maxFrames = T0 + ms;
    scheduler.flush();
    scheduler.frame = T0 + ms;
  };
  const stored = async (): Promise<readonly Event[]> => (await firstValueFrom(events.list$())).items;
  const writes = (): string[] => server.requests.filter((r) => r.method !== 'GET' && r.path.includes('/events')).map((r) => r.method);
  const subject = (): Promise<KubernetesObject> => firstValueFrom(configMaps.create$({ metadata: { name: 'settings' } }));

  it('creates an events.k8s.io/v1 Event the API server would accept', async () => {
    const cm = await subject();
    expect(await recorder().recordEvent(cm, { type: 'Normal', reason: 'Replicated', message: 'copied to 3 namespaces' })).toBe('created');
    const [event, ...rest] = await stored();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      metadata: { namespace: 'default', name: expect.stringMatching(/^settings\.[0-9a-f]+$/) },
      eventTime: '2026-12-03T19:00:00.000000Z', type: 'Normal', reason: 'Replicated', action: 'Reconcile', note: 'copied to 3 namespaces',
      reportingController: 'example.com/replicator', reportingInstance: 'replicator-0',
      regarding: { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'default', uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion },
    });
    expect(event!.series).toBeUndefined();
    expect(eventProblems(event as Parameters<typeof eventProblems>[0])).toEqual([]);
  });

  it('cuts a long note to 1024 bytes, not characters, and refuses a reason over 128 bytes before any request', async () => {
    // kube-apiserver measures with Go's len (UTF-8 bytes): 600 'é' are 600 characters but 1200 bytes.
    const cm = await subject();
    expect(await recorder().recordEvent(cm, { type: 'Normal', reason: 'Replicated', message: 'é'.repeat(600) })).toBe('created');
    const note = (await stored())[0]!.note!;
    expect(Buffer.byteLength(note, 'utf8')).toBeLessThanOrEqual(1024);
    expect(note).toMatch(/^é+\.\.\.$/);
    server.clearRequests();
    expect(await recorder().recordEvent(cm, { type: 'Normal', reason: 'É'.repeat(65) })).toBe('invalid');
    expect(writes()).toEqual([]);
    advanceTo(1000); // a new recorder starts its name sequence again: another instant, another name
    const wide = recorder({ instance: 'é'.repeat(100) });
    expect([wide.instance.length, await wide.recordEvent(cm, { type: 'Normal', reason: 'Replicated' })]).toEqual([64, 'created']);
  });

  it('puts the Events of a cluster-scoped object in default', async () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', uid: 'u-ns' } };
    expect(await recorder().recordEvent(ns, { type: 'Warning', reason: 'Stuck', action: 'Cleanup' })).toBe('created');
    expect((await stored())[0]!.metadata?.namespace).toBe('default');
  });

  it('counts repeats within the window into one Event: one create, then one series patch per interval', async () => {
    const cm = await subject();
    const r = recorder();
    server.clearRequests();
    expect(await r.recordEvent(cm, { type: 'Normal', reason: 'Synced', message: 'first' })).toBe('created');
    advanceTo(1000);
    expect(await r.recordEvent(cm, { type: 'Normal', reason: 'Synced', message: 'the note is not part of the key' })).toBe('counted');
    advanceTo(2000);
    expect(await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' })).toBe('counted');
    advanceTo(9_999);
    await r.settled();
    expect(writes()).toEqual(['POST']);
    advanceTo(10_000); // the patch interval since the create
    await r.settled();
    expect(writes()).toEqual(['POST', 'PATCH']);
    const [event] = await stored();
    expect(event!.series).toEqual({ count: 3, lastObservedTime: microTime(T0 + 2000) });
    expect(event!.series!.lastObservedTime).toMatch(MICRO);
    expect(event!.note).toBe('first');
    expect(eventProblems(event as Parameters<typeof eventProblems>[0])).toEqual([]);

    // A hot loop: 100 repeats in one interval are one more patch.
    for (let i = 0; i < 100; i++) await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' });
    advanceTo(19_999);
    await r.settled();
    expect(writes()).toEqual(['POST', 'PATCH']);
    advanceTo(20_000);
    await r.settled();
    expect(writes()).toEqual(['POST', 'PATCH', 'PATCH']);
    expect((await stored())[0]!.series!.count).toBe(103);
    expect((await stored()).length).toBe(1);
  });

  it('starts a new Event after the series window of silence, and keeps different reasons apart', async () => {
    const cm = await subject();
    const r = recorder();
    await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' });
    expect(await r.recordEvent(cm, { type: 'Warning', reason: 'Failed' })).toBe('created');
    advanceTo(6 * 60_000);
    expect(await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' })).toBe('created');
    expect((await stored()).map((e) => e.reason).sort()).toEqual(['Failed', 'Synced', 'Synced']);
  });

  it('rate limits per object (burst, then one per refill), other objects unaffected', async () => {
    const cm = await subject();
    const other = await firstValueFrom(configMaps.create$({ metadata: { name: 'other' } }));
    const r = recorder({ burst: 2, refillMs: 60_000 });
    const outcomes = [];
    for (const reason of ['A', 'B', 'C']) outcomes.push(await r.recordEvent(cm, { type: 'Normal', reason }));
    expect(outcomes).toEqual(['created', 'created', 'throttled']);
    expect(await r.recordEvent(other, { type: 'Normal', reason: 'C' })).toBe('created');
    advanceTo(60_000);
    expect(await r.recordEvent(cm, { type: 'Normal', reason: 'C' })).toBe('created');
    expect(await r.recordEvent(cm, { type: 'Normal', reason: 'D' })).toBe('throttled');
    expect((await stored()).length).toBe(4);
  });

  it('holds counted repeats back while throttled and writes them when a token comes', async () => {
    const cm = await subject();
    const r = recorder({ burst: 1, refillMs: 60_000 });
    server.clearRequests();
    await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' });
    await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' });
    advanceTo(59_999);
    await r.settled();
    expect(writes()).toEqual(['POST']);
    advanceTo(60_000);
    await r.settled();
    expect(writes()).toEqual(['POST', 'PATCH']);
    expect((await stored())[0]!.series!.count).toBe(2);
  });

  it('creates the Event again, with its series, when it expired before a repeat was written', async () => {
    const cm = await subject();
    const r = recorder();
    server.clearRequests();
    await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' });
    const [first] = await stored();
    await firstValueFrom(events.delete$(first!.metadata!.name!, { namespace: 'default' }));
    await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' });
    advanceTo(10_000);
    await r.settled();
    expect(writes()).toEqual(['POST', 'DELETE', 'PATCH', 'POST']);
    expect((await stored())[0]).toMatchObject({ metadata: { name: first!.metadata!.name }, series: { count: 2 } });
    expect(warnings).toEqual([]);
  });

  it('bounds its memory: beyond maxCached the least recently seen series is forgotten, its counted repeats written first', async () => {
    const cm = await subject();
    const r = recorder({ maxCached: 2 });
    await r.recordEvent(cm, { type: 'Normal', reason: 'A' });
    await r.recordEvent(cm, { type: 'Normal', reason: 'A' });
    await r.recordEvent(cm, { type: 'Normal', reason: 'B' });
    await r.recordEvent(cm, { type: 'Normal', reason: 'C' });
    expect(r.cached).toBe(2);
    await r.settled();
    const a = (await stored()).find((e) => e.reason === 'A');
    expect(a!.series!.count).toBe(2);
    await r.close();
  });

  it('retries a create that failed for a transient reason in the background, counting repeats meanwhile', async () => {
    const cm = await subject();
    const r = recorder();
    const creates = (q: { method: string; path: string }): boolean => q.method === 'POST' && q.path.includes('/events');
    server.failNext(2, { type: 'InternalError' }, creates);
    expect(await r.recordEvent(cm, { type: 'Warning', reason: 'Failed' })).toBe('retrying');
    expect(await r.recordEvent(cm, { type: 'Warning', reason: 'Failed' })).toBe('counted');
    advanceTo(10_000);
    await r.settled();
    expect(await stored()).toEqual([]);
    advanceTo(20_000);
    await r.settled();
    expect((await stored()).length).toBe(1);
    advanceTo(20_000); // the repeat's patch, due at once after the create
    await r.settled();
    expect((await stored())[0]!.series!.count).toBe(2);
    expect(warnings).toEqual([]);
  });

  it('gives up after maxTries, and does not retry a refusal', async () => {
    const cm = await subject();
    const r = recorder({ maxTries: 2 });
    server.failNext(5, { type: 'InternalError' }, (q) => q.method === 'POST' && q.path.includes('/events'));
    expect(await r.recordEvent(cm, { type: 'Warning', reason: 'Failed' })).toBe('retrying');
    advanceTo(10_000);
    await r.settled();
    expect(warnings.join('\n')).toMatch(/could not create Event default\/settings\./);
    expect(r.cached).toBe(0);
    server.clearFaults();
    server.failNext(1, { type: 'Forbidden' }, (q) => q.method === 'POST' && q.path.includes('/events'));
    expect(await r.recordEvent(cm, { type: 'Warning', reason: 'Other' })).toBe('failed');
  });

  it('writes counted repeats on close()', async () => {
    const cm = await subject();
    const r = recorder();
    await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' });
    await r.recordEvent(cm, { type: 'Normal', reason: 'Synced' });
    await r.close();
    expect((await stored())[0]!.series!.count).toBe(2);
    expect(r.cached).toBe(0);
  });

  it('never throws into the reconcile: a refused write is logged and reported, an invalid Event is not sent', async () => {
    const ghost = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'no-such-namespace', uid: 'u' } };
    const r = recorder();
    expect(await r.recordEvent(ghost, { type: 'Normal', reason: 'Synced' })).toBe('failed');
    expect(warnings.join('\n')).toMatch(/could not create Event no-such-namespace\/x\./);
    server.clearRequests();
    expect(await r.recordEvent(ghost, { type: 'Normal', reason: 'x'.repeat(200) })).toBe('invalid');
    expect(await r.recordEvent(ghost, { type: 'Info' as 'Normal', reason: 'Synced' })).toBe('invalid');
    expect(server.requests).toEqual([]);
    expect(() => recorder({ controller: 'not a name' })).toThrow(TypeError);
  });
});

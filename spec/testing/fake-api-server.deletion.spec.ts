/**
 * Issue #13 items 3 and 5: DELETE as kube-apiserver v1.35 answers it. Propagation policies (the `orphan` and
 * `foregroundDeletion` finalizers, each kind's default policy) and graceful deletion of Pods, over loopback HTTP.
 */
import { describe, it, expect, beforeEach } from '@jest/globals';
import { FakeApiServer } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { serverHarness } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const Job = defineResource({ apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true });
const ReplicationController = defineResource({ apiVersion: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', namespaced: true });

const h = serverHarness(
  async (options) => {
    const server = await FakeApiServer.start(options);
    server.register(Job);
    server.register(ReplicationController);
    return server;
  },
  { lazy: true },
);
const { call, body, create, watchFromNow } = h;

const JOBS = '/apis/batch/v1/namespaces/default/jobs';
const RCS = '/api/v1/namespaces/default/replicationcontrollers';
const CMS = '/api/v1/namespaces/default/configmaps';
const PODS = '/api/v1/namespaces/default/pods';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
/** A valid ReplicationController spec (the fake validates as kube-apiserver does). */
const RC_SPEC = { selector: { app: 'rc' }, template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } };
/** A valid Job spec. */
const JOB_SPEC = { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } };

describe('propagation policy: each kind’s default (DefaultGarbageCollectionPolicy)', () => {
  beforeEach(() => h.start({ controllers: false }));

  it('a batch/v1 Job DELETE without a policy orphans: 200 with the Job, finalizers [orphan], deletionTimestamp, grace 0', async () => {
    await create(JOBS, { metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } } });
    const res = await call('DELETE', `${JOBS}/j`);
    expect(res.status).toBe(200);
    const job = body(res);
    expect(job.kind).toBe('Job');
    expect(job.metadata.finalizers).toEqual(['orphan']);
    expect(typeof job.metadata.deletionTimestamp).toBe('string');
    expect(job.metadata.deletionGracePeriodSeconds).toBe(0);
    // The first mark bumps generation (markAsDeleting), and the Job is still there.
    expect(job.metadata.generation).toBe(2);
    expect(h.server.get(Job, 'j')).toBeDefined();
  });

  it('a v1 ReplicationController also orphans by default; orphanDependents=false answers 202 with no finalizer added', async () => {
    await create(RCS, { metadata: { name: 'rc', finalizers: ['example.com/hold'] }, spec: RC_SPEC });
    const res = await call('DELETE', `${RCS}/rc`, { kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: false });
    expect(res.status).toBe(202);
    expect(body(res).metadata.finalizers).toEqual(['example.com/hold']);
    await create(RCS, { metadata: { name: 'rc2' }, spec: RC_SPEC });
    const res2 = await call('DELETE', `${RCS}/rc2`);
    expect(res2.status).toBe(200);
    expect(body(res2).metadata.finalizers).toEqual(['orphan']);
  });

  it('apps/v1 Deployment and a ConfigMap delete at once by default (Status Success), Background likewise', async () => {
    await create(DEPLOYS, { metadata: { name: 'web' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    const res = await call('DELETE', `${DEPLOYS}/web`);
    expect(res.status).toBe(200);
    expect(body(res)).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'web', group: 'apps', kind: 'deployments' } });
    await create(CMS, { metadata: { name: 'c' } });
    const res2 = await call('DELETE', `${CMS}/c?propagationPolicy=Background`);
    expect(body(res2)).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(h.server.get(testCm(), 'c')).toBeUndefined();
  });

  it('Foreground adds foregroundDeletion and keeps the object; Orphan adds orphan; an explicit policy beats the default', async () => {
    const w = await watchFromNow('/api/v1/namespaces/default/configmaps');
    await create(CMS, { metadata: { name: 'fg' } });
    const res = await call('DELETE', `${CMS}/fg`, { propagationPolicy: 'Foreground' });
    expect(res.status).toBe(200);
    expect(body(res).metadata.finalizers).toEqual(['foregroundDeletion']);
    const events = await w.events$(2);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(events[1]!.object.metadata.finalizers).toEqual(['foregroundDeletion']);

    await create(JOBS, { metadata: { name: 'bg' }, spec: JOB_SPEC });
    const bg = await call('DELETE', `${JOBS}/bg?propagationPolicy=Background`);
    expect(body(bg)).toMatchObject({ kind: 'Status', status: 'Success' });
    await create(CMS, { metadata: { name: 'or' } });
    const or = await call('DELETE', `${CMS}/or?propagationPolicy=Orphan`);
    expect(body(or).metadata.finalizers).toEqual(['orphan']);
  });

  it('a second DELETE with another policy swaps the GC finalizer (deletionFinalizersForGarbageCollection)', async () => {
    await create(CMS, { metadata: { name: 'x' } });
    await call('DELETE', `${CMS}/x`, { propagationPolicy: 'Orphan' });
    const again = await call('DELETE', `${CMS}/x`, { propagationPolicy: 'Foreground' });
    expect(body(again).metadata.finalizers).toEqual(['foregroundDeletion']);
  });

  it('dryRun=All marks nothing', async () => {
    await create(CMS, { metadata: { name: 'd' } });
    const rv = h.server.resourceVersion;
    const res = await call('DELETE', `${CMS}/d?dryRun=All&propagationPolicy=Foreground`);
    expect(body(res).metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(h.server.resourceVersion).toBe(rv);
    expect((h.server.get(testCm(), 'd') as any).metadata.finalizers).toBeUndefined();
  });
});

function testCm(): ReturnType<typeof defineResource> {
  return defineResource({ apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true });
}

function pod(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { metadata: { name }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } };
}

describe('graceful deletion of Pods (CheckGracefulDelete, BeforeDelete)', () => {
  it('a bound pod is marked: deletionTimestamp = now + grace, deletionGracePeriodSeconds from terminationGracePeriodSeconds; it stays (MODIFIED)', async () => {
    await h.start({ controllers: { kubelet: false } });
    const w = await watchFromNow('/api/v1/namespaces/default/pods');
    await create(PODS, pod('p', { nodeName: 'node-1', terminationGracePeriodSeconds: 45 }));
    const before = Date.now();
    const res = await call('DELETE', `${PODS}/p`);
    expect(res.status).toBe(200);
    const p = body(res);
    expect(p.kind).toBe('Pod');
    expect(p.metadata.deletionGracePeriodSeconds).toBe(45);
    const at = Date.parse(p.metadata.deletionTimestamp);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 44_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 46_000);
    expect(p.metadata.generation).toBe(2);
    const events = await w.events$(2);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(h.server.get(testPod(), 'p')).toBeDefined();

    // A longer (or no) grace period changes nothing; a shorter one moves the timestamp; 0 deletes (MODIFIED, DELETED).
    const again = await call('DELETE', `${PODS}/p`, { gracePeriodSeconds: 60 });
    expect(body(again).metadata.resourceVersion).toBe(p.metadata.resourceVersion);
    const shorter = body(await call('DELETE', `${PODS}/p`, { gracePeriodSeconds: 10 }));
    expect(shorter.metadata.deletionGracePeriodSeconds).toBe(10);
    expect(Date.parse(shorter.metadata.deletionTimestamp)).toBe(at - 35_000);
    const gone = await call('DELETE', `${PODS}/p?gracePeriodSeconds=0`);
    expect(gone.status).toBe(200);
    expect(body(gone).metadata.deletionGracePeriodSeconds).toBe(0);
    const all = await w.events$(5);
    expect(all.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    expect(h.server.get(testPod(), 'p')).toBeUndefined();
  });

  it('the default grace period is 30 s; an unbound pod goes at once, with the MODIFIED that marks it first', async () => {
    await h.start({ controllers: { kubelet: false } });
    await create(PODS, pod('bound', { nodeName: 'n' }));
    expect(body(await call('DELETE', `${PODS}/bound`)).metadata.deletionGracePeriodSeconds).toBe(30);
    const w = await watchFromNow('/api/v1/namespaces/default/pods');
    await create(PODS, pod('unbound', {}));
    const res = await call('DELETE', `${PODS}/unbound`);
    expect(body(res).metadata.deletionGracePeriodSeconds).toBe(0);
    const events = await w.events$(3);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED unbound', 'MODIFIED unbound', 'DELETED unbound']);
    expect(events[1]!.object.metadata.deletionTimestamp).toBeDefined();
  });

  it('the built-in kubelet deletes a bound pod when its grace period ends', async () => {
    await h.start();
    const w = await watchFromNow('/api/v1/namespaces/default/pods');
    await create(PODS, pod('p', { nodeName: 'node-1' }));
    const res = await call('DELETE', `${PODS}/p`, { gracePeriodSeconds: 1 });
    expect(body(res).metadata.deletionGracePeriodSeconds).toBe(1);
    const events = await w.events$(4, 5000);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    // The kubelet's grace-0 delete: the last MODIFIED carries deletionGracePeriodSeconds 0.
    expect(events[2]!.object.metadata.deletionGracePeriodSeconds).toBe(0);
  });
});

function testPod(): ReturnType<typeof defineResource> {
  return defineResource({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true });
}

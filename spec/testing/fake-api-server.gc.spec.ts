/**
 * Issue #13 item 3: the garbage collector kube-controller-manager always runs, emulated by the FakeApiServer and
 * driven by its store events. Every write goes over loopback HTTP and the watch sees the real sequence of events.
 */
import { describe, it, expect } from '@jest/globals';
import { testResources } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { serverHarness } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const ReplicaSet = defineResource({ apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true });

const h = serverHarness({}, { lazy: true });
const { call, body, create, until, watchFromNow } = h;

const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const RSS = '/apis/apps/v1/namespaces/default/replicasets';
const CMS = '/api/v1/namespaces/default/configmaps';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };

function ownedBy(owner: any, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name, uid: owner.metadata.uid, controller: true, ...extra };
}

async function deploymentWithReplicaSet(block: boolean): Promise<{ deploy: any; rs: any }> {
  const deploy = await create(DEPLOYS, { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } });
  const rs = await create(RSS, {
    metadata: { name: 'web-1', ownerReferences: [ownedBy(deploy, block ? { blockOwnerDeletion: true } : {})] },
    spec: { selector: { matchLabels: { app: 'web' } }, template },
  });
  return { deploy, rs };
}

describe('garbage collector', () => {
  it('foreground: the owner stays (MODIFIED with foregroundDeletion) until its blocking ReplicaSet is DELETED, then goes', async () => {
    await h.start();
    h.server.register(ReplicaSet);
    const { deploy } = await deploymentWithReplicaSet(true);
    const deployments = await watchFromNow('/apis/apps/v1/deployments');
    const replicasets = await watchFromNow('/apis/apps/v1/replicasets');
    const res = await call('DELETE', `${DEPLOYS}/web`, { propagationPolicy: 'Foreground' });
    expect(res.status).toBe(200);
    expect(body(res).metadata.finalizers).toEqual(['foregroundDeletion']);
    const d = await deployments.events$(2);
    expect(d.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(d[0]!.object.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(d[0]!.object.metadata.uid).toBe(deploy.metadata.uid);
    const r = await replicasets.events$(1);
    expect(r[0]!.type).toBe('DELETED');
    // The RS went before the owner: its deletion RV is lower.
    expect(Number(r[0]!.object.metadata.resourceVersion)).toBeLessThan(Number(d[1]!.object.metadata.resourceVersion));
    expect(h.server.list(ReplicaSet)).toEqual([]);
  });

  it('background: deleting the owner at once, the dependent follows (owner uid gone)', async () => {
    await h.start();
    h.server.register(ReplicaSet);
    await deploymentWithReplicaSet(false);
    const res = await call('DELETE', `${DEPLOYS}/web`);
    expect(body(res).status).toBe('Success');
    await until(() => h.server.list(ReplicaSet).length === 0);
  });

  it('orphan: dependents stay with the ownerReference removed, then the owner goes', async () => {
    await h.start();
    h.server.register(ReplicaSet);
    await deploymentWithReplicaSet(true);
    const res = await call('DELETE', `${DEPLOYS}/web`, { propagationPolicy: 'Orphan' });
    expect(body(res).metadata.finalizers).toEqual(['orphan']);
    await until(() => h.server.get(testResources.Deployment, 'web') === undefined);
    const rs = h.server.get<any>(ReplicaSet, 'web-1');
    expect(rs).toBeDefined();
    expect(rs.metadata.ownerReferences).toBeUndefined();
  });

  it('a dependent with another live owner only loses the reference to the gone one', async () => {
    await h.start();
    const a = await create(CMS, { metadata: { name: 'a' } });
    const b = await create(CMS, { metadata: { name: 'b' } });
    const ref = (o: any): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid });
    await create(CMS, { metadata: { name: 'dep', ownerReferences: [ref(a), ref(b)] } });
    await call('DELETE', `${CMS}/a`);
    await until(() => (h.server.get<any>(testResources.ConfigMap, 'dep')?.metadata.ownerReferences?.length ?? 0) === 1);
    expect(h.server.get<any>(testResources.ConfigMap, 'dep').metadata.ownerReferences[0].name).toBe('b');
    await call('DELETE', `${CMS}/b`);
    await until(() => h.server.get(testResources.ConfigMap, 'dep') === undefined);
  });

  it('switched off, nothing collects: the Job-style orphan finalizer stays and dependents of a gone owner stay', async () => {
    await h.start({ controllers: { garbageCollector: false } });
    const a = await create(CMS, { metadata: { name: 'a' } });
    await create(CMS, { metadata: { name: 'dep', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: a.metadata.uid }] } });
    await call('DELETE', `${CMS}/a`, { propagationPolicy: 'Foreground' });
    // Give a collector every chance to run: a later write has been answered after the delete.
    await create(CMS, { metadata: { name: 'later' } });
    await new Promise((r) => setImmediate(r));
    expect(h.server.get<any>(testResources.ConfigMap, 'a').metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(h.server.get(testResources.ConfigMap, 'dep')).toBeDefined();
  });
});

/**
 * API versions of the FakeApiServer: `resources: 'v1.35'` serves what a default kube-apiserver v1.35 serves (the
 * `/apis` recorded from a real v1.35.6 h.server, vendor/fixtures/discovery/apis-v1.35.json), and a kind served in
 * two versions keeps one store (autoscaling v1 and v2 HorizontalPodAutoscaler).
 */
import { describe, expect, it } from '@jest/globals';
import { FakeApiServer } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { V1_35_DEFAULT_GROUP_VERSIONS } from '../../lib/testing/all-kinds.js';
import { readDiscoveryFixture } from '../../vendor/index.js';
import { fetchRaw, openWatch } from './http-helpers.js';
import { serverHarness } from './server-harness.js';
import { HorizontalPodAutoscaler as HorizontalPodAutoscalerV2 } from '../../lib/k8s/v1_35/autoscaling/v2.js';

type Group = { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion: { version: string } };

async function getJson(url: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetchRaw(url);
  return { status: res.status, body: res.body.startsWith('{') ? JSON.parse(res.body) : res.body };
}

describe("resources: 'v1.35' serves the default group-versions of kube-apiserver v1.35", () => {
  const h = serverHarness({ resources: 'v1.35' }, { each: false });

  it('/apis lists exactly the groups and versions of the recorded v1.35 server', async () => {
    const recorded = readDiscoveryFixture('apis-v1.35.json')['groups'] as Group[];
    const served = (await getJson(`${h.server.url}/apis`)).body.groups as Group[];
    const byName = (gs: Group[]) => Object.fromEntries(gs.map((g) => [g.name, { versions: g.versions, preferred: g.preferredVersion.version }]));
    expect(byName(served)).toEqual(byName(recorded));
    // In the same order, and each group's versions too (preferred first).
    expect(served).toEqual(recorded);
    expect(new Set(['v1', ...recorded.flatMap((g) => g.versions.map((v) => v.groupVersion))])).toEqual(V1_35_DEFAULT_GROUP_VERSIONS);
  });

  it('alpha and beta group-versions are not served: 404 page not found', async () => {
    for (const gv of ['resource.k8s.io/v1beta1', 'resource.k8s.io/v1beta2', 'coordination.k8s.io/v1alpha2', 'coordination.k8s.io/v1beta1', 'storagemigration.k8s.io/v1beta1']) {
      expect(await getJson(`${h.server.url}/apis/${gv}`)).toEqual({ status: 404, body: '404 page not found\n' });
    }
    expect((await getJson(`${h.server.url}/apis/coordination.k8s.io/v1/namespaces/default/leases`)).status).toBe(200);
    expect((await getJson(`${h.server.url}/apis/coordination.k8s.io/v1beta1/namespaces/default/leasecandidates`)).status).toBe(404);
  });

  it("'v1.35-all' serves the alpha and beta versions too", async () => {
    const all = await FakeApiServer.start({ resources: 'v1.35-all' });
    try {
      const groups = (await getJson(`${all.url}/apis`)).body.groups as Group[];
      expect(groups.find((g) => g.name === 'resource.k8s.io')!.versions.map((v) => v.version)).toEqual(['v1', 'v1beta2', 'v1beta1', 'v1alpha3']);
    } finally {
      await all.close();
    }
  });
});

const V1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
const V2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
const TARGET = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

async function send(server: FakeApiServer, method: string, path: string, body: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetchRaw(`${server.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body });
  return { status: res.status, body: JSON.parse(res.body) };
}

describe('one store for the versions of a group-resource: HorizontalPodAutoscaler autoscaling/v2 and v1', () => {
  const h = serverHarness({ resources: 'v1.35' }, { each: false });

  const v2Metrics = [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
    { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
  ];

  it('an HPA created as v2 is served as v1 with converted fields, and as v2 unchanged', async () => {
    const created = await send(h.server, 'POST', V2, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', annotations: { team: 'a' } },
      spec: { scaleTargetRef: TARGET, minReplicas: 1, maxReplicas: 5, metrics: v2Metrics },
    });
    expect(created.status).toBe(201);
    const v1 = await getJson(`${h.server.url}${V1}/web`);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v1', spec: { scaleTargetRef: TARGET, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } });
    expect(v1.body.spec.metrics).toBeUndefined();
    // The metric v1 cannot express rides in the annotation, in v1's metric shape.
    expect(v1.body.metadata.annotations).toEqual({
      team: 'a',
      'autoscaling.alpha.kubernetes.io/metrics': JSON.stringify([{ type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } }]),
    });
    expect(v1.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
    expect(v1.body.metadata.uid).toBe(created.body.metadata.uid);
    const v2 = await getJson(`${h.server.url}${V2}/web`);
    expect(v2.body.apiVersion).toBe('autoscaling/v2');
    expect(v2.body.spec.metrics).toEqual(v2Metrics);
    expect(v2.body.metadata.annotations).toEqual({ team: 'a' });
    // Lists at both versions hold the same object.
    expect((await getJson(`${h.server.url}${V1}`)).body).toMatchObject({ kind: 'HorizontalPodAutoscalerList', apiVersion: 'autoscaling/v1', items: [{ metadata: { name: 'web' }, spec: { targetCPUUtilizationPercentage: 50 } }] });
  });

  it('an HPA created as v1 is served as v2 with a CPU Utilization metric (80% when none is set)', async () => {
    await send(h.server, 'POST', V1, { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api' }, spec: { scaleTargetRef: TARGET, maxReplicas: 3, targetCPUUtilizationPercentage: 70 } });
    await send(h.server, 'POST', V1, { metadata: { name: 'bare' }, spec: { scaleTargetRef: TARGET, maxReplicas: 2 } });
    const api = await getJson(`${h.server.url}${V2}/api`);
    expect(api.body).toMatchObject({ apiVersion: 'autoscaling/v2', spec: { scaleTargetRef: TARGET, maxReplicas: 3 } });
    expect(api.body.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    expect(api.body.spec.targetCPUUtilizationPercentage).toBeUndefined();
    expect((await getJson(`${h.server.url}${V2}/bare`)).body.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  it('a v1 update of a v2 object keeps what v1 cannot show (the annotations round-trip)', async () => {
    const v1 = (await getJson(`${h.server.url}${V1}/web`)).body;
    v1.spec.maxReplicas = 9;
    v1.spec.targetCPUUtilizationPercentage = 60;
    const put = await send(h.server, 'PUT', `${V1}/web`, v1);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { maxReplicas: 9, targetCPUUtilizationPercentage: 60 } });
    const v2 = (await getJson(`${h.server.url}${V2}/web`)).body;
    expect(v2.spec.maxReplicas).toBe(9);
    expect(v2.spec.metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
    ]);
    expect(v2.metadata.annotations).toEqual({ team: 'a' });
  });

  it('a watch at v1 sees a write made at v2, in v1; a watch at v2 sees a write made at v1, in v2', async () => {
    const rv = h.server.resourceVersion;
    const w1 = await openWatch(`${h.server.url}${V1}?watch=1&resourceVersion=${rv}`);
    const w2 = await openWatch(`${h.server.url}${V2}?watch=1&resourceVersion=${rv}`);
    try {
      await send(h.server, 'POST', V2, { metadata: { name: 'w' }, spec: { scaleTargetRef: TARGET, maxReplicas: 4, metrics: [v2Metrics[0]] } });
      const patched = await fetchRaw(`${h.server.url}${V1}/w`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { spec: { maxReplicas: 6 } } });
      expect(patched.status).toBe(200);
      const [added1, modified1] = await w1.events$(2);
      expect(added1).toMatchObject({ type: 'ADDED', object: { apiVersion: 'autoscaling/v1', metadata: { name: 'w' }, spec: { maxReplicas: 4, targetCPUUtilizationPercentage: 50 } } });
      expect(modified1).toMatchObject({ type: 'MODIFIED', object: { apiVersion: 'autoscaling/v1', spec: { maxReplicas: 6, targetCPUUtilizationPercentage: 50 } } });
      const [added2, modified2] = await w2.events$(2);
      expect(added2).toMatchObject({ type: 'ADDED', object: { apiVersion: 'autoscaling/v2', spec: { maxReplicas: 4, metrics: [v2Metrics[0]] } } });
      expect(modified2).toMatchObject({ type: 'MODIFIED', object: { apiVersion: 'autoscaling/v2', spec: { maxReplicas: 6, metrics: [v2Metrics[0]] } } });
      expect(modified2!.object.metadata.resourceVersion).toBe(modified1!.object.metadata.resourceVersion);
    } finally {
      w1.close();
      w2.close();
    }
  });

  it('status round-trips: v2 current metrics and conditions show in v1 as currentCPUUtilizationPercentage and annotations', async () => {
    const v2 = (await getJson(`${h.server.url}${V2}/api`)).body;
    v2.status = {
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42, averageValue: '120m' } } }],
      conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ReadyForNewScale' }],
    };
    // Seeded as the HPA controller would write it (through the store, not the main resource's PUT).
    h.server.update(HorizontalPodAutoscalerV2, v2);
    const v1 = (await getJson(`${h.server.url}${V1}/api`)).body;
    expect(v1.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 42 });
    expect(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/current-metrics'])).toEqual([
      { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 42, currentAverageValue: '120m' } },
    ]);
    expect(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/conditions'])).toEqual(v2.status.conditions);
  });
});

describe('a kind registered in two versions with one schema', () => {
  it('shares one store; each version serves the objects with its own apiVersion, and watches see them so', async () => {
    const server = await FakeApiServer.start();
    try {
      const v1 = defineResource({ apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: true });
      const v2 = defineResource({ apiVersion: 'example.com/v2', kind: 'Widget', plural: 'widgets', namespaced: true });
      server.register(v1);
      server.create(v1, { metadata: { name: 'before', namespace: 'default' }, spec: { size: 1 } });
      server.register(v2);
      const w = await openWatch(`${server.url}/apis/example.com/v2/namespaces/default/widgets?watch=1`);
      try {
        await send(server, 'POST', '/apis/example.com/v2/namespaces/default/widgets', { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'after' }, spec: { size: 2 } });
        const events = await w.events$(2);
        expect(events.map((e) => [e.type, e.object.apiVersion, e.object.metadata.name])).toEqual([
          ['ADDED', 'example.com/v2', 'before'],
          ['ADDED', 'example.com/v2', 'after'],
        ]);
      } finally {
        w.close();
      }
      const list = (await getJson(`${server.url}/apis/example.com/v1/namespaces/default/widgets`)).body;
      expect(list).toMatchObject({ apiVersion: 'example.com/v1', kind: 'WidgetList' });
      expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['after', 'before']);
      expect(server.get(v1, 'after', 'default')).toMatchObject({ apiVersion: 'example.com/v1', spec: { size: 2 } });
      expect(server.list(v2, 'default').map((o) => (o as { apiVersion: string }).apiVersion)).toEqual(['example.com/v2', 'example.com/v2']);
    } finally {
      await server.close();
    }
  });
});

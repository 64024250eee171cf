/**
 * Issue #13 item 2: status is not written through the main resource and is reset on create; `/status` writes only
 * status; `/scale` reads and writes replicas as an autoscaling/v1 Scale; discovery and authorization see the
 * subresources. Every test talks to the FakeApiServer over loopback HTTP; the table of kinds with `/status` and
 * `/scale` is checked against the vendored kube-apiserver v1.35 OpenAPI spec.
 */
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeApiServer, allKinds, testResources } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { strategyFor } from '../../lib/testing/strategies.js';
import { podQosClass } from '../../lib/testing/status-strategies.js';
import { OPENAPI_DIR, readFixture } from '../../vendor/index.js';
import { fetchRaw } from './http-helpers.js';
import { APPLY, MERGE, serverHarness } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const PODS = '/api/v1/namespaces/default/pods';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const RCS = '/api/v1/namespaces/default/replicationcontrollers';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
const JSONPATCH = { 'Content-Type': 'application/json-patch+json' };
const STRATEGIC = { 'Content-Type': 'application/strategic-merge-patch+json' };

const h = serverHarness(async (options) => {
  const server = await FakeApiServer.start({ watchListDefaulting: false, ...options });
  server.register(defineResource({ apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: true }), {
    subresources: { status: true, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size', labelSelectorPath: '.status.selector' } },
  });
  // Built-in kinds beyond the default set get their built-in strategy.
  server.register(defineResource({ apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true }));
  server.register(defineResource({ apiVersion: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', namespaced: true }));
  return server;
});
const { call, body } = h;

function pod(name: string, resources?: Record<string, unknown>): Record<string, any> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', ...(resources ? { resources } : {}) }] } };
}

function deployment(replicas: number): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] },
      template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

describe('status on create and on main-resource writes (pkg/registry/<group>/<kind>/strategy.go)', () => {
  it("the issue's example: a merge patch of status.phase through the pod is ignored, the pod stays Pending", async () => {
    const created = body(await call('POST', PODS, { ...pod('x'), status: { phase: 'Running', podIP: '10.0.0.1' } }));
    expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    // The creator does not own the status the strategy set (reset fields).
    expect(JSON.stringify(created.metadata.managedFields)).not.toContain('f:status');
    const res = await call('PATCH', `${PODS}/x`, { status: { phase: 'Succeeded' } }, MERGE);
    expect(res.status).toBe(200);
    const patched = body(res);
    expect(patched.status.phase).toBe('Pending');
    // Nothing changed, so nothing was written: same resourceVersion, same managedFields.
    expect(patched.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(patched.metadata.managedFields).toEqual(created.metadata.managedFields);
    expect(body(await call('GET', `${PODS}/x`)).status.phase).toBe('Pending');
  });

  it('QoS class on create as qos.GetPodQOS computes it', async () => {
    const burstable = body(await call('POST', PODS, pod('b', { requests: { cpu: '100m' } })));
    expect(burstable.status).toEqual({ phase: 'Pending', qosClass: 'Burstable' });
    const guaranteed = body(await call('POST', PODS, pod('g', { limits: { cpu: '1', memory: '1Gi' } })));
    expect(guaranteed.status.qosClass).toBe('Guaranteed');
    expect(podQosClass(pod('r', { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }))).toBe('Burstable');
    expect(podQosClass(pod('z', { requests: { cpu: '0' } }))).toBe('BestEffort');
    // GetPodQOS answers a sent status.qosClass as is (PrepareForCreate evaluates it before replacing the status).
    const sent = body(await call('POST', PODS, { ...pod('s'), status: { phase: 'Running', qosClass: 'Guaranteed' } }));
    expect(sent.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
  });

  it('a PUT of the main resource keeps the stored status and takes the rest', async () => {
    // Seeding (the programmatic create) may set any status.
    h.server.create(testResources.Pod, { metadata: { name: 'seeded', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Running' } } as any);
    const current = body(await call('GET', `${PODS}/seeded`));
    expect(current.status.phase).toBe('Running');
    const put = { ...current, metadata: { ...current.metadata, labels: { a: 'b' } }, status: { phase: 'Failed' } };
    const updated = body(await call('PUT', `${PODS}/seeded`, put));
    expect(updated.metadata.labels).toEqual({ a: 'b' });
    expect(updated.status).toEqual(current.status);
  });

  it('per-kind zero status on create: Deployment {}, ReplicaSet replicas 0, Namespace Active with the kubernetes finalizer', async () => {
    const deploy = body(await call('POST', DEPLOYS, { ...deployment(2), status: { replicas: 9 } }));
    expect(deploy.status).toEqual({});
    const rs = body(
      await call('POST', '/apis/apps/v1/namespaces/default/replicasets', { ...deployment(1), kind: 'ReplicaSet', metadata: { name: 'rs' }, status: { replicas: 5, readyReplicas: 5 } }),
    );
    expect(rs.status).toEqual({ replicas: 0 });
    const ns = body(await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, status: { phase: 'Terminating' } }));
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    // The finalizers are kept on updates of the main resource (only /finalize changes them).
    const kept = body(await call('PATCH', '/api/v1/namespaces/team-a', { spec: { finalizers: [] } }, MERGE));
    expect(kept.spec).toEqual({ finalizers: ['kubernetes'] });
  });

  it('apply through the main resource neither sets nor owns status', async () => {
    await call('POST', PODS, pod('x'));
    const applied = body(await call('PATCH', `${PODS}/x?fieldManager=me`, { ...pod('x'), metadata: { name: 'x', labels: { l: '1' } }, status: { phase: 'Running' } }, APPLY));
    expect(applied.status.phase).toBe('Pending');
    expect(applied.metadata.labels).toEqual({ l: '1' });
    const mine = applied.metadata.managedFields.find((e: any) => e.manager === 'me');
    expect(mine.fieldsV1).not.toHaveProperty('f:status');
  });
});

describe('/status', () => {
  it('GET answers the object; PATCH writes status only, keeps spec and generation, records subresource: status', async () => {
    const created = body(await call('POST', PODS, pod('x')));
    const got = await call('GET', `${PODS}/x/status`);
    expect(got.status).toBe(200);
    expect(body(got)).toEqual(created);
    const res = await call('PATCH', `${PODS}/x/status?fieldManager=kubelet`, { spec: { activeDeadlineSeconds: 5 }, status: { phase: 'Running', podIP: '10.0.0.7' } }, MERGE);
    expect(res.status).toBe(200);
    const patched = body(res);
    expect(patched.status).toEqual({ phase: 'Running', podIP: '10.0.0.7', qosClass: 'BestEffort' });
    expect(patched.spec).toEqual(created.spec);
    expect(patched.metadata.generation).toBe(1);
    expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const entry = patched.metadata.managedFields.find((e: any) => e.manager === 'kubelet');
    expect(entry).toMatchObject({ operation: 'Update', apiVersion: 'v1', subresource: 'status', fieldsV1: { 'f:status': { 'f:phase': {}, 'f:podIP': {} } } });
    expect(entry.fieldsV1).not.toHaveProperty('f:spec');
    // Key order of a status entry as a real v1.35 server writes it (the kube-controller-manager entry of the
    // recorded Deployment in vendor/fixtures).
    const recorded = (readFixture('deployment.json') as any).metadata.managedFields.find((e: any) => e.subresource === 'status');
    expect(Object.keys(entry)).toEqual(Object.keys(recorded));
  });

  it('PUT writes status; a stale resourceVersion is 409; a write that changes nothing keeps the resourceVersion', async () => {
    const created = body(await call('POST', DEPLOYS, deployment(1)));
    const next = { ...created, metadata: { ...created.metadata, labels: { changed: 'yes' } }, spec: { ...created.spec, replicas: 7 }, status: { observedGeneration: 1, replicas: 1 } };
    const put = body(await call('PUT', `${DEPLOYS}/web/status`, next));
    expect(put.status).toEqual({ observedGeneration: 1, replicas: 1 });
    // deploymentStatusStrategy keeps the spec and the labels.
    expect(put.spec.replicas).toBe(1);
    expect(put.metadata.labels).toEqual({ app: 'web' });
    const stale = await call('PUT', `${DEPLOYS}/web/status`, next);
    expect(stale.status).toBe(409);
    expect(body(stale)).toMatchObject({ reason: 'Conflict', details: { name: 'web', group: 'apps', kind: 'deployments' } });
    const again = body(await call('PUT', `${DEPLOYS}/web/status`, { ...next, metadata: { ...next.metadata, resourceVersion: put.metadata.resourceVersion } }));
    expect(again.metadata.resourceVersion).toBe(put.metadata.resourceVersion);
  });

  it('apply on /status: status applied with an Apply entry of subresource status; never creates', async () => {
    await call('POST', DEPLOYS, deployment(1));
    const config = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 9 }, status: { replicas: 4 } };
    const applied = body(await call('PATCH', `${DEPLOYS}/web/status?fieldManager=ctl`, config, APPLY));
    expect(applied.status).toEqual({ replicas: 4 });
    expect(applied.spec.replicas).toBe(1);
    expect(applied.metadata.managedFields.find((e: any) => e.manager === 'ctl')).toMatchObject({ operation: 'Apply', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } });
    const missing = await call('PATCH', `${DEPLOYS}/nope/status?fieldManager=ctl`, { ...config, metadata: { name: 'nope' } }, APPLY);
    expect(missing.status).toBe(404);
    expect(body(missing).message).toBe('deployments.apps "nope" not found');
  });

  it('custom resource with the status subresource: create drops status, main updates keep it, /status writes only it', async () => {
    const created = body(await call('POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 }, status: { size: 3 } }));
    expect(created).not.toHaveProperty('status');
    const main = body(await call('PATCH', `${WIDGETS}/w`, { spec: { size: 2 }, status: { size: 5 } }, MERGE));
    expect(main).not.toHaveProperty('status');
    expect(main.metadata.generation).toBe(2);
    const status = body(await call('PATCH', `${WIDGETS}/w/status`, { metadata: { labels: { x: 'y' } }, spec: { size: 9 }, status: { size: 2, selector: 'app=w' } }, MERGE));
    expect(status.status).toEqual({ size: 2, selector: 'app=w' });
    expect(status.spec).toEqual({ size: 2 });
    expect(status.metadata.labels).toBeUndefined();
    expect(status.metadata.generation).toBe(2);
  });

  it('404 for a kind without /status, for an unknown subresource and for a missing object; 405 for other verbs', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const none = await call('GET', '/api/v1/namespaces/default/configmaps/c/status');
    expect(none.status).toBe(404);
    expect(body(none)).toMatchObject({ message: 'the server could not find the requested resource', details: {} });
    await call('POST', PODS, pod('x'));
    expect((await call('GET', `${PODS}/x/nope`)).status).toBe(404);
    const missing = await call('GET', `${PODS}/y/status`);
    expect(missing.status).toBe(404);
    expect(body(missing).message).toBe('pods "y" not found');
    expect((await call('DELETE', `${PODS}/x/status`)).status).toBe(405);
  });
});

describe('/scale (autoscaling/v1 Scale)', () => {
  it('GET: metadata of the object, spec.replicas, status.replicas and the selector as a string', async () => {
    const created = body(await call('POST', DEPLOYS, deployment(2)));
    await call('PATCH', `${DEPLOYS}/web/status`, { status: { replicas: 1 } }, MERGE);
    const scale = body(await call('GET', `${DEPLOYS}/web/scale`));
    const current = body(await call('GET', `${DEPLOYS}/web`));
    expect(scale).toEqual({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'default', uid: created.metadata.uid, resourceVersion: current.metadata.resourceVersion, creationTimestamp: created.metadata.creationTimestamp },
      spec: { replicas: 2 },
      status: { replicas: 1, selector: 'app=web,tier in (edge,front)' },
    });
    expect((await call('GET', `${DEPLOYS}/nope/scale`)).status).toBe(404);
  });

  it("PUT sets the object's spec.replicas and bumps its generation; a stale resourceVersion is 409; negative is 422", async () => {
    await call('POST', DEPLOYS, deployment(1));
    const scale = body(await call('GET', `${DEPLOYS}/web/scale`));
    const res = await call('PUT', `${DEPLOYS}/web/scale`, { ...scale, spec: { replicas: 3 } });
    expect(res.status).toBe(200);
    const written = body(res);
    expect(written.spec).toEqual({ replicas: 3 });
    expect(Number(written.metadata.resourceVersion)).toBeGreaterThan(Number(scale.metadata.resourceVersion));
    const deploy = body(await call('GET', `${DEPLOYS}/web`));
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.metadata.generation).toBe(2);
    expect(deploy.metadata.resourceVersion).toBe(written.metadata.resourceVersion);
    expect(deploy.metadata.managedFields.find((e: any) => e.subresource === 'scale')).toMatchObject({ operation: 'Update', apiVersion: 'apps/v1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    const stale = await call('PUT', `${DEPLOYS}/web/scale`, { ...scale, spec: { replicas: 4 } });
    expect(stale.status).toBe(409);
    expect(body(stale)).toMatchObject({ reason: 'Conflict', message: expect.stringContaining('deployments.apps "web"') });
    const negative = await call('PUT', `${DEPLOYS}/web/scale`, { ...written, spec: { replicas: -1 } });
    expect(negative.status).toBe(422);
    expect(body(negative).message).toBe('Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(body(await call('GET', `${DEPLOYS}/web`)).spec.replicas).toBe(3);
  });

  it('PATCH with merge, JSON, strategic merge and apply patches', async () => {
    await call('POST', DEPLOYS, deployment(1));
    expect(body(await call('PATCH', `${DEPLOYS}/web/scale`, { spec: { replicas: 2 } }, MERGE)).spec.replicas).toBe(2);
    expect(body(await call('PATCH', `${DEPLOYS}/web/scale`, [{ op: 'replace', path: '/spec/replicas', value: 3 }], JSONPATCH)).spec.replicas).toBe(3);
    expect(body(await call('PATCH', `${DEPLOYS}/web/scale`, { spec: { replicas: 4 } }, STRATEGIC)).spec.replicas).toBe(4);
    const config = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 5 } };
    // spec.replicas belongs to the writers before: an apply conflicts unless forced, as on the object itself.
    const conflict = await call('PATCH', `${DEPLOYS}/web/scale?fieldManager=hpa`, config, APPLY);
    expect(conflict.status).toBe(409);
    expect(body(conflict).message).toContain('.spec.replicas');
    const applyRes = await call('PATCH', `${DEPLOYS}/web/scale?fieldManager=hpa&force=true`, config, APPLY);
    expect(applyRes).toMatchObject({ status: 200 });
    const applied = body(applyRes);
    expect(applied.spec.replicas).toBe(5);
    const deploy = body(await call('GET', `${DEPLOYS}/web`));
    expect(deploy.spec.replicas).toBe(5);
    expect(deploy.metadata.managedFields.find((e: any) => e.manager === 'hpa')).toMatchObject({ operation: 'Apply', subresource: 'scale' });
    expect((await call('PATCH', `${DEPLOYS}/web/scale`, { spec: { replicas: 6 } }, { 'Content-Type': 'text/plain' })).status).toBe(415);
  });

  it('ReplicationController: the selector map as a selector string; custom resource: the CRD paths', async () => {
    await call('POST', RCS, {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc' },
      spec: { replicas: 2, selector: { b: '2', a: '1' }, template: { metadata: { labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    expect(body(await call('GET', `${RCS}/rc/scale`))).toMatchObject({ spec: { replicas: 2 }, status: { replicas: 0, selector: 'a=1,b=2' } });
    await call('POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } });
    await call('PATCH', `${WIDGETS}/w/status`, { status: { size: 1, selector: 'app=w' } }, MERGE);
    expect(body(await call('GET', `${WIDGETS}/w/scale`))).toMatchObject({ spec: { replicas: 1 }, status: { replicas: 1, selector: 'app=w' } });
    expect((await call('PATCH', `${WIDGETS}/w/scale`, { spec: { replicas: 4 } }, STRATEGIC)).status).toBe(415);
    await call('PATCH', `${WIDGETS}/w/scale`, { spec: { replicas: 4 } }, MERGE);
    expect(body(await call('GET', `${WIDGETS}/w`)).spec).toEqual({ size: 4 });
  });
});

describe('discovery and authorization see the subresources', () => {
  it('legacy and aggregated discovery list pods/status', async () => {
    const legacy = body(await call('GET', '/api/v1'));
    expect(legacy.resources.find((r: any) => r.name === 'pods/status')).toEqual({ name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect(legacy.resources.find((r: any) => r.name === 'configmaps/status')).toBeUndefined();
    const aggregated = body(await call('GET', '/api', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' }));
    const pods = aggregated.items[0].versions[0].resources.find((r: any) => r.resource === 'pods');
    expect(pods.subresources).toEqual([{ subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] }]);
  });

  it('the authorizer gets the subresource; its 403 names resource/subresource', async () => {
    const seen: { verb: string; subresource?: string }[] = [];
    const guarded = await FakeApiServer.start({
      watchListDefaulting: false,
      auth: {
        tokens: { t: 'kubelet' },
        authorize: (a) => {
          seen.push({ verb: a.verb, ...(a.subresource !== undefined ? { subresource: a.subresource } : {}) });
          return a.subresource !== 'status';
        },
      },
    });
    try {
      const res = await fetchRaw(`${guarded.url}${PODS}/x/status`, { method: 'PATCH', headers: { ...MERGE, Authorization: 'Bearer t' }, body: { status: {} } });
      expect(res.status).toBe(403);
      expect(body(res)).toMatchObject({
        message: 'pods "x" is forbidden: User "kubelet" cannot patch resource "pods/status" in API group "" in the namespace "default"',
        details: { name: 'x', kind: 'pods' },
      });
      expect(seen.at(-1)).toEqual({ verb: 'patch', subresource: 'status' });
    } finally {
      await guarded.close();
    }
  });
});

describe('the table of subresources matches the vendored kube-apiserver v1.35 OpenAPI spec', () => {
  it('every v1.35 kind has /status and /scale exactly when the spec has the path', async () => {
    const swagger = JSON.parse(readFileSync(join(OPENAPI_DIR, 'swagger-v1.35.json'), 'utf8')) as { paths: Record<string, unknown> };
    const inSpec = new Set<string>();
    for (const p of Object.keys(swagger.paths)) {
      const m = /^(\/apis?\/.+?)(?:\/namespaces\/\{namespace\})?\/([a-z0-9]+)\/\{name\}\/(status|scale)$/.exec(p);
      if (m && !p.includes('/watch/')) inSpec.add(`${m[1]}/${m[2]}/${m[3]}`);
    }
    const inTable = new Set<string>();
    // Every generated kind (alpha and beta too: the spec documents them all), not only the default-served ones.
    for (const k of await allKinds('all')) {
      const sub = strategyFor(k.apiVersion, k.kind).subresources;
      if (sub?.status) inTable.add(`${k.basePath}/${k.plural}/status`);
      if (sub?.scale) inTable.add(`${k.basePath}/${k.plural}/scale`);
    }
    expect(inSpec.size).toBeGreaterThan(30);
    expect([...inTable].sort()).toEqual([...inSpec].sort());
  });
});

/**
 * Issue #13, first slice: a write that changes nothing is not written, and metadata.generation follows each kind's
 * strategy. Every test talks to the FakeApiServer over loopback HTTP, as a real client would.
 */
import { describe, it, expect } from '@jest/globals';
import { defineResource } from '../../lib/resource/define-resource.js';
import { sleep, type RawResponse } from './http-helpers.js';
import { APPLY, MERGE, serverHarness } from './server-harness.js';
import { startWithNamespaces } from './namespace-helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const PODS = '/api/v1/namespaces/ns/pods';
const CMS = '/api/v1/namespaces/ns/configmaps';
const DEPLOYS = '/apis/apps/v1/namespaces/ns/deployments';
const FOOBARS = '/apis/example.com/v1/namespaces/ns/foobars';

const h = serverHarness(async () => {
  const server = await startWithNamespaces({ watchListDefaulting: false });
  server.register(defineResource({ apiVersion: 'example.com/v1', kind: 'FooBar', plural: 'foobars', namespaced: true }));
  return server;
});
const { call, body, watchFromNow } = h;

function cm(data: Record<string, string>): Record<string, any> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data };
}

function deployment(image: string, extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', ...extra },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } },
  };
}

/**
 * Runs `noop` against a stored object with a watch open from the current RV: the write answers 200 with the stored
 * object as it was (same resourceVersion, same managedFields), the global RV does not move and the watch sees nothing;
 * then `change` is a real change, which the watch sees as its first event.
 */
async function expectNoOp(stored: any, noop: () => Promise<RawResponse>, change: () => Promise<RawResponse>): Promise<void> {
  const rvBefore = Number(h.server.resourceVersion);
  const watch = await watchFromNow(CMS);
  const res = await noop();
  expect(res.status).toBe(200);
  expect(body(res)).toEqual(stored);
  expect(Number(h.server.resourceVersion)).toBe(rvBefore);
  const got = body(await call('GET', `${CMS}/cfg`));
  expect(got).toEqual(stored);
  await sleep(100);
  expect(watch.events).toEqual([]);
  const changed = await change();
  expect(changed.status).toBe(200);
  expect(body(changed).metadata.resourceVersion).toBe(String(rvBefore + 1));
  const [e] = await watch.events$(1);
  expect(e).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'cfg', resourceVersion: String(rvBefore + 1) } } });
}

describe('a write that changes nothing (AS:storage/etcd3/store.go GuaranteedUpdate: bytes.Equal(data, origState.data) returns the existing object)', () => {
  it('PUT of the object as read: 200, same resourceVersion, no watch event; a real change still bumps', async () => {
    await call('POST', `${CMS}?fieldManager=alice`, cm({ a: '1' }));
    const stored = body(await call('GET', `${CMS}/cfg`));
    await expectNoOp(
      stored,
      () => call('PUT', `${CMS}/cfg?fieldManager=alice`, stored),
      () => call('PUT', `${CMS}/cfg?fieldManager=alice`, { ...stored, data: { a: '2' } }),
    );
  });

  it('PUT by another manager, without resourceVersion and with keys in another order, is still a no-op (managedFieldsUpdater: no time, no owner change)', async () => {
    await call('POST', `${CMS}?fieldManager=alice`, cm({ a: '1', b: '2' }));
    const stored = body(await call('GET', `${CMS}/cfg`));
    const { resourceVersion: _rv, ...metadata } = stored.metadata;
    const reordered = { data: { b: '2', a: '1' }, metadata, kind: 'ConfigMap', apiVersion: 'v1' };
    await expectNoOp(
      stored,
      () => call('PUT', `${CMS}/cfg?fieldManager=bob`, reordered),
      () => call('PUT', `${CMS}/cfg?fieldManager=bob`, { ...reordered, data: { a: '1', b: '3' } }),
    );
  });

  it('merge PATCH that sets values already there: 200, same resourceVersion, no watch event', async () => {
    await call('POST', `${CMS}?fieldManager=alice`, cm({ a: '1' }));
    const stored = body(await call('GET', `${CMS}/cfg`));
    await expectNoOp(
      stored,
      () => call('PATCH', `${CMS}/cfg?fieldManager=alice`, { data: { a: '1' } }, MERGE),
      () => call('PATCH', `${CMS}/cfg?fieldManager=alice`, { data: { a: '2' } }, MERGE),
    );
  });

  it('server-side apply of the same configuration again: 200, same resourceVersion and managedFields time, no watch event (managedfieldsupdater.go Apply sets the time only if object != nil)', async () => {
    const first = await call('PATCH', `${CMS}/cfg?fieldManager=alice`, cm({ a: '1' }), APPLY);
    expect(first.status).toBe(201);
    const stored = body(first);
    // The managedFields time has a one-second resolution: wait so that a fresh time would differ.
    await sleep(1100);
    await expectNoOp(
      stored,
      () => call('PATCH', `${CMS}/cfg?fieldManager=alice`, cm({ a: '1' }), APPLY),
      () => call('PATCH', `${CMS}/cfg?fieldManager=alice`, cm({ a: '2' }), APPLY),
    );
  });

  it('a no-op PUT after a real one answers the latest stored object (the existing object, not the request)', async () => {
    await call('POST', CMS, cm({ a: '1' }));
    const v2 = body(await call('PUT', `${CMS}/cfg`, { ...body(await call('GET', `${CMS}/cfg`)), data: { a: '2' } }));
    const again = await call('PUT', `${CMS}/cfg`, v2);
    expect(body(again)).toEqual(v2);
  });
});

describe('metadata.generation per kind (lib/testing/strategies.ts)', () => {
  it('ConfigMap: no generation on create nor after updates (pkg/registry/core/configmap/strategy.go never sets it)', async () => {
    const created = body(await call('POST', CMS, cm({ a: '1' })));
    expect(created.metadata).not.toHaveProperty('generation');
    const updated = body(await call('PATCH', `${CMS}/cfg`, { data: { a: '2' } }, MERGE));
    expect(updated.metadata).not.toHaveProperty('generation');
  });

  it('Deployment: 1 on create, bumped by a spec change only, not by labels or status (pkg/registry/apps/deployment/strategy.go PrepareForUpdate)', async () => {
    const created = body(await call('POST', DEPLOYS, deployment('nginx:1')));
    expect(created.metadata.generation).toBe(1);
    const labelled = body(await call('PATCH', `${DEPLOYS}/web`, { metadata: { labels: { x: 'y' } } }, MERGE));
    expect(labelled.metadata.generation).toBe(1);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const status = body(await call('PATCH', `${DEPLOYS}/web/status`, { status: { observedGeneration: 1 } }, MERGE));
    expect(status.status).toEqual({ observedGeneration: 1 });
    expect(status.metadata.generation).toBe(1);
    const spec = body(await call('PATCH', `${DEPLOYS}/web`, { spec: { replicas: 3 } }, MERGE));
    expect(spec.metadata.generation).toBe(2);
  });

  it('Pod: 1 on create and bumped on spec changes since v1.33 (pkg/registry/core/pod/strategy.go updatePodGeneration)', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const created = body(await call('POST', PODS, pod));
    expect(created.metadata.generation).toBe(1);
    const annotated = body(await call('PATCH', `${PODS}/p`, { metadata: { annotations: { a: 'b' } } }, MERGE));
    expect(annotated.metadata.generation).toBe(1);
    const spec = body(await call('PATCH', `${PODS}/p`, { spec: { activeDeadlineSeconds: 30 } }, MERGE));
    expect(spec.metadata.generation).toBe(2);
  });

  it('custom resource: 1 on create, bumped when anything outside metadata and status changes (apiextensions-apiserver pkg/registry/customresource/strategy.go)', async () => {
    const fb = { apiVersion: 'example.com/v1', kind: 'FooBar', metadata: { name: 'f' }, spec: { size: 1 } };
    const created = body(await call('POST', FOOBARS, fb));
    expect(created.metadata.generation).toBe(1);
    const labelled = body(await call('PATCH', `${FOOBARS}/f`, { metadata: { labels: { x: 'y' } } }, MERGE));
    expect(labelled.metadata.generation).toBe(1);
    const spec = body(await call('PATCH', `${FOOBARS}/f`, { spec: { size: 2 } }, MERGE));
    expect(spec.metadata.generation).toBe(2);
  });
});

/**
 * Issue #13 item 5: namespaces as a v1.35 cluster has them. The system namespaces exist from the start, the
 * NamespaceLifecycle admission refuses content in missing or terminating namespaces, and deleting a namespace lets
 * the namespace controller empty it before it goes. Over loopback HTTP.
 */
import { describe, it, expect } from '@jest/globals';
import { FakeStoreError, testResources } from '../../lib/testing/index.js';
import { serverHarness } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const h = serverHarness({}, { lazy: true });
const { call, body, until, watchFromNow } = h;

describe('namespaces', () => {
  it('the system namespaces exist at start, below the initial resourceVersion', async () => {
    await h.start();
    const res = await call('GET', '/api/v1/namespaces');
    const list = body(res);
    expect(list.items.map((n: any) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(list.items[0].spec.finalizers).toEqual(['kubernetes']);
    expect(list.items[0].status.phase).toBe('Active');
    expect(list.metadata.resourceVersion).toBe('1000');
    expect(h.server.oldestResourceVersion).toBe('1000');
  });

  it('creating into a namespace that does not exist is 404 namespaces "x" not found; the programmatic create refuses too', async () => {
    await h.start();
    const res = await call('POST', '/api/v1/namespaces/team-a/configmaps', { metadata: { name: 'c' } });
    expect(res.status).toBe(404);
    expect(body(res)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'namespaces "team-a" not found',
      reason: 'NotFound',
      details: { name: 'team-a', kind: 'namespaces' },
      code: 404,
    });
    expect(() => h.server.create(testResources.ConfigMap, { metadata: { name: 'c', namespace: 'team-a' } })).toThrow(FakeStoreError);
    expect(() => h.server.create(testResources.ConfigMap, { metadata: { name: 'c', namespace: 'team-a' } })).toThrow(/create it first/);
    h.server.create(testResources.Namespace, { metadata: { name: 'team-a' } });
    expect((await call('POST', '/api/v1/namespaces/team-a/configmaps', { metadata: { name: 'c' } })).status).toBe(201);
  });

  it('the immortal namespaces cannot be deleted (403)', async () => {
    await h.start();
    const res = await call('DELETE', '/api/v1/namespaces/kube-system');
    expect(res.status).toBe(403);
    expect(body(res).message).toBe('namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });

  it('DELETE marks the namespace Terminating, refuses new content (403), empties it, then it goes', async () => {
    await h.start({ controllers: { namespaceLifecycle: false } });
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'team-b' }, spec: { finalizers: ['kubernetes'] } });
    await call('POST', '/api/v1/namespaces/team-b/configmaps', { metadata: { name: 'c' } });
    const res = await call('DELETE', '/api/v1/namespaces/team-b');
    expect(res.status).toBe(200);
    const ns = body(res);
    expect(ns.status.phase).toBe('Terminating');
    expect(ns.metadata.deletionTimestamp).toBeDefined();
    const refused = await call('POST', '/api/v1/namespaces/team-b/configmaps', { metadata: { name: 'd' } });
    expect(refused.status).toBe(403);
    expect(body(refused)).toMatchObject({
      reason: 'Forbidden',
      message: 'configmaps "d" is forbidden: unable to create new content in namespace team-b because it is being terminated',
      details: { name: 'd', kind: 'configmaps', causes: [{ reason: 'NamespaceTerminating', message: 'namespace team-b is being terminated', field: 'metadata.namespace' }] },
    });
    // Without the namespace controller nothing empties it.
    expect(h.server.get(testResources.ConfigMap, 'c', 'team-b')).toBeDefined();
  });

  it('the namespace controller deletes the content, removes the kubernetes finalizer, and the namespace is DELETED last', async () => {
    await h.start();
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'team-c' }, spec: { finalizers: ['kubernetes'] } });
    await call('POST', '/api/v1/namespaces/team-c/configmaps', { metadata: { name: 'c1' } });
    await call('POST', '/apis/apps/v1/namespaces/team-c/deployments', {
      metadata: { name: 'd1' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    // A held object keeps the namespace until its finalizer is removed.
    await call('POST', '/api/v1/namespaces/team-c/secrets', { metadata: { name: 's1', finalizers: ['example.com/hold'] } });
    const namespaces = await watchFromNow('/api/v1/namespaces');
    const content = await watchFromNow('/api/v1/namespaces/team-c/configmaps');
    await call('DELETE', '/api/v1/namespaces/team-c');
    await until(() => h.server.get(testResources.ConfigMap, 'c1', 'team-c') === undefined && h.server.get(testResources.Deployment, 'd1', 'team-c') === undefined);
    await until(() => h.server.get<any>(testResources.Secret, 's1', 'team-c')?.metadata.deletionTimestamp !== undefined);
    expect(h.server.get(testResources.Namespace, 'team-c')).toBeDefined();
    const secret = h.server.get<any>(testResources.Secret, 's1', 'team-c');
    await call('PUT', '/api/v1/namespaces/team-c/secrets/s1', { ...secret, metadata: { ...secret.metadata, finalizers: [] } });
    await until(() => h.server.get(testResources.Namespace, 'team-c') === undefined);
    const nsEvents = await namespaces.events$(2);
    expect(nsEvents.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(nsEvents[0]!.object.status.phase).toBe('Terminating');
    // The finalize update that empties spec.finalizers deletes (ShouldDeleteNamespaceDuringUpdate): no MODIFIED for
    // it, and DELETED carries the last stored state.
    expect(nsEvents[1]!.object.spec.finalizers).toEqual(['kubernetes']);
    const cmEvents = await content.events$(1);
    expect(cmEvents[0]!.type).toBe('DELETED');
    expect(Number(cmEvents[0]!.object.metadata.resourceVersion)).toBeLessThan(Number(nsEvents[1]!.object.metadata.resourceVersion));
  });

  it('server.delete of a Namespace goes through the same Terminating path', async () => {
    await h.start();
    h.server.create(testResources.Namespace, { metadata: { name: 'team-d' }, spec: { finalizers: ['kubernetes'] } });
    h.server.create(testResources.ConfigMap, { metadata: { name: 'c', namespace: 'team-d' } });
    const marked = h.server.delete<any>(testResources.Namespace, 'team-d');
    expect(marked.status.phase).toBe('Terminating');
    await until(() => h.server.get(testResources.Namespace, 'team-d') === undefined);
    expect(h.server.get(testResources.ConfigMap, 'c', 'team-d')).toBeUndefined();
  });
});

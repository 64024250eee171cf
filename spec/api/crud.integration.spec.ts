/** Api CRUD over real loopback HTTP against the FakeApiServer's write verbs. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom, toArray, type Observable } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { isStatus } from '../../lib/api/is-status.js';
import { ConflictError, InvalidError, NotFoundError, BadRequestError } from '../../lib/errors/status-error.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';

const { Pod, Node, ConfigMap } = testResources;
let server: FakeApiServer;
let pods: Api<KubernetesObject>;
let nodes: Api<KubernetesObject>;

beforeEach(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 0 });
  server.create(testResources.Namespace, { metadata: { name: 'team-a' } });
  const client = await createClient({ server: server.url });
  pods = new Api(Pod, { client, namespace: 'default' });
  nodes = new Api(Node, { client });
});

afterEach(async () => {
  await server.close();
});

const nginx = { containers: [{ name: 'nginx', image: 'nginx:1.27' }] };
const one = <T>(o: Observable<T>): Promise<T> => firstValueFrom(o);

describe('create$', () => {
  it('creates with generateName, filling apiVersion/kind, and returns the stored object', async () => {
    const created = await one(pods.create$({ metadata: { generateName: 'example-pod-' }, spec: nginx }));
    expect(created.metadata.name).toMatch(/^example-pod-[a-z0-9]{5}$/);
    expect(created).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', uid: expect.any(String), resourceVersion: server.resourceVersion } });
    const request = server.requests.at(-1)!;
    expect([request.method, request.path, request.headers['content-type']]).toEqual(['POST', '/api/v1/namespaces/default/pods', 'application/json']);
    expect(server.get(Pod, created.metadata.name!, 'default')).toBeDefined();
  });

  it('uses the object namespace over the Api default, and cluster scope for cluster-scoped kinds', async () => {
    await one(pods.create$({ metadata: { name: 'a', namespace: 'team-a' }, spec: nginx }));
    expect(server.requests.at(-1)!.path).toBe('/api/v1/namespaces/team-a/pods');
    await one(nodes.create$({ metadata: { name: 'node-1' } }));
    expect(server.requests.at(-1)!.path).toBe('/api/v1/nodes');
  });

  it('fails with ConflictError for a taken name and InvalidError without a name', async () => {
    await one(pods.create$({ metadata: { name: 'a' }, spec: nginx }));
    await expect(one(pods.create$({ metadata: { name: 'a' }, spec: nginx }))).rejects.toBeInstanceOf(ConflictError);
    await expect(one(pods.create$({ metadata: {}, spec: nginx }))).rejects.toBeInstanceOf(InvalidError);
  });

  it('changes nothing with dryRun', async () => {
    const rv = server.resourceVersion;
    const created = await one(pods.create$({ metadata: { name: 'dry' }, spec: nginx }, { dryRun: true }));
    expect(created.metadata.name).toBe('dry');
    expect(server.requests.at(-1)!.query.get('dryRun')).toBe('All');
    expect(server.get(Pod, 'dry', 'default')).toBeUndefined();
    expect(server.resourceVersion).toBe(rv);
  });
});

describe('get$, replace$, patch$', () => {
  it('gets one object, and NotFoundError for a missing one', async () => {
    server.create(Pod, { metadata: { name: 'a', namespace: 'default' }, spec: nginx });
    expect((await one(pods.get$('a'))).metadata.name).toBe('a');
    await expect(one(pods.get$('missing'))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('replaces with optimistic concurrency: a stale resourceVersion is a ConflictError', async () => {
    const created = await one(pods.create$({ metadata: { name: 'a' }, spec: nginx }));
    const replaced = await one(pods.replace$({ ...created, metadata: { ...created.metadata, labels: { v: '2' } } }));
    expect(replaced.metadata.labels).toEqual({ v: '2' });
    expect(server.requests.at(-1)!.method).toBe('PUT');
    await expect(one(pods.replace$({ ...created, metadata: { ...created.metadata, labels: { v: '3' } } }))).rejects.toBeInstanceOf(ConflictError);
  });

  it('patches with each patch type, sending its content type', async () => {
    await one(pods.create$({ metadata: { name: 'a', labels: { app: 'web' } }, spec: nginx }));
    const merged = await one(pods.patch$('a', { metadata: { labels: { tier: 'frontend' } } }));
    expect(merged.metadata.labels).toEqual({ app: 'web', tier: 'frontend' });
    expect(server.requests.at(-1)!.headers['content-type']).toBe('application/merge-patch+json');

    const jsonPatched = await one(pods.patch$('a', [{ op: 'remove', path: '/metadata/labels/tier' }], { type: 'json' }));
    expect(jsonPatched.metadata.labels).toEqual({ app: 'web' });
    expect(server.requests.at(-1)!.headers['content-type']).toBe('application/json-patch+json');

    // A Pod takes only image changes after creation (ValidatePodUpdate); the list merges by container name.
    const strategic = await one(pods.patch$('a', { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } }, { type: 'strategic' }));
    expect((strategic['spec'] as typeof nginx).containers.map((c) => `${c.name}=${c.image}`)).toEqual(['nginx=nginx:1.28']);
    expect(server.requests.at(-1)!.headers['content-type']).toBe('application/strategic-merge-patch+json');

    const applied = await one(pods.patch$('b', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'default' }, spec: nginx }, { type: 'apply', fieldManager: 'kubex-rx-test', force: true }));
    expect(applied.metadata.name).toBe('b');
    const q = server.requests.at(-1)!.query;
    expect([q.get('fieldManager'), q.get('force'), server.requests.at(-1)!.headers['content-type']]).toEqual(['kubex-rx-test', 'true', 'application/apply-patch+yaml']);
  });

  it('refuses impossible patch calls before sending anything', () => {
    expect(() => pods.patch$('a', {}, { type: 'json' })).toThrow(/array of operations/);
    expect(() => pods.patch$('a', {}, { type: 'apply' })).toThrow(/fieldManager/);
    expect(() => pods.patch$('a', {}, { force: true })).toThrow(/server-side apply only/);
    expect(() => pods.replace$({ metadata: {} })).toThrow(/no metadata.name/);
    expect(() => nodes.get$('n', { namespace: 'x' })).toThrow(/cluster-scoped/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('delete$ and deleteCollection$', () => {
  it('deletes, the watch sees DELETED, and a second delete is NotFoundError', async () => {
    await one(pods.create$({ metadata: { name: 'a' }, spec: nginx }));
    const watched = lastValueFrom(pods.watch$({ resourceVersion: server.resourceVersion, timeoutSeconds: 1 }).pipe(toArray()));
    await server.waitForOpenWatches(1);
    const deleted = await one(pods.delete$('a', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0 }));
    expect(deleted).toMatchObject({ metadata: { name: 'a' } });
    const events = await watched;
    // Foreground: the pod is first marked with the foregroundDeletion finalizer; the garbage collector, finding no
    // dependents, removes it and the pod goes.
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    await expect(one(pods.delete$('a'))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('each outcome of a delete, told apart by isStatus: a Success Status, the last state, the object held by a finalizer', async () => {
    const configMaps = new Api(ConfigMap, { client: pods.client, namespace: 'default' });
    await one(configMaps.create$({ metadata: { name: 'cm' }, data: { a: '1' } }));
    await one(pods.create$({ metadata: { name: 'gone' }, spec: nginx }));
    await one(pods.create$({ metadata: { name: 'held', finalizers: ['example.com/cleanup'] }, spec: nginx }));
    const outcomes: string[] = [];
    for (const result of [await one(configMaps.delete$('cm')), await one(pods.delete$('gone')), await one(pods.delete$('held'))]) {
      if (isStatus(result)) outcomes.push(`Status ${result.status ?? ''} ${result.details?.kind ?? ''}/${result.details?.name ?? ''}`);
      // A deleted Pod comes back with deletionTimestamp set too (its graceful path, grace 0): what still holds an
      // object back is a finalizer or a grace period above 0.
      else {
        const held = (result.metadata.finalizers ?? []).length > 0 || (result.metadata.deletionGracePeriodSeconds ?? 0) > 0;
        outcomes.push(`${result.metadata.name ?? ''}: ${held ? `terminating (${(result.metadata.finalizers ?? []).join()})` : 'deleted'}`);
      }
    }
    expect(outcomes).toEqual(['Status Success configmaps/cm', 'gone: deleted', 'held: terminating (example.com/cleanup)']);
  });

  it('honours preconditions', async () => {
    await one(pods.create$({ metadata: { name: 'a' }, spec: nginx }));
    await expect(one(pods.delete$('a', { preconditions: { uid: 'not-the-uid' } }))).rejects.toBeInstanceOf(ConflictError);
    expect(server.get(Pod, 'a', 'default')).toBeDefined();
  });

  it('deletes a selection of the collection', async () => {
    for (const [name, app] of [['a', 'web'], ['b', 'web'], ['c', 'db']] as const) await one(pods.create$({ metadata: { name, labels: { app } }, spec: nginx }));
    const result = await one(pods.deleteCollection$({ labelSelector: 'app=web' }));
    expect('items' in result && result.items.map((p) => p.metadata.name).sort()).toEqual(['a', 'b']);
    expect(server.list(Pod, 'default').map((p) => (p as KubernetesObject).metadata.name)).toEqual(['c']);
  });

  it('rejects a malformed request body with BadRequestError', async () => {
    await expect(one(pods.patch$('a', [{ op: 'nope' }], { type: 'json' }))).rejects.toBeInstanceOf(Error);
    server.failNext(1, { type: 'Status', code: 400, reason: 'BadRequest', message: 'bad' });
    await expect(one(pods.get$('x'))).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('listAll$', () => {
  it('follows continue tokens across pages', async () => {
    for (let i = 0; i < 7; i++) server.create(Pod, { metadata: { name: `p${i}`, namespace: 'default' } });
    const all = await one(pods.listAll$({ limit: 3 }));
    expect(all.items.map((p) => p.metadata.name)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    const pages = server.requests.filter((r) => r.method === 'GET');
    expect(pages.map((r) => r.query.get('limit'))).toEqual(['3', '3', '3']);
    expect(pages[1]!.query.get('continue')).toBeTruthy();
  });
});


/**
 * `@kubernetes/client-node`'s informer (`makeInformer` over `listNamespacedPod`) against the FakeApiServer: its
 * cache follows creates, updates and deletes, and a forced 410 (in-stream, or HTTP on the re-watch after changes
 * it missed) makes it relist and reconcile.
 */
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { CoreV1Api, KubeConfig, makeInformer, type Informer, type ObjectCache, type V1Pod } from '@kubernetes/client-node';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';

const { Pod } = testResources;
const NS = 'inf';

let server: FakeApiServer;
let informer: Informer<V1Pod> & ObjectCache<V1Pod>;
let events: string[];
let errors: unknown[];

function pod(name: string, labels: Record<string, string> = {}): { metadata: Record<string, unknown>; spec: unknown } {
  return { metadata: { name, namespace: NS, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

/** The informer's cache as `name=label v` (sorted). */
function cacheView(): string[] {
  return informer
    .list(NS)
    .map((p) => `${p.metadata?.name}=${p.metadata?.labels?.['v'] ?? ''}@${p.metadata?.resourceVersion}`)
    .sort();
}

/** The server's state in the same form. */
function serverView(): string[] {
  return server
    .list(Pod, NS)
    .map((p) => {
      const m = (p as { metadata: { name: string; labels?: Record<string, string>; resourceVersion: string } }).metadata;
      return `${m.name}=${m.labels?.['v'] ?? ''}@${m.resourceVersion}`;
    })
    .sort();
}

async function until(what: string, test: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; cache ${JSON.stringify(cacheView())}, server ${JSON.stringify(serverView())}, events ${JSON.stringify(events)}, errors ${String(errors)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const inSync = (): boolean => JSON.stringify(cacheView()) === JSON.stringify(serverView());
const isWatch = (r: { path: string; query: URLSearchParams }): boolean => r.path === `/api/v1/namespaces/${NS}/pods` && r.query.get('watch') === 'true';
const isList = (r: { path: string; query: URLSearchParams }): boolean => r.path === `/api/v1/namespaces/${NS}/pods` && r.query.get('watch') === null;

beforeEach(async () => {
  server = await FakeApiServer.start();
  server.create(testResources.Namespace, { metadata: { name: NS } });
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'fake' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
    currentContext: 'fake',
  });
  const api = kc.makeApiClient(CoreV1Api);
  informer = makeInformer(kc, `/api/v1/namespaces/${NS}/pods`, () => api.listNamespacedPod({ namespace: NS }));
  events = [];
  errors = [];
  informer.on('add', (p) => events.push(`add ${p.metadata?.name}`));
  informer.on('update', (p) => events.push(`update ${p.metadata?.name}`));
  informer.on('delete', (p) => events.push(`delete ${p.metadata?.name}`));
  informer.on('error', (e) => errors.push(e));
  server.create(Pod, pod('a', { v: '1' }));
  server.create(Pod, pod('b', { v: '1' }));
  await informer.start();
  await server.waitForOpenWatches(1);
  await until('the initial list', inSync);
});

afterEach(async () => {
  await informer.stop();
  await server.close();
});

describe('@kubernetes/client-node informer against the FakeApiServer', () => {
  it('lists, then follows creates, updates and deletes', async () => {
    expect(cacheView().map((s) => s.split('@')[0])).toEqual(['a=1', 'b=1']);
    expect(events).toEqual(['add a', 'add b']);
    server.create(Pod, pod('c', { v: '1' }));
    const a = server.get(Pod, 'a', NS) as { metadata: Record<string, unknown> };
    server.update(Pod, { ...a, metadata: { ...a.metadata, labels: { v: '2' } } });
    server.delete(Pod, 'b', NS);
    await until('the three changes', () => inSync() && events.length === 5);
    expect(events).toEqual(['add a', 'add b', 'add c', 'update a', 'delete b']);
    expect(cacheView().map((s) => s.split('@')[0])).toEqual(['a=2', 'c=1']);
    expect(errors).toEqual([]);
  });

  it('an in-stream 410 makes it relist and re-watch', async () => {
    const lists = server.requests.filter(isList).length;
    expect(server.injectWatchError({ code: 410, reason: 'Expired', message: 'too old resource version: 1 (2)' })).toBe(1);
    await server.nextRequest(isList);
    await server.waitForOpenWatches(1);
    expect(server.requests.filter(isList).length).toBe(lists + 1);
    server.create(Pod, pod('after', { v: '1' }));
    await until('the pod created after the relist', () => inSync() && events.includes('add after'));
    expect(errors).toEqual([]);
  });

  it('an HTTP 410 on the re-watch after missed changes: the relist reconciles adds, updates and deletes', async () => {
    // The open watch goes quiet, changes happen, then the watch ends and its re-watch (from the stale RV) is a 410.
    server.stallWatches();
    server.create(Pod, pod('missed', { v: '1' }));
    const a = server.get(Pod, 'a', NS) as { metadata: Record<string, unknown> };
    server.update(Pod, { ...a, metadata: { ...a.metadata, labels: { v: '3' } } });
    server.delete(Pod, 'b', NS);
    server.failNext(1, { type: 'Gone' }, isWatch);
    server.endWatches();
    server.resumeWatches();
    const gone = await server.nextRequest(isWatch);
    expect(gone.query.get('resourceVersion')).not.toBe('');
    await server.nextRequest(isList);
    await until('the relist', () => inSync() && events.includes('delete b'));
    expect(events.slice(2).sort()).toEqual(['add missed', 'delete b', 'update a']);
    expect(cacheView().map((s) => s.split('@')[0])).toEqual(['a=3', 'missed=1']);
    // And it watches again from the list's RV.
    await server.waitForOpenWatches(1);
    server.delete(Pod, 'missed', NS);
    await until('the delete after the relist', () => inSync() && events.includes('delete missed'));
    expect(errors).toEqual([]);
  });
});

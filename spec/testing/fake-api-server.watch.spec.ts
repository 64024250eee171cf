import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { FakeApiServer, testResources, type FakeApiServerOptions } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { startWithNamespaces } from './namespace-helpers.js';
import { fetchRaw, openWatch, sleep, type WatchClient } from './http-helpers.js';

const { Pod, ConfigMap, Node, Deployment } = testResources;
const PODS = '/api/v1/namespaces/ns/pods';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: FakeApiServer;
const clients: WatchClient[] = [];

async function start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  server = await startWithNamespaces(options, ['ns', 'ns-a', 'other', 'ns1', 'ns2']);
  return server;
}

async function watch(path: string, headers?: Record<string, string>): Promise<WatchClient> {
  const c = await openWatch(server.url + path, headers);
  clients.push(c);
  return c;
}

function pod(name: string, namespace = 'ns', labels?: Record<string, string>): { metadata: Record<string, unknown>; spec: unknown } {
  return { metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

beforeEach(async () => {
  await start({ watchListDefaulting: false });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

describe('FakeApiServer watch: headers and framing (§2)', () => {
  it('sends 200 and the headers at once, before any event', async () => {
    const c = await watch(`${PODS}?watch=1&resourceVersion=${server.resourceVersion}`);
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toBe('application/json');
    expect(c.headers['transfer-encoding']).toBe('chunked');
    expect(c.headers['cache-control']).toBe('no-cache, private');
    expect(c.headers['audit-id']).toMatch(UUID);
    expect(c.events).toEqual([]);
    expect(server.openWatches).toBe(1);
  });

  it('frames every event as compact {"type","object"} JSON with exactly one \\n', async () => {
    server.create(Pod, { ...pod('a'), metadata: { name: 'a', namespace: 'ns', annotations: { note: 'x <y> & z' } } });
    const c = await watch(`${PODS}?watch=1`);
    server.create(Pod, pod('b'));
    await c.events$(2);
    server.endWatches();
    expect(await c.ended).toBe('clean');
    const body = Buffer.concat(c.chunks).toString('utf8');
    expect(body).not.toContain('\r');
    expect(body).not.toContain('\n\n');
    expect(body.endsWith('\n')).toBe(true);
    for (const line of c.lines) {
      expect(line).toBe(JSON.stringify(JSON.parse(line)));
      expect(Object.keys(JSON.parse(line) as object)).toEqual(['type', 'object']);
      expect(line.startsWith('{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":')).toBe(true);
    }
  });
});

describe('FakeApiServer watch: initial state (§6, checklist 9–10)', () => {
  it('legacy watch (RV unset) sends ADDED sorted by namespace/name with each object RV, no bookmark', async () => {
    const b = server.create(Pod, pod('b', 'ns'));
    const a2 = server.create(Pod, pod('a', 'ns2'));
    const a = server.create(Pod, pod('a', 'ns'));
    server.create(Pod, pod('z', 'ns-a')); // '-' sorts before '/': ns-a/z < ns/a
    const c = await watch('/api/v1/pods?watch=true&allowWatchBookmarks=true');
    const events = await c.events$(4);
    expect(events.map((e) => `${e.type} ${e.object.metadata.namespace}/${e.object.metadata.name}`)).toEqual([
      'ADDED ns-a/z',
      'ADDED ns/a',
      'ADDED ns/b',
      'ADDED ns2/a',
    ]);
    expect(events[1]!.object.metadata.resourceVersion).toBe((a.metadata as { resourceVersion: string }).resourceVersion);
    expect(events[2]!.object.metadata.resourceVersion).toBe((b.metadata as { resourceVersion: string }).resourceVersion);
    expect(events[3]!.object.metadata.resourceVersion).toBe((a2.metadata as { resourceVersion: string }).resourceVersion);
    // No end bookmark without sendInitialEvents: the next event is the live one.
    server.create(Pod, pod('c'));
    const next = (await c.events$(5))[4]!;
    expect(next.type).toBe('ADDED');
    expect(next.object.metadata.name).toBe('c');
  });

  it('watch-list (sendInitialEvents + bookmarks) ends its initial events with the annotated bookmark at the global RV', async () => {
    server.create(Pod, pod('b'));
    server.create(Pod, pod('a'));
    server.create(ConfigMap, { metadata: { name: 'other', namespace: 'ns' } });
    server.burnRevisions(5);
    const c = await watch(`${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    await c.events$(3);
    expect(c.lines[2]).toBe(
      `{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"${server.resourceVersion}",` +
        `"annotations":{"k8s.io/initial-events-end":"true"}},"spec":{"containers":null},"status":{}}}`,
    );
    expect(c.events.slice(0, 2).map((e) => e.object.metadata.name)).toEqual(['a', 'b']);
  });

  it('sends the end bookmark as the first event when there are no objects', async () => {
    const c = await watch(`${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=0`);
    const [first] = await c.events$(1);
    expect(first!.type).toBe('BOOKMARK');
    expect(first!.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('sends no end bookmark for sendInitialEvents without allowWatchBookmarks', async () => {
    server.create(Pod, pod('a'));
    const c = await watch(`${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`);
    await c.events$(1);
    server.create(Pod, pod('b'));
    const events = await c.events$(2);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED']);
  });

  it('bookmarks are of the watched kind and apiVersion (Deployment apps/v1)', async () => {
    const c = await watch('/apis/apps/v1/namespaces/ns/deployments?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true');
    const [bm] = await c.events$(1);
    expect(bm!.object.kind).toBe('Deployment');
    expect(bm!.object.apiVersion).toBe('apps/v1');
    expect(bm!.object.spec.selector).toBeNull();
  });

  it('with the defaulting step on, a legacy watch with RV unset or 0 gets the end bookmark (checklist 5)', async () => {
    await server.close();
    await start(); // watchListDefaulting defaults to true
    server.create(Pod, pod('a'));
    for (const rv of ['', '&resourceVersion=0']) {
      const c = await watch(`${PODS}?watch=1&allowWatchBookmarks=true${rv}`);
      const events = await c.events$(2);
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
      expect(events[1]!.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    }
  });

  it('sendInitialEvents=false with RV unset starts at the current RV without initial state', async () => {
    server.create(Pod, pod('a'));
    const c = await watch(`${PODS}?watch=1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan`);
    server.create(Pod, pod('b'));
    const [e] = await c.events$(1);
    expect(e!.object.metadata.name).toBe('b');
  });

  it('ignoreSendInitialEvents mode accepts the request but never sends the end bookmark', async () => {
    server.config.ignoreSendInitialEvents = true;
    server.create(Pod, pod('a'));
    const c = await watch(`${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    expect(c.status).toBe(200);
    await c.events$(1);
    server.create(Pod, pod('b'));
    const events = await c.events$(2);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b']);
  });
});

describe('FakeApiServer watch: live events (§6, §10, checklist 11)', () => {
  it('sends ADDED/MODIFIED/DELETED in strictly increasing RV order; DELETED carries the deletion RV', async () => {
    const c = await watch(`${PODS}?watch=1&resourceVersion=${server.resourceVersion}`);
    server.create(Pod, pod('a'));
    server.burnRevisions(10);
    const updated = server.update(Pod, { ...pod('a'), metadata: { name: 'a', namespace: 'ns', labels: { v: '2' } } });
    const deleted = server.delete(Pod, 'a', 'ns');
    const events = await c.events$(3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs[1]! - rvs[0]!).toBe(11);
    expect(rvs[2]).toBe(rvs[1]! + 1);
    expect(events[2]!.object.metadata.resourceVersion).toBe(server.resourceVersion);
    expect(events[2]!.object.metadata.labels).toEqual({ v: '2' });
    expect(events[2]!.object).toEqual(deleted);
    expect(events[1]!.object).toEqual(updated);
  });

  it('does not deliver other namespaces or other kinds to a namespaced watch', async () => {
    const c = await watch(`${PODS}?watch=1&resourceVersion=${server.resourceVersion}`);
    server.create(Pod, pod('x', 'other'));
    server.create(ConfigMap, { metadata: { name: 'x', namespace: 'ns' } });
    server.create(Pod, pod('y', 'ns'));
    const [e] = await c.events$(1);
    expect(e!.object.metadata.name).toBe('y');
    expect(c.events).toHaveLength(1);
  });

  it('serves all-namespaces and cluster-scoped collections', async () => {
    const all = await watch(`/api/v1/pods?watch=1&resourceVersion=${server.resourceVersion}`);
    const nodes = await watch(`/api/v1/nodes?watch=1&resourceVersion=${server.resourceVersion}`);
    server.create(Pod, pod('p', 'ns1'));
    server.create(Pod, pod('q', 'ns2'));
    server.create(Node, { metadata: { name: 'n1' } });
    expect((await all.events$(2)).map((e) => e.object.metadata.namespace)).toEqual(['ns1', 'ns2']);
    const [n] = await nodes.events$(1);
    expect(n!.object.metadata).not.toHaveProperty('namespace');
    expect(n!.object.kind).toBe('Node');
  });

  it('label selector: entering is ADDED, staying MODIFIED, leaving DELETED with the old content and new RV', async () => {
    server.create(Pod, pod('a', 'ns', { app: 'db' }));
    const c = await watch(`${PODS}?watch=1&labelSelector=${encodeURIComponent('app in (web)')}&resourceVersion=${server.resourceVersion}`);
    server.update(Pod, { ...pod('a'), metadata: { name: 'a', namespace: 'ns', labels: { app: 'web' } } });
    server.update(Pod, { ...pod('a'), metadata: { name: 'a', namespace: 'ns', labels: { app: 'web', x: '1' } } });
    const left = server.update(Pod, { ...pod('a'), metadata: { name: 'a', namespace: 'ns', labels: { app: 'db' } } });
    server.create(Pod, pod('b', 'ns', { app: 'db' }));
    server.create(Pod, pod('c', 'ns', { app: 'web' }));
    const events = await c.events$(4);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a', 'ADDED c']);
    expect(events[2]!.object.metadata.labels).toEqual({ app: 'web', x: '1' });
    expect(events[2]!.object.metadata.resourceVersion).toBe((left.metadata as { resourceVersion: string }).resourceVersion);
  });

  it('field selector metadata.name watches a single object', async () => {
    server.create(Pod, pod('a'));
    server.create(Pod, pod('b'));
    const c = await watch(`${PODS}?watch=1&fieldSelector=metadata.name%3Db`);
    server.delete(Pod, 'a', 'ns');
    server.delete(Pod, 'b', 'ns');
    const events = await c.events$(2);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'DELETED b']);
  });

  it('the deprecated /watch/ prefix forces watch mode, also for one item', async () => {
    server.create(Pod, pod('a'));
    server.create(Pod, pod('b'));
    const c = await watch('/api/v1/watch/namespaces/ns/pods/b');
    const events = await c.events$(1);
    expect(events[0]!.object.metadata.name).toBe('b');
    // Real changes: an update that changes nothing emits no event (AS:storage/etcd3/store.go GuaranteedUpdate).
    server.update(Pod, pod('a', 'ns', { v: '2' }));
    server.update(Pod, pod('b', 'ns', { v: '2' }));
    expect((await c.events$(2))[1]!.object.metadata.name).toBe('b');
  });

  it('any watch value except 0/false is on, including empty', async () => {
    for (const v of ['', '1', 'true', 'yes', 'TRUE']) {
      const c = await watch(`${PODS}?watch=${v}&resourceVersion=${server.resourceVersion}`);
      expect(c.headers['transfer-encoding']).toBe('chunked');
      expect(server.openWatches).toBe(1);
      c.close();
      await server.waitForOpenWatches(0);
    }
    for (const v of ['0', 'false', 'False']) {
      const res = await fetchRaw(`${server.url}${PODS}?watch=${v}`);
      expect(JSON.parse(res.body)).toMatchObject({ kind: 'PodList' });
    }
  });

  it('a watch from a future RV stays silent until that RV exists, then sends only later events', async () => {
    const future = Number(server.resourceVersion) + 3;
    const c = await watch(`${PODS}?watch=1&resourceVersion=${future}&allowWatchBookmarks=true`);
    server.create(Pod, pod('a')); // +1
    server.create(Pod, pod('b')); // +2
    server.create(Pod, pod('c')); // +3 = future: not after it
    server.create(Pod, pod('d')); // +4
    const [e] = await c.events$(1);
    expect(e!.object.metadata.name).toBe('d');
    expect(c.events).toHaveLength(1);
  });
});

describe('FakeApiServer watch: resume from an RV and expiry (§4.2, checklist 13)', () => {
  it('replays the changes after RV N from history', async () => {
    server.create(Pod, pod('a'));
    const from = server.resourceVersion;
    server.update(Pod, pod('a', 'ns', { v: '2' })); // a real change: a no-op update would emit nothing
    server.create(Pod, pod('b'));
    const c = await watch(`${PODS}?watch=1&resourceVersion=${from}`);
    const events = await c.events$(2);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['MODIFIED a', 'ADDED b']);
  });

  it('too old RV: HTTP 200, exactly one ERROR 410 Expired, clean close', async () => {
    server.create(Pod, pod('a'));
    const old = server.resourceVersion;
    server.update(Pod, pod('a', 'ns', { v: '2' })); // a real change: a no-op update would not move the RV
    server.compact();
    const c = await watch(`${PODS}?watch=1&resourceVersion=${old}`);
    expect(c.status).toBe(200);
    expect(await c.ended).toBe('clean');
    expect(c.lines).toEqual([
      `{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: ${old} (${server.resourceVersion})","reason":"Expired","code":410}}`,
    ]);
    expect(await server.watchLog[0]!.closed).toBe('error');
  });

  it('bounded history: RVs evicted from the history expire; the message names oldest-1', async () => {
    await server.close();
    await start({ historySize: 2, initialResourceVersion: 100 });
    server.create(Pod, pod('a')); // 101
    server.create(Pod, pod('b')); // 102
    server.create(Pod, pod('c')); // 103, evicts 101
    const ok = await watch(`${PODS}?watch=1&resourceVersion=101`);
    expect((await ok.events$(2)).map((e) => e.object.metadata.name)).toEqual(['b', 'c']);
    const expired = await watch(`${PODS}?watch=1&resourceVersion=100`);
    await expired.ended;
    expect(expired.events[0]!.object.message).toBe('too old resource version: 100 (101)');
  });

  it('expiredStyle event-gone uses reason Gone; http answers HTTP 410; empty closes at once', async () => {
    server.compact();
    server.create(Pod, pod('a'));
    server.compact();
    server.config.expiredStyle = 'event-gone';
    const gone = await watch(`${PODS}?watch=1&resourceVersion=1000`);
    await gone.ended;
    expect(gone.events.map((e) => [e.type, e.object.reason, e.object.code])).toEqual([['ERROR', 'Gone', 410]]);

    server.config.expiredStyle = 'http';
    const res = await fetchRaw(`${server.url}${PODS}?watch=1&resourceVersion=1000`);
    expect(res.status).toBe(410);
    expect(res.body).toBe(
      `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1000 (1001)","reason":"Expired","code":410}\n`,
    );

    server.config.expiredStyle = 'empty';
    const empty = await watch(`${PODS}?watch=1&resourceVersion=1000`);
    expect(await empty.ended).toBe('clean');
    expect(empty.chunks).toEqual([]);
  });
});

describe('FakeApiServer watch: sendInitialEvents with a future RV (§4.3, checklist 14)', () => {
  it('sends the in-stream 504 Too large after the wait', async () => {
    server.config.tooLargeResourceVersionWaitMs = 50;
    const current = server.resourceVersion;
    const c = await watch(`${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=99999`);
    expect(c.status).toBe(200);
    expect(await c.ended).toBe('clean');
    expect(c.lines).toEqual([
      `{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: Too large resource version: 99999, current: ${current}","reason":"Timeout","details":{"causes":[{"reason":"ResourceVersionTooLarge","message":"Too large resource version"}],"retryAfterSeconds":1},"code":504}}`,
    ]);
  });

  it('serves the state once the RV arrives within the wait', async () => {
    const target = Number(server.resourceVersion) + 2;
    const c = await watch(`${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=${target}`);
    server.create(Pod, pod('a'));
    server.create(Pod, pod('b'));
    const events = await c.events$(3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(events[2]!.object.metadata.resourceVersion).toBe(String(target));
  });
});

describe('FakeApiServer watch: bookmarks and timeouts (§3.2, §5)', () => {
  it('sends periodic bookmarks only when the global RV moved, never annotated', async () => {
    server.config.bookmarkIntervalMs = 20;
    const c = await watch(`${PODS}?watch=1&allowWatchBookmarks=true&resourceVersion=${server.resourceVersion}`);
    await sleep(80); // several intervals with no RV change: nothing may be sent
    expect(c.events).toEqual([]);
    server.burnRevisions(3);
    const [bm] = await c.events$(1);
    expect(bm).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: server.resourceVersion }, spec: { containers: null }, status: {} },
    });
  });

  it('sends no bookmarks without allowWatchBookmarks', async () => {
    server.config.bookmarkIntervalMs = 10;
    const c = await watch(`${PODS}?watch=1&resourceVersion=${server.resourceVersion}`);
    server.burnRevisions(3);
    server.sendBookmarks();
    await sleep(50);
    server.create(Pod, pod('a'));
    const [e] = await c.events$(1);
    expect(e!.type).toBe('ADDED');
  });

  it('ends the stream cleanly after timeoutSeconds, with a bookmark shortly before the deadline', async () => {
    server.config.bookmarkBeforeDeadlineMs = 150;
    const c = await watch(`${PODS}?watch=1&allowWatchBookmarks=true&timeoutSeconds=0.3&resourceVersion=${server.resourceVersion}`);
    server.burnRevisions(1);
    expect(await c.ended).toBe('clean');
    expect(c.events.map((e) => e.type)).toEqual(['BOOKMARK']);
    expect(c.partial()).toBe('');
    expect(server.watchLog[0]!.closeReason).toBe('timeout');
  });

  it('without timeoutSeconds uses a random duration in [min, 2·min)', async () => {
    server.config.minRequestTimeoutSeconds = 0.1;
    const c = await watch(`${PODS}?watch=1&resourceVersion=${server.resourceVersion}`);
    const w = server.watchLog[0]!;
    expect(w.timeoutMs).toBeGreaterThanOrEqual(100);
    expect(w.timeoutMs).toBeLessThan(200);
    expect(await c.ended).toBe('clean');
    expect(await w.closed).toBe('timeout');
  });

  it('ignores timeout, limit and continue on a watch', async () => {
    server.create(Pod, pod('a'));
    const c = await watch(`${PODS}?watch=1&timeout=1ms&limit=1&continue=abc`);
    server.create(Pod, pod('b'));
    expect((await c.events$(2)).map((e) => e.object.metadata.name)).toEqual(['a', 'b']);
  });
});

describe('FakeApiServer watch: metadata-only (§8)', () => {
  it('turns objects and bookmarks into PartialObjectMetadata, keeping Content-Type application/json', async () => {
    server.create(Pod, pod('a', 'ns', { app: 'x' }));
    const c = await watch(`${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`, {
      accept: 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json',
    });
    expect(c.headers['content-type']).toBe('application/json');
    const [added, bm] = await c.events$(2);
    expect(added!.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ name: 'a', labels: { app: 'x' } }) });
    expect(bm!.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: server.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } },
    });
  });

  it('answers 406 when no acceptable media type is offered', async () => {
    const res = await fetchRaw(`${server.url}${PODS}?watch=1`, { headers: { accept: 'application/vnd.kubernetes.protobuf' } });
    expect(res.status).toBe(406);
    expect(JSON.parse(res.body)).toMatchObject({ reason: 'NotAcceptable', code: 406 });
  });
});

describe('FakeApiServer: custom resources', () => {
  it('serves a registered custom resource with a CRD-style bookmark (no skeleton)', async () => {
    const FooBar = defineResource({ apiVersion: 'example.com/v1', kind: 'FooBar', plural: 'foobars', namespaced: true });
    server.register(FooBar);
    const c = await watch('/apis/example.com/v1/foobars?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true');
    const [bm] = await c.events$(1);
    expect(bm!.object).toEqual({
      kind: 'FooBar',
      apiVersion: 'example.com/v1',
      metadata: { resourceVersion: server.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } },
    });
  });

  it('treats any descriptor with the same path as the same collection', async () => {
    const MyDeployment = defineResource({ apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true });
    server.create(MyDeployment, { metadata: { name: 'd', namespace: 'ns' } });
    expect(server.get(Deployment, 'd', 'ns')).toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1' });
  });
});

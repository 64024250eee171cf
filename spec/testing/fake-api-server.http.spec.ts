import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { FakeApiServer, FakeStoreError, testResources } from '../../lib/testing/index.js';
import { fetchRaw, openWatch, sleep, type WatchClient } from './http-helpers.js';
import { startWithNamespaces } from './namespace-helpers.js';

const { Pod, Node, Deployment } = testResources;
const PODS = '/api/v1/namespaces/ns/pods';

let server: FakeApiServer;
const clients: WatchClient[] = [];

async function watch(path: string): Promise<WatchClient> {
  const c = await openWatch(server.url + path);
  clients.push(c);
  return c;
}

const watchNow = (): string => `${PODS}?watch=1&resourceVersion=${server.resourceVersion}`;

function pod(name: string, namespace = 'ns'): { metadata: Record<string, unknown>; spec: unknown } {
  return { metadata: { name, namespace }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

function invalid(causes: { field: string; reason: string; body: string }[]): string {
  const errs = causes.map((c) => `${c.field}: ${c.body}`);
  const message = `ListOptions.meta.k8s.io "" is invalid: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}`;
  return (
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: 'Invalid',
      details: { group: 'meta.k8s.io', kind: 'ListOptions', causes: causes.map((c) => ({ reason: c.reason, message: c.body, field: c.field })) },
      code: 422,
    }) + '\n'
  );
}

const SIE_NEEDS_MATCH = { field: 'resourceVersionMatch', reason: 'FieldValueForbidden', body: 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' };
const GATE_OFF = { field: 'sendInitialEvents', reason: 'FieldValueForbidden', body: 'Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled' };
const MATCH_NEEDS_SIE = { field: 'resourceVersionMatch', reason: 'FieldValueForbidden', body: 'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided' };
const EXACT_UNSUPPORTED = { field: 'resourceVersionMatch', reason: 'FieldValueNotSupported', body: 'Unsupported value: "Exact": supported values: "NotOlderThan"' };

beforeEach(async () => {
  server = await startWithNamespaces({}, ['ns', 'other']);
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

describe('FakeApiServer: 422 validation of watch options (§1.3, checklist 4)', () => {
  it.each([
    ['rule 1: sendInitialEvents without resourceVersionMatch', 'sendInitialEvents=true', [SIE_NEEDS_MATCH]],
    ['rule 1: sendInitialEvents=false counts as present', 'sendInitialEvents=false', [SIE_NEEDS_MATCH]],
    ['rule 3: resourceVersionMatch without sendInitialEvents', 'resourceVersionMatch=NotOlderThan&resourceVersion=5', [MATCH_NEEDS_SIE]],
    ['rules 1 + 4: Exact with sendInitialEvents', 'sendInitialEvents=true&resourceVersionMatch=Exact', [SIE_NEEDS_MATCH, EXACT_UNSUPPORTED]],
    [
      'rule 5: with continue',
      'sendInitialEvents=true&resourceVersionMatch=NotOlderThan&continue=x',
      [{ field: 'resourceVersionMatch', reason: 'FieldValueForbidden', body: 'Forbidden: resourceVersionMatch is forbidden when continue is provided' }],
    ],
  ])('%s', async (_name, query, causes) => {
    const res = await fetchRaw(`${server.url}${PODS}?watch=1&${query}`);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe(invalid(causes));
  });

  it('rule 2: watchListDisabled rejects sendInitialEvents and turns off the defaulting step', async () => {
    server.config.watchListDisabled = true;
    const res = await fetchRaw(`${server.url}${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`);
    expect(res.status).toBe(422);
    expect(res.body).toBe(invalid([GATE_OFF]));
    server.create(Pod, pod('a'));
    const c = await watch(`${PODS}?watch=1&allowWatchBookmarks=true`);
    await c.events$(1);
    server.create(Pod, pod('b'));
    expect((await c.events$(2)).map((e) => e.type)).toEqual(['ADDED', 'ADDED']);
  });

  it('pre127: any resourceVersionMatch on a watch is forbidden', async () => {
    server.config.pre127 = true;
    const res = await fetchRaw(`${server.url}${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`);
    expect(res.status).toBe(422);
    expect(res.body).toBe(invalid([{ field: 'resourceVersionMatch', reason: 'FieldValueForbidden', body: 'Forbidden: resourceVersionMatch is forbidden for watch' }]));
  });

  it('sendInitialEvents on a list is forbidden', async () => {
    const res = await fetchRaw(`${server.url}${PODS}?sendInitialEvents=true`);
    expect(res.status).toBe(422);
    expect(res.body).toBe(invalid([{ field: 'sendInitialEvents', reason: 'FieldValueForbidden', body: 'Forbidden: sendInitialEvents is forbidden for list' }]));
  });

  it('allowWatchBookmarks is not required with sendInitialEvents', async () => {
    const c = await watch(`${PODS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`);
    expect(c.status).toBe(200);
  });
});

describe('FakeApiServer: 400 and 500 request errors (§1.2, §1.3)', () => {
  it('answers a bad label selector with 400 BadRequest', async () => {
    const res = await fetchRaw(`${server.url}${PODS}?watch=1&labelSelector=${encodeURIComponent('a in (')}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
  });

  it('answers an unknown field label with the default conversion message', async () => {
    // ConfigMaps have no field label conversion func (Pods do: fake-api-server.field-selectors.spec.ts).
    const res = await fetchRaw(`${server.url}/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=spec.nodeName%3Dn1`);
    expect(res.status).toBe(400);
    expect(res.body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\\"spec.nodeName\\" is not a known field selector: only \\"metadata.name\\", \\"metadata.namespace\\"","reason":"BadRequest","code":400}\n',
    );
  });

  it('answers a non-numeric resourceVersion with 500 and no reason', async () => {
    const res = await fetchRaw(`${server.url}${PODS}?watch=1&resourceVersion=abc`);
    expect(res.status).toBe(500);
    expect(res.body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"resourceVersion: Invalid value: \\"abc\\": strconv.ParseUint: parsing \\"abc\\": invalid syntax","code":500}\n',
    );
  });
});

describe('FakeApiServer: paths, GET and LIST (§1.1, §4.5)', () => {
  it('answers an unknown resource in a served group-version with the 404 Status', async () => {
    for (const path of ['/api/v1/foos?watch=1', '/apis/apps/v1/namespaces/ns/foos', '/api/v1/namespaces/ns/nodes', '/api/v1/pods/x']) {
      const res = await fetchRaw(server.url + path);
      expect([path, res.status, res.body]).toEqual([
        path,
        404,
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}\n',
      ]);
    }
  });

  it('answers an unknown group or version with text/plain 404 page not found', async () => {
    for (const path of ['/api/v2/pods', '/apis/nope.io/v1/foos', '/healthz-nope']) {
      const res = await fetchRaw(server.url + path);
      expect([path, res.status, res.headers['content-type'], res.body]).toEqual([path, 404, 'text/plain; charset=utf-8', '404 page not found\n']);
    }
  });

  it('lists with kind XList, the collection RV and items without apiVersion/kind, sorted', async () => {
    server.create(Deployment, { metadata: { name: 'b', namespace: 'ns' }, spec: { replicas: 1 } });
    server.create(Deployment, { metadata: { name: 'a', namespace: 'ns' } });
    server.create(Deployment, { metadata: { name: 'c', namespace: 'other' } });
    const res = await fetchRaw(`${server.url}/apis/apps/v1/namespaces/ns/deployments`);
    expect(res.status).toBe(200);
    const list = JSON.parse(res.body) as { kind: string; apiVersion: string; metadata: unknown; items: Record<string, unknown>[] };
    expect(list.kind).toBe('DeploymentList');
    expect(list.apiVersion).toBe('apps/v1');
    expect(list.metadata).toEqual({ resourceVersion: server.resourceVersion });
    expect(list.items.map((i) => (i['metadata'] as { name: string }).name)).toEqual(['a', 'b']);
    // Seeded objects get their kind's defaults (SetDefaults_Deployment), as a real server's decoder fills them.
    expect(list.items[1]).toEqual({
      metadata: expect.objectContaining({ name: 'b' }),
      spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 },
    });
  });

  it('lists with a label selector', async () => {
    server.create(Pod, { metadata: { name: 'a', namespace: 'ns', labels: { app: 'web' } } });
    server.create(Pod, { metadata: { name: 'b', namespace: 'ns' } });
    const res = await fetchRaw(`${server.url}${PODS}?labelSelector=app%3Dweb`);
    expect((JSON.parse(res.body) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name)).toEqual(['a']);
  });

  it('?watch on an item path is a plain GET of the object (§1.1)', async () => {
    const stored = server.create(Pod, pod('a'));
    const res = await fetchRaw(`${server.url}${PODS}/a?watch=1`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual(stored);
    expect(server.openWatches).toBe(0);
    const missing = await fetchRaw(`${server.url}/apis/apps/v1/namespaces/ns/deployments/nope`);
    expect(missing.body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"nope\\" not found","reason":"NotFound","details":{"name":"nope","group":"apps","kind":"deployments"},"code":404}\n',
    );
  });

  it('serves cluster-scoped items on the short path', async () => {
    server.create(Node, { metadata: { name: 'n1' } });
    const res = await fetchRaw(`${server.url}/api/v1/nodes/n1`);
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'Node', metadata: { name: 'n1' } });
  });

  it('answers verbs a route does not have with 405 (writes: see fake-api-server.crud.spec.ts)', async () => {
    for (const [method, path] of [['PUT', PODS], ['PATCH', PODS], ['POST', '/api/v1/pods'], ['POST', `${PODS}/x`]] as const) {
      const res = await fetchRaw(`${server.url}${path}`, { method });
      expect([method, path, res.status, JSON.parse(res.body).reason]).toEqual([method, path, 405, 'MethodNotAllowed']);
    }
  });
});

describe('FakeApiServer: HTTP fault injection (§4.4, §4.5, checklist 17–18)', () => {
  it('429 as a JSON Status with Retry-After, only for the next N requests', async () => {
    server.failNext(2, { type: 'TooManyRequests', retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const res = await fetchRaw(server.url + watchNow());
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('3');
      expect(res.body).toBe(
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests: storage is (re)initializing","reason":"TooManyRequests","details":{"retryAfterSeconds":3},"code":429}\n',
      );
    }
    const ok = await watch(watchNow());
    expect(ok.status).toBe(200);
  });

  it('429 as text/plain with Retry-After', async () => {
    server.failNext(1, { type: 'TooManyRequestsText', retryAfterSeconds: 2 });
    const res = await fetchRaw(server.url + watchNow());
    expect([res.status, res.headers['content-type'], res.headers['retry-after'], res.body]).toEqual([
      429,
      'text/plain; charset=utf-8',
      '2',
      'Too many requests, please try again later.\n',
    ]);
  });

  it('401 Unauthorized', async () => {
    server.failNext(1, { type: 'Unauthorized' });
    const res = await fetchRaw(server.url + watchNow());
    expect(res.status).toBe(401);
    expect(res.body).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n');
  });

  it('403 Forbidden with the authorizer message, namespace and cluster scope, core and named groups', async () => {
    server.failNext(3, { type: 'Forbidden', user: 'alice' });
    const ns = await fetchRaw(server.url + watchNow());
    expect(ns.status).toBe(403);
    expect(ns.body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \\"alice\\" cannot watch resource \\"pods\\" in API group \\"\\" in the namespace \\"ns\\"","reason":"Forbidden","details":{"kind":"pods"},"code":403}\n',
    );
    const cluster = JSON.parse((await fetchRaw(`${server.url}/apis/apps/v1/deployments`)).body) as { message: string; details: unknown };
    expect(cluster.message).toBe('deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope');
    expect(cluster.details).toEqual({ group: 'apps', kind: 'deployments' });
    const one = JSON.parse((await fetchRaw(`${server.url}${PODS}?watch=1&fieldSelector=metadata.name%3Dfoo`)).body) as { message: string };
    expect(one.message).toBe('pods "foo" is forbidden: User "alice" cannot watch resource "pods" in API group "" in the namespace "ns"');
  });

  it('404, 500 and HTTP 410 on demand; match limits which requests fail', async () => {
    server.failNext(1, { type: 'InternalError', message: 'boom' }, (r) => r.path.endsWith('/deployments'));
    server.failNext(1, { type: 'NotFound' });
    server.failNext(1, { type: 'Gone' });
    expect((await fetchRaw(server.url + PODS)).status).toBe(404);
    expect((await fetchRaw(server.url + PODS)).body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"The resourceVersion for the provided watch is too old.","reason":"Expired","code":410}\n',
    );
    expect((await fetchRaw(server.url + PODS)).status).toBe(200);
    const res = await fetchRaw(`${server.url}/apis/apps/v1/deployments`);
    expect(res.body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: boom","reason":"InternalError","details":{"causes":[{"message":"boom"}]},"code":500}\n',
    );
  });

  it('Reset destroys the socket without a response', async () => {
    server.failNext(1, { type: 'Reset' });
    await expect(fetchRaw(server.url + PODS)).rejects.toThrow();
  });
});

describe('FakeApiServer: in-stream errors and stream control (checklist 7, 16, 19)', () => {
  it('injectWatchError sends one ERROR then closes cleanly; later writes are not sent', async () => {
    const c = await watch(watchNow());
    expect(server.injectWatchError()).toBe(1);
    server.create(Pod, pod('late'));
    expect(await c.ended).toBe('clean');
    expect(c.lines).toEqual([
      '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: injected watch error","reason":"InternalError","details":{"causes":[{"message":"injected watch error"}]},"code":500}}',
    ]);
    expect(server.injectWatchError()).toBe(0);
  });

  it('injectWatchError with any code and retryAfterSeconds', async () => {
    const c = await watch(watchNow());
    server.injectWatchError({ code: 429, reason: 'TooManyRequests', message: 'slow down', retryAfterSeconds: 2 });
    await c.ended;
    expect(c.events).toEqual([
      { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'slow down', reason: 'TooManyRequests', details: { retryAfterSeconds: 2 }, code: 429 } },
    ]);
  });

  it('split mode cuts each line into chunks of N bytes that arrive separately', async () => {
    server.config.chunking = { mode: 'split', chunkBytes: 16 };
    const c = await watch(watchNow());
    server.create(Pod, pod('a'));
    server.create(Pod, pod('b'));
    await c.events$(2);
    expect(c.chunks.length).toBeGreaterThan(4);
    for (const chunk of c.chunks) expect(chunk.length).toBeLessThanOrEqual(16);
    expect(c.events.map((e) => e.object.metadata.name)).toEqual(['a', 'b']);
  });

  it('pack mode puts several events into one write', async () => {
    server.config.chunking = { mode: 'pack' };
    const c = await watch(watchNow());
    server.create(Pod, pod('a'));
    server.create(Pod, pod('b'));
    server.create(Pod, pod('c'));
    await c.events$(3);
    expect(c.chunks).toHaveLength(1);
    expect(c.chunks[0]!.toString().split('\n')).toHaveLength(4);
  });

  it('dropConnections({ midLine: true }) writes half a line, then resets the stream', async () => {
    const c = await watch(watchNow());
    server.create(Pod, pod('a'));
    await c.events$(1);
    expect(server.dropConnections({ midLine: true })).toBe(1);
    server.create(Pod, pod('b'));
    expect(await c.ended).toBe('abrupt');
    expect(c.events).toHaveLength(1);
    expect(c.partial().length).toBeGreaterThan(0);
    expect(c.partial()).toMatch(/^\{"type":"ADDED"/);
    expect(await server.watchLog[0]!.closed).toBe('dropped');
  });

  it('dropConnections() without midLine resets at once', async () => {
    const c = await watch(watchNow());
    server.dropConnections();
    expect(await c.ended).toBe('abrupt');
    expect(c.chunks).toEqual([]);
  });

  it('stallWatches holds events until resumeWatches', async () => {
    const c = await watch(watchNow());
    server.stallWatches();
    server.create(Pod, pod('a'));
    await sleep(30);
    expect(c.chunks).toEqual([]);
    server.resumeWatches();
    expect((await c.events$(1))[0]!.object.metadata.name).toBe('a');
  });

  it('endWatches closes cleanly with reason ended', async () => {
    const c = await watch(watchNow());
    expect(server.endWatches()).toBe(1);
    expect(await c.ended).toBe('clean');
    expect(await server.watchLog[0]!.closed).toBe('ended');
  });
});

describe('FakeApiServer: observation', () => {
  it('records requests and resolves nextRequest with the next match', async () => {
    const next = server.nextRequest((r) => r.query.get('watch') === '1');
    await fetchRaw(`${server.url}${PODS}?labelSelector=a`);
    const c = await watch(`${PODS}?watch=1&allowWatchBookmarks=true`);
    const r = await next;
    expect(r.path).toBe(PODS);
    expect(r.query.get('allowWatchBookmarks')).toBe('true');
    expect(r.method).toBe('GET');
    expect(server.requests.map((x) => x.url)).toEqual([`${PODS}?labelSelector=a`, `${PODS}?watch=1&allowWatchBookmarks=true`]);
    server.clearRequests();
    expect(server.requests).toEqual([]);
    c.close();
  });

  it('nextRequest rejects after its timeout', async () => {
    await expect(server.nextRequest(undefined, 20)).rejects.toThrow('timed out after 20 ms');
  });

  it('proves the server saw the client close the watch socket', async () => {
    const a = await watch(watchNow());
    await watch(watchNow());
    await server.waitForOpenWatches(2);
    const closed = server.waitForWatchClosed();
    a.close();
    const info = await closed;
    expect(info.closeReason).toBe('client');
    expect(info.id).toBe(1);
    expect(server.openWatches).toBe(1);
    expect(server.watches.map((w) => w.id)).toEqual([2]);
  });

  it('close() ends open watches cleanly and does not hang', async () => {
    const c = await watch(`${PODS}?watch=1&resourceVersion=${server.resourceVersion}`);
    server.stallWatches();
    server.create(Pod, pod('a'));
    await server.close();
    expect(await c.ended).toBe('clean');
    expect(server.watchLog[0]!.closeReason).toBe('shutdown');
  });
});

describe('FakeApiServer: programmatic store', () => {
  it('fills metadata on create and returns deep copies', () => {
    const input = { metadata: { generateName: 'web-', namespace: 'ns', labels: { a: 'b' } }, spec: { x: 1 } };
    const created = server.create(Pod, input) as { metadata: Record<string, unknown>; kind: string; apiVersion: string };
    expect(created.kind).toBe('Pod');
    expect(created.apiVersion).toBe('v1');
    expect(created.metadata['name']).toMatch(/^web-[a-z0-9]{5}$/);
    expect(created.metadata['uid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata['resourceVersion']).toBe(server.resourceVersion);
    expect(created.metadata['generation']).toBe(1);
    expect(created.metadata['creationTimestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    (created.metadata['labels'] as Record<string, string>)['a'] = 'mutated';
    input.metadata.labels.a = 'mutated';
    const name = created.metadata['name'] as string;
    expect((server.get(Pod, name, 'ns') as { metadata: { labels: unknown } }).metadata.labels).toEqual({ a: 'b' });
  });

  it('defaults the namespace and rejects one on cluster-scoped kinds', () => {
    expect(server.create(Pod, { metadata: { name: 'p' } })).toMatchObject({ metadata: { namespace: 'default' } });
    expect(() => server.create(Node, { metadata: { name: 'n', namespace: 'x' } })).toThrow(FakeStoreError);
  });

  it('throws for duplicates, missing objects and stale resourceVersions', () => {
    server.create(Pod, pod('a'));
    expect(() => server.create(Pod, pod('a'))).toThrow(expect.objectContaining({ reason: 'AlreadyExists' }));
    expect(() => server.update(Pod, pod('missing'))).toThrow(expect.objectContaining({ reason: 'NotFound' }));
    expect(() => server.delete(Pod, 'missing', 'ns')).toThrow(expect.objectContaining({ reason: 'NotFound' }));
    const stale = { metadata: { name: 'a', namespace: 'ns', resourceVersion: '1' } };
    expect(() => server.update(Pod, stale)).toThrow(expect.objectContaining({ reason: 'Conflict' }));
    expect(() => server.create(Pod, { kind: 'Node', metadata: { name: 'z', namespace: 'ns' } })).toThrow(expect.objectContaining({ reason: 'Invalid' }));
  });

  it('update keeps uid and creationTimestamp and bumps generation only on spec changes', () => {
    const a = server.create(Pod, pod('a')) as { metadata: Record<string, unknown> };
    const same = server.update(Pod, { ...pod('a'), status: { phase: 'Running' } }) as { metadata: Record<string, unknown> };
    expect(same.metadata['uid']).toBe(a.metadata['uid']);
    expect(same.metadata['creationTimestamp']).toBe(a.metadata['creationTimestamp']);
    expect(same.metadata['generation']).toBe(1);
    const changed = server.update(Pod, { metadata: { name: 'a', namespace: 'ns' }, spec: { other: true } }) as { metadata: Record<string, unknown> };
    expect(changed.metadata['generation']).toBe(2);
  });

  it('shares one global resourceVersion across kinds, and burnRevisions leaves gaps', () => {
    const start = Number(server.resourceVersion);
    server.create(Pod, pod('a'));
    server.create(Node, { metadata: { name: 'n' } });
    server.burnRevisions(5);
    const d = server.create(Deployment, { metadata: { name: 'd', namespace: 'ns' } }) as { metadata: { resourceVersion: string } };
    expect(Number(d.metadata.resourceVersion)).toBe(start + 8);
    expect(server.list(Pod).map((p) => (p as { metadata: { name: string } }).metadata.name)).toEqual(['a']);
  });
});

describe('FakeApiServer list paging', () => {
  it('pages with limit/continue at the first page\'s resourceVersion, and expires old tokens with 410', async () => {
    const server = await FakeApiServer.start();
    try {
      for (let i = 0; i < 5; i++) server.create(testResources.Pod, { metadata: { name: `p${i}`, namespace: 'default' } });
      const rv = server.resourceVersion;
      const first = JSON.parse((await fetchRaw(`${server.url}/api/v1/namespaces/default/pods?limit=2`)).body);
      expect(first.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['p0', 'p1']);
      expect(first.metadata).toEqual({ resourceVersion: rv, continue: expect.any(String), remainingItemCount: 3 });
      server.create(testResources.Pod, { metadata: { name: 'p9', namespace: 'default' } });
      const second = JSON.parse((await fetchRaw(`${server.url}/api/v1/namespaces/default/pods?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`)).body);
      expect(second.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['p2', 'p3']);
      expect(second.metadata.resourceVersion).toBe(rv);
      const last = JSON.parse((await fetchRaw(`${server.url}/api/v1/namespaces/default/pods?limit=2&continue=${encodeURIComponent(second.metadata.continue)}`)).body);
      // Read at the first page's revision (etcd3 GetList WithRev): p9, created later, is not in it.
      expect(last.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['p4']);
      expect(last.metadata).toEqual({ resourceVersion: rv });
      server.compact();
      server.burnRevisions(1);
      const expired = await fetchRaw(`${server.url}/api/v1/namespaces/default/pods?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`);
      expect(expired.status).toBe(410);
      expect(JSON.parse(expired.body)).toMatchObject({ reason: 'Expired', code: 410 });
      expect((await fetchRaw(`${server.url}/api/v1/namespaces/default/pods?continue=garbage!`)).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

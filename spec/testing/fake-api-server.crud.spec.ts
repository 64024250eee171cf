import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { fetchRaw, openWatch, sleep, type RawResponse, type WatchClient } from './http-helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const { Pod, ConfigMap, Deployment, Node } = testResources;
const PODS = '/api/v1/namespaces/ns/pods';
const CMS = '/api/v1/namespaces/ns/configmaps';
const DEPLOYS = '/apis/apps/v1/namespaces/ns/deployments';
const JSON_CT = { 'Content-Type': 'application/json' };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
const JSONPATCH = { 'Content-Type': 'application/json-patch+json' };
const STRATEGIC = { 'Content-Type': 'application/strategic-merge-patch+json' };
const APPLY = { 'Content-Type': 'application/apply-patch+yaml' };
const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

let server: FakeApiServer;
const clients: WatchClient[] = [];

beforeEach(async () => {
  server = await FakeApiServer.start({ watchListDefaulting: false });
  // A real cluster refuses content in namespaces that do not exist (NamespaceLifecycle).
  for (const name of ['ns', 'other']) server.create(testResources.Namespace, { metadata: { name } });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = JSON_CT): Promise<RawResponse> {
  return fetchRaw(server.url + path, { method, headers, body });
}

async function watchFromNow(path = PODS): Promise<WatchClient> {
  const c = await openWatch(`${server.url}${path}?watch=1&resourceVersion=${server.resourceVersion}`);
  clients.push(c);
  return c;
}

function pod(name: string, extra: Record<string, unknown> = {}): Record<string, any> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...extra }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

/** A valid Deployment (selector matching the template labels, one container). */
function deployment(name: string): Record<string, any> {
  return {
    metadata: { name },
    spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

/** A container as a real server stores it: `SetDefaults_Container` and the always-present `resources`. */
function containerDefaults(c: Record<string, unknown>): Record<string, unknown> {
  return { imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {}, ...c };
}

/** Status code, content type, and the exact bytes (Go key order, trailing newline). */
function expectStatus(res: RawResponse, code: number, body: Record<string, unknown>): void {
  expect({ code: res.status, type: res.headers['content-type'], body: res.body }).toEqual({
    code,
    type: 'application/json',
    body: `${JSON.stringify(body)}\n`,
  });
}

function failure(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

const body = (res: RawResponse): any => JSON.parse(res.body);

describe('POST: create', () => {
  it('answers 201 with the stored object: kind/apiVersion, uid, next global RV, generation 1, managedFields', async () => {
    const before = Number(server.resourceVersion);
    const res = await call('POST', `${PODS}?fieldManager=tester`, pod('a', { labels: { app: 'web' } }));
    expect(res.status).toBe(201);
    const obj = body(res);
    expect(res.body.startsWith('{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","namespace":"ns","uid":')).toBe(true);
    expect(obj.metadata).toMatchObject({ name: 'a', namespace: 'ns', resourceVersion: String(before + 1), generation: 1 });
    expect(obj.metadata.uid).toMatch(UID);
    expect(obj.metadata.creationTimestamp).toMatch(TIME);
    expect(obj.metadata.managedFields).toEqual([
      {
        manager: 'tester',
        operation: 'Update',
        apiVersion: 'v1',
        time: expect.stringMatching(TIME),
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          // The defaults are in the object the manager's fields are computed from, as on a real server.
          'f:spec': {
            'f:containers': {
              'k:{"name":"c"}': {
                '.': {},
                'f:image': {},
                'f:imagePullPolicy': {},
                'f:name': {},
                'f:resources': {},
                'f:terminationMessagePath': {},
                'f:terminationMessagePolicy': {},
              },
            },
            'f:dnsPolicy': {},
            'f:enableServiceLinks': {},
            'f:restartPolicy': {},
            'f:schedulerName': {},
            'f:securityContext': {},
            'f:terminationGracePeriodSeconds': {},
          },
        },
      },
    ]);
    expect(server.resourceVersion).toBe(String(before + 1));
    const got = await call('GET', `${PODS}/a`);
    expect(body(got)).toEqual(obj);
  });

  it('produces the same ADDED event as the programmatic create', async () => {
    const w = await watchFromNow();
    const res = await call('POST', PODS, pod('a'));
    const [e] = await w.events$(1);
    expect(e).toEqual({ type: 'ADDED', object: body(res) });
  });

  it('fills the namespace from the path and accepts a body without kind/apiVersion', async () => {
    const res = await call('POST', PODS, { metadata: { name: 'a' }, spec: pod('a')['spec'] });
    expect(res.status).toBe(201);
    expect(body(res)).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a', namespace: 'ns' } });
  });

  it('clears a namespace sent for a cluster-scoped kind', async () => {
    const res = await call('POST', '/api/v1/nodes', { metadata: { name: 'n1', namespace: 'ns' } });
    expect(res.status).toBe(201);
    expect(body(res).metadata.namespace).toBeUndefined();
    expect(server.get(Node, 'n1')).toBeDefined();
  });

  it('generateName: prefix plus 5 characters of bcdfghjklmnpqrstvwxz2456789', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await call('POST', PODS, { metadata: { generateName: 'web-' }, spec: pod('a')['spec'] });
      expect(res.status).toBe(201);
      const obj = body(res);
      expect(obj.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(obj.metadata.generateName).toBe('web-');
      names.add(obj.metadata.name);
    }
    expect(names.size).toBe(5);
  });

  it('400 when the body namespace differs from the path', async () => {
    const res = await call('POST', PODS, pod('a', { namespace: 'other' }));
    expectStatus(res, 400, failure(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
    expect(server.list(Pod)).toEqual([]);
  });

  it('422 without name and generateName', async () => {
    const res = await call('POST', PODS, { metadata: {}, spec: pod('a')['spec'] });
    expectStatus(
      res,
      422,
      failure(422, 'Invalid', 'Pod "" is invalid: metadata.name: Required value: name or generateName is required', {
        kind: 'Pod',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
      }),
    );
  });

  it('422 for a name that is not a DNS subdomain (group-qualified kind in the message)', async () => {
    const res = await call('POST', DEPLOYS, deployment('Bad_Name'));
    const detail =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    expectStatus(
      res,
      422,
      failure(422, 'Invalid', `Deployment.apps "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${detail}`, {
        name: 'Bad_Name',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${detail}`, field: 'metadata.name' }],
      }),
    );
  });

  it('409 AlreadyExists for an existing name, nothing written', async () => {
    server.create(Pod, pod('a', { namespace: 'ns' }));
    const rv = server.resourceVersion;
    const res = await call('POST', PODS, pod('a'));
    expectStatus(res, 409, failure(409, 'AlreadyExists', 'pods "a" already exists', { name: 'a', kind: 'pods' }));
    expect(server.resourceVersion).toBe(rv);
    const dres = await call('POST', DEPLOYS, deployment('d'));
    expect(dres.status).toBe(201);
    expectStatus(
      await call('POST', DEPLOYS, deployment('d')),
      409,
      failure(409, 'AlreadyExists', 'deployments.apps "d" already exists', { name: 'd', group: 'apps', kind: 'deployments' }),
    );
  });

  it('400 for an apiVersion or kind that does not match the path', async () => {
    expectStatus(
      await call('POST', PODS, { ...pod('a'), apiVersion: 'apps/v1' }),
      400,
      failure(400, 'BadRequest', 'the API version in the data (apps/v1) does not match the expected API version (v1)'),
    );
    const res = await call('POST', PODS, { ...pod('a'), kind: 'ConfigMap' });
    expect(res.status).toBe(400);
    expect(body(res)).toMatchObject({ reason: 'BadRequest', code: 400, message: expect.stringMatching(/^ConfigMap in version "v1" cannot be handled as a Pod/) });
    expect(server.list(Pod)).toEqual([]);
  });

  it('400 for malformed JSON and for a body that is not an object', async () => {
    const res = await call('POST', PODS, '{"metadata": ');
    expect(res.status).toBe(400);
    expect(body(res)).toMatchObject({
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
      message: expect.stringMatching(/^the object provided is unrecognized \(must be of type Pod\): couldn't get version\/kind; json parse error: .* \(\{"metadata": \)$/),
    });
    const arr = await call('POST', PODS, '[1]');
    expect(body(arr).message).toBe(
      'the object provided is unrecognized (must be of type Pod): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b315d)',
    );
  });

  it('415 for a body that is not JSON', async () => {
    const res = await call('POST', PODS, 'metadata:\n  name: a\n', { 'Content-Type': 'application/yaml' });
    expectStatus(res, 415, failure(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf'));
  });

  it('413 above 3 MiB (etcd/kube-apiserver request limit), recorded without body', async () => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { x: 'y'.repeat(3 * 1024 * 1024) } });
    const res = await call('POST', CMS, big);
    expectStatus(res, 413, failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: CMS });
    expect(server.requests.at(-1)!.body).toBeUndefined();
    server.config.maxRequestBodyBytes = 10;
    expect((await call('POST', CMS, { metadata: { name: 'small' } })).status).toBe(413);
  });

  it('500 when metadata.resourceVersion is set (etcd3 store.Create)', async () => {
    const res = await call('POST', PODS, pod('a', { resourceVersion: '5' }));
    expect(res.status).toBe(500);
    expect(body(res)).toMatchObject({ reason: 'InternalError', message: 'Internal error occurred: resourceVersion should not be set on objects to be created' });
  });

  it('records the request with its body; failNext applies to writes', async () => {
    server.failNext(1, { type: 'Forbidden' }, (r) => r.method === 'POST');
    const res = await call('POST', PODS, pod('a'));
    expectStatus(
      res,
      403,
      failure(403, 'Forbidden', 'pods is forbidden: User "system:anonymous" cannot create resource "pods" in API group "" in the namespace "ns"', { kind: 'pods' }),
    );
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: PODS, body: JSON.stringify(pod('a')) });
    expect(server.list(Pod)).toEqual([]);
    expect((await call('POST', PODS, pod('a'))).status).toBe(201);
  });
});

describe('PUT: replace', () => {
  it('200; keeps uid/creationTimestamp; bumps RV on each change (no-op writes: writes-noop spec) and generation only on spec changes; MODIFIED', async () => {
    const created = server.create(Pod, pod('a', { namespace: 'ns' })) as any;
    const w = await watchFromNow();
    const labelled = { ...created, metadata: { ...created.metadata, labels: { x: '1' } } };
    const r1 = await call('PUT', `${PODS}/a`, labelled);
    expect(r1.status).toBe(200);
    const o1 = body(r1);
    expect(o1.metadata).toMatchObject({ uid: created.metadata.uid, creationTimestamp: created.metadata.creationTimestamp, generation: 1, labels: { x: '1' } });
    expect(Number(o1.metadata.resourceVersion)).toBe(Number(created.metadata.resourceVersion) + 1);
    const r2 = await call('PUT', `${PODS}/a`, { ...o1, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    expect(body(r2).metadata.generation).toBe(2);
    const events = await w.events$(2);
    expect(events).toEqual([
      { type: 'MODIFIED', object: o1 },
      { type: 'MODIFIED', object: body(r2) },
    ]);
  });

  it('409 Conflict for a stale metadata.resourceVersion', async () => {
    const created = server.create(Pod, pod('a', { namespace: 'ns' })) as any;
    server.update(Pod, { ...created, metadata: { ...created.metadata, labels: { v: '2' } } });
    const res = await call('PUT', `${PODS}/a`, created);
    expectStatus(
      res,
      409,
      failure(
        409,
        'Conflict',
        'Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again',
        { name: 'a', kind: 'pods' },
      ),
    );
  });

  it('400 when the body name differs from the URL, or its namespace from the path', async () => {
    server.create(Pod, pod('a', { namespace: 'ns' }));
    expectStatus(await call('PUT', `${PODS}/a`, pod('b')), 400, failure(400, 'BadRequest', 'the name of the object (b) does not match the name on the URL (a)'));
    expectStatus(
      await call('PUT', `${PODS}/a`, pod('a', { namespace: 'x' })),
      400,
      failure(400, 'BadRequest', 'the namespace of the object (x) does not match the namespace on the request (ns)'),
    );
  });

  it('404 NotFound for a missing object (no create on update)', async () => {
    const res = await call('PUT', `${PODS}/nope`, pod('nope'));
    expectStatus(res, 404, failure(404, 'NotFound', 'pods "nope" not found', { name: 'nope', kind: 'pods' }));
    expect(server.list(Pod)).toEqual([]);
  });
});

describe('PATCH', () => {
  beforeEach(() => {
    server.create(Pod, {
      metadata: { name: 'a', namespace: 'ns', labels: { keep: '1', drop: '1' } },
      spec: {
        containers: [
          { name: 'c', image: 'busybox', env: [{ name: 'A', value: '1' }] },
          { name: 'd', image: 'redis' },
        ],
      },
    });
    // The list-merging cases patch containers, which a Pod refuses after creation (ValidatePodUpdate): they patch the
    // pod template of a Deployment instead (same containers, same merge keys).
    server.create(Deployment, {
      metadata: { name: 'a', namespace: 'ns', labels: { keep: '1', drop: '1' } },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: {
          metadata: { labels: { app: 'a' } },
          spec: {
            containers: [
              { name: 'c', image: 'busybox', env: [{ name: 'A', value: '1' }] },
              { name: 'd', image: 'redis' },
            ],
          },
        },
      },
    });
  });

  it('merge patch (RFC 7386): null deletes, maps merge, lists are replaced', async () => {
    const patch = { metadata: { labels: { drop: null, add: '2' } }, spec: { template: { spec: { containers: [{ name: 'x', image: 'y' }] } } } };
    const res = await call('PATCH', `${DEPLOYS}/a`, patch, MERGE);
    expect(res.status).toBe(200);
    const obj = body(res);
    expect(obj.metadata.labels).toEqual({ keep: '1', add: '2' });
    expect(obj.spec.template.spec.containers).toEqual([containerDefaults({ name: 'x', image: 'y' })]);
    expect(obj.metadata.generation).toBe(2);
    expect(server.get(Deployment, 'a', 'ns')).toEqual(obj);
  });

  it('JSON patch (RFC 6902): add, replace, remove, move, copy, test', async () => {
    const ops = [
      { op: 'test', path: '/metadata/labels/keep', value: '1' },
      { op: 'add', path: '/metadata/labels/new', value: 'n' },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx' },
      { op: 'remove', path: '/metadata/labels/drop' },
      { op: 'copy', from: '/metadata/labels/new', path: '/metadata/labels/copied' },
      { op: 'move', from: '/metadata/labels/keep', path: '/metadata/labels/moved' },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'e', image: 'e' } },
    ];
    const res = await call('PATCH', `${DEPLOYS}/a`, ops, JSONPATCH);
    expect(res.status).toBe(200);
    const obj = body(res);
    expect(obj.metadata.labels).toEqual({ new: 'n', copied: 'n', moved: '1' });
    expect(obj.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['c=nginx', 'd=redis', 'e=e']);
  });

  it('JSON patch: a failing test or a missing path is the generic 422, all or nothing', async () => {
    const rv = server.resourceVersion;
    const generic = failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
    const failing = [
      { op: 'add', path: '/metadata/labels/x', value: 'x' },
      { op: 'test', path: '/metadata/labels/keep', value: 'other' },
    ];
    expectStatus(await call('PATCH', `${PODS}/a`, failing, JSONPATCH), 422, generic);
    expectStatus(await call('PATCH', `${PODS}/a`, [{ op: 'remove', path: '/spec/affinity' }], JSONPATCH), 422, generic);
    expect(server.resourceVersion).toBe(rv);
    expect((server.get(Pod, 'a', 'ns') as any).metadata.labels).toEqual({ keep: '1', drop: '1' });
    const notArray = await call('PATCH', `${PODS}/a`, { op: 'add' }, JSONPATCH);
    expect([notArray.status, body(notArray).reason]).toEqual([400, 'BadRequest']);
  });

  it('strategic merge patch: containers and env merge by name, $patch: delete removes an item', async () => {
    const containers = [
      { name: 'c', image: 'nginx', env: [{ name: 'B', value: '2' }] },
      { name: 'd', $patch: 'delete' },
      { name: 'new', image: 'alpine', ports: [{ containerPort: 80 }] },
    ];
    const res = await call('PATCH', `${DEPLOYS}/a`, { spec: { template: { spec: { containers } } } }, STRATEGIC);
    expect(res.status).toBe(200);
    expect(body(res).spec.template.spec.containers).toEqual([
      containerDefaults({ name: 'c', image: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }),
      containerDefaults({ name: 'new', image: 'alpine', ports: [{ containerPort: 80, protocol: 'TCP' }] }),
    ]);
    // Ports merge by containerPort; the new one gets its protocol default.
    const ports = [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }];
    const again = await call('PATCH', `${DEPLOYS}/a`, { spec: { template: { spec: { containers: [{ name: 'new', ports }] } } } }, STRATEGIC);
    expect(body(again).spec.template.spec.containers[1].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }]);
  });

  it('strategic merge patch: finalizers merge as a set, $deleteFromPrimitiveList, $retainKeys, $patch: replace', async () => {
    const r1 = await call('PATCH', `${PODS}/a`, { metadata: { finalizers: ['a/x', 'b/y'] } }, STRATEGIC);
    const r2 = await call('PATCH', `${PODS}/a`, { metadata: { finalizers: ['c/z', 'a/x'] } }, STRATEGIC);
    expect(body(r1).metadata.finalizers).toEqual(['a/x', 'b/y']);
    expect(body(r2).metadata.finalizers).toEqual(['a/x', 'b/y', 'c/z']);
    const r3 = await call('PATCH', `${PODS}/a`, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b/y'] } }, STRATEGIC);
    expect(body(r3).metadata.finalizers).toEqual(['a/x', 'c/z']);
    const r4 = await call('PATCH', `${PODS}/a`, { metadata: { labels: { $retainKeys: ['keep', 'n'], n: '1' } } }, STRATEGIC);
    expect(body(r4).metadata.labels).toEqual({ keep: '1', n: '1' });
    const r5 = await call('PATCH', `${DEPLOYS}/a`, { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'i' }] } } } }, STRATEGIC);
    expect(body(r5).spec.template.spec.containers).toEqual([containerDefaults({ name: 'only', image: 'i' })]);
  });

  it('415 for an unknown patch type, and for strategic merge on a custom resource', async () => {
    expectStatus(
      await call('PATCH', `${PODS}/a`, {}, JSON_CT),
      415,
      failure(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
      ),
    );
    const FooBar = defineResource({ apiVersion: 'example.com/v1', kind: 'FooBar', plural: 'foobars', namespaced: true });
    server.register(FooBar);
    server.create(FooBar, { metadata: { name: 'f', namespace: 'ns' } });
    expectStatus(
      await call('PATCH', '/apis/example.com/v1/namespaces/ns/foobars/f', {}, STRATEGIC),
      415,
      failure(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      ),
    );
    expect((await call('PATCH', '/apis/example.com/v1/namespaces/ns/foobars/f', { spec: { a: 1 } }, MERGE)).status).toBe(200);
  });

  it('404 for a missing object; 409 for a stale resourceVersion in the patch; 400 for a renamed object', async () => {
    expectStatus(await call('PATCH', `${PODS}/nope`, {}, MERGE), 404, failure(404, 'NotFound', 'pods "nope" not found', { name: 'nope', kind: 'pods' }));
    const stale = await call('PATCH', `${PODS}/a`, { metadata: { resourceVersion: '1', labels: { z: '1' } } }, MERGE);
    expect([stale.status, body(stale).reason, body(stale).message]).toEqual([
      409,
      'Conflict',
      'Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again',
    ]);
    const current = (server.get(Pod, 'a', 'ns') as any).metadata.resourceVersion;
    expect((await call('PATCH', `${PODS}/a`, { metadata: { resourceVersion: current, labels: { z: '1' } } }, MERGE)).status).toBe(200);
    expectStatus(
      await call('PATCH', `${PODS}/a`, { metadata: { name: 'b' } }, MERGE),
      400,
      failure(400, 'BadRequest', 'the name of the object (b) does not match the name on the URL (a)'),
    );
  });

  it('422 PatchOptions: force on a non-apply patch', async () => {
    expectStatus(
      await call('PATCH', `${PODS}/a?force=true`, {}, MERGE),
      422,
      failure(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }],
      }),
    );
  });
});

describe('PATCH: server-side apply (application/apply-patch+yaml, JSON body)', () => {
  const cm = (data: Record<string, string>, labels?: Record<string, string>): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', ...(labels ? { labels } : {}) },
    data,
  });

  it('422 without fieldManager', async () => {
    expectStatus(
      await call('PATCH', `${CMS}/cfg`, cm({ a: '1' }), APPLY),
      422,
      failure(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      }),
    );
  });

  it('creates when missing (201), then merges; fields the manager stops applying are removed', async () => {
    const w = await watchFromNow(CMS);
    const r1 = await call('PATCH', `${CMS}/cfg?fieldManager=alice`, cm({ a: '1', b: '2' }, { app: 'x' }), APPLY);
    expect(r1.status).toBe(201);
    expect(body(r1).metadata.managedFields).toEqual([
      {
        manager: 'alice',
        operation: 'Apply',
        apiVersion: 'v1',
        time: expect.stringMatching(TIME),
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
      },
    ]);
    // Another manager adds a key with a merge patch: it owns it (operation Update).
    const r2 = await call('PATCH', `${CMS}/cfg?fieldManager=bob`, { data: { c: '3' } }, MERGE);
    expect(body(r2).metadata.managedFields.map((m: any) => [m.manager, m.operation, m.fieldsV1])).toEqual([
      ['alice', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } }],
      ['bob', 'Update', { 'f:data': { 'f:c': {} } }],
    ]);
    // alice re-applies without b and without the label: both go, bob's c stays.
    const r3 = await call('PATCH', `${CMS}/cfg?fieldManager=alice`, cm({ a: '10' }), APPLY);
    expect(r3.status).toBe(200);
    expect(body(r3).data).toEqual({ a: '10', c: '3' });
    expect(body(r3).metadata.labels ?? {}).toEqual({});
    expect((await w.events$(3)).map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED']);
  });

  it('409 on a field another manager owns with a different value; force=true takes it over', async () => {
    await call('PATCH', `${CMS}/cfg?fieldManager=alice`, cm({ a: '1', b: '2' }), APPLY);
    // Same value: shared ownership, no conflict.
    expect((await call('PATCH', `${CMS}/cfg?fieldManager=bob`, cm({ a: '1' }), APPLY)).status).toBe(200);
    const rv = server.resourceVersion;
    const res = await call('PATCH', `${CMS}/cfg?fieldManager=bob`, cm({ a: '9', b: '9' }), APPLY);
    expectStatus(
      res,
      409,
      failure(409, 'Conflict', 'Apply failed with 2 conflicts: conflicts with "alice":\n- .data.a\n- .data.b', {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.a' },
          { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.b' },
        ],
      }),
    );
    expect(server.resourceVersion).toBe(rv);
    const one = await call('PATCH', `${CMS}/cfg?fieldManager=bob`, cm({ b: '9' }), APPLY);
    expect(body(one).message).toBe('Apply failed with 1 conflict: conflict with "alice": .data.b');
    const forced = await call('PATCH', `${CMS}/cfg?fieldManager=bob&force=true`, cm({ b: '9' }), APPLY);
    expect(forced.status).toBe(200);
    const obj = body(forced);
    expect(obj.data).toEqual({ a: '1', b: '9' });
    expect(obj.metadata.managedFields.map((m: any) => [m.manager, m.fieldsV1])).toEqual([
      ['alice', { 'f:data': { 'f:a': {} } }],
      ['bob', { 'f:data': { 'f:b': {} } }],
    ]);
  });

  it('a conflict with an Update manager names its apiVersion and time', async () => {
    await call('POST', `${CMS}?fieldManager=kubectl-create`, cm({ a: '1' }));
    const res = await call('PATCH', `${CMS}/cfg?fieldManager=alice`, cm({ a: '2' }), APPLY);
    expect(res.status).toBe(409);
    expect(body(res).message).toMatch(/^Apply failed with 1 conflict: conflict with "kubectl-create" using v1 at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: \.data\.a$/);
  });

  it('400 when the applied configuration has another apiVersion or kind', async () => {
    expectStatus(
      await call('PATCH', `${CMS}/cfg?fieldManager=a`, { ...cm({}), apiVersion: 'v2' }, APPLY),
      400,
      failure(400, 'BadRequest', 'Incorrect version specified in apply patch. Specified patch version: v2, expected: v1'),
    );
  });
});

describe('DELETE', () => {
  it('Pod: 200 with the last state at the deletion RV; watches see DELETED; GET is 404', async () => {
    server.create(Pod, pod('a', { namespace: 'ns' }));
    const w = await watchFromNow();
    const res = await call('DELETE', `${PODS}/a`);
    expect(res.status).toBe(200);
    const obj = body(res);
    expect(obj).toMatchObject({ kind: 'Pod', metadata: { name: 'a', resourceVersion: server.resourceVersion } });
    // A Pod is always deleted gracefully (CheckGracefulDelete): an unbound one gets grace 0, so the MODIFIED that
    // sets deletionTimestamp comes first, then DELETED.
    const [m, e] = await w.events$(2);
    expect(m).toMatchObject({ type: 'MODIFIED', object: { metadata: { deletionGracePeriodSeconds: 0 } } });
    expect(e).toEqual({ type: 'DELETED', object: obj });
    expect((await call('GET', `${PODS}/a`)).status).toBe(404);
  });

  it('ConfigMap: 200 with a Success Status (no ReturnDeletedObject), like fixtures/status-delete-success.json', async () => {
    const cm = server.create(ConfigMap, { metadata: { name: 'cfg', namespace: 'ns' } }) as any;
    const res = await call('DELETE', `${CMS}/cfg`);
    expectStatus(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'cfg', kind: 'configmaps', uid: cm.metadata.uid } });
    server.create(Deployment, { metadata: { name: 'd', namespace: 'ns' } });
    expect(body(await call('DELETE', `${DEPLOYS}/d`)).details).toMatchObject({ name: 'd', group: 'apps', kind: 'deployments' });
  });

  it('404 for a missing object', async () => {
    expectStatus(await call('DELETE', `${PODS}/nope`), 404, failure(404, 'NotFound', 'pods "nope" not found', { name: 'nope', kind: 'pods' }));
  });

  it('preconditions: 409 on a uid or resourceVersion mismatch (the Conflict names the Kind), 200 when they match', async () => {
    const p = server.create(Pod, pod('a', { namespace: 'ns' })) as any;
    const { uid, resourceVersion } = p.metadata;
    expectStatus(
      await call('DELETE', `${PODS}/a`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'other' } }),
      409,
      failure(
        409,
        'Conflict',
        `Operation cannot be fulfilled on Pod "a": the UID in the precondition (other) does not match the UID in record (${uid}). The object might have been deleted and then recreated`,
        { name: 'a', kind: 'Pod' },
      ),
    );
    expectStatus(
      await call('DELETE', `${PODS}/a`, { preconditions: { resourceVersion: '1' } }),
      409,
      failure(
        409,
        'Conflict',
        `Operation cannot be fulfilled on Pod "a": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${resourceVersion}). The object might have been modified`,
        { name: 'a', kind: 'Pod' },
      ),
    );
    expect(server.get(Pod, 'a', 'ns')).toBeDefined();
    expect((await call('DELETE', `${PODS}/a`, { preconditions: { uid, resourceVersion }, propagationPolicy: 'Background' })).status).toBe(200);
    expect(server.get(Pod, 'a', 'ns')).toBeUndefined();
  });

  it('422 DeleteOptions for an unknown propagationPolicy (body or query)', async () => {
    server.create(Pod, pod('a', { namespace: 'ns' }));
    const expected = failure(422, 'Invalid', 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"', {
      group: 'meta.k8s.io',
      kind: 'DeleteOptions',
      causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"', field: 'propagationPolicy' }],
    });
    expectStatus(await call('DELETE', `${PODS}/a`, { propagationPolicy: 'Sideways' }), 422, expected);
    expectStatus(await call('DELETE', `${PODS}/a?propagationPolicy=Sideways`), 422, expected);
    expect(server.get(Pod, 'a', 'ns')).toBeDefined();
  });

  it('two-phase deletion with finalizers: MODIFIED with deletionTimestamp, then DELETED once an update removes them', async () => {
    const created = server.create(Pod, pod('a', { namespace: 'ns', finalizers: ['example.com/hold'] })) as any;
    const w = await watchFromNow();
    const r1 = await call('DELETE', `${PODS}/a`);
    expect(r1.status).toBe(200);
    const marked = body(r1);
    expect(marked.metadata).toMatchObject({ deletionGracePeriodSeconds: 0, finalizers: ['example.com/hold'], generation: 2 });
    expect(marked.metadata.deletionTimestamp).toMatch(TIME);
    expect(Number(marked.metadata.resourceVersion)).toBe(Number(created.metadata.resourceVersion) + 1);
    const [e1] = await w.events$(1);
    expect(e1).toEqual({ type: 'MODIFIED', object: marked });
    expect(body(await call('GET', `${PODS}/a`))).toEqual(marked);

    // A second DELETE changes nothing: same object, no event, no RV.
    const rv = server.resourceVersion;
    const r2 = await call('DELETE', `${PODS}/a`);
    expect(body(r2)).toEqual(marked);
    expect(server.resourceVersion).toBe(rv);

    // Updates keep the deletionTimestamp; removing the last finalizer deletes the object.
    const r3 = await call('PATCH', `${PODS}/a`, { metadata: { labels: { x: '1' }, deletionTimestamp: null } }, MERGE);
    expect(body(r3).metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    const r4 = await call('PATCH', `${PODS}/a`, [{ op: 'remove', path: '/metadata/finalizers' }], JSONPATCH);
    expect(r4.status).toBe(200);
    const events = await w.events$(3);
    expect(events[1]!.type).toBe('MODIFIED');
    expect(events[2]!.type).toBe('DELETED');
    expect(events[2]!.object.metadata.resourceVersion).toBe(server.resourceVersion);
    expect(events[2]!.object.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    expect(body(r4).metadata.finalizers).toBeUndefined();
    expect((await call('GET', `${PODS}/a`)).status).toBe(404);
  });

  it('the programmatic delete/update follow the same two-phase path', async () => {
    server.create(ConfigMap, { metadata: { name: 'cfg', namespace: 'ns', finalizers: ['f'] } });
    const w = await watchFromNow(CMS);
    const marked = server.delete(ConfigMap, 'cfg', 'ns') as any;
    expect(marked.metadata.deletionTimestamp).toMatch(TIME);
    expect(server.get(ConfigMap, 'cfg', 'ns')).toEqual(marked);
    server.update(ConfigMap, { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(server.get(ConfigMap, 'cfg', 'ns')).toBeUndefined();
    expect((await w.events$(2)).map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
  });

  it('two-phase deletion answers 202 when orphanDependents=false was asked', async () => {
    server.create(Pod, pod('a', { namespace: 'ns', finalizers: ['f'] }));
    expect((await call('DELETE', `${PODS}/a?orphanDependents=false`)).status).toBe(202);
  });
});

describe('DELETE on a collection (deletecollection)', () => {
  it('deletes what the selectors match and answers a <Kind>List of it', async () => {
    server.create(Pod, pod('a', { namespace: 'ns', labels: { app: 'web' } }));
    server.create(Pod, pod('b', { namespace: 'ns', labels: { app: 'db' } }));
    server.create(Pod, pod('c', { namespace: 'ns', labels: { app: 'web' } }));
    server.create(Pod, pod('d', { namespace: 'other', labels: { app: 'web' } }));
    const listRV = server.resourceVersion;
    const w = await watchFromNow();
    const res = await call('DELETE', `${PODS}?labelSelector=app%3Dweb`);
    expect(res.status).toBe(200);
    const list = body(res);
    expect(res.body.startsWith(`{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"${listRV}"},"items":[{"metadata":`)).toBe(true);
    expect(list.items.map((i: any) => i.metadata.name)).toEqual(['a', 'c']);
    expect(list.items.every((i: any) => i.kind === undefined)).toBe(true);
    expect(server.list(Pod).map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['ns/b', 'other/d']);
    const events = await w.events$(4);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['MODIFIED a', 'DELETED a', 'MODIFIED c', 'DELETED c']);
  });

  it('405 on the all-namespaces path of a namespaced kind; 400 for a bad selector', async () => {
    expect((await call('DELETE', '/api/v1/pods')).status).toBe(405);
    const bad = await call('DELETE', `${PODS}?labelSelector=a%20b`);
    expect([bad.status, body(bad).reason]).toEqual([400, 'BadRequest']);
  });
});

describe('dryRun=All', () => {
  it('POST: answers as if created (no resourceVersion), stores nothing, emits nothing', async () => {
    const w = await watchFromNow();
    const rv = server.resourceVersion;
    const res = await call('POST', `${PODS}?dryRun=All`, pod('a'));
    expect(res.status).toBe(201);
    const obj = body(res);
    expect(obj.metadata).toMatchObject({ name: 'a', namespace: 'ns', generation: 1 });
    expect(obj.metadata.uid).toMatch(UID);
    expect(obj.metadata.resourceVersion).toBeUndefined();
    expect(server.resourceVersion).toBe(rv);
    expect((await call('GET', `${PODS}/a`)).status).toBe(404);
    // Still validated: a duplicate is a 409 in a dry run too.
    server.create(Pod, pod('b', { namespace: 'ns' }));
    expect((await call('POST', `${PODS}?dryRun=All`, pod('b'))).status).toBe(409);
    const [first] = await w.events$(1);
    expect(first!.object.metadata.name).toBe('b');
    await sleep(30);
    expect(w.events).toHaveLength(1);
  });

  it('PUT, PATCH, apply, DELETE and deletecollection change nothing', async () => {
    const p = server.create(Pod, pod('a', { namespace: 'ns', labels: { v: '1' } })) as any;
    const before = server.get(Pod, 'a', 'ns');
    const rv = server.resourceVersion;
    const w = await watchFromNow();
    const put = await call('PUT', `${PODS}/a?dryRun=All`, { ...p, metadata: { ...p.metadata, labels: { v: '2' } } });
    expect([put.status, body(put).metadata.labels, body(put).metadata.resourceVersion]).toEqual([200, { v: '2' }, rv]);
    const patch = await call('PATCH', `${PODS}/a?dryRun=All`, { metadata: { labels: { v: '3' } } }, MERGE);
    expect([patch.status, body(patch).metadata.labels]).toEqual([200, { v: '3' }]);
    const apply = await call('PATCH', `${PODS}/a?dryRun=All&fieldManager=m`, pod('a', { labels: { v: '4' } }), APPLY);
    expect([apply.status, body(apply).metadata.labels]).toEqual([200, { v: '4' }]);
    const del = await call('DELETE', `${PODS}/a`, { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] });
    expect(del.status).toBe(200);
    const delq = await call('DELETE', `${PODS}/a?dryRun=All`);
    expect(delq.status).toBe(200);
    const coll = await call('DELETE', `${PODS}?dryRun=All`);
    expect(body(coll).items).toHaveLength(1);
    expect(server.get(Pod, 'a', 'ns')).toEqual(before);
    expect(server.resourceVersion).toBe(rv);
    await sleep(30);
    expect(w.events).toEqual([]);
  });

  it('422 for a dryRun value other than All', async () => {
    expectStatus(
      await call('POST', `${PODS}?dryRun=Yes`, pod('a')),
      422,
      failure(422, 'Invalid', 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Yes"}: supported values: "All"', {
        group: 'meta.k8s.io',
        kind: 'CreateOptions',
        causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: []string{"Yes"}: supported values: "All"', field: 'dryRun' }],
      }),
    );
  });
});

describe('setValidator', () => {
  it('422 Invalid in the real shape on create and update; removable', async () => {
    const FooBar = defineResource({ apiVersion: 'k8s-openapi-tests-custom-resource-definition.com/v1', kind: 'FooBar', plural: 'foobars', namespaced: true });
    server.register(FooBar);
    const seen: string[] = [];
    server.setValidator(FooBar, (obj, ctx) => {
      seen.push(`${ctx.operation}${ctx.oldObject ? ' with old' : ''}${ctx.dryRun ? ' dry' : ''}`);
      return (obj as any).spec?.prop2 === undefined ? [{ field: 'spec.prop2', type: 'FieldValueRequired' }] : [];
    });
    const path = '/apis/k8s-openapi-tests-custom-resource-definition.com/v1/namespaces/ns/foobars';
    const res = await call('POST', path, { metadata: { name: 'fb3' }, spec: { prop1: 'x' } });
    // Byte for byte the Status of shared/fixtures/status-422-invalid.json.
    expectStatus(res, 422, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'FooBar.k8s-openapi-tests-custom-resource-definition.com "fb3" is invalid: spec.prop2: Required value',
      reason: 'Invalid',
      details: {
        name: 'fb3',
        group: 'k8s-openapi-tests-custom-resource-definition.com',
        kind: 'FooBar',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.prop2' }],
      },
      code: 422,
    });
    expect((await call('POST', `${path}?dryRun=All`, { metadata: { name: 'fb3' }, spec: { prop2: 1 } })).status).toBe(201);
    expect((await call('POST', path, { metadata: { name: 'fb3' }, spec: { prop2: 1 } })).status).toBe(201);
    const upd = await call('PATCH', `${path}/fb3`, { spec: { prop2: null } }, MERGE);
    expect([upd.status, body(upd).message]).toEqual([422, 'FooBar.k8s-openapi-tests-custom-resource-definition.com "fb3" is invalid: spec.prop2: Required value']);
    expect(seen).toEqual(['CREATE', 'CREATE dry', 'CREATE', 'UPDATE with old']);
    server.setValidator(FooBar, undefined);
    expect((await call('PATCH', `${path}/fb3`, { spec: { prop2: null } }, MERGE)).status).toBe(200);
  });

  it('aggregates several errors as [a, b] and prints bad values like Go', async () => {
    server.setValidator(ConfigMap, () => [
      { field: 'data.a', type: 'FieldValueInvalid', value: 'x y', detail: 'must not contain spaces' },
      { field: 'data.n', type: 'FieldValueTooMany', value: 3, detail: 'must have at most 2 items' },
    ]);
    const res = await call('POST', CMS, { metadata: { name: 'c' } });
    expect(body(res).message).toBe(
      'ConfigMap "c" is invalid: [data.a: Invalid value: "x y": must not contain spaces, data.n: Too many: 3: must have at most 2 items]',
    );
    expect(body(res).details.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "x y": must not contain spaces', field: 'data.a' },
      { reason: 'FieldValueTooMany', message: 'Too many: 3: must have at most 2 items', field: 'data.n' },
    ]);
  });
});

describe('discovery', () => {
  it('lists the write verbs', async () => {
    const res = await call('GET', '/api/v1');
    expect(body(res).resources.find((r: any) => r.name === 'pods').verbs).toEqual([
      'create',
      'delete',
      'deletecollection',
      'get',
      'list',
      'patch',
      'update',
      'watch',
    ]);
  });
});

import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { allKinds, V1_35_MODULES } from '../../lib/testing/all-kinds.js';
import { compareKubeVersions } from '../../lib/testing/discovery.js';
import { humanDuration } from '../../lib/testing/table.js';
import { fetchRaw } from './http-helpers.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const KUBECTL_DISCOVERY = `${AGGREGATED},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`;
const KUBECTL_TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function getJson(url: string, accept?: string): Promise<{ status: number; contentType: string | undefined; body: any }> {
  const res = await fetchRaw(url, accept ? { headers: { Accept: accept } } : {});
  return { status: res.status, contentType: res.headers['content-type'], body: res.status === 200 && res.headers['content-type']?.startsWith('application/json') ? JSON.parse(res.body) : res.body };
}

describe('FakeApiServer discovery (default resources)', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await FakeApiServer.start();
  });
  afterAll(() => server.close());

  it('/version is a version.Info of v1.35.0', async () => {
    const { status, body } = await getJson(`${server.url}/version`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ major: '1', minor: '35', gitVersion: 'v1.35.0', platform: expect.any(String), goVersion: expect.any(String) });
  });

  it('/api is APIVersions', async () => {
    const { body } = await getJson(`${server.url}/api`);
    expect(body).toEqual({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: server.url.replace('http://', '') }] });
  });

  it('/apis is the APIGroupList of named groups; /apis/apps is the APIGroup', async () => {
    const { body } = await getJson(`${server.url}/apis`);
    expect(body).toEqual({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
        // CustomResourceDefinitions are always served (lib/testing/crd).
        {
          name: 'apiextensions.k8s.io',
          versions: [{ groupVersion: 'apiextensions.k8s.io/v1', version: 'v1' }],
          preferredVersion: { groupVersion: 'apiextensions.k8s.io/v1', version: 'v1' },
        },
      ],
    });
    const group = await getJson(`${server.url}/apis/apps`);
    expect(group.body).toMatchObject({ kind: 'APIGroup', apiVersion: 'v1', name: 'apps', preferredVersion: { version: 'v1' } });
    expect((await fetchRaw(`${server.url}/apis/nope.example.com`)).status).toBe(404);
  });

  it('/api/v1 lists the served core resources with short names and verbs', async () => {
    const { body } = await getJson(`${server.url}/api/v1`);
    expect(body.kind).toBe('APIResourceList');
    expect(body.groupVersion).toBe('v1');
    const pods = body.resources.find((r: { name: string }) => r.name === 'pods');
    expect(pods).toEqual({
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
    });
    const short = Object.fromEntries(body.resources.map((r: { name: string; shortNames?: string[] }) => [r.name, r.shortNames]));
    expect(short).toMatchObject({ configmaps: ['cm'], services: ['svc'], namespaces: ['ns'], nodes: ['no'] });
    expect(short['secrets']).toBeUndefined();
    const apps = await getJson(`${server.url}/apis/apps/v1`);
    expect(apps.body.groupVersion).toBe('apps/v1');
    // Subresources are entries of their own, after their resource (kube-apiserver lists them so).
    expect(apps.body.resources).toEqual([
      expect.objectContaining({ name: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'] }),
      { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
      { name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('aggregated discovery v2 on /api and /apis when asked for', async () => {
    const api = await getJson(`${server.url}/api`, KUBECTL_DISCOVERY);
    expect(api.contentType).toBe(AGGREGATED);
    expect(api.body).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {} });
    expect(api.body.items).toHaveLength(1);
    expect(api.body.items[0].metadata).toEqual({ creationTimestamp: null });
    const v1 = api.body.items[0].versions[0];
    expect(v1.version).toBe('v1');
    expect(v1.freshness).toBe('Current');
    expect(v1.resources.find((r: { resource: string }) => r.resource === 'nodes')).toEqual({
      resource: 'nodes',
      responseKind: { group: '', version: 'v1', kind: 'Node' },
      scope: 'Cluster',
      singularResource: 'node',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['no'],
      subresources: [{ subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Node' }, verbs: ['get', 'patch', 'update'] }],
    });
    const apis = await getJson(`${server.url}/apis`, AGGREGATED);
    expect(apis.contentType).toBe(AGGREGATED);
    expect(apis.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['apps', 'apiextensions.k8s.io']);
    expect(apis.body.items[0].versions[0].resources[0]).toMatchObject({ resource: 'deployments', scope: 'Namespaced', shortNames: ['deploy'] });
    // Plain JSON first: the legacy documents.
    expect((await getJson(`${server.url}/apis`, `application/json,${AGGREGATED}`)).body.kind).toBe('APIGroupList');
  });

  it('/openapi/v3 indexes the served group-version documents (details: fake-api-server.openapi.spec.ts)', async () => {
    const root = (await getJson(`${server.url}/openapi/v3`)).body;
    expect(root).toEqual({
      paths: {
        'api/v1': { serverRelativeURL: expect.stringMatching(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{32}$/) },
        'apis/apps/v1': { serverRelativeURL: expect.stringMatching(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{32}$/) },
        'apis/apiextensions.k8s.io/v1': { serverRelativeURL: expect.stringMatching(/^\/openapi\/v3\/apis\/apiextensions\.k8s\.io\/v1\?hash=[0-9A-F]{32}$/) },
      },
    });
    const doc = (await getJson(`${server.url}${root.paths['apis/apps/v1'].serverRelativeURL}`)).body;
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    const core = (await getJson(`${server.url}/openapi/v3/api/v1`)).body;
    expect(Object.keys(core.paths)).toContain('/api/v1/nodes/{name}');
    expect((await fetchRaw(`${server.url}/openapi/v3/apis/batch/v1`)).status).toBe(404);
  });

  it('discovery follows registration', async () => {
    const { body } = await getJson(`${server.url}/apis`);
    expect(body.groups).toHaveLength(2);
    const s2 = await FakeApiServer.start({ registerDefaults: false, resources: [testResources.ConfigMap] });
    try {
      expect((await getJson(`${s2.url}/apis`)).body.groups).toEqual([]);
      expect((await getJson(`${s2.url}/api/v1`)).body.resources.map((r: { name: string }) => r.name)).toEqual(['configmaps']);
    } finally {
      await s2.close();
    }
  });
});

describe("FakeApiServer resources: 'v1.35'", () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await FakeApiServer.start({ resources: 'v1.35' });
  });
  afterAll(() => server.close());

  it('the module list matches lib/k8s/v1_35', () => {
    const root = new URL('../../lib/k8s/v1_35/', import.meta.url);
    const files = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(new URL(`${d.name}/`, root)).filter((f) => f.endsWith('.ts')).map((f) => `${d.name}/${f}`));
    expect(V1_35_MODULES).toHaveLength(files.length);
  });

  it('serves every kind of the default group-versions, listed in discovery with the preferred version first', async () => {
    const kinds = await allKinds();
    expect(kinds.length).toBeGreaterThan(55);
    expect((await allKinds('all')).length).toBeGreaterThan(kinds.length);
    const groups = (await getJson(`${server.url}/apis`)).body.groups as { name: string; versions: { version: string }[]; preferredVersion: { version: string } }[];
    const names = groups.map((g) => g.name);
    for (const g of ['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'apiextensions.k8s.io', 'resource.k8s.io']) expect(names).toContain(g);
    const resourceGroup = groups.find((g) => g.name === 'resource.k8s.io')!;
    expect(resourceGroup.versions.map((v) => v.version)).toEqual(['v1']);
    const autoscaling = groups.find((g) => g.name === 'autoscaling')!;
    expect(autoscaling.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    expect(resourceGroup.preferredVersion.version).toBe('v1');
    const batch = (await getJson(`${server.url}/apis/batch/v1`)).body.resources as { name: string; shortNames?: string[] }[];
    expect(batch.map((r) => r.name).sort()).toEqual(['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']);
    expect(batch.find((r) => r.name === 'cronjobs')?.shortNames).toEqual(['cj']);
    const core = (await getJson(`${server.url}/api/v1`)).body.resources as { name: string }[];
    expect(core.map((r) => r.name)).toEqual(expect.arrayContaining(['pods', 'services', 'persistentvolumeclaims', 'serviceaccounts', 'events']));
    // Every kind is addressable.
    const res = await fetchRaw(`${server.url}/apis/batch/v1/namespaces/default/cronjobs`);
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'CronJobList', apiVersion: 'batch/v1', items: [] });
  });

  it('the default registration is unchanged', async () => {
    const plain = await FakeApiServer.start();
    try {
      expect((await getJson(`${plain.url}/apis/batch/v1`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('Table output', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await FakeApiServer.start();
    server.create(testResources.Namespace, { metadata: { name: 'ns' } });
    server.create(testResources.Pod, { metadata: { name: 'a', namespace: 'ns', labels: { x: '1' } } });
    server.create(testResources.Pod, { metadata: { name: 'b', namespace: 'ns' } });
  });
  afterAll(() => server.close());

  it('a LIST with kubectl’s Accept answers a meta.k8s.io/v1 Table with PartialObjectMetadata rows', async () => {
    const { status, contentType, body } = await getJson(`${server.url}/api/v1/namespaces/ns/pods`, KUBECTL_TABLE);
    expect(status).toBe(200);
    expect(contentType).toBe('application/json');
    expect(body.kind).toBe('Table');
    expect(body.apiVersion).toBe('meta.k8s.io/v1');
    expect(body.metadata).toEqual({ resourceVersion: server.resourceVersion });
    // The Pod printer's columns, Name first; which columns, and their cells, are fake-api-server.tables.spec.ts's.
    expect(body.columnDefinitions[0]).toMatchObject({ name: 'Name', type: 'string', format: 'name', priority: 0 });
    expect(body.columnDefinitions).toHaveLength(9);
    expect(body.rows).toHaveLength(2);
    expect(body.rows[0].cells).toEqual(['a', '0/0', '', '0', expect.stringMatching(/^\d+s$/), '<none>', '<none>', '<none>', '<none>']);
    expect(body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'a', namespace: 'ns', labels: { x: '1' } } });
  });

  it('selectors, paging and includeObject apply', async () => {
    const selected = await getJson(`${server.url}/api/v1/namespaces/ns/pods?labelSelector=x%3D1&includeObject=Object`, KUBECTL_TABLE);
    expect(selected.body.rows).toHaveLength(1);
    expect(selected.body.rows[0].object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a' } });
    const paged = await getJson(`${server.url}/api/v1/namespaces/ns/pods?limit=1&includeObject=None`, KUBECTL_TABLE);
    expect(paged.body.rows).toEqual([{ cells: ['a', '0/0', '', '0', expect.any(String), '<none>', '<none>', '<none>', '<none>'] }]);
    expect(paged.body.metadata).toMatchObject({ continue: expect.any(String), remainingItemCount: 1 });
  });

  it('a GET of one object is a one-row Table; v1beta1 alone is answered as v1', async () => {
    const { body } = await getJson(`${server.url}/api/v1/namespaces/ns/pods/b`, 'application/json;as=Table;v=v1beta1;g=meta.k8s.io');
    expect(body.kind).toBe('Table');
    expect(body.apiVersion).toBe('meta.k8s.io/v1');
    expect(body.rows.map((r: { cells: unknown[] }) => r.cells[0])).toEqual(['b']);
    expect(body.metadata.resourceVersion).toBe(body.rows[0].object.metadata.resourceVersion);
  });

  it('a watch answers one-row Tables, column definitions on the first event only (§8)', async () => {
    const res = await fetchRaw(`${server.url}/api/v1/namespaces/ns/pods?watch=1&timeoutSeconds=1&resourceVersion=0&allowWatchBookmarks=true`, {
      headers: { Accept: KUBECTL_TABLE },
    });
    expect(res.status).toBe(200);
    const events = res.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(events.map((e) => e.object.kind)).toEqual(['Table', 'Table', 'Table']);
    expect(events[0].object.columnDefinitions).toHaveLength(9);
    expect(events[1].object.columnDefinitions).toBeNull();
    expect(events[0].object.rows).toEqual([{ cells: ['a', '0/0', '', '0', expect.any(String), '<none>', '<none>', '<none>', '<none>'], object: expect.objectContaining({ kind: 'PartialObjectMetadata' }) }]);
    expect(events[0].object.metadata.resourceVersion).toBe(events[0].object.rows[0].object.metadata.resourceVersion);
    // The initial-events-end bookmark's row object is PartialObjectMetadata, carrying the annotation.
    expect(events[2].object.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: server.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } },
    });
  });

  it('live watch events are Tables too; includeObject=Object embeds the object', async () => {
    const rv = server.resourceVersion;
    const pending = fetchRaw(`${server.url}/api/v1/namespaces/ns/pods?watch=1&timeoutSeconds=1&resourceVersion=${rv}&includeObject=Object`, {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    await server.waitForOpenWatches(1);
    server.create(testResources.Pod, { metadata: { name: 'c', namespace: 'ns' } });
    server.delete(testResources.Pod, 'c', 'ns');
    const events = (await pending).body.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.object.rows[0].cells[0], e.object.rows[0].object.kind])).toEqual([
      ['ADDED', 'c', 'Pod'],
      ['DELETED', 'c', 'Pod'],
    ]);
    expect(events[0].object.columnDefinitions).toHaveLength(9);
    expect(events[1].object.columnDefinitions).toBeNull();
  });
});

describe('helpers', () => {
  it('compareKubeVersions orders as Kubernetes does', () => {
    expect(['v1alpha1', 'v2beta1', 'v1', 'v1beta2', 'v2', 'foo', 'v1beta1'].sort(compareKubeVersions)).toEqual(['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v1alpha1', 'foo']);
  });

  it('humanDuration matches apimachinery', () => {
    const s = 1000;
    expect([5 * s, 119 * s, 200 * s, 600 * s, 45 * 60 * s, 3 * 3600 * s + 5 * 60 * s, 30 * 3600 * s, 76 * 3600 * s, 120 * 86400 * s, 800 * 86400 * s].map(humanDuration)).toEqual([
      '5s',
      '119s',
      '3m20s',
      '10m',
      '45m',
      '3h5m',
      '30h',
      '3d4h',
      '120d',
      '2y70d',
    ]);
  });
});

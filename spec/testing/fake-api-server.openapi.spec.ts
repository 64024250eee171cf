/**
 * The FakeApiServer's OpenAPI documents over HTTP: `/openapi/v2` (the v1.35 swagger, with the paths the server
 * serves) and `/openapi/v3` (index) + `/openapi/v3/<group-version>` (derived from the v2 spec), Accept negotiation,
 * and the skeleton documents of group-versions the spec does not have (custom resources).
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/index.js';
import { fetchRaw } from './http-helpers.js';

let full: FakeApiServer;
let small: FakeApiServer;

async function getJson(url: string, accept = 'application/json'): Promise<any> {
  const res = await fetchRaw(url, { headers: { Accept: accept } });
  expect([res.status, res.headers['content-type']]).toEqual([200, 'application/json']);
  return JSON.parse(res.body);
}

describe('FakeApiServer OpenAPI', () => {
  beforeAll(async () => {
    full = await FakeApiServer.start({ resources: 'v1.35' });
    small = await FakeApiServer.start({ registerDefaults: false, resources: [testResources.ConfigMap, testResources.Deployment] });
  });

  afterAll(async () => {
    await full?.close();
    await small?.close();
  });

  it('/openapi/v2 is the v1.35 swagger with the paths of served resources', async () => {
    const doc = await getJson(`${full.url}/openapi/v2`);
    expect(doc.swagger).toBe('2.0');
    expect(Object.keys(doc.definitions)).toHaveLength(735);
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch.parameters.map((p: { name?: string }) => p.name)).toContain('fieldValidation');
    const few = await getJson(`${small.url}/openapi/v2`, 'application/json, */*');
    const paths = Object.keys(few.paths);
    expect(paths).toContain('/api/v1/namespaces/{namespace}/configmaps/{name}');
    expect(paths).toContain('/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}');
    expect(paths).toContain('/version/');
    expect(paths).not.toContain('/api/v1/namespaces/{namespace}/pods/{name}');
    expect(paths).not.toContain('/apis/apps/v1/namespaces/{namespace}/statefulsets');
    expect(paths.filter((p) => p.startsWith('/apis/batch'))).toEqual([]);
  });

  it('/openapi/v2 for a protobuf-only Accept is a 404 (as a server without it), so kubectl does without', async () => {
    const res = await fetchRaw(`${full.url}/openapi/v2`, { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    expect(res.status).toBe(404);
  });

  it('/openapi/v3 indexes the served group-versions; a document is the group-version of the spec in OpenAPI 3', async () => {
    const index = await getJson(`${small.url}/openapi/v3`);
    expect(Object.keys(index.paths).sort()).toEqual(['api/v1', 'apis/apps/v1']);
    const apps = await getJson(`${small.url}${index.paths['apis/apps/v1'].serverRelativeURL}`);
    expect(apps.openapi).toBe('3.0.0');
    expect(Object.keys(apps.paths).every((p) => p.startsWith('/apis/apps/v1/') && !p.includes('statefulsets'))).toBe(true);
    const item = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    expect(item.patch.parameters.find((p: { name: string }) => p.name === 'fieldValidation')).toMatchObject({ in: 'query', schema: { type: 'string', uniqueItems: true } });
    // The body parameter became the requestBody; responses carry their schema per media type.
    expect(item.put.requestBody.content['*/*'].schema).toEqual({ $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' });
    expect(item.get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' });
    // Schemas reached from the paths, references rewritten; a described reference is wrapped in allOf.
    const schemas = apps.components.schemas;
    expect(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(schemas['io.k8s.api.apps.v1.Deployment'].properties.spec).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }] });
    expect(schemas['io.k8s.api.core.v1.PodSpec']).toBeDefined();
    expect(schemas['io.k8s.api.core.v1.ConfigMap']).toBeUndefined();
    expect(JSON.stringify(apps)).not.toContain('#/definitions/');
    expect(JSON.stringify(apps)).not.toContain('#/parameters/');
    // Not served, or not a group-version: 404.
    expect((await fetchRaw(`${small.url}/openapi/v3/apis/batch/v1`)).status).toBe(404);
  });

  it('the connect operations carry their options kinds (PodProxyOptions), as upstream', async () => {
    const core = await getJson(`${full.url}/openapi/v3/api/v1`);
    expect(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/proxy'].patch['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'PodProxyOptions', version: 'v1' });
    expect(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'].post['x-kubernetes-group-version-kind'].kind).toBe('PodExecOptions');
    expect(core.paths['/api/v1/nodes/{name}/proxy/{path}'].get['x-kubernetes-group-version-kind'].kind).toBe('NodeProxyOptions');
  });

  it('a group-version the spec does not have gets the skeleton document (PATCH with fieldValidation)', async () => {
    const Widget = defineResource({ apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: true });
    const server = await FakeApiServer.start({ registerDefaults: false, resources: [Widget] });
    try {
      const index = await getJson(`${server.url}/openapi/v3`);
      const doc = await getJson(`${server.url}${index.paths['apis/example.com/v1'].serverRelativeURL}`);
      expect(doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch['x-kubernetes-group-version-kind']).toEqual({ group: 'example.com', version: 'v1', kind: 'Widget' });
      expect(doc.components.schemas).toEqual({});
    } finally {
      await server.close();
    }
  });

  it('an Accept without JSON is 406 on /openapi/v3', async () => {
    const res = await fetchRaw(`${full.url}/openapi/v3/api/v1`, { headers: { Accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' } });
    expect(res.status).toBe(406);
  });
});

/**
 * API versions of the FakeApiServer: `resources: 'v1.35'` serves what a default kube-apiserver v1.35 serves (the
 * `/apis` recorded from a real v1.35.6 server, vendor/fixtures/discovery/apis-v1.35.json), and a kind served in
 * two versions keeps one store (autoscaling v1 and v2 HorizontalPodAutoscaler).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeApiServer } from '../../lib/testing/index.js';
import { V1_35_DEFAULT_GROUP_VERSIONS } from '../../lib/testing/all-kinds.js';
import { readDiscoveryFixture } from '../../vendor/index.js';
import { fetchRaw } from './http-helpers.js';

type Group = { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion: { version: string } };

async function getJson(url: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetchRaw(url);
  return { status: res.status, body: res.body.startsWith('{') ? JSON.parse(res.body) : res.body };
}

describe("resources: 'v1.35' serves the default group-versions of kube-apiserver v1.35", () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await FakeApiServer.start({ resources: 'v1.35' });
  });
  afterAll(() => server.close());

  it('/apis lists exactly the groups and versions of the recorded v1.35 server', async () => {
    const recorded = readDiscoveryFixture('apis-v1.35.json')['groups'] as Group[];
    const served = (await getJson(`${server.url}/apis`)).body.groups as Group[];
    const byName = (gs: Group[]) => Object.fromEntries(gs.map((g) => [g.name, { versions: g.versions, preferred: g.preferredVersion.version }]));
    expect(byName(served)).toEqual(byName(recorded));
    expect(new Set(['v1', ...recorded.flatMap((g) => g.versions.map((v) => v.groupVersion))])).toEqual(V1_35_DEFAULT_GROUP_VERSIONS);
  });

  it('alpha and beta group-versions are not served: 404 page not found', async () => {
    for (const gv of ['resource.k8s.io/v1beta1', 'resource.k8s.io/v1beta2', 'coordination.k8s.io/v1alpha2', 'coordination.k8s.io/v1beta1', 'storagemigration.k8s.io/v1beta1']) {
      expect(await getJson(`${server.url}/apis/${gv}`)).toEqual({ status: 404, body: '404 page not found\n' });
    }
    expect((await getJson(`${server.url}/apis/coordination.k8s.io/v1/namespaces/default/leases`)).status).toBe(200);
    expect((await getJson(`${server.url}/apis/coordination.k8s.io/v1beta1/namespaces/default/leasecandidates`)).status).toBe(404);
  });

  it("'v1.35-all' serves the alpha and beta versions too", async () => {
    const all = await FakeApiServer.start({ resources: 'v1.35-all' });
    try {
      const groups = (await getJson(`${all.url}/apis`)).body.groups as Group[];
      expect(groups.find((g) => g.name === 'resource.k8s.io')!.versions.map((v) => v.version)).toEqual(['v1', 'v1beta2', 'v1beta1', 'v1alpha3']);
    } finally {
      await all.close();
    }
  });
});

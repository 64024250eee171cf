/**
 * `resourceVersionMatch=Exact` on lists: the collection as it was at that revision (rebuilt from the event history),
 * 410 Expired past the history, the ListOptions validation of lists (422), and paged lists read at the first page's
 * revision.
 */
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { fetchRaw } from './http-helpers.js';

interface List {
  metadata: { resourceVersion: string; continue?: string };
  items: { metadata: { name: string; resourceVersion: string }; data?: Record<string, string> }[];
}

describe('lists at an exact resourceVersion', () => {
  let server: FakeApiServer;
  beforeEach(async () => {
    server = await FakeApiServer.start();
  });
  afterEach(() => server.close());

  const cm = (name: string, v: string) => ({ metadata: { name, namespace: 'default' }, data: { v } });
  async function list(query: string): Promise<{ status: number; body: List & { message?: string; reason?: string; details?: { causes?: { message: string }[] } } }> {
    const res = await fetchRaw(`${server.url}/api/v1/namespaces/default/configmaps?${query}`);
    return { status: res.status, body: JSON.parse(res.body) };
  }

  it('answers the objects as they were at that RV, with metadata.resourceVersion = the RV', async () => {
    const a = server.create(testResources.ConfigMap, cm('a', '1'));
    server.create(testResources.ConfigMap, cm('b', '1'));
    const rv = server.resourceVersion;
    server.update(testResources.ConfigMap, cm('a', '2'));
    server.delete(testResources.ConfigMap, 'b', 'default');
    server.create(testResources.ConfigMap, cm('c', '1'));
    server.create(testResources.Pod, { metadata: { name: 'other-kind', namespace: 'default' } });

    const then = await list(`resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(then.status).toBe(200);
    expect(then.body.metadata.resourceVersion).toBe(rv);
    expect(then.body.items.map((i) => [i.metadata.name, i.data?.['v'], i.metadata.resourceVersion])).toEqual([
      ['a', '1', (a.metadata as { resourceVersion: string }).resourceVersion],
      ['b', '1', expect.any(String)],
    ]);
    // NotOlderThan (and no match) is the current state.
    const now = await list(`resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`);
    expect(now.body.metadata.resourceVersion).toBe(server.resourceVersion);
    expect(now.body.items.map((i) => [i.metadata.name, i.data?.['v']])).toEqual([
      ['a', '2'],
      ['c', '1'],
    ]);
  });

  it('an RV older than the history is 410 Expired, as etcd answers a compacted revision', async () => {
    server.create(testResources.ConfigMap, cm('a', '1'));
    const rv = server.resourceVersion;
    server.update(testResources.ConfigMap, cm('a', '2'));
    server.compact();
    const res = await list(`resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410, message: 'The resourceVersion for the provided list is too old.' });
    // The current RV itself is still listable.
    expect((await list(`resourceVersion=${server.resourceVersion}&resourceVersionMatch=Exact`)).status).toBe(200);
  });

  it('validates list options as ValidateListOptions does (422 Invalid)', async () => {
    const zero = await list('resourceVersion=0&resourceVersionMatch=Exact');
    expect(zero.status).toBe(422);
    expect(zero.body.details?.causes?.map((c) => c.message)).toEqual(['Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"']);
    const noRV = await list('resourceVersionMatch=NotOlderThan');
    expect(noRV.body.details?.causes?.map((c) => c.message)).toEqual(['Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided']);
    const bad = await list('resourceVersion=5&resourceVersionMatch=Newest');
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain('resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""');
  });

  it('later pages of a paged list are read at the first page’s revision', async () => {
    for (const n of ['a', 'b', 'c']) server.create(testResources.ConfigMap, cm(n, '1'));
    const first = await list('limit=1');
    const rv = first.body.metadata.resourceVersion;
    server.update(testResources.ConfigMap, cm('b', '2'));
    server.delete(testResources.ConfigMap, 'c', 'default');
    const second = await list(`limit=5&continue=${encodeURIComponent(first.body.metadata.continue!)}`);
    expect(second.body.metadata.resourceVersion).toBe(rv);
    expect(second.body.items.map((i) => [i.metadata.name, i.data?.['v']])).toEqual([
      ['b', '1'],
      ['c', '1'],
    ]);
    // resourceVersionMatch with continue is forbidden.
    expect((await list(`resourceVersion=${rv}&resourceVersionMatch=Exact&continue=${encodeURIComponent(first.body.metadata.continue!)}`)).status).toBe(422);
  });
});

/**
 * Who the API server sees, over real loopback HTTP: the User-Agent of every request and, through it, the field
 * manager of writes that name none (the FakeApiServer derives it as kube-apiserver's `prefixFromUserAgent`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient, type ClientOptions } from '../../lib/client/create-client.js';
import type { FetchLike } from '../../lib/client/fetch.js';
import { VERSION } from '../../lib/client/version.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { kubeconfigYaml, tempDir, writePrivate } from './config-helpers.js';

const { ConfigMap } = testResources;
let server: FakeApiServer;

beforeAll(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 0 });
});
afterAll(() => server.close());
beforeEach(() => server.clearRequests());

/** Creates a ConfigMap without fieldManager; returns the User-Agent the server saw and the manager it recorded. */
async function createWith(name: string, options: Omit<ClientOptions, 'server'> = {}): Promise<{ userAgent: string | undefined; managers: string[] }> {
  const client = await createClient({ server: server.url, ...options });
  const created = await firstValueFrom(new Api(ConfigMap, { client, namespace: 'default' }).create$({ metadata: { name }, data: { a: '1' } }));
  const managed = (created.metadata as { managedFields?: { manager?: string }[] }).managedFields ?? [];
  return { userAgent: server.requests.at(-1)!.headers['user-agent'], managers: managed.map((m) => m.manager ?? '') };
}

/** Both Node transports: node-fetch (the default) and Node's own fetch. */
const transports: [string, FetchLike | undefined][] = [
  ['node-fetch', undefined],
  ['WHATWG fetch', globalThis.fetch.bind(globalThis) as unknown as FetchLike],
];

describe.each(transports)('over %s', (transport, fetch) => {
  const id = transport.replace(/\W+/g, '-').toLowerCase();

  it('sends kubex-rx/<version> (<platform>/<arch>) node/<version>, so writes are managed by "kubex-rx"', async () => {
    const { userAgent, managers } = await createWith(`default-${id}`, fetch ? { fetch } : {});
    expect(userAgent).toBe(`kubex-rx/${VERSION} (${process.platform}/${process.arch}) node/${process.versions.node}`);
    expect(managers).toEqual(['kubex-rx']);
  });

  it('the userAgent option replaces it, and names the field manager', async () => {
    const { userAgent, managers } = await createWith(`custom-${id}`, { userAgent: 'my-controller/1.4.0 (linux/amd64)', ...(fetch ? { fetch } : {}) });
    expect(userAgent).toBe('my-controller/1.4.0 (linux/amd64)');
    expect(managers).toEqual(['my-controller']);
  });
});

it('an explicit User-Agent header wins over the default, as any header of the headers option does', async () => {
  const { userAgent } = await createWith('by-header', { headers: { 'user-agent': 'from-header/2' } });
  expect(userAgent).toBe('from-header/2');
});

it('a field manager named by the write wins over the User-Agent', async () => {
  const client = await createClient({ server: server.url });
  const created = await firstValueFrom(new Api(ConfigMap, { client, namespace: 'default' }).create$({ metadata: { name: 'named' }, data: { a: '1' } }, { fieldManager: 'explicit' }));
  expect((created.metadata as { managedFields?: { manager?: string }[] }).managedFields?.map((m) => m.manager)).toEqual(['explicit']);
});

it('a client from a kubeconfig sends the same default, and the userAgent option there too', async () => {
  const tmp = await tempDir();
  try {
    const kubeconfig = await writePrivate(
      join(tmp.dir, 'config'),
      kubeconfigYaml({ clusters: { c: { server: server.url } }, users: { u: {} }, contexts: { main: { cluster: 'c', user: 'u' } }, current: 'main' }),
    );
    const environment = { env: {}, homeDir: tmp.dir };
    const byDefault = await createClient({ kubeconfig, environment });
    await firstValueFrom(new Api(ConfigMap, { client: byDefault }).list$());
    expect(server.requests.at(-1)!.headers['user-agent']).toBe(`kubex-rx/${VERSION} (${process.platform}/${process.arch}) node/${process.versions.node}`);
    const custom = await createClient({ kubeconfig, environment, userAgent: 'from-kubeconfig-client/3' });
    await firstValueFrom(new Api(ConfigMap, { client: custom }).list$());
    expect(server.requests.at(-1)!.headers['user-agent']).toBe('from-kubeconfig-client/3');
  } finally {
    await tmp.cleanup();
  }
});

/**
 * `createClient` and the proxy environment variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), over real loopback
 * sockets: a FakeApiServer and an HTTP proxy that records its CONNECT tunnels and the plain requests it forwards.
 * No fetch is mocked.
 *
 * Loopback servers are never proxied (Go's rule), so the servers are addressed by names only the proxy can
 * resolve: `api.cluster.invalid` (RFC 6761: never resolves) and the service IP `10.96.0.1`, both in the server
 * certificate, which the proxy maps to 127.0.0.1. A request through the proxy therefore succeeds only because it
 * went through the proxy; a request that bypasses it resolves the name itself and fails with ENOTFOUND, and the
 * proxy records no tunnel.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { firstValueFrom } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { ConfigError } from '../../lib/errors/config-errors.js';
import { createClient, type ClientOptions } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import { TransportError } from '../../lib/errors/kubex-error.js';
import { FakeApiServer, createTestPki, testResources, type TestCertificate, type TestPki } from '../../lib/testing/index.js';
import { b64, kubeconfigYaml, startConnectProxy, tempDir, writePlugin, writePrivate } from './config-helpers.js';

const { Pod } = testResources;
const TOKEN = 'env-proxy-token-41d7';
const PROXY_SECRET = 'proxy-secret-93be';
const NAME = 'api.cluster.invalid';
const SERVICE_IP = '10.96.0.1';

type Proxy = Awaited<ReturnType<typeof startConnectProxy>>;

let pki: TestPki;
let https: FakeApiServer;
let http: FakeApiServer;
let port: string;
let httpPort: string;
let proxy: Proxy;
let tmp: { dir: string; cleanup(): Promise<void> };

beforeAll(async () => {
  pki = await createTestPki({ commonName: 'env-proxy-ca' });
  const cert = await pki.issue({ commonName: 'kube-apiserver', altNames: [NAME, SERVICE_IP, 'localhost', '127.0.0.1', '::1'], usage: ['server'] });
  https = await FakeApiServer.start({ tls: { ...cert, ca: pki.ca.cert }, auth: { tokens: { [TOKEN]: { username: 'alice' } } } });
  http = await FakeApiServer.start();
  for (const server of [https, http]) server.create(Pod, { metadata: { name: 'p1', namespace: 'default' } });
  port = new URL(https.url).port;
  httpPort = new URL(http.url).port;
});
afterAll(async () => {
  await https.close();
  await http.close();
});
beforeEach(async () => {
  tmp = await tempDir();
  proxy = await startConnectProxy({ hosts: { [NAME]: '127.0.0.1', [SERVICE_IP]: '127.0.0.1' } });
});
afterEach(async () => {
  await proxy.close();
  await tmp.cleanup();
});

/** The proxy's URL with credentials in it. */
const withCredentials = (p: Proxy): string => p.url.replace('http://', `http://proxyuser:${PROXY_SECRET}@`);

/** Only these variables: no KUBECONFIG, an empty home, not in a cluster. */
const environment = (env: Record<string, string>): ClientOptions['environment'] => ({ env, homeDir: join(tmp.dir, 'home'), serviceAccountDir: join(tmp.dir, 'nowhere') });

/** A client from a kubeconfig whose cluster is `server`, with the given environment. */
async function kubeconfigClient(server: string, env: Record<string, string>, cluster: Record<string, unknown> = {}, user: Record<string, unknown> = { token: TOKEN }, options: ClientOptions = {}): Promise<KubeClient> {
  const file = await writePrivate(
    join(tmp.dir, 'config'),
    kubeconfigYaml({ clusters: { c: { server, 'certificate-authority-data': b64(pki.ca.cert), ...cluster } }, users: { u: user }, contexts: { main: { cluster: 'c', user: 'u' } }, current: 'main' }),
  );
  return createClient({ kubeconfig: file, environment: environment(env), ...options });
}

/** The names of the pods in `default`. */
async function listPods(client: KubeClient): Promise<string[]> {
  const list = await firstValueFrom(new Api(Pod, { client }).list$());
  return list.items.map((p) => p.metadata.name!);
}

/** The error a list fails with. */
async function listError(client: KubeClient): Promise<Error> {
  return (await firstValueFrom(new Api(Pod, { client }).list$()).catch((e: unknown) => e)) as Error;
}

/** The list fails because the client resolved `host` itself: it went direct, not through a proxy. */
async function expectDirect(client: KubeClient, host = NAME): Promise<void> {
  const error = await listError(client);
  expect(error).toBeInstanceOf(TransportError);
  expect(error.message).toContain(host);
  expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
}

describe('HTTPS_PROXY', () => {
  it('tunnels requests to an https: server through the proxy, with the proxy credentials from the variable', async () => {
    const client = await kubeconfigClient(`https://${NAME}:${port}`, { HTTPS_PROXY: withCredentials(proxy) });
    expect(await listPods(client)).toEqual(['p1']);
    expect(https.requests.at(-1)!.auth).toMatchObject({ method: 'token', user: { username: 'alice' } });
    expect(proxy.connects).toHaveLength(1);
    expect(proxy.connects[0]!.target).toBe(`${NAME}:${port}`);
    expect(proxy.connects[0]!.headers['proxy-authorization']).toBe(`Basic ${b64(`proxyuser:${PROXY_SECRET}`)}`);
    await listPods(client);
    expect(proxy.connects).toHaveLength(1); // keep-alive: one tunnel
    for (const text of [String(client), JSON.stringify(client), inspect(client, { showHidden: true, depth: 20 })]) expect(text).not.toContain(PROXY_SECRET);
  });

  it('https_proxy without a scheme (host:port) is an http:// proxy; HTTPS_PROXY wins over it', async () => {
    const client = await kubeconfigClient(`https://${NAME}:${port}`, { https_proxy: new URL(proxy.url).host });
    expect(await listPods(client)).toEqual(['p1']);
    expect(proxy.connects.map((c) => c.target)).toEqual([`${NAME}:${port}`]);

    const other = await startConnectProxy({ hosts: { [NAME]: '127.0.0.1' } });
    try {
      const upper = await kubeconfigClient(`https://${NAME}:${port}`, { HTTPS_PROXY: other.url, https_proxy: proxy.url });
      expect(await listPods(upper)).toEqual(['p1']);
      expect(other.connects).toHaveLength(1);
      expect(proxy.connects).toHaveLength(1); // still just the first client's tunnel
    } finally {
      await other.close();
    }
  });

  it('is not used for an https: server when only HTTP_PROXY is set', async () => {
    const client = await kubeconfigClient(`https://${NAME}:${port}`, { HTTP_PROXY: proxy.url, http_proxy: proxy.url });
    await expectDirect(client);
    expect(proxy.connects).toHaveLength(0);
  });
});

describe('NO_PROXY', () => {
  // PORT: the server's port, known once it listens.
  for (const noProxy of [NAME, 'cluster.invalid', '.cluster.invalid', `${NAME}:PORT`, 'example.com,*']) {
    it(`NO_PROXY=${noProxy} sends requests to ${NAME} directly`, async () => {
      const client = await kubeconfigClient(`https://${NAME}:${port}`, { HTTPS_PROXY: proxy.url, NO_PROXY: noProxy.replace('PORT', port) });
      await expectDirect(client);
      expect(proxy.connects).toHaveLength(0);
    });
  }

  it('entries that do not match (another port, a name the host only ends with, the parent of a .suffix) leave the proxy on', async () => {
    for (const noProxy of [`${NAME}:1`, 'er.invalid', '.api.cluster.invalid', '10.0.0.0/8']) {
      const client = await kubeconfigClient(`https://${NAME}:${port}`, { HTTPS_PROXY: proxy.url, no_proxy: noProxy });
      expect(await listPods(client)).toEqual(['p1']);
    }
    expect(proxy.connects).toHaveLength(4);
  });

  it('localhost and loopback addresses are never proxied: requests go directly', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const client = await kubeconfigClient(`https://${host}:${port}`, { HTTPS_PROXY: proxy.url });
      expect(await listPods(client)).toEqual(['p1']);
    }
    // The server listens on 127.0.0.1 only: ::1 is tried directly (and refused), not tunnelled.
    const error = await listError(await kubeconfigClient(`https://[::1]:${port}`, { HTTPS_PROXY: proxy.url }));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toMatch(/ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH/);
    expect(proxy.connects).toHaveLength(0);
  });
});

describe('HTTP_PROXY and { server } without a kubeconfig', () => {
  it('sends requests to an http: server given as { server } through HTTP_PROXY, as plain proxy requests (as Go does)', async () => {
    const client = await createClient({ server: `http://${NAME}:${httpPort}`, environment: environment({ HTTP_PROXY: withCredentials(proxy) }) });
    expect(await listPods(client)).toEqual(['p1']);
    expect(proxy.forwards.map((f) => f.target)).toEqual([`http://${NAME}:${httpPort}/api/v1/namespaces/default/pods`]);
    expect(proxy.forwards[0]!.headers['proxy-authorization']).toBe(`Basic ${b64(`proxyuser:${PROXY_SECRET}`)}`);
    expect(proxy.connects).toHaveLength(0);
    expect(inspect(client, { showHidden: true, depth: 20 })).not.toContain(PROXY_SECRET);
  });

  it('uses https_proxy for { server, token } on https:, but not HTTPS_PROXY for http:, nor a proxy NO_PROXY excludes', async () => {
    const tokenClient = await createClient({ server: `https://${NAME}:${port}`, token: TOKEN, environment: environment({ https_proxy: proxy.url }) });
    // The proxy was used: the tunnel was opened, then TLS failed because { server, token } trusts only the system CAs.
    const error = await listError(tokenClient);
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toMatch(/certificate/i);
    expect(proxy.connects.map((c) => c.target)).toEqual([`${NAME}:${port}`]);

    await expectDirect(await createClient({ server: `http://${NAME}:${httpPort}`, environment: environment({ HTTPS_PROXY: proxy.url }) }));
    await expectDirect(await createClient({ server: `http://${NAME}:${httpPort}`, environment: environment({ HTTP_PROXY: proxy.url, NO_PROXY: '.invalid' }) }));
    expect(proxy.connects).toHaveLength(1);
    expect(proxy.forwards).toHaveLength(0);
  });

  it('a malformed HTTP_PROXY rejects createClient({ server }) with a ConfigError that hides the value', async () => {
    const error = await createClient({ server: `http://${NAME}:${httpPort}`, environment: environment({ HTTP_PROXY: `http://u:${PROXY_SECRET}@bad host:3128` }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/HTTP_PROXY is not a valid proxy URL/);
    expect((error as Error).message).not.toContain(PROXY_SECRET);
  });
});

describe('explicit proxies win over the environment', () => {
  it('a kubeconfig proxy-url, then the proxyUrl option, are used instead of HTTPS_PROXY', async () => {
    const explicit = await startConnectProxy({ hosts: { [NAME]: '127.0.0.1' } });
    try {
      const fromKubeconfig = await kubeconfigClient(`https://${NAME}:${port}`, { HTTPS_PROXY: proxy.url }, { 'proxy-url': explicit.url });
      expect(await listPods(fromKubeconfig)).toEqual(['p1']);
      const fromOption = await kubeconfigClient(`https://${NAME}:${port}`, { HTTPS_PROXY: proxy.url }, {}, { token: TOKEN }, { proxyUrl: explicit.url });
      expect(await listPods(fromOption)).toEqual(['p1']);
      expect(explicit.connects).toHaveLength(2);
      expect(proxy.connects).toHaveLength(0);
      // An explicit proxy also wins over NO_PROXY (client-go does not consult the environment then).
      const despiteNoProxy = await kubeconfigClient(`https://${NAME}:${port}`, { NO_PROXY: '*' }, { 'proxy-url': explicit.url });
      expect(await listPods(despiteNoProxy)).toEqual(['p1']);
      expect(explicit.connects).toHaveLength(3);
    } finally {
      await explicit.close();
    }
  });

  it('a malformed HTTPS_PROXY does not matter when a proxy-url is set', async () => {
    const client = await kubeconfigClient(`https://${NAME}:${port}`, { HTTPS_PROXY: 'http://bad host' }, { 'proxy-url': proxy.url });
    expect(await listPods(client)).toEqual(['p1']);
    expect(proxy.connects).toHaveLength(1);
  });

  it('a malformed HTTPS_PROXY that applies rejects createClient with a ConfigError naming it', async () => {
    const error = await kubeconfigClient(`https://${NAME}:${port}`, { HTTPS_PROXY: `socks5://u:${PROXY_SECRET}@proxy:1080` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/HTTPS_PROXY names a socks5: proxy, which is not supported/);
    expect((error as Error).message).not.toContain(PROXY_SECRET);
  });
});

describe('in-cluster configuration and exec plugins', () => {
  async function serviceAccount(): Promise<string> {
    const dir = join(tmp.dir, 'serviceaccount');
    await mkdir(dir, { recursive: true });
    await writePrivate(join(dir, 'token'), TOKEN);
    await writePrivate(join(dir, 'ca.crt'), pki.ca.cert);
    await writePrivate(join(dir, 'namespace'), 'default');
    return dir;
  }
  const inCluster = async (env: Record<string, string>): Promise<KubeClient> =>
    createClient({ environment: { env: { KUBERNETES_SERVICE_HOST: SERVICE_IP, KUBERNETES_SERVICE_PORT: port, ...env }, homeDir: join(tmp.dir, 'home'), serviceAccountDir: await serviceAccount() } });

  it('in a pod, HTTPS_PROXY applies to the service address too', async () => {
    const client = await inCluster({ HTTPS_PROXY: proxy.url, NO_PROXY: '.svc,.cluster.local' });
    expect(await listPods(client)).toEqual(['p1']);
    expect(proxy.connects.map((c) => c.target)).toEqual([`${SERVICE_IP}:${port}`]);
  });

  it('in a pod, NO_PROXY with the service CIDR keeps the proxy off', async () => {
    // Direct, the client would connect to 10.96.0.1 itself (which may hang); a bad proxy URL proves the proxy
    // was never considered: had it been, createClient would have rejected.
    const client = await inCluster({ HTTPS_PROXY: 'http://bad host', NO_PROXY: '10.96.0.0/12' });
    expect(client.namespace).toBe('default');
    await expect(inCluster({ HTTPS_PROXY: 'http://bad host', NO_PROXY: '10.0.0.0/16' })).rejects.toThrow(/HTTPS_PROXY is not a valid proxy URL/);
  });

  it('a client certificate from an exec plugin is sent through the environment proxy; the plugin gets no proxy-url', async () => {
    const clientCert: TestCertificate = await pki.issue({ commonName: 'exec-cert-user', usage: ['client'] });
    const V1 = 'client.authentication.k8s.io/v1';
    const plugin = await writePlugin(tmp.dir, { apiVersion: V1, cert: clientCert.cert, key: clientCert.key });
    const client = await kubeconfigClient(`https://${NAME}:${port}`, { HTTPS_PROXY: proxy.url }, {}, { exec: { apiVersion: V1, command: plugin.command, args: plugin.args, provideClusterInfo: true, interactiveMode: 'Never' } });
    expect(await listPods(client)).toEqual(['p1']);
    expect(https.requests.at(-1)!.auth).toMatchObject({ method: 'clientCertificate', user: { username: 'exec-cert-user' } });
    expect(proxy.connects.map((c) => c.target)).toEqual([`${NAME}:${port}`]);
    const cluster = (await plugin.run(1)).info!.spec.cluster!;
    expect(cluster['server']).toBe(`https://${NAME}:${port}`);
    expect(cluster).not.toHaveProperty('proxy-url');
  });
});

/**
 * `createClient` against the FakeApiServer over real HTTPS on loopback: every way of saying where the cluster is
 * (kubeconfig, KUBECONFIG merging, contexts, in-cluster) and every credential (token, token file, client
 * certificates, basic auth, impersonation, exec plugins), TLS verification, proxies, and the errors. No fetch
 * is mocked: node-fetch talks TLS to the server, which authenticates each request for real.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { mkdir } from 'node:fs/promises';
import { firstValueFrom } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { ConfigError, ExecPluginError, KubeconfigError } from '../../lib/client/index.js';
import { createClient, type ClientOptions } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import { TransportError } from '../../lib/errors/kubex-error.js';
import { UnauthorizedError } from '../../lib/errors/status-error.js';
import { FakeApiServer, createTestPki, testResources, type RecordedRequest, type TestCertificate } from '../../lib/testing/index.js';
import { b64, kubeconfigYaml, startConnectProxy, tempDir, waitUntil, writePlugin, writePrivate } from './config-helpers.js';

const { Pod } = testResources;
const STATIC_TOKEN = 'static-token-8f2c1e';
const BASIC_PASSWORD = 'basic-password-77ab';

let server: FakeApiServer;
let tmp: { dir: string; cleanup(): Promise<void> };
let aliceCert: TestCertificate;

beforeAll(async () => {
  server = await FakeApiServer.start({
    tls: true,
    auth: { tokens: { [STATIC_TOKEN]: { username: 'alice', groups: ['dev'] } }, basic: { carol: BASIC_PASSWORD } },
  });
  aliceCert = await server.issueClientCertificate('cert-alice', ['certified']);
  for (const ns of ['default', 'team-a', 'team-b', 'kube-ns']) {
    if (ns !== 'default') server.create(testResources.Namespace, { metadata: { name: ns } });
    server.create(Pod, { metadata: { name: `pod-in-${ns}`, namespace: ns } });
  }
});
afterAll(() => server.close());
beforeEach(async () => {
  tmp = await tempDir();
  server.clearRequests();
});
afterEach(() => tmp.cleanup());

/** An environment with nothing in it: no KUBECONFIG, an empty home, not in a cluster. */
const isolated = (env: Record<string, string> = {}): ClientOptions['environment'] => ({ env, homeDir: join(tmp.dir, 'home'), serviceAccountDir: join(tmp.dir, 'nowhere') });

/** The cluster entry for the FakeApiServer, CA inline. */
const cluster = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ server: server.url, 'certificate-authority-data': b64(server.ca!), ...extra });

async function writeKubeconfig(name: string, input: Parameters<typeof kubeconfigYaml>[0]): Promise<string> {
  return writePrivate(join(tmp.dir, name), kubeconfigYaml(input));
}

/** A kubeconfig with one context `main` (cluster `c`, user `u`) and the client made from it. */
async function clientFor(user: Record<string, unknown>, options: ClientOptions = {}, clusterExtra: Record<string, unknown> = {}): Promise<KubeClient> {
  const file = await writeKubeconfig('config', { clusters: { c: cluster(clusterExtra) }, users: { u: user }, contexts: { main: { cluster: 'c', user: 'u', namespace: 'team-a' } }, current: 'main' });
  return createClient({ kubeconfig: file, environment: isolated(), ...options });
}

/** Lists pods in the client's namespace and returns the request the server saw. */
async function listPods(client: KubeClient): Promise<{ names: string[]; request: RecordedRequest }> {
  const list = await firstValueFrom(new Api(Pod, { client }).list$());
  return { names: list.items.map((p) => p.metadata.name!), request: server.requests.filter((r) => r.path.endsWith('/pods')).at(-1)! };
}

/** Every way a client might show itself. */
const renderings = (client: KubeClient): string[] => [String(client), JSON.stringify(client), inspect(client, { showHidden: true, depth: 20 }), `${client}`];

describe('kubeconfig credentials over HTTPS', () => {
  it('bearer token, CA from certificate-authority-data, namespace from the context', async () => {
    const client = await clientFor({ token: STATIC_TOKEN });
    const { names, request } = await listPods(client);
    expect(names).toEqual(['pod-in-team-a']);
    expect(request.path).toBe('/api/v1/namespaces/team-a/pods');
    expect(request.auth).toMatchObject({ method: 'token', user: { username: 'alice' } });
    expect(client.namespace).toBe('team-a');
    for (const text of renderings(client)) expect(text).not.toContain(STATIC_TOKEN);
  });

  it('client certificate and key from files (paths relative to the kubeconfig), CA from a file', async () => {
    await writePrivate(join(tmp.dir, 'ca.crt'), server.ca!);
    await writePrivate(join(tmp.dir, 'client.crt'), aliceCert.cert);
    await writePrivate(join(tmp.dir, 'client.key'), aliceCert.key);
    const file = await writeKubeconfig('config', {
      clusters: { c: { server: server.url, 'certificate-authority': 'ca.crt' } },
      users: { u: { 'client-certificate': 'client.crt', 'client-key': 'client.key' } },
      contexts: { main: { cluster: 'c', user: 'u' } },
      current: 'main',
    });
    const client = await createClient({ kubeconfig: file, environment: isolated() });
    const { request } = await listPods(client);
    expect(request.auth).toMatchObject({ method: 'clientCertificate', user: { username: 'cert-alice', groups: ['certified', 'system:authenticated'] } });
    expect(client.namespace).toBe('default'); // the context names no namespace
    for (const text of renderings(client)) {
      expect(text).not.toContain(aliceCert.key.split('\n')[1]);
      expect(text).not.toContain(aliceCert.cert.split('\n')[1]);
    }
  });

  it('client certificate and key inline (client-certificate-data / client-key-data)', async () => {
    const client = await clientFor({ 'client-certificate-data': b64(aliceCert.cert), 'client-key-data': b64(aliceCert.key) });
    expect((await listPods(client)).request.auth).toMatchObject({ method: 'clientCertificate', user: { username: 'cert-alice' } });
  });

  it('basic auth', async () => {
    const client = await clientFor({ username: 'carol', password: BASIC_PASSWORD });
    expect((await listPods(client)).request.auth).toMatchObject({ method: 'basic', user: { username: 'carol' } });
    for (const text of renderings(client)) expect(text).not.toContain(BASIC_PASSWORD);
  });

  it('impersonation: as, as-groups (one header line each), as-uid, as-user-extra', async () => {
    const client = await clientFor({ token: STATIC_TOKEN, as: 'eve', 'as-groups': ['g1', 'g2'], 'as-uid': 'uid-9', 'as-user-extra': { 'scopes.example.com/x': ['a', 'b'] } });
    const { request } = await listPods(client);
    expect(request.auth).toEqual({
      method: 'token',
      authenticated: { username: 'alice', groups: ['dev', 'system:authenticated'] },
      user: { username: 'eve', uid: 'uid-9', groups: ['g1', 'g2', 'system:authenticated'], extra: { 'scopes.example.com/x': ['a', 'b'] } },
      impersonated: true,
    });
  });

  it('explicit options override the kubeconfig (token, namespace), like kubectl flags', async () => {
    const client = await clientFor({ username: 'carol', password: BASIC_PASSWORD }, { token: STATIC_TOKEN, namespace: 'team-b' });
    const { names, request } = await listPods(client);
    expect(names).toEqual(['pod-in-team-b']);
    expect(request.auth).toMatchObject({ method: 'token', user: { username: 'alice' } });
  });

  it('explicit TLS options without a kubeconfig: { server, ca, clientCertificate, clientKey }', async () => {
    const client = await createClient({ server: server.url, ca: server.ca!, clientCertificate: aliceCert.cert, clientKey: aliceCert.key, environment: isolated() });
    expect((await listPods(client)).request.auth).toMatchObject({ method: 'clientCertificate', user: { username: 'cert-alice' } });
  });
});

describe('TLS verification', () => {
  it('is on by default: without the CA the request fails with a TransportError that shows no secret', async () => {
    const client = await clientFor({ token: STATIC_TOKEN }, {}, { 'certificate-authority-data': undefined });
    const error = await firstValueFrom(new Api(Pod, { client }).list$()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/certificate/i);
    expect((error as Error).message).not.toContain(STATIC_TOKEN);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a server certificate from another CA even with a CA configured', async () => {
    const other = await createTestPki();
    const client = await clientFor({ token: STATIC_TOKEN }, {}, { 'certificate-authority-data': b64(other.ca.cert) });
    await expect(firstValueFrom(new Api(Pod, { client }).list$())).rejects.toBeInstanceOf(TransportError);
  });

  it('insecure-skip-tls-verify is honoured only when set, with a warning', async () => {
    const warnings: string[] = [];
    const client = await clientFor({ token: STATIC_TOKEN }, { onWarning: (m) => warnings.push(m) }, { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true });
    expect((await listPods(client)).request.auth).toMatchObject({ method: 'token' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/TLS verification of https:\/\/127\.0\.0\.1:\d+\/ is disabled/);
    expect(warnings[0]).not.toContain(STATIC_TOKEN);
    // With a CA as well: client-go's "specifying a root certificates file with the insecure flag is not allowed".
    await expect(clientFor({ token: STATIC_TOKEN }, {}, { 'insecure-skip-tls-verify': true })).rejects.toThrow(KubeconfigError);
  });

  it('tls-server-name is the name the certificate is checked against', async () => {
    const ok = await clientFor({ token: STATIC_TOKEN }, {}, { 'tls-server-name': 'localhost' });
    expect((await listPods(ok)).names).toEqual(['pod-in-team-a']);
    const wrong = await clientFor({ token: STATIC_TOKEN }, {}, { 'tls-server-name': 'not-the-server.example' });
    const error = await firstValueFrom(new Api(Pod, { client: wrong }).list$()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/not-the-server\.example|altnames|Hostname/i);
  });
});

describe('proxy-url', () => {
  it('tunnels through an HTTP proxy with CONNECT, sending the proxy credentials from the URL', async () => {
    const proxy = await startConnectProxy();
    try {
      const proxyUrl = proxy.url.replace('http://', 'http://proxyuser:proxy-secret@');
      const client = await clientFor({ token: STATIC_TOKEN }, {}, { 'proxy-url': proxyUrl });
      expect((await listPods(client)).request.auth).toMatchObject({ method: 'token' });
      expect(proxy.connects).toHaveLength(1); // keep-alive: one tunnel
      expect(proxy.connects[0]!.target).toBe(new URL(server.url).host);
      expect(proxy.connects[0]!.headers['proxy-authorization']).toBe(`Basic ${b64('proxyuser:proxy-secret')}`);
      await listPods(client);
      expect(proxy.connects).toHaveLength(1);
      for (const text of renderings(client)) expect(text).not.toContain('proxy-secret');
    } finally {
      await proxy.close();
    }
  });

  it('fails with a TransportError naming the proxy (without its credentials) when the proxy is down', async () => {
    const proxy = await startConnectProxy();
    const url = proxy.url.replace('http://', 'http://u:proxy-secret@');
    await proxy.close();
    const client = await clientFor({ token: STATIC_TOKEN }, {}, { 'proxy-url': url });
    const error = await firstValueFrom(new Api(Pod, { client }).list$()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/proxy http:\/\/127\.0\.0\.1:\d+\//);
    expect((error as Error).message).not.toContain('proxy-secret');
  });

  it('a proxy that refuses CONNECT (407) fails the request with a TransportError naming the proxy, not a Status from the cluster', async () => {
    const proxy = await startConnectProxy({ refuseConnect: { status: 407, text: 'Proxy Authentication Required' } });
    try {
      const client = await clientFor({ token: STATIC_TOKEN }, {}, { 'proxy-url': proxy.url.replace('http://', 'http://u:proxy-secret@') });
      const error = await firstValueFrom(new Api(Pod, { client }).list$()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      const target = new URL(server.url).host;
      expect((error as Error).message).toBe(
        `GET ${server.url}/api/v1/namespaces/team-a/pods failed: proxy ${proxy.url}/: CONNECT ${target} answered 407 Proxy Authentication Required`,
      );
      expect(proxy.connects).toHaveLength(1);
      expect(server.requests).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });
});

describe('token files', () => {
  it('reads the token file, and after a 401 re-reads it and retries once (rotation)', async () => {
    const tokenFile = await writePrivate(join(tmp.dir, 'token'), 'file-token-1\n');
    server.auth!.tokens.set('file-token-1', { username: 'sa' });
    const client = await clientFor({ tokenFile: 'token' }); // relative to the kubeconfig
    expect((await listPods(client)).request.headers.authorization).toBe('Bearer file-token-1');

    // Rotation: the kubelet writes a new token; the server stops accepting the old one.
    await writePrivate(tokenFile, 'file-token-2\n');
    server.auth!.tokens.set('file-token-2', { username: 'sa' });
    server.auth!.tokens.delete('file-token-1');
    server.clearRequests();
    const { names } = await listPods(client);
    expect(names).toEqual(['pod-in-team-a']);
    expect(server.requests.map((r) => [r.headers.authorization, r.auth?.user.username])).toEqual([
      ['Bearer file-token-1', undefined], // 401
      ['Bearer file-token-2', 'sa'],
    ]);
  });

  it('a 401 that a refresh cannot fix is returned as UnauthorizedError, after one retry at most', async () => {
    await writePrivate(join(tmp.dir, 'token'), 'never-accepted');
    const client = await clientFor({ tokenFile: 'token' });
    const error = await firstValueFrom(new Api(Pod, { client }).list$()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as Error).message).not.toContain('never-accepted');
    expect(server.requests).toHaveLength(1); // same token after re-reading: no pointless retry
  });

  it('a missing token file is a ConfigError naming the file', async () => {
    const error = await clientFor({ tokenFile: 'missing-token' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(join(tmp.dir, 'missing-token'));
    expect((error as Error).message).toContain('ENOENT');
  });
});

describe('exec credential plugins', () => {
  const V1 = 'client.authentication.k8s.io/v1';
  const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

  it('runs the plugin without a shell, with args and env, and uses its token until it expires', async () => {
    const plugin = await writePlugin(tmp.dir, { apiVersion: V1, tokenPrefix: 'exec-token-', expiresInMs: 600 });
    for (const n of [1, 2]) server.auth!.tokens.set(`exec-token-${n}`, { username: 'exec-user' });
    const client = await clientFor({
      exec: {
        apiVersion: V1,
        command: plugin.command,
        args: [...plugin.args, 'a b', '$HOME;echo'], // no shell: passed through verbatim
        env: [{ name: 'PLUGIN_FLAVOUR', value: 'vanilla' }],
        interactiveMode: 'Never',
        provideClusterInfo: true,
      },
    });
    expect(plugin.runs()).toBe(0); // lazy: nothing runs before the first request
    expect((await listPods(client)).request.auth).toMatchObject({ method: 'token', user: { username: 'exec-user' } });
    await listPods(client);
    expect(plugin.runs()).toBe(1); // cached
    const run = await plugin.run(1);
    expect(run.argv).toEqual(['a b', '$HOME;echo']);
    expect(run.env.PLUGIN_FLAVOUR).toBe('vanilla');
    expect(run.stdinIsTTY).toBe(false);
    expect(run.info).toMatchObject({ kind: 'ExecCredential', apiVersion: V1, spec: { interactive: false, cluster: { server: server.url, 'certificate-authority-data': b64(server.ca!) } } });

    await new Promise((r) => setTimeout(r, 700)); // past expirationTimestamp
    expect((await listPods(client)).request.headers.authorization).toBe('Bearer exec-token-2');
    expect(plugin.runs()).toBe(2);
    for (const text of renderings(client)) expect(text).not.toMatch(/exec-token-/);
  });

  it('re-runs the plugin on a 401 and retries the request once with the new token', async () => {
    const plugin = await writePlugin(tmp.dir, { apiVersion: V1BETA1, tokenPrefix: 'revocable-' }); // no expiry
    server.auth!.tokens.set('revocable-1', { username: 'exec-user' });
    const client = await clientFor({ exec: { apiVersion: V1BETA1, command: plugin.command, args: plugin.args } });
    await listPods(client);
    server.auth!.tokens.delete('revocable-1'); // revoked early, before any expiry
    server.auth!.tokens.set('revocable-2', { username: 'exec-user' });
    server.clearRequests();
    await listPods(client);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer revocable-1', 'Bearer revocable-2']);
    expect(plugin.runs()).toBe(2);
  });

  it('uses a client certificate from the plugin (clientCertificateData / clientKeyData)', async () => {
    const cert = await server.issueClientCertificate('exec-cert-user', ['from-plugin']);
    const plugin = await writePlugin(tmp.dir, { apiVersion: V1, cert: cert.cert, key: cert.key });
    const client = await clientFor({ exec: { apiVersion: V1, command: plugin.command, args: plugin.args, interactiveMode: 'IfAvailable' } });
    expect((await listPods(client)).request.auth).toMatchObject({ method: 'clientCertificate', user: { username: 'exec-cert-user', groups: ['from-plugin', 'system:authenticated'] } });
  });

  it('a failing plugin makes the request reject with an ExecPluginError (exit code, end of stderr)', async () => {
    const plugin = await writePlugin(tmp.dir, { apiVersion: V1, fail: { code: 3, stderr: 'error: login required' } });
    const client = await clientFor({ exec: { apiVersion: V1, command: plugin.command, args: plugin.args, interactiveMode: 'Never' } });
    const error = await firstValueFrom(new Api(Pod, { client }).list$()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecPluginError);
    expect(error).toMatchObject({ exitCode: 3, command: process.execPath });
    expect((error as Error).message).toMatch(/exited with code 3: error: login required$/);
    expect(server.requests).toHaveLength(0);
  });

  it('a command that does not exist is an ExecPluginError with the install hint', async () => {
    const client = await clientFor({
      exec: { apiVersion: V1, command: 'kubex-rx-no-such-plugin', interactiveMode: 'Never', installHint: 'Install it with: brew install no-such-plugin' },
    });
    await expect(client.request({ path: '/api/v1/pods' })).rejects.toThrow(/kubex-rx-no-such-plugin.*command not found\nInstall it with: brew install no-such-plugin/s);
  });

  it('output that is not a valid ExecCredential is an ExecPluginError that never quotes the output', async () => {
    const cases: [string, RegExp][] = [
      ['secret-xyz not json', /not JSON/],
      [JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: { token: 42 } }), /status\.token/],
      [JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: {} }), /neither a token nor a client certificate/],
      [JSON.stringify({ apiVersion: V1BETA1, kind: 'ExecCredential', status: { token: 'secret-xyz' } }), /configured to use API version .*v1, plugin returned version .*v1beta1/],
      [JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: { token: 'secret-xyz', expirationTimestamp: 'soon' } }), /expirationTimestamp/],
    ];
    const plugin = await writePlugin(tmp.dir, { apiVersion: V1 });
    for (const [raw, message] of cases) {
      await plugin.plan({ apiVersion: V1, raw });
      const client = await clientFor({ exec: { apiVersion: V1, command: plugin.command, args: plugin.args, interactiveMode: 'Never' } });
      const error = await client.request({ path: '/api/v1/pods' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExecPluginError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('secret-xyz');
    }
  });

  it('configurations that cannot work are refused by createClient', async () => {
    const exec = (extra: Record<string, unknown>): Record<string, unknown> => ({ exec: { command: 'x', apiVersion: V1, interactiveMode: 'Never', ...extra } });
    await expect(clientFor(exec({ interactiveMode: undefined }))).rejects.toThrow(/interactiveMode must be set/);
    await expect(clientFor(exec({ interactiveMode: 'Always' }))).rejects.toThrow(ExecPluginError);
    await expect(clientFor(exec({ apiVersion: 'client.authentication.k8s.io/v1alpha1' }))).rejects.toThrow(/not supported/);
  });
});

describe('KUBECONFIG and contexts', () => {
  async function twoFiles(): Promise<{ first: string; second: string }> {
    const first = await writeKubeconfig('first', {
      clusters: { shared: cluster() },
      users: { alice: { token: STATIC_TOKEN } },
      contexts: { 'ctx-a': { cluster: 'shared', user: 'alice', namespace: 'team-a' } },
      current: 'ctx-a',
    });
    const second = await writeKubeconfig('second', {
      // Same cluster name with a bogus server: the first file's entry wins.
      clusters: { shared: { server: 'https://bogus.invalid:1' } },
      users: { carol: { username: 'carol', password: BASIC_PASSWORD }, alice: { token: 'not-this-one' } },
      contexts: { 'ctx-b': { cluster: 'shared', user: 'carol', namespace: 'team-b' }, 'ctx-a': { cluster: 'nowhere', user: 'nobody' } },
      current: 'ctx-b',
    });
    return { first, second };
  }

  it('merges the files: the first to define a name wins, current-context from the first that sets it', async () => {
    const { first, second } = await twoFiles();
    const env = { KUBECONFIG: [join(tmp.dir, 'missing'), first, '', second].join(':') }; // missing entries are skipped
    const client = await createClient({ environment: isolated(env) });
    const { names, request } = await listPods(client);
    expect(names).toEqual(['pod-in-team-a']);
    expect(request.auth).toMatchObject({ method: 'token', user: { username: 'alice' } });

    // ctx-b lives in the second file, its cluster comes from the first.
    const b = await createClient({ context: 'ctx-b', environment: isolated(env) });
    expect(b.namespace).toBe('team-b');
    expect(b.source).toBe('kubeconfig context "ctx-b"');
    expect((await listPods(b)).request.auth).toMatchObject({ method: 'basic', user: { username: 'carol' } });

    // The other order: the second file's current-context and entries win.
    const reversed = await createClient({ environment: isolated({ KUBECONFIG: `${second}:${first}` }) });
    expect(reversed.namespace).toBe('team-b');
    expect(String(reversed)).toBe('KubeClient(https://bogus.invalid:1/)');
  });

  it('reads ~/.kube/config when KUBECONFIG is not set, and prefers it to in-cluster configuration', async () => {
    await mkdir(join(tmp.dir, 'home', '.kube'), { recursive: true });
    await writePrivate(
      join(tmp.dir, 'home', '.kube', 'config'),
      kubeconfigYaml({ clusters: { c: cluster() }, users: { u: { token: STATIC_TOKEN } }, contexts: { home: { cluster: 'c', user: 'u', namespace: 'team-b' } }, current: 'home' }),
    );
    const client = await createClient({ environment: isolated({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }) });
    expect(client.namespace).toBe('team-b');
    expect(client.source).toBe('kubeconfig context "home"');
    expect((await listPods(client)).names).toEqual(['pod-in-team-b']);
  });

  it('an unknown context is a KubeconfigError listing the known ones', async () => {
    const { first } = await twoFiles();
    const error = await createClient({ kubeconfig: first, context: 'nope', environment: isolated() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeconfigError);
    expect((error as Error).message).toBe(`context "nope" not found in ${first} (contexts: "ctx-a")`);
  });

  it('a context naming a missing cluster or user is a KubeconfigError naming the field', async () => {
    const { second } = await twoFiles();
    const error = await createClient({ kubeconfig: second, context: 'ctx-a', environment: isolated() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeconfigError);
    expect(error).toMatchObject({ file: second, field: 'contexts["ctx-a"].context.cluster' });
  });

  it('an explicit kubeconfig that does not exist is a KubeconfigError naming the file', async () => {
    const missing = join(tmp.dir, 'nope.yaml');
    const error = await createClient({ kubeconfig: missing, environment: isolated() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeconfigError);
    expect(error).toMatchObject({ file: missing, message: `${missing}: file not found` });
  });

  it('a bad field is a KubeconfigError with the file and field path, never the value', async () => {
    const file = await writePrivate(join(tmp.dir, 'bad'), `users:\n- name: u\n  user:\n    token: [tok-secret-value]\n`);
    const error = await createClient({ kubeconfig: file, environment: isolated() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeconfigError);
    expect(error).toMatchObject({ file, field: 'users[0].user.token' });
    expect((error as Error).message).toBe(`${file}: users[0].user.token: expected a string`);
  });

  it('with no kubeconfig, no server and no cluster, createClient says what it looked for', async () => {
    const error = await createClient({ environment: isolated() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/no configuration found.*\.kube\/config.*KUBERNETES_SERVICE_HOST/);
  });
});

describe('in-cluster configuration', () => {
  async function serviceAccount(token: string, namespace = 'kube-ns'): Promise<string> {
    const dir = join(tmp.dir, 'serviceaccount');
    await mkdir(dir, { recursive: true });
    await writePrivate(join(dir, 'token'), token);
    await writePrivate(join(dir, 'ca.crt'), server.ca!);
    await writePrivate(join(dir, 'namespace'), namespace);
    return dir;
  }
  const inClusterEnv = (): Record<string, string> => ({ KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: new URL(server.url).port });

  it('uses the service host and port, the service-account token, CA and namespace', async () => {
    server.auth!.tokens.set('sa-token-1', { username: 'system:serviceaccount:kube-ns:default' });
    const dir = await serviceAccount('sa-token-1');
    const client = await createClient({ environment: { env: inClusterEnv(), homeDir: join(tmp.dir, 'home'), serviceAccountDir: dir } });
    expect(String(client)).toBe(`KubeClient(${server.url}/)`);
    expect(client.namespace).toBe('kube-ns');
    expect(client.source).toBe('in-cluster');
    expect((await createClient({ server: server.url })).source).toBe('options');
    const { names, request } = await listPods(client);
    expect(names).toEqual(['pod-in-kube-ns']);
    expect(request.auth).toMatchObject({ method: 'token', user: { username: 'system:serviceaccount:kube-ns:default' } });

    // The kubelet rotates the projected token; the old one stops working; the client re-reads the file.
    await writePrivate(join(dir, 'token'), 'sa-token-2');
    server.auth!.tokens.set('sa-token-2', { username: 'system:serviceaccount:kube-ns:default' });
    server.auth!.tokens.delete('sa-token-1');
    expect((await listPods(client)).request.headers.authorization).toBe('Bearer sa-token-2');
  });

  it('POD_NAMESPACE wins over the namespace file; a missing token is a ConfigError', async () => {
    server.auth!.tokens.set('sa-token-x', { username: 'sa' });
    const dir = await serviceAccount('sa-token-x');
    const client = await createClient({ environment: { env: { ...inClusterEnv(), POD_NAMESPACE: 'team-b' }, serviceAccountDir: dir, homeDir: join(tmp.dir, 'home') } });
    expect(client.namespace).toBe('team-b');
    const warnings: string[] = [];
    const onWarning = (m: string): void => void warnings.push(m);
    const error = await createClient({ onWarning, environment: { env: inClusterEnv(), serviceAccountDir: join(tmp.dir, 'empty'), homeDir: join(tmp.dir, 'home') } }).catch((e: unknown) => e);
    expect(warnings).toEqual([`in-cluster: cannot read ${join(tmp.dir, 'empty', 'ca.crt')}; verifying the API server with the system's CAs`]);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/cannot read token file .*empty\/token \(ENOENT\)/);
  });
});

describe('credential rotation during a long watch', () => {
  const fast = { backoff: { initialDelay: 20, maxDelay: 200 }, random: () => 0.5, timeoutSeconds: 30 } as const;

  it('token file: the informer reconnects after rotation and keeps watching (the client re-reads on 401)', async () => {
    const tokenFile = await writePrivate(join(tmp.dir, 'token'), 'watch-token-1');
    server.auth!.tokens.set('watch-token-1', { username: 'watcher' });
    const client = await clientFor({ tokenFile: 'token' });
    const informer = new Api(Pod, { client }).informer(fast);
    const phases: string[] = [];
    const seen: string[] = [];
    let failure: unknown;
    const subs = [
      informer.state$.subscribe((s) => phases.push(s.phase)),
      informer.events$.subscribe({ next: (e) => e.type !== 'BOOKMARK' && seen.push(`${e.type} ${e.object.metadata.name}`), error: (e: unknown) => (failure = e) }),
    ];
    try {
      await waitUntil(() => phases.at(-1) === 'watching', 'watching');
      // Rotation: new token in the file, the old one revoked, and the server ends the watch (as at its timeout).
      await writePrivate(tokenFile, 'watch-token-2');
      server.auth!.tokens.set('watch-token-2', { username: 'watcher' });
      server.auth!.tokens.delete('watch-token-1');
      server.clearRequests();
      server.endWatches();
      await waitUntil(() => server.openWatches === 1 && server.watches[0]!.request.headers.authorization === 'Bearer watch-token-2', 'a watch with the new token');
      server.create(Pod, { metadata: { name: 'after-rotation', namespace: 'team-a' } });
      await waitUntil(() => seen.includes('ADDED after-rotation'), 'the event after rotation');
      expect(failure).toBeUndefined();
      expect(phases).not.toContain('failed');
      const watchRequests = server.requests.filter((r) => r.query.has('watch'));
      expect(watchRequests.map((r) => [r.headers.authorization, r.auth !== undefined])).toEqual([
        ['Bearer watch-token-1', false], // 401 at connect
        ['Bearer watch-token-2', true], // re-read and retried inside the client
      ]);
    } finally {
      for (const s of subs) s.unsubscribe();
      server.delete(Pod, 'after-rotation', 'team-a');
    }
  });

  it('exec plugin: an expired credential gives the next watch connection a fresh one', async () => {
    const plugin = await writePlugin(tmp.dir, { apiVersion: 'client.authentication.k8s.io/v1', tokenPrefix: 'watch-exec-', expiresInMs: 300 });
    for (let n = 1; n <= 20; n++) server.auth!.tokens.set(`watch-exec-${n}`, { username: 'watcher' });
    const client = await clientFor({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin.command, args: plugin.args, interactiveMode: 'Never' } });
    const informer = new Api(Pod, { client }).informer(fast);
    const phases: string[] = [];
    const sub = informer.state$.subscribe((s) => phases.push(s.phase));
    try {
      await waitUntil(() => phases.at(-1) === 'watching', 'watching');
      const firstToken = server.watches[0]!.request.headers.authorization;
      server.auth!.tokens.delete(firstToken!.slice('Bearer '.length)); // revoked at expiry
      await new Promise((r) => setTimeout(r, 350));
      server.endWatches();
      await waitUntil(() => server.openWatches === 1 && server.watches[0]!.request.headers.authorization !== firstToken, 'a watch with a fresh token');
      expect(server.watches[0]!.request.auth).toMatchObject({ user: { username: 'watcher' } });
      expect(plugin.runs()).toBeGreaterThanOrEqual(2);
      expect(phases).not.toContain('failed');
    } finally {
      sub.unsubscribe();
    }
  });
});

/**
 * What a client logs, over real loopback HTTP(S): every request at debug (method, URL, status, time), credential
 * refreshes at info (token file rotation, exec plugin runs, 401 retries), the API server's Warning headers at warn
 * (each distinct text once per client), and never a credential: every line any scenario logged is checked against
 * every secret the scenarios used (tokens, a password, a client key and certificate, a proxy password).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient, type ClientOptions } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import type { Logger } from '../../lib/client/logger.js';
import { FakeApiServer, testResources, type TestCertificate } from '../../lib/testing/index.js';
import { b64, kubeconfigYaml, startConnectProxy, tempDir, writePlugin, writePrivate } from './config-helpers.js';

const { Pod } = testResources;
const STATIC_TOKEN = 'static-token-5a1f0c';
const BASIC_PASSWORD = 'basic-password-c4e2';
const PROXY_PASSWORD = 'proxy-password-91d3';

let server: FakeApiServer;
let tmp: { dir: string; cleanup(): Promise<void> };
let cert: TestCertificate;
/** Every line logged by any client of this file, and the secrets none of them may contain. */
const everything: string[] = [];
const secrets = new Set<string>([STATIC_TOKEN, BASIC_PASSWORD, PROXY_PASSWORD, b64(`carol:${BASIC_PASSWORD}`), b64(`u:${PROXY_PASSWORD}`)]);

/** A logger that records `level message` lines (here, and in {@link everything}). */
function recorder(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string): void => {
    lines.push(`${level} ${message}`);
    everything.push(`${level} ${message}`);
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

beforeAll(async () => {
  server = await FakeApiServer.start({ tls: true, auth: { tokens: { [STATIC_TOKEN]: { username: 'alice' } }, basic: { carol: BASIC_PASSWORD } } });
  cert = await server.issueClientCertificate('cert-user', ['certified']);
  for (const pem of [cert.key, cert.cert]) for (const line of pem.split('\n').filter((l) => l.length > 40)) secrets.add(line);
  server.create(Pod, { metadata: { name: 'p1', namespace: 'default' } });
});
afterAll(async () => {
  await server.close();
  // The point of the file: no line of any scenario holds a credential.
  expect(everything.length).toBeGreaterThan(20);
  for (const line of everything) for (const secret of secrets) expect(line).not.toContain(secret);
});
beforeEach(async () => {
  tmp = await tempDir();
  server.clearRequests();
});
afterEach(() => tmp.cleanup());

/** A client from a kubeconfig naming `user`, logging to `logger`. */
async function clientFor(user: Record<string, unknown>, logger: Logger, options: ClientOptions = {}, cluster: Record<string, unknown> = {}): Promise<KubeClient> {
  const file = await writePrivate(
    join(tmp.dir, 'config'),
    kubeconfigYaml({ clusters: { c: { server: server.url, 'certificate-authority-data': b64(server.ca!), ...cluster } }, users: { u: user }, contexts: { main: { cluster: 'c', user: 'u' } }, current: 'main' }),
  );
  return createClient({ kubeconfig: file, environment: { env: {}, homeDir: tmp.dir }, logger, ...options });
}

const listPods = async (client: KubeClient): Promise<void> => void (await firstValueFrom(new Api(Pod, { client }).list$()));

describe('requests', () => {
  it('each request at debug: method, URL with its query, status and time to the headers', async () => {
    const { logger, lines } = recorder();
    const client = await clientFor({ token: STATIC_TOKEN }, logger);
    await firstValueFrom(new Api(Pod, { client }).list$({ labelSelector: 'app=web' }));
    await firstValueFrom(new Api(Pod, { client }).get$('missing').pipe()).catch(() => undefined);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^debug GET ${server.url}/api/v1/namespaces/default/pods\\?labelSelector=app%3Dweb 200 OK in \\d+ ms$`)),
      expect.stringMatching(new RegExp(`^debug GET ${server.url}/api/v1/namespaces/default/pods/missing 404 Not Found in \\d+ ms$`)),
    ]);
  });

  it('a request that fails at debug, with the reason once', async () => {
    const { logger, lines } = recorder();
    const closed = await FakeApiServer.start();
    const url = closed.url;
    await closed.close();
    const client = await createClient({ server: url, logger });
    await listPods(client).catch(() => undefined);
    const port = new URL(url).port;
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^debug GET ${url}/api/v1/namespaces/default/pods failed after \\d+ ms: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`))]);
  });

  it('basic auth, a client certificate and proxy credentials: requests logged, credentials never (see afterAll)', async () => {
    const { logger, lines } = recorder();
    await listPods(await clientFor({ username: 'carol', password: BASIC_PASSWORD }, logger));
    await listPods(await clientFor({ 'client-certificate-data': b64(cert.cert), 'client-key-data': b64(cert.key) }, logger));
    const proxy = await startConnectProxy();
    try {
      await listPods(await clientFor({ token: STATIC_TOKEN }, logger, {}, { 'proxy-url': proxy.url.replace('http://', `http://u:${PROXY_PASSWORD}@`) }));
      expect(proxy.connects).toHaveLength(1);
    } finally {
      await proxy.close();
    }
    expect(lines.filter((l) => / 200 OK in \d+ ms$/.test(l))).toHaveLength(3);
  });
});

describe('credential refreshes at info', () => {
  it('a rotated token file: the 401, the re-read that found a new token, the retry', async () => {
    const { logger, lines } = recorder();
    const tokenFile = await writePrivate(join(tmp.dir, 'token'), 'file-token-1a2b\n');
    secrets.add('file-token-1a2b').add('file-token-3c4d');
    server.auth!.tokens.set('file-token-1a2b', { username: 'sa' });
    const client = await clientFor({ tokenFile }, logger);
    await listPods(client);
    await writePrivate(tokenFile, 'file-token-3c4d\n');
    server.auth!.tokens.set('file-token-3c4d', { username: 'sa' });
    server.auth!.tokens.delete('file-token-1a2b');
    lines.length = 0;
    await listPods(client);
    const pods = `GET ${server.url}/api/v1/namespaces/default/pods`;
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^debug ${pods} 401 Unauthorized in \\d+ ms$`)),
      `info token file ${tokenFile} re-read (after a 401): a new token, used from now on`,
      `info ${pods}: 401 Unauthorized; credentials refreshed, sending it again`,
      expect.stringMatching(new RegExp(`^debug ${pods} 200 OK in \\d+ ms$`)),
    ]);
  });

  it('an exec plugin: each run, why, and what it gave (never the token); a 401 it cannot fix is not retried', async () => {
    const { logger, lines } = recorder();
    const V1 = 'client.authentication.k8s.io/v1';
    const plugin = await writePlugin(tmp.dir, { apiVersion: V1, tokenPrefix: 'exec-secret-7f-' });
    for (const n of [1, 2, 3]) secrets.add(`exec-secret-7f-${n}`);
    server.auth!.tokens.set('exec-secret-7f-1', { username: 'exec-user' });
    const client = await clientFor({ exec: { apiVersion: V1, command: plugin.command, args: plugin.args, interactiveMode: 'Never' } }, logger);
    await listPods(client);
    server.auth!.tokens.delete('exec-secret-7f-1'); // revoked; the next token is not accepted either
    await listPods(client).catch(() => undefined);
    const command = JSON.stringify(process.execPath);
    expect(lines.filter((l) => !l.startsWith('debug GET'))).toEqual([
      `debug running exec plugin ${command} (first use)`,
      `info exec plugin ${command} (first use) gave a token, with no expiry`,
      `debug running exec plugin ${command} (after a 401)`,
      `info exec plugin ${command} (after a 401) gave a token, with no expiry`,
      `info GET ${server.url}/api/v1/namespaces/default/pods: 401 Unauthorized; credentials refreshed, sending it again`,
    ]);
    expect(plugin.runs()).toBe(2);
  });
});

describe('Warning headers', () => {
  let warner: Server;
  let url: string;
  /** The Warning header lines the fake answers with, per request path. */
  const warnings: Record<string, string[]> = {
    '/api/v1/namespaces/default/pods': ['299 - "v1 Pod is fine, but this is a test"', '299 - "unknown field \\"spec.foo\\""'],
    '/api/v1/namespaces/default/pods/p1': ['299 - "unknown field \\"spec.foo\\"", 199 - "not code 299", 299 - "another warning"'],
  };

  beforeAll(async () => {
    // A plain HTTP server on loopback that answers like an API server with Warning headers (as kube-apiserver
    // does for deprecated APIs and unknown fields), several lines per response.
    warner = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      res.setHeader('Warning', warnings[path] ?? []);
      res.setHeader('Content-Type', 'application/json');
      res.end(
        path.endsWith('/p1')
          ? JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'default' } })
          : JSON.stringify({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items: [] }),
      );
    });
    await new Promise<void>((resolve) => warner.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(warner.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => warner.close(() => resolve())));

  it('reach the logger at warn, each distinct text once per client, as kubectl prints them', async () => {
    const { logger, lines } = recorder();
    const client = await createClient({ server: url, logger });
    const pods = new Api(Pod, { client, namespace: 'default' });
    await firstValueFrom(pods.list$());
    await firstValueFrom(pods.list$());
    await firstValueFrom(pods.get$('p1'));
    const warned = lines.filter((l) => l.startsWith('warn '));
    expect(warned).toEqual([
      'warn the API server warns: v1 Pod is fine, but this is a test',
      'warn the API server warns: unknown field "spec.foo"',
      'warn the API server warns: another warning',
    ]);
    // Another client has not seen them yet.
    const other = recorder();
    await firstValueFrom(new Api(Pod, { client: await createClient({ server: url, logger: other.logger }), namespace: 'default' }).get$('p1'));
    expect(other.lines.filter((l) => l.startsWith('warn '))).toEqual(['warn the API server warns: unknown field "spec.foo"', 'warn the API server warns: another warning']);
  });
});

describe('KUBEX_LOG', () => {
  it('without a logger, KUBEX_LOG=debug logs each request to stderr (console.error); unset, requests are not logged', async () => {
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const quiet = await createClient({ server: server.url, token: STATIC_TOKEN, ca: server.ca!, environment: { env: {}, homeDir: tmp.dir } });
      await listPods(quiet);
      expect(stderr).not.toHaveBeenCalled();
      const loud = await createClient({ server: server.url, token: STATIC_TOKEN, ca: server.ca!, environment: { env: { KUBEX_LOG: 'debug' }, homeDir: tmp.dir } });
      await listPods(loud);
      const printed = stderr.mock.calls.map((c) => String(c[0]));
      everything.push(...printed);
      expect(printed).toEqual([expect.stringMatching(new RegExp(`^kubex-rx debug: GET ${server.url}/api/v1/namespaces/default/pods 200 OK in \\d+ ms$`))]);
    } finally {
      stderr.mockRestore();
    }
  });
});

/**
 * Helpers for the connection specs: private temp dirs, kubeconfig files, an exec credential plugin written as a
 * small Node script, and a tiny HTTP proxy on loopback.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** A private (0700) temp directory, removed by `cleanup`. */
export async function tempDir(): Promise<{ readonly dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kubex-rx-client-'));
  await chmod(dir, 0o700);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a file readable by its owner only. */
export async function writePrivate(path: string, content: string): Promise<string> {
  await writeFile(path, content, { mode: 0o600 });
  return path;
}

/** The parts of a kubeconfig, in kubectl's list-of-named-entries layout. */
export interface KubeconfigInput {
  readonly clusters?: Record<string, Record<string, unknown>>;
  readonly users?: Record<string, Record<string, unknown>>;
  readonly contexts?: Record<string, Record<string, unknown>>;
  readonly current?: string;
}

/** A kubeconfig document as kubectl writes it. */
export function kubeconfigYaml(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: Object.entries(input.clusters ?? {}).map(([name, cluster]) => ({ name, cluster })),
    users: Object.entries(input.users ?? {}).map(([name, user]) => ({ name, user })),
    contexts: Object.entries(input.contexts ?? {}).map(([name, context]) => ({ name, context })),
    ...(input.current !== undefined ? { 'current-context': input.current } : {}),
  });
}

export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** What the test plugin does on its next run (read from plan.json at every run). */
export interface PluginPlan {
  readonly apiVersion: string;
  /** Token printed: this prefix plus the run number (1, 2, ...). */
  readonly tokenPrefix?: string;
  readonly cert?: string;
  readonly key?: string;
  /** expirationTimestamp = now + this. */
  readonly expiresInMs?: number;
  /** Exit with this code after writing `stderr`. */
  readonly fail?: { readonly code: number; readonly stderr: string };
  /** Print exactly this instead of an ExecCredential. */
  readonly raw?: string;
}

/** What one run of the plugin saw. */
export interface PluginRun {
  readonly argv: string[];
  readonly env: { readonly PLUGIN_FLAVOUR: string | null };
  readonly info: { kind: string; apiVersion: string; spec: { interactive: boolean; cluster?: Record<string, unknown> } } | null;
  readonly stdinIsTTY: boolean;
}

const PLUGIN_SOURCE = `
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.argv[2];
const countFile = join(dir, 'count');
const count = (existsSync(countFile) ? Number(readFileSync(countFile, 'utf8')) : 0) + 1;
writeFileSync(countFile, String(count));
const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
writeFileSync(join(dir, 'run-' + count + '.json'), JSON.stringify({
  argv: process.argv.slice(3),
  env: { PLUGIN_FLAVOUR: process.env.PLUGIN_FLAVOUR ?? null },
  info: process.env.KUBERNETES_EXEC_INFO ? JSON.parse(process.env.KUBERNETES_EXEC_INFO) : null,
  stdinIsTTY: Boolean(process.stdin.isTTY),
}));
if (plan.fail) { process.stderr.write('first line of noise\\n' + plan.fail.stderr + '\\n'); process.exit(plan.fail.code); }
if (plan.raw !== undefined) { process.stdout.write(plan.raw); process.exit(0); }
const status = {};
if (plan.tokenPrefix) status.token = plan.tokenPrefix + count;
if (plan.cert) { status.clientCertificateData = plan.cert; status.clientKeyData = plan.key; }
if (plan.expiresInMs !== undefined) status.expirationTimestamp = new Date(Date.now() + plan.expiresInMs).toISOString();
process.stdout.write(JSON.stringify({ apiVersion: plan.apiVersion, kind: 'ExecCredential', status }));
`;

/** An exec credential plugin: `node <script> <stateDir> ...args`, steered by a plan file, counting its runs. */
export interface TestPlugin {
  readonly script: string;
  readonly stateDir: string;
  /** `command` and the leading `args` of the exec config. */
  readonly command: string;
  readonly args: string[];
  plan(plan: PluginPlan): Promise<void>;
  runs(): number;
  run(n: number): Promise<PluginRun>;
}

export async function writePlugin(dir: string, plan: PluginPlan): Promise<TestPlugin> {
  const script = join(dir, 'plugin.mjs');
  await writePrivate(script, PLUGIN_SOURCE);
  const stateDir = join(dir, 'plugin-state');
  await import('node:fs/promises').then((fs) => fs.mkdir(stateDir, { mode: 0o700 }));
  const plugin: TestPlugin = {
    script,
    stateDir,
    command: process.execPath,
    args: [script, stateDir],
    plan: async (p) => void (await writePrivate(join(stateDir, 'plan.json'), JSON.stringify(p))),
    runs: () => (existsSync(join(stateDir, 'count')) ? readdirSync(stateDir).filter((f) => f.startsWith('run-')).length : 0),
    run: async (n) => JSON.parse(await readFile(join(stateDir, `run-${n}.json`), 'utf8')) as PluginRun,
  };
  await plugin.plan(plan);
  return plugin;
}

/** What the test proxy saw: a CONNECT tunnel, or a plain request it forwarded. */
export interface ProxiedRequest {
  /** `host:port` of a CONNECT, or the absolute URL of a forwarded request. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * An HTTP proxy on loopback that records what it carries: CONNECT tunnels (how clients reach `https:` servers)
 * and plain requests with an absolute URL (how Go, and kubex-rx, send requests for `http:` servers through a
 * proxy). `hosts` maps the host names or addresses that clients ask for to the addresses the proxy connects to
 * (its own name resolution), so a client can reach a loopback server by a name that only the proxy knows.
 */
export async function startConnectProxy(
  options: {
    readonly hosts?: Readonly<Record<string, string>>;
    /** Answer every CONNECT with this status instead of opening the tunnel (e.g. 407). */
    readonly refuseConnect?: { readonly status: number; readonly text: string };
  } = {},
): Promise<{
  readonly url: string;
  readonly connects: ProxiedRequest[];
  readonly forwards: ProxiedRequest[];
  close(): Promise<void>;
}> {
  const connects: ProxiedRequest[] = [];
  const forwards: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const resolve = (host: string): string => options.hosts?.[host] ?? host;
  const server = createServer((req, res) => {
    const target = req.url ?? '';
    if (!/^http:\/\//.test(target)) return void res.writeHead(405).end();
    forwards.push({ target, headers: req.headers });
    const url = new URL(target);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest({ host: resolve(url.hostname), port: url.port || 80, method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push({ target, headers: req.headers });
    const refusal = options.refuseConnect;
    if (refusal) {
      client.end(`HTTP/1.1 ${refusal.status} ${refusal.text}\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const i = target.lastIndexOf(':');
    const host = target.slice(0, i).replace(/^\[|\]$/g, '');
    const upstream = connect(Number(target.slice(i + 1)), resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    forwards,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `condition` holds. */
export async function waitUntil(condition: () => boolean, what = 'condition', timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

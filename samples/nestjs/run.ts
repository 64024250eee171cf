/**
 * Runs the README's NestJS app as a user runs it: samples/nestjs/src holds the README's three files as they are
 * (spec/packaging/readme-snippets.spec.ts checks it), compiled and started with `node` in a process of its own.
 * The app calls `createClient()` like any app, so this runner points it at a cluster through `KUBECONFIG`.
 *
 *   GET /pods/events   every pod of every namespace, then each change, as server-sent events (one watch per client)
 *   GET /pods          the informer's store (kept equal to the cluster), as JSON; 503 while it is not in sync
 *   GET /healthz       200 while the informer is in sync, 503 otherwise
 *
 * `npm run sample:nestjs`: the embedded FakeApiServer, through a kubeconfig written for it, with a pod created or
 * deleted every 2 s; port 3000 (`PORT` to change it). Try `curl -N http://127.0.0.1:3000/pods/events`.
 * `npm run sample:nestjs -- --cluster` (or `KUBEX_CLUSTER=1`): the cluster of your own kubeconfig, as kubectl
 * uses it. The app only reads from it.
 *
 * `npm run sample:nestjs -- --smoke` (what CI runs): on the FakeApiServer and a free port, checks the app's
 * endpoints (health, store, SSE, and that closing the SSE connection closes its watch request), that SIGTERM
 * ends it cleanly, and that with an unreachable cluster `GET /pods` answers 503 and the log names the error.
 * Exits 1 on failure.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { FakeApiServer, testResources } from 'kubex-rx/testing';

/** The README's src/main.ts, compiled. */
const APP = join(dirname(fileURLToPath(import.meta.url)), 'src', 'main.js');
const smoke = process.argv.includes('--smoke');
const cluster = !smoke && (process.argv.includes('--cluster') || process.env['KUBEX_CLUSTER'] === '1');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const pod = (namespace: string, name: string) => ({ metadata: { name, namespace, labels: { app: name.replace(/-\d+$/, '') } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } });
const nameOf = (p: Pod): string => `${p.metadata?.namespace}/${p.metadata?.name}`;

/** A kubeconfig naming `server` (no credentials: the FakeApiServer serves everyone), in a temp dir. */
function kubeconfigFor(server: string): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kubex-sample-'));
  const file = join(dir, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sample', cluster: { server } }],
    users: [{ name: 'sample', user: {} }],
    contexts: [{ name: 'sample', context: { cluster: 'sample', user: 'sample', namespace: 'default' } }],
    'current-context': 'sample',
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A loopback port nothing listens on (for the app's own port, or for an unreachable cluster). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface RunningApp {
  readonly url: string;
  /** What the app printed so far (Nest's log). */
  log(): string;
  /** SIGTERM, then its exit code (or signal). */
  stop(): Promise<number | string | null>;
}

/** Starts the README's app with `env`; in smoke mode its output is kept for the checks, else shown as it comes. */
function startApp(env: Record<string, string>, port: number): RunningApp {
  const child = spawn(process.execPath, [APP], {
    env: { ...process.env, NO_COLOR: '1', ...env, PORT: String(port) },
    stdio: ['ignore', smoke ? 'pipe' : 'inherit', smoke ? 'pipe' : 'inherit'],
  });
  let log = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function main(): Promise<void> {
  if (cluster) {
    console.log('the cluster of your kubeconfig (as kubectl uses it); the app only reads from it');
    startApp({}, Number(process.env['PORT'] ?? 3000));
    return;
  }
  const fake = await FakeApiServer.start({ bookmarkIntervalMs: 1000 });
  fake.create(testResources.Pod, pod('default', 'web-0'));
  fake.create(testResources.Pod, pod('default', 'web-1'));
  fake.create(testResources.Namespace, { metadata: { name: 'data' } });
  fake.create(testResources.Pod, pod('data', 'db-0'));
  const kubeconfig = kubeconfigFor(fake.url);

  if (smoke) {
    try {
      await smokeTest(fake, kubeconfig.file);
      await unreachableTest();
    } finally {
      kubeconfig.remove();
      await fake.close();
    }
    console.log('smoke test passed');
    return;
  }

  const port = Number(process.env['PORT'] ?? 3000);
  console.log(`embedded FakeApiServer at ${fake.url} (-- --cluster for your own cluster); the app: http://127.0.0.1:${port}`);
  console.log('GET /pods/events (server-sent events), GET /pods, GET /healthz');
  startApp({ KUBECONFIG: kubeconfig.file }, port);
  let n = 0;
  setInterval(() => {
    const name = `job-${n % 3}`;
    if (n++ % 6 < 3) fake.create(testResources.Pod, pod('default', name));
    else fake.delete(testResources.Pod, name, 'default');
  }, 2000).unref();
}

/** The README's app on the FakeApiServer, checked over HTTP as a browser would. Throws on the first surprise. */
async function smokeTest(fake: FakeApiServer, kubeconfig: string): Promise<void> {
  const app = startApp({ KUBECONFIG: kubeconfig }, await freePort());
  let exit: number | string | null | undefined;
  try {
    const deadline = Date.now() + 20_000;
    const check = (ok: boolean, what: string): void => {
      if (!ok) throw new Error(`smoke test failed: ${what}`);
    };

    // Health: 503 until the informer has the complete state, then 200 (the app takes a moment to listen).
    let health = await getJson(`${app.url}/healthz`, deadline);
    while (health.status !== 200 && Date.now() < deadline) {
      await sleep(100);
      health = await getJson(`${app.url}/healthz`, deadline);
    }
    console.log(`healthz: ${health.status} ${JSON.stringify(health.body)}`);
    check(health.status === 200, 'healthz never reported 200');

    // The store, as JSON.
    const store = await getJson(`${app.url}/pods`, deadline);
    check(store.status === 200, `GET /pods answered ${store.status}`);
    const pods = store.body as Pod[];
    console.log(`store: ${pods.map(nameOf).sort().join(', ')}`);
    check(pods.length === 3, 'the store does not hold the 3 pods');

    // The watch, as server-sent events.
    const events: string[] = [];
    const sse = await openSse(`${app.url}/pods/events`, (type, data) => {
      const line = `${type.padEnd(8)} ${nameOf(JSON.parse(data) as Pod)}`;
      events.push(line);
      console.log(`SSE ${line}`);
    });
    const waitFor = async (line: string): Promise<void> => {
      while (!events.includes(line) && Date.now() < deadline) await sleep(20);
      check(events.includes(line), `no SSE event "${line}"`);
    };
    for (const p of pods) await waitFor(`ADDED    ${nameOf(p)}`);
    const sseWatch = (w: { request: { path: string; query: URLSearchParams } }): boolean =>
      w.request.path === '/api/v1/pods' && !w.request.query.has('sendInitialEvents'); // not the informer's
    fake.create(testResources.Pod, pod('default', 'smoke-0'));
    await waitFor('ADDED    default/smoke-0');
    fake.delete(testResources.Pod, 'smoke-0', 'default');
    await waitFor('DELETED  default/smoke-0');
    const closed = fake.waitForWatchClosed(sseWatch);
    sse.close(); // the browser leaves: Nest unsubscribes, the watch request is aborted
    const { closeReason } = await closed;
    console.log(`SSE connection closed: its watch request was closed by the ${closeReason}`);
    check(closeReason === 'client', `the watch request was closed by the ${closeReason}, not the client`);

    // SIGTERM with enableShutdownHooks(): an open SSE stream is ended by the app (a complete response), not cut
    // off with the process; then Nest re-raises the signal, so the process ends by SIGTERM.
    const open = await openSse(`${app.url}/pods/events`, () => undefined);
    await waitFor(`ADDED    ${nameOf(pods[0]!)}`);
    exit = await app.stop();
    const ended = await open.ended;
    console.log(`SIGTERM: an open SSE response ${ended === 'end' ? 'was ended by the app' : 'was cut off'}; the app exited (${exit})`);
    check(ended === 'end', 'SIGTERM cut the SSE stream off instead of ending it');
    check(exit === 'SIGTERM' || exit === 0, `the app exited with ${exit} on SIGTERM`);
    await fake.waitForOpenWatches(0);
  } catch (error) {
    console.log(`--- the app's log ---\n${app.log()}`);
    throw error;
  } finally {
    if (exit === undefined) await app.stop();
  }
}

/** The README's app with a cluster that refuses connections: GET /pods answers 503 at once, the log says why. */
async function unreachableTest(): Promise<void> {
  const nowhere = kubeconfigFor(`http://127.0.0.1:${await freePort()}`);
  const app = startApp({ KUBECONFIG: nowhere.file }, await freePort());
  try {
    const deadline = Date.now() + 20_000;
    const response = await getJson(`${app.url}/pods`, deadline);
    console.log(`unreachable cluster: GET /pods: ${response.status} ${JSON.stringify(response.body)}`);
    const message = (response.body as { message?: unknown }).message;
    if (response.status !== 503 || typeof message !== 'string' || !message.startsWith('Pod informer is not in sync: TransportError')) {
      throw new Error('smoke test failed: GET /pods did not answer 503 naming the TransportError');
    }
    while (!/WARN \[KubexModule\] Pod informer: TransportError/.test(app.log()) && Date.now() < deadline) await sleep(50);
    const logged = /^.*WARN \[KubexModule\] Pod informer: TransportError.*$/m.exec(app.log())?.[0];
    if (logged === undefined) throw new Error(`smoke test failed: the informer's error is not in the log:\n${app.log()}`);
    console.log(`unreachable cluster: the log says: ${logged.replace(/^.*?WARN/, 'WARN')}`);
  } finally {
    await app.stop();
    nowhere.remove();
  }
}

/** One GET; retried while the app is not listening yet (until `deadline`). */
async function getJson(url: string, deadline: number): Promise<{ status: number; body: unknown }> {
  for (;;) {
    try {
      return await new Promise((resolve, reject) => {
        request(url, { agent: false }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
        })
          .on('error', reject)
          .end();
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ECONNREFUSED' || Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

/**
 * A minimal server-sent events reader over `node:http`: calls `onEvent(type, data)` per event. `ended` says how
 * the response finished: `end` (the server completed it) or `close` (the connection went first).
 */
function openSse(url: string, onEvent: (type: string, data: string) => void): Promise<{ close(): void; ended: Promise<'end' | 'close'> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { Accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      let buffer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const fields = new Map(buffer.slice(0, end).split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()] as const));
          buffer = buffer.slice(end + 2);
          if (fields.has('data')) onEvent(fields.get('event') ?? 'message', fields.get('data')!);
        }
      });
      const ended = new Promise<'end' | 'close'>((settle) => {
        res.on('end', () => settle('end'));
        res.on('close', () => settle('close'));
      });
      resolve({ close: () => req.destroy(), ended });
    });
    req.on('error', reject).end();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

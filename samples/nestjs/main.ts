/**
 * The NestJS sample (`kubex-rx/nestjs`): a Nest application that streams a pod watch as server-sent events, serves
 * an informer's store as JSON, and reports the informer's health through @nestjs/terminus.
 *
 *   GET /pods/events   every pod of every namespace, then each change, as server-sent events (one watch per client)
 *   GET /pods          the informer's store (kept equal to the cluster), as JSON
 *   GET /healthz       200 while the informer is in sync, 503 otherwise
 *
 * `npm run sample:nestjs` serves on http://127.0.0.1:3000 (`PORT` to change it). With `KUBEX_SERVER` set (plus
 * `KUBEX_TOKEN` if the server wants one) it watches that server; without it, it starts the embedded FakeApiServer
 * and creates or deletes a pod every 2 s. Try `curl -N http://127.0.0.1:3000/pods/events`.
 *
 * `npm run sample:nestjs -- --smoke` (what CI runs): a random port; the sample checks its own endpoints (health,
 * store, SSE, and that closing the SSE connection closes its watch request), shuts down and exits; 1 on failure.
 */
import { NestFactory } from '@nestjs/core';
import type { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { FakeApiServer, testResources } from 'kubex-rx/testing';
import { request, type IncomingMessage } from 'node:http';
import { AppModule } from './app.module.js';

const smoke = process.argv.includes('--smoke');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const pod = (namespace: string, name: string) => ({ metadata: { name, namespace, labels: { app: name.replace(/-\d+$/, '') } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } });
const nameOf = (p: Pod): string => `${p.metadata?.namespace}/${p.metadata?.name}`;

async function main(): Promise<void> {
  const external = process.env['KUBEX_SERVER'];
  const fake = external ? undefined : await FakeApiServer.start({ bookmarkIntervalMs: 1000 });
  fake?.create(testResources.Pod, pod('default', 'web-0'));
  fake?.create(testResources.Pod, pod('default', 'web-1'));
  fake?.create(testResources.Pod, pod('data', 'db-0'));

  const app = await NestFactory.create(AppModule.register({ server: external ?? fake!.url, token: process.env['KUBEX_TOKEN'] }), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks(); // SIGINT/SIGTERM: SSE streams and watches end first, then the HTTP server closes
  await app.listen(smoke ? 0 : Number(process.env['PORT'] ?? 3000), '127.0.0.1');
  const url = await app.getUrl();
  console.log(`listening on ${url}: GET /pods/events (server-sent events), GET /pods, GET /healthz`);
  console.log(fake ? `embedded FakeApiServer at ${fake.url} (set KUBEX_SERVER to use a real cluster)` : `watching ${external}`);

  if (smoke) {
    try {
      await smokeTest(url, fake);
    } finally {
      await app.close();
      await fake?.close();
    }
    console.log('smoke test passed');
    return;
  }
  if (fake) {
    let n = 0;
    setInterval(() => {
      const name = `job-${n % 3}`;
      if (n++ % 6 < 3) fake.create(testResources.Pod, pod('default', name));
      else fake.delete(testResources.Pod, name, 'default');
    }, 2000).unref();
  }
}

/** The sample checks itself over HTTP, as a browser would. Throws on the first surprise. */
async function smokeTest(url: string, fake: FakeApiServer | undefined): Promise<void> {
  const deadline = Date.now() + 20_000;
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`smoke test failed: ${what}`);
  };

  // Health: 503 until the informer has the complete state, then 200.
  let health = await getJson(`${url}/healthz`);
  while (health.status !== 200 && Date.now() < deadline) {
    await sleep(100);
    health = await getJson(`${url}/healthz`);
  }
  console.log(`healthz: ${health.status} ${JSON.stringify(health.body)}`);
  check(health.status === 200, 'healthz never reported 200');

  // The store, as JSON.
  const pods = (await getJson(`${url}/pods`)).body as Pod[];
  console.log(`store: ${pods.map(nameOf).sort().join(', ')}`);

  // The watch, as server-sent events.
  const events: string[] = [];
  const sse = await openSse(`${url}/pods/events`, (type, data) => {
    const line = `${type.padEnd(8)} ${nameOf(JSON.parse(data) as Pod)}`;
    events.push(line);
    console.log(`SSE ${line}`);
  });
  const waitFor = async (line: string): Promise<void> => {
    while (!events.includes(line) && Date.now() < deadline) await sleep(20);
    check(events.includes(line), `no SSE event "${line}"`);
  };
  for (const p of pods) await waitFor(`ADDED    ${nameOf(p)}`);
  if (fake) {
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
  } else {
    sse.close();
  }
}

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    })
      .on('error', reject)
      .end();
  });
}

/** A minimal server-sent events reader over `node:http`: calls `onEvent(type, data)` per event. */
function openSse(url: string, onEvent: (type: string, data: string) => void): Promise<{ close(): void }> {
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
      resolve({ close: () => req.destroy() });
    });
    req.on('error', reject).end();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

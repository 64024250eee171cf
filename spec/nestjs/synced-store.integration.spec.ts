/**
 * `syncedStore()` behind a real Nest route over loopback HTTP: `GET /pods` answers 200 with the store once the
 * informer is in sync, and 503 (never a hanging request) while it is not: at once when the cluster is unreachable
 * (a closed port), answers 500s or refuses with 403, after the timeout when the server says nothing. The
 * informer's trouble is in the application's log (Nest `Logger`, context `KubexModule`).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication, type LoggerService, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer, type AddressInfo } from 'node:net';
import { Informer } from '../../lib/informer/informer.js';
import { InjectInformer, KubexModule, syncedStore } from '../../lib/nestjs/index.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { getJson, waitUntil } from './helpers.js';

const { Pod } = testResources;

/** Every line Nest logs, as `level [context] message`. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  #add = (level: string) => (message: unknown, ...rest: unknown[]): void => {
    this.lines.push(`${level} [${String(rest.at(-1) ?? '')}] ${String(message)}`);
  };
  log = this.#add('log');
  warn = this.#add('warn');
  error = this.#add('error');
  debug = this.#add('debug');
  verbose = this.#add('verbose');
}

let app: INestApplication | undefined;
let fake: FakeApiServer | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await fake?.close();
  fake = undefined;
});

/** The app of the README in miniature: `GET /pods` serves the informer's store through syncedStore. */
function podsController(timeout?: number) {
  @Controller()
  class PodsController {
    constructor(@InjectInformer(Pod) private readonly informer: Informer<KubernetesObject>) {}

    @Get('pods')
    async list(): Promise<KubernetesObject[]> {
      return [...(await syncedStore(this.informer, timeout === undefined ? {} : { timeout })).values()];
    }
  }
  return PodsController;
}

async function start(server: string, controller: ModuleMetadata['controllers'] & object): Promise<{ url: string; logs: CapturingLogger }> {
  const logs = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [
      KubexModule.forRoot({
        client: { server },
        // Fast backoff: the test waits for the second attempt's log line, not for client-go's 800 ms.
        resources: [{ resource: Pod, namespace: 'default', informer: { backoff: { initialDelay: 20, maxDelay: 50 }, random: () => 0.5 } }],
      }),
    ],
    controllers: controller,
  })
    .setLogger(logs)
    .compile();
  app = moduleRef.createNestApplication({ logger: logs });
  await app.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, logs };
}

/** A loopback port nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('GET /pods through syncedStore()', () => {
  it('answers 503 at once when the cluster is unreachable (closed port), naming the error; the log carries it', async () => {
    const port = await closedPort();
    const { url, logs } = await start(`http://127.0.0.1:${port}`, [podsController()]); // default timeout: 10 s

    const response = await getJson(`${url}/pods`);
    expect(response.status).toBe(503);
    // "is not in sync: <error>", not "after 10000 ms": the route did not wait for the timeout.
    expect(response.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringMatching(/^Pod informer is not in sync: TransportError: .*ECONNREFUSED/) as unknown,
      informer: { synced: false, phase: expect.stringMatching(/^(backingOff|syncing|connecting)$/) as unknown },
    });

    await waitUntil(() => logs.lines.filter((l) => l.startsWith('warn [KubexModule] Pod informer: TransportError:')).length >= 2, 'two logged attempts');
    expect(logs.lines.find((l) => l.includes('Pod informer:'))).toMatch(
      new RegExp(`^warn \\[KubexModule\\] Pod informer: TransportError: .*127\\.0\\.0\\.1:${port}.*ECONNREFUSED.*; retrying in \\d+ ms \\(attempt 1, not in sync yet\\)$`),
    );
  });

  it('answers 503 at once while the server answers 500, and 200 with the store once it recovers', async () => {
    fake = await FakeApiServer.start();
    fake.create(Pod, { metadata: { name: 'web-0', namespace: 'default' } });
    fake.failNext(1_000, { type: 'InternalError', message: 'etcd is down' });
    const { url, logs } = await start(fake.url, [podsController()]);

    const response = await getJson(`${url}/pods`);
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ message: expect.stringMatching(/^Pod informer is not in sync: InternalError: .*etcd is down/) as unknown });
    await waitUntil(() => logs.lines.some((l) => /^warn \[KubexModule\] Pod informer: InternalError: .*etcd is down/.test(l)), 'the 500 in the log');

    fake.clearFaults();
    await waitUntil(() => logs.lines.includes('log [KubexModule] Pod informer is in sync again'), 'the recovery in the log');
    const recovered = await getJson(`${url}/pods`);
    expect(recovered.status).toBe(200);
    expect((recovered.body as KubernetesObject[]).map((p) => p.metadata.name)).toEqual(['web-0']);
  });

  it('answers 503 after the timeout when the server accepts the watch and says nothing; 200 once the state arrives', async () => {
    fake = await FakeApiServer.start();
    fake.create(Pod, { metadata: { name: 'web-0', namespace: 'default' } });
    fake.stallWatches();
    const { url } = await start(fake.url, [podsController(200)]);
    await fake.waitForOpenWatches(1);

    const response = await getJson(`${url}/pods`);
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      message: expect.stringMatching(/^Pod informer is not in sync after 200 ms \((syncing|connecting)\)$/) as unknown,
      informer: { synced: false },
    });

    fake.resumeWatches();
    let ok = await getJson(`${url}/pods`);
    while (ok.status !== 200) ok = await getJson(`${url}/pods`); // each try is bounded by the 200 ms timeout
    expect((ok.body as KubernetesObject[]).map((p) => p.metadata.name)).toEqual(['web-0']);
  });

  it('answers 503 after an unrecoverable 403, logged as an error, without restarting the informer per request', async () => {
    fake = await FakeApiServer.start();
    fake.failNext(1, { type: 'Forbidden' });
    const { url, logs } = await start(fake.url, [podsController()]);
    await waitUntil(() => logs.lines.some((l) => l.startsWith('error [KubexModule] Pod informer stopped: ForbiddenError:')), 'the 403 in the log');
    const requests = fake.requests.length;

    for (let i = 0; i < 2; i++) {
      const response = await getJson(`${url}/pods`);
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ message: expect.stringMatching(/^Pod informer stopped: ForbiddenError: /) as unknown, informer: { phase: 'failed' } });
    }
    expect(fake.requests.length).toBe(requests);
  });
});

describe('syncedStore()', () => {
  it('rejects with 503 when the application shuts down while it waits', async () => {
    fake = await FakeApiServer.start();
    fake.stallWatches();
    const moduleRef = await Test.createTestingModule({
      imports: [KubexModule.forRoot({ client: { server: fake.url }, resources: [{ resource: Pod, informer: true }] })],
    }).compile();
    await moduleRef.init();
    const waiting = syncedStore(moduleRef.get<Informer<KubernetesObject>>(`kubex-rx:Informer(v1, Pod)`));
    await fake.waitForOpenWatches(1);
    await moduleRef.close();
    await expect(waiting).rejects.toMatchObject({ status: 503, response: { message: 'Pod informer stopped: the application is shutting down' } });
  });

  it('rejects a timeout that is not a positive number', async () => {
    const informer = { state: { phase: 'idle', synced: false } } as unknown as Informer<KubernetesObject>;
    for (const timeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(syncedStore(informer, { timeout })).rejects.toThrow(new TypeError('syncedStore: timeout must be a positive number of milliseconds'));
    }
  });
});

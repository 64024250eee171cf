/**
 * The health of an informer: `informerHealth` over every state, and `KubexHealthIndicator` under @nestjs/terminus in
 * a real application over the FakeApiServer (down until synced, up while watching, down after a 403).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule, type HealthCheckResult } from '@nestjs/terminus';
import { ForbiddenError } from '../../lib/errors/status-error.js';
import { TransportError } from '../../lib/errors/kubex-error.js';
import { Informer, type InformerState } from '../../lib/informer/informer.js';
import { InjectInformer, KubexHealthIndicator, KubexModule, informerHealth, type InformerHealth } from '../../lib/nestjs/index.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { getJson, startApp } from './helpers.js';

const { Pod } = testResources;

describe('informerHealth', () => {
  const forbidden = new ForbiddenError({ code: 403, reason: 'Forbidden', status: 'Failure', message: 'pods is forbidden: User "system:anonymous" cannot watch resource "pods"' });
  const broken = new TransportError('request to http://127.0.0.1/api/v1/pods failed: socket hang up');
  const cases: [string, InformerState, InformerHealth['status'], InformerHealth['status']][] = [
    // state, then the status by default and with requireWatching
    ['idle', { phase: 'idle', synced: false }, 'down', 'down'],
    ['connecting, never synced', { phase: 'connecting', synced: false }, 'down', 'down'],
    ['syncing, never synced', { phase: 'syncing', synced: false }, 'down', 'down'],
    ['watching', { phase: 'watching', synced: true, resourceVersion: '42' }, 'up', 'up'],
    ['syncing again after a 410', { phase: 'syncing', synced: true }, 'up', 'down'],
    ['reconnecting after sync', { phase: 'connecting', synced: true }, 'up', 'down'],
    ['backing off after sync', { phase: 'backingOff', synced: true, attempt: 2, delay: 1600, error: broken }, 'up', 'down'],
    ['backing off, never synced', { phase: 'backingOff', synced: false, attempt: 1, delay: 800, error: broken }, 'down', 'down'],
    ['stalled after sync', { phase: 'stalled', synced: true, attempt: 1, delay: 800, error: broken }, 'up', 'down'],
    ['failed', { phase: 'failed', synced: true, error: forbidden }, 'down', 'down'],
  ];

  it.each(cases)('%s', (_name, state, byDefault, strict) => {
    expect(informerHealth({ state }).status).toBe(byDefault);
    expect(informerHealth({ state }, { requireWatching: true }).status).toBe(strict);
    expect(informerHealth({ state }).details).toMatchObject({ phase: state.phase, synced: state.synced });
  });

  it('reports JSON-safe details: resourceVersion, attempt, delay, and errors as "Name: message"', () => {
    expect(informerHealth({ state: { phase: 'watching', synced: true, resourceVersion: '42' } })).toEqual({
      status: 'up',
      details: { phase: 'watching', synced: true, resourceVersion: '42' },
    });
    expect(informerHealth({ state: { phase: 'backingOff', synced: false, attempt: 3, delay: 3200, error: broken } }).details).toEqual({
      phase: 'backingOff',
      synced: false,
      attempt: 3,
      delay: 3200,
      error: `TransportError: ${broken.message}`,
    });
    const failed = informerHealth({ state: { phase: 'failed', synced: false, error: forbidden } });
    expect(failed.details.error).toBe(`ForbiddenError: ${forbidden.message}`);
    expect(JSON.parse(JSON.stringify(failed))).toEqual(failed);
    expect(informerHealth({ state: { phase: 'failed', synced: false, error: 'boom' } }).details.error).toBe('boom');
  });

  it('KubexHealthIndicator.isHealthy gives the Terminus result shape under the key', () => {
    const result = new KubexHealthIndicator().isHealthy('pods', { state: { phase: 'watching', synced: true, resourceVersion: '7' } });
    expect(result).toEqual({ pods: { status: 'up', phase: 'watching', synced: true, resourceVersion: '7' } });
    const down = new KubexHealthIndicator().isHealthy('pods', { state: { phase: 'idle', synced: false } });
    expect(down).toEqual({ pods: { status: 'down', phase: 'idle', synced: false } });
  });
});

describe('KubexHealthIndicator with @nestjs/terminus', () => {
  @Controller('health')
  class HealthController {
    constructor(
      private readonly health: HealthCheckService,
      private readonly kubex: KubexHealthIndicator,
      @InjectInformer(Pod) private readonly pods: Informer<KubernetesObject>,
    ) {}

    @Get()
    @HealthCheck()
    check(): Promise<HealthCheckResult> {
      return this.health.check([() => this.kubex.isHealthy('pods', this.pods)]);
    }
  }

  let server: FakeApiServer;
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await server?.close();
  });

  /** GETs /health until `test` holds for it (the informer moves in the background). */
  async function healthUntil(url: string, test: (r: { status: number; body: HealthCheckResult }) => boolean, timeoutMs = 5000) {
    const start = Date.now();
    for (;;) {
      const r = (await getJson(`${url}/health`)) as { status: number; body: HealthCheckResult };
      if (test(r)) return r;
      if (Date.now() - start > timeoutMs) throw new Error(`health never matched; last: ${r.status} ${JSON.stringify(r.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('is down until the informer has synced, up while watching, and down after a 403 ends it', async () => {
    server = await FakeApiServer.start();
    server.create(Pod, { metadata: { name: 'web-0', namespace: 'default' } });
    server.stallWatches(); // the initial state will not arrive yet
    let url: string;
    ({ app, url } = await startApp({
      imports: [
        TerminusModule.forRoot({ logger: false }),
        KubexModule.forRoot({
          client: { server: server.url },
          resources: [{ resource: Pod, namespace: 'default', informer: { backoff: { initialDelay: 20, maxDelay: 50 }, random: () => 0.5 } }],
        }),
      ],
      controllers: [HealthController],
    }));

    await server.waitForOpenWatches(1);
    const syncing = await getJson(`${url}/health`);
    expect(syncing.status).toBe(503);
    expect(syncing.body).toMatchObject({ status: 'error', error: { pods: { status: 'down', synced: false } } });

    server.resumeWatches();
    const up = await healthUntil(url, (r) => r.status === 200);
    expect(up.body).toMatchObject({ status: 'ok', info: { pods: { status: 'up', phase: 'watching', synced: true } } });

    // The next watch is refused: 403 is unrecoverable, the informer fails, the check goes down.
    server.failNext(1, { type: 'Forbidden' }, (r) => r.query.has('watch'));
    server.dropConnections();
    const down = await healthUntil(url, (r) => r.status !== 200);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'error',
      error: { pods: { status: 'down', phase: 'failed', synced: true, error: expect.stringMatching(/^ForbiddenError: /) as unknown } },
    });
  });
});

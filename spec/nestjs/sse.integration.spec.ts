/**
 * A real Nest application (testing module + HTTP listener on loopback) over the FakeApiServer: an `@Sse()` route
 * streaming a pod watch, a route serving an informer's store as JSON, read with plain `node:http` clients; and
 * what closing the SSE connection, or the application, does to the watch requests.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Query, Sse, type INestApplication } from '@nestjs/common';
import { firstValueFrom, lastValueFrom, toArray, type Observable } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { Informer } from '../../lib/informer/informer.js';
import { InjectApi, InjectInformer, KubexModule, getApiToken, toServerSentEvents, type WatchMessageEvent } from '../../lib/nestjs/index.js';
import { FakeApiServer, testResources, type WatchInfo } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { getJson, openSse, startApp, waitUntil, type SseEvent } from './helpers.js';

const { Pod } = testResources;

@Controller('pods')
class PodsController {
  constructor(
    @InjectApi(Pod) private readonly pods: Api<KubernetesObject>,
    @InjectInformer(Pod) private readonly informer: Informer<KubernetesObject>,
  ) {}

  /** Every pod of every namespace, then changes: one watch request per SSE client. */
  @Sse('events')
  events(@Query('labelSelector') labelSelector?: string): Observable<WatchMessageEvent<KubernetesObject>> {
    return this.pods.watch$({ namespace: null, ...(labelSelector ? { labelSelector } : {}) }).pipe(toServerSentEvents());
  }

  /** The informer's store, as JSON. */
  @Get()
  async list(): Promise<{ name: string | undefined; namespace: string | undefined }[]> {
    const store = await firstValueFrom(this.informer.store$);
    return [...store.values()].map((p) => ({ name: p.metadata.name, namespace: p.metadata.namespace }));
  }
}

let server: FakeApiServer;
let app: INestApplication | undefined;
let url: string;

const pod = (name: string, namespace = 'default', labels: Record<string, string> = {}) => ({ metadata: { name, namespace, labels } });
const isSseWatch = (w: WatchInfo): boolean => w.request.path === '/api/v1/pods';
/** Watch requests of the informer (to its namespace), open or closed. */
const informerWatchRequests = () => server.requests.filter((r) => r.query.has('watch') && r.path === '/api/v1/namespaces/default/pods');
const isInformerWatch = (w: WatchInfo): boolean => w.request.path === '/api/v1/namespaces/default/pods';
const named = (type: string, name: string) => (e: SseEvent) => e.event === type && (JSON.parse(e.data) as KubernetesObject).metadata.name === name;

beforeEach(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 200 });
  server.create(testResources.Namespace, { metadata: { name: 'data' } });
  ({ app, url } = await startApp({
    imports: [KubexModule.forRoot({ client: { server: server.url }, resources: [{ resource: Pod, namespace: 'default', informer: { backoff: { initialDelay: 20 } } }] })],
    controllers: [PodsController],
  }));
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await server.close();
});

describe('@Sse() over a watch', () => {
  it('streams watch events as server-sent events, and closing the connection aborts the watch request', async () => {
    server.create(Pod, pod('web-0'));
    server.create(Pod, pod('db-0', 'data'));
    const sse = await openSse(`${url}/pods/events`);
    expect(sse.status).toBe(200);
    expect(sse.contentType).toMatch(/^text\/event-stream/);

    // The current state as ADDED events (all namespaces), then live changes.
    await sse.next(named('ADDED', 'web-0'));
    await sse.next(named('ADDED', 'db-0'));
    const from = sse.events.length;
    server.create(Pod, pod('web-1'));
    server.update(Pod, pod('web-1', 'default', { tier: 'frontend' }));
    server.delete(Pod, 'web-0', 'default');
    await sse.next(named('DELETED', 'web-0'), from);
    expect(sse.events.slice(from).map((e) => `${e.event} ${(JSON.parse(e.data) as KubernetesObject).metadata.name}`)).toEqual([
      'ADDED web-1',
      'MODIFIED web-1',
      'DELETED web-0',
    ]);
    const modified = JSON.parse(sse.events[from + 1]!.data) as KubernetesObject;
    expect(modified).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { namespace: 'default', labels: { tier: 'frontend' } } });

    // One watch request for this client, of all namespaces; the informer holds its own.
    expect(server.watches.filter(isSseWatch)).toHaveLength(1); // open watches
    expect(server.watches.filter(isInformerWatch)).toHaveLength(1);

    // The browser goes away: Nest unsubscribes, the watch request is aborted, and the server sees the socket close.
    const closed = server.waitForWatchClosed(isSseWatch);
    sse.close();
    expect((await closed).closeReason).toBe('client');
    expect(server.watches.filter(isInformerWatch)).toHaveLength(1);
  });

  it('gives every SSE client its own watch request with its own selector', async () => {
    server.create(Pod, pod('web-0', 'default', { app: 'web' }));
    server.create(Pod, pod('db-0', 'default', { app: 'db' }));
    const web = await openSse(`${url}/pods/events?labelSelector=app%3Dweb`);
    const db = await openSse(`${url}/pods/events?labelSelector=app%3Ddb`);
    await web.next(named('ADDED', 'web-0'));
    await db.next(named('ADDED', 'db-0'));
    await waitUntil(() => server.watches.filter((w) => isSseWatch(w)).length === 2, 'two SSE watches');
    expect(server.watches.filter(isSseWatch).map((w) => w.request.query.get('labelSelector')).sort()).toEqual(['app=db', 'app=web']);
    expect(web.events.some(named('ADDED', 'db-0'))).toBe(false);

    const closed = server.waitForWatchClosed((w) => isSseWatch(w) && w.request.query.get('labelSelector') === 'app=web');
    web.close();
    expect((await closed).closeReason).toBe('client');
    // The other client still streams.
    server.create(Pod, pod('db-1', 'default', { app: 'db' }));
    await db.next(named('ADDED', 'db-1'));
    db.close();
  });

  it('serves the informer store as JSON', async () => {
    server.create(Pod, pod('web-0'));
    server.create(Pod, pod('db-0', 'data')); // another namespace: not in this informer
    const first = await getJson(`${url}/pods`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual([{ name: 'web-0', namespace: 'default' }]);

    server.create(Pod, pod('web-1'));
    await waitUntil(() => server.watches.some(isInformerWatch));
    let body: unknown;
    const start = Date.now();
    do {
      body = (await getJson(`${url}/pods`)).body;
    } while (JSON.stringify(body).indexOf('web-1') < 0 && Date.now() - start < 5000);
    expect(body).toEqual([
      { name: 'web-0', namespace: 'default' },
      { name: 'web-1', namespace: 'default' },
    ]);
    // One informer watch request served every GET: the module holds the informer from bootstrap to shutdown.
    expect(informerWatchRequests()).toHaveLength(1);
    expect(server.watches.filter(isInformerWatch)).toHaveLength(1);
  });
});

describe('application shutdown', () => {
  it('ends open SSE streams and closes their watch requests and the informer\'s, before the HTTP server closes', async () => {
    server.create(Pod, pod('web-0'));
    const sse = await openSse(`${url}/pods/events`);
    await sse.next(named('ADDED', 'web-0'));
    await waitUntil(() => server.watches.some(isInformerWatch), 'the informer watch');
    const sseWatchClosed = server.waitForWatchClosed(isSseWatch);
    const informerWatchClosed = server.waitForWatchClosed(isInformerWatch);
    const pods = app!.get<Api<KubernetesObject>>(getApiToken(Pod));

    // The HTTP server's close waits for the SSE client to leave if the stream stays open.
    const closing = app!.close();
    app = undefined;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      closing.then(() => 'closed'),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve('app.close() still waiting after 2 s'), 2000))),
    ]);
    clearTimeout(timer);
    if (outcome !== 'closed') sse.close(); // lets a failing run finish
    expect(outcome).toBe('closed');
    expect(await sse.ended).toBe('end'); // the server ended the response (not a dropped socket)
    expect((await sseWatchClosed).closeReason).toBe('client');
    expect((await informerWatchClosed).closeReason).toBe('client');
    expect(server.openWatches).toBe(0);

    // What the module handed out is closed for good: new subscriptions complete at once, sending nothing.
    server.clearRequests();
    await expect(lastValueFrom(pods.watch$().pipe(toArray()))).resolves.toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});

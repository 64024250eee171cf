/**
 * Api.watch$ over real loopback HTTP against the FakeApiServer, through the default transport (node-fetch).
 * No fetch is mocked: every byte crosses a socket.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom, lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import type { FetchLike } from '../../lib/client/fetch.js';
import { DecodeError, TransportError } from '../../lib/errors/kubex-error.js';
import {
  ForbiddenError, GoneError, InternalError, InvalidError, NotFoundError, StatusError, TooManyRequestsError, UnauthorizedError, BadRequestError,
} from '../../lib/errors/status-error.js';
import { LineTooLongError } from '../../lib/stream/index.js';
import { FakeApiServer, testResources, type HttpFault } from '../../lib/testing/index.js';
import { WatchCursor } from '../../lib/watch/watch-cursor.js';
import { isInitialEventsEnd, type WatchEvent } from '../../lib/watch/watch-event.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';

const { Pod, Node, ConfigMap } = testResources;

/**
 * Both transports: node-fetch (the Node default; its body is a Node Readable) and the WHATWG fetch built into
 * Node (undici; its body is a ReadableStream, as in browsers).
 */
const transports: Array<[string, FetchLike | undefined]> = [
  ['node-fetch', undefined],
  ['WHATWG fetch', globalThis.fetch.bind(globalThis) as unknown as FetchLike],
];

describe.each(transports)('over %s', (_transport, fetch) => {
  let server: FakeApiServer;
  let client: KubeClient;

  beforeEach(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 0 });
    client = await createClient({ server: server.url, token: 'test-token', fetch });
  });

  afterEach(async () => {
    await server.close();
  });

  const pod = (name: string, namespace = 'default', labels: Record<string, string> = {}): { metadata: object; spec: object } => ({
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'main', image: 'nginx' }] },
  });

  /** Collects events until `n` arrived (or the stream ends), then unsubscribes. */
  const firstEvents = <T>(source: Observable<WatchEvent<T>>, n: number): Promise<WatchEvent<T>[]> => firstValueFrom(source.pipe(take(n), toArray()));

  /** Subscribes and resolves with the error the stream ends with. */
  function errorOf(source: Observable<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      source.subscribe({ error: resolve, complete: () => reject(new Error('completed instead of erroring')) });
    });
  }

  const describeEvent = (e: WatchEvent<KubernetesObject>): string =>
    e.type === 'BOOKMARK' ? `BOOKMARK ${e.object.metadata.resourceVersion}` : `${e.type} ${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`;

  describe('watch$ on the wire', () => {
    it('is cold: no request before subscribe, one request per subscription', async () => {
      const pods = new Api(Pod, { client, namespace: 'default' });
      const watch$ = pods.watch$({ timeoutSeconds: 1 });
      await new Promise((r) => setTimeout(r, 50));
      expect(server.requests).toHaveLength(0);
      const a = lastValueFrom(watch$.pipe(toArray()));
      const b = lastValueFrom(watch$.pipe(toArray()));
      await Promise.all([a, b]);
      expect(server.requests.filter((r) => r.query.get('watch') === 'true')).toHaveLength(2);
    });

    it('sends every option exactly as the API names it', async () => {
      server.create(Pod, pod('a'));
      const rv = server.resourceVersion;
      const pods = new Api(Pod, { client, namespace: 'team-a' });
      const sub = pods
        .watch$({ labelSelector: 'app in (web,api),!legacy', fieldSelector: 'metadata.name!=x', allowBookmarks: true, timeoutSeconds: 30, resourceVersion: rv })
        .subscribe();
      const request = await server.nextRequest();
      sub.unsubscribe();
      expect(request.path).toBe('/api/v1/namespaces/team-a/pods');
      expect([...request.query]).toEqual([
        ['watch', 'true'],
        ['resourceVersion', rv],
        ['allowWatchBookmarks', 'true'],
        ['labelSelector', 'app in (web,api),!legacy'],
        ['fieldSelector', 'metadata.name!=x'],
        ['timeoutSeconds', '30'],
      ]);
      expect(request.headers['authorization']).toBe('Bearer test-token');
      expect(request.headers['accept']).toBe('application/json');
    });

    it('sends sendInitialEvents with resourceVersionMatch=NotOlderThan and bookmarks', async () => {
      const pods = new Api(Pod, { client });
      const sub = pods.watch$({ sendInitialEvents: true }).subscribe();
      const request = await server.nextRequest();
      sub.unsubscribe();
      expect(request.query.toString()).toBe('watch=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&sendInitialEvents=true');
    });

    it('watches all namespaces with namespace: null, and cluster-scoped kinds on the short path', async () => {
      for (const name of ['ns-1', 'ns-2']) server.create(testResources.Namespace, { metadata: { name } });
      server.create(Pod, pod('a', 'ns-1'));
      server.create(Pod, pod('b', 'ns-2'));
      server.create(Node, { metadata: { name: 'node-1' } });
      const all = await firstEvents(new Api(Pod, { client, namespace: 'ns-1' }).watch$({ namespace: null }), 2);
      expect(all.map(describeEvent)).toEqual(['ADDED ns-1/a', 'ADDED ns-2/b']);
      expect(server.requests.at(-1)?.path).toBe('/api/v1/pods');
      const nodes = await firstEvents(new Api(Node, { client }).watch$(), 1);
      expect(nodes.map(describeEvent)).toEqual(['ADDED /node-1']);
      expect(server.requests.at(-1)?.path).toBe('/api/v1/nodes');
    });

    it('uses the client namespace when the Api names none', async () => {
      const sub = new Api(ConfigMap, { client }).watch$().subscribe();
      expect((await server.nextRequest()).path).toBe('/api/v1/namespaces/default/configmaps');
      sub.unsubscribe();
    });

    it('throws synchronously for invalid combinations, before any request', () => {
      expect(() => new Api(Node, { client, namespace: 'default' })).toThrow(TypeError);
      expect(() => new Api(Node, { client }).watch$({ namespace: 'default' })).toThrow(/cluster-scoped/);
      expect(() => new Api(Pod, { client }).watch$({ sendInitialEvents: true, allowBookmarks: false })).toThrow(/needs bookmarks/);
      expect(() => new Api(Pod, { client }).watch$({ cursor: new WatchCursor(), allowBookmarks: false })).toThrow(/cursor cannot be combined/);
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('watch$ events', () => {
    it('delivers initial ADDED events sorted by name, then live changes, with DELETED at the deletion RV', async () => {
      server.create(Pod, pod('b'));
      server.create(Pod, pod('a'));
      const pods = new Api(Pod, { client, namespace: 'default' });
      const events: WatchEvent<KubernetesObject>[] = [];
      const sub = pods.watch$().subscribe((e) => events.push(e));
      await server.waitForOpenWatches(1);
      await waitUntil(() => events.length === 2);
      server.update(Pod, { ...pod('a', 'default', { v: '2' }) });
      const deleted = server.delete(Pod, 'b', 'default');
      await waitUntil(() => events.length === 4);
      sub.unsubscribe();
      expect(events.map(describeEvent)).toEqual(['ADDED default/a', 'ADDED default/b', 'MODIFIED default/a', 'DELETED default/b']);
      expect((events[3]!.object as KubernetesObject).metadata.resourceVersion).toBe((deleted as KubernetesObject).metadata.resourceVersion);
    });

    it('delivers bookmarks and the initial-events-end marker of a watch-list', async () => {
      server.create(Pod, pod('a'));
      const pods = new Api(Pod, { client, namespace: 'default' });
      const events = await firstEvents(pods.watch$({ sendInitialEvents: true }), 2);
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
      expect(isInitialEventsEnd(events[1]!)).toBe(true);
      expect(events[1]!.object.metadata.resourceVersion).toBe(server.resourceVersion);
    });

    it('decodes a periodic Pod bookmark skeleton (spec.containers: null) without the resource codec', async () => {
      server.create(Pod, pod('a'));
      const pods = new Api(Pod, { client, namespace: 'default' });
      const events: WatchEvent<KubernetesObject>[] = [];
      const sub = pods.watch$({ allowBookmarks: true, resourceVersion: server.resourceVersion }).subscribe((e) => events.push(e));
      await server.waitForOpenWatches(1);
      server.burnRevisions(3);
      server.sendBookmarks();
      await waitUntil(() => events.length === 1);
      sub.unsubscribe();
      expect(events[0]).toEqual({ type: 'BOOKMARK', object: expect.objectContaining({ kind: 'Pod', metadata: { resourceVersion: server.resourceVersion } }) });
    });

    it('completes when the server ends the stream after timeoutSeconds', async () => {
      server.create(Pod, pod('a'));
      const events = await lastValueFrom(new Api(Pod, { client }).watch$({ timeoutSeconds: 1 }).pipe(toArray()));
      expect(events.map(describeEvent)).toEqual(['ADDED default/a']);
      expect(server.watchLog[0]?.closeReason).toBe('timeout');
    });

    it('reads the cursor at every subscription', async () => {
      const cursor = new WatchCursor();
      const watch$ = new Api(Pod, { client }).watch$({ cursor, timeoutSeconds: 1 });
      await lastValueFrom(watch$.pipe(toArray()));
      cursor.resourceVersion = server.resourceVersion;
      await lastValueFrom(watch$.pipe(toArray()));
      const watches = server.requests.filter((r) => r.query.get('watch') === 'true');
      expect(watches.map((r) => r.query.get('resourceVersion'))).toEqual([null, cursor.resourceVersion]);
    });
  });

  describe('watch$ unsubscribe', () => {
    it('aborts the request: the server sees the socket close', async () => {
      const sub = new Api(Pod, { client }).watch$().subscribe();
      await server.waitForOpenWatches(1);
      sub.unsubscribe();
      const closed = await server.waitForWatchClosed();
      expect(closed.closeReason).toBe('client');
      expect(server.openWatches).toBe(0);
    });

    it('closes the socket when a consumer takes only the first events', async () => {
      for (const name of ['a', 'b', 'c']) server.create(Pod, pod(name));
      const events = await firstEvents(new Api(Pod, { client }).watch$(), 1);
      expect(events).toHaveLength(1);
      expect((await server.waitForWatchClosed()).closeReason).toBe('client');
    });

    it('closes the socket when unsubscribed before the response arrived', async () => {
      server.stallWatches();
      const sub = new Api(Pod, { client }).watch$().subscribe();
      await server.nextRequest();
      sub.unsubscribe();
      await server.waitForWatchClosed((w) => w.closeReason === 'client');
      expect(server.openWatches).toBe(0);
    });
  });

  describe('watch$ errors', () => {
    /** A resourceVersion the server's history no longer holds. */
    function expiredResourceVersion(): string {
      server.create(Pod, pod('a'));
      const old = server.resourceVersion;
      server.update(Pod, pod('a', 'default', { v: '2' }));
      server.compact();
      return old;
    }

    it('turns an in-stream ERROR 410 Expired into a GoneError and ends', async () => {
      const error = await errorOf(new Api(Pod, { client }).watch$({ resourceVersion: expiredResourceVersion() }));
      expect(error).toBeInstanceOf(GoneError);
      expect(error).toMatchObject({ code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version: /) });
    });

    it('turns an HTTP 410 into the same GoneError', async () => {
      server.failNext(1, { type: 'Gone' });
      const error = await errorOf(new Api(Pod, { client }).watch$());
      expect(error).toBeInstanceOf(GoneError);
      expect((error as GoneError).code).toBe(410);
    });

    it('treats reason Gone (old servers) as a GoneError too', async () => {
      server.config.expiredStyle = 'event-gone';
      const error = await errorOf(new Api(Pod, { client }).watch$({ resourceVersion: expiredResourceVersion() }));
      expect(error).toBeInstanceOf(GoneError);
      expect((error as GoneError).reason).toBe('Gone');
    });

    it.each<[string, HttpFault, new (...args: never[]) => StatusError, number]>([
      ['401', { type: 'Unauthorized' }, UnauthorizedError, 401],
      ['403', { type: 'Forbidden' }, ForbiddenError, 403],
      ['404 Status', { type: 'NotFound' }, NotFoundError, 404],
      ['404 text/plain', { type: 'NotFoundText' }, NotFoundError, 404],
      ['429 JSON Status', { type: 'TooManyRequests', retryAfterSeconds: 4 }, TooManyRequestsError, 429],
      ['429 text/plain', { type: 'TooManyRequestsText', retryAfterSeconds: 2 }, TooManyRequestsError, 429],
      ['500', { type: 'InternalError', message: 'boom' }, InternalError, 500],
    ])('turns HTTP %s into its class', async (_what, fault, Class, code) => {
      server.failNext(1, fault);
      const error = (await errorOf(new Api(Pod, { client }).watch$())) as StatusError;
      expect(error).toBeInstanceOf(Class);
      expect(error.code).toBe(code);
      expect(error.message).not.toContain('test-token');
      if (fault.type === 'TooManyRequests' || fault.type === 'TooManyRequestsText') expect(error.retryAfterSeconds).toBe(fault.retryAfterSeconds);
      if (fault.type === 'NotFoundText') expect(error.message).toBe('404 page not found');
      if (fault.type === 'TooManyRequestsText') expect(error.message).toBe('Too many requests, please try again later.');
    });

    it('turns a 422 from a server with WatchList disabled into an InvalidError with causes', async () => {
      server.config.watchListDisabled = true;
      const error = (await errorOf(new Api(Pod, { client }).watch$({ sendInitialEvents: true }))) as InvalidError;
      expect(error).toBeInstanceOf(InvalidError);
      expect(error.details?.causes?.[0]).toMatchObject({ reason: 'FieldValueForbidden', field: 'sendInitialEvents' });
    });

    it('turns a bad selector into a BadRequestError', async () => {
      const error = await errorOf(new Api(Pod, { client }).watch$({ labelSelector: 'a in (' }));
      expect(error).toBeInstanceOf(BadRequestError);
    });

    it('turns an in-stream 500 into an InternalError after the events before it', async () => {
      server.create(Pod, pod('a'));
      const events: string[] = [];
      const done = new Promise<unknown>((resolve) =>
        new Api(Pod, { client }).watch$().subscribe({ next: (e) => events.push(e.type), error: resolve }),
      );
      await waitUntil(() => events.length === 1);
      server.injectWatchError({ code: 500, reason: 'InternalError', message: 'etcd went away' });
      const error = await done;
      expect(error).toBeInstanceOf(InternalError);
      expect(events).toEqual(['ADDED']);
    });

    it.each([
      ['malformed JSON', '{"type":"ADDED","object":{"metadata":\n', /not valid JSON/],
      ['an unknown event type', '{"type":"SYNCED","object":{}}\n', /unknown watch event type "SYNCED"/],
      ['an object of the wrong shape', '{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":7}}}\n', /metadata\.name: expected string, got 7/],
    ])('ends with a DecodeError on %s, after delivering the good events', async (_what, raw, message) => {
      server.create(Pod, pod('a'));
      const events: string[] = [];
      const done = new Promise<unknown>((resolve) =>
        new Api(Pod, { client }).watch$().subscribe({ next: (e) => events.push(e.type), error: resolve }),
      );
      await waitUntil(() => events.length === 1);
      server.injectRawLine(raw);
      const error = (await done) as DecodeError;
      expect(error).toBeInstanceOf(DecodeError);
      expect(error.message).toMatch(message);
      expect(error.line).toBe(raw.trimEnd());
      expect(events).toEqual(['ADDED']);
      expect((await server.waitForWatchClosed()).closeReason).toBe('client');
    });

    it('ends with a LineTooLongError when a line outgrows maxLineBytes, without waiting for its end', async () => {
      const done = errorOf(new Api(Pod, { client }).watch$({ maxLineBytes: 1024 }));
      await server.waitForOpenWatches(1);
      server.injectRawLine('x'.repeat(4096)); // no newline: the line never ends
      const error = (await done) as LineTooLongError;
      expect(error).toBeInstanceOf(LineTooLongError);
      expect(error.maxLineBytes).toBe(1024);
    });

    it('ends with a TransportError when the connection drops mid-line', async () => {
      server.create(Pod, pod('a'));
      const events: string[] = [];
      const done = new Promise<unknown>((resolve) =>
        new Api(Pod, { client }).watch$().subscribe({ next: (e) => events.push(e.type), error: resolve, complete: () => resolve('completed') }),
      );
      await waitUntil(() => events.length === 1);
      server.dropConnections({ midLine: true });
      server.create(Pod, pod('b')); // the line that gets cut
      const error = await done;
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(new RegExp(`^GET ${server.url}/api/v1/namespaces/default/pods: the response broke off: [^/]+$`));
      expect(events).toEqual(['ADDED']);
    });

    it('ends with a TransportError when nothing listens', async () => {
      const port = new URL(server.url).port;
      await server.close();
      const dead = await createClient({ server: `http://127.0.0.1:${port}`, fetch });
      const error = (await errorOf(new Api(Pod, { client: dead }).watch$())) as TransportError;
      expect(error).toBeInstanceOf(TransportError);
      // Each fact once: the request (method, URL without the query), then the system's reason with the address.
      expect(error.message).toBe(`GET http://127.0.0.1:${port}/api/v1/namespaces/default/pods failed: connect ECONNREFUSED 127.0.0.1:${port}`);
      expect(error.code).toBe('ECONNREFUSED');
    });
  });

  describe('list$', () => {
    it('lists decoded objects with apiVersion/kind filled in, at the server\'s resourceVersion', async () => {
      server.create(testResources.Namespace, { metadata: { name: 'other' } });
      server.create(Pod, pod('b', 'default', { app: 'web' }));
      server.create(Pod, pod('a', 'default', { app: 'db' }));
      server.create(Pod, pod('c', 'other', { app: 'web' }));
      const pods = new Api(Pod, { client, namespace: 'default' });
      const list = await firstValueFrom(pods.list$());
      expect(list.items.map((p) => `${p.kind} ${p.apiVersion} ${p.metadata.name}`)).toEqual(['Pod v1 a', 'Pod v1 b']);
      expect(list.metadata.resourceVersion).toBe(server.resourceVersion);
      const web = await firstValueFrom(pods.list$({ namespace: null, labelSelector: 'app=web' }));
      expect(web.items.map((p) => p.metadata.name)).toEqual(['b', 'c']);
      expect(server.requests.at(-1)?.path).toBe('/api/v1/pods');
    });

    it('fails with the typed error of the answer', async () => {
      server.failNext(1, { type: 'Forbidden' });
      await expect(firstValueFrom(new Api(Pod, { client }).list$())).rejects.toBeInstanceOf(ForbiddenError);
    });
  });

  describe('watch$ framing', () => {
    it('decodes events split at every byte, including inside multi-byte UTF-8', async () => {
      server.config.chunking = { mode: 'split', chunkBytes: 1 };
      server.create(Pod, { ...pod('ünïcødé'), metadata: { name: 'ünïcødé', namespace: 'default', annotations: { note: '日本語 🚀 é' } } });
      const [event] = await firstEvents(new Api(Pod, { client }).watch$(), 1);
      expect(event?.type).toBe('ADDED');
      expect((event!.object as KubernetesObject).metadata.annotations).toEqual({ note: '日本語 🚀 é' });
    });

    it('decodes many events packed into one chunk, in order', async () => {
      server.config.chunking = { mode: 'pack' };
      const names = Array.from({ length: 50 }, (_, i) => `p${String(i).padStart(2, '0')}`);
      for (const name of names) server.create(Pod, pod(name));
      const events = await firstEvents(new Api(Pod, { client }).watch$(), 50);
      expect(events.map((e) => (e.object as KubernetesObject).metadata.name)).toEqual(names);
    });

    it('decodes a 5 MB object arriving in small chunks', async () => {
      server.config.chunking = { mode: 'split', chunkBytes: 4096 };
      const big = 'x'.repeat(5 * 1024 * 1024);
      server.create(ConfigMap, { metadata: { name: 'big', namespace: 'default' }, data: { big } });
      const [event] = await firstEvents(new Api(ConfigMap, { client }).watch$(), 1);
      expect(((event!.object as KubernetesObject)['data'] as { big: string }).big).toBe(big);
    });
  });

});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

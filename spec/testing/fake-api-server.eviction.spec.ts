/**
 * Slow-consumer eviction in the FakeApiServer (protocol sheet §5, checklist 16): each watch's unsent queue is bounded
 * (`maxWatchQueueBytes`); a watch whose client does not keep up is closed cleanly, with no ERROR event and reason
 * `unresponsive`, as the cacher's "Forcing ... watcher close due to unresponsiveness". All over real loopback HTTP.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { filter, firstValueFrom, type Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';
import { FakeApiServer, testResources, type FakeApiServerOptions, type WatchInfo } from '../../lib/testing/index.js';
import { createUntilEvicted, openPaused as openPausedClient, openWatch, padded, PAD, podName, tick, type PausedClient, type WatchClient } from './http-helpers.js';
import { startWithNamespaces } from './namespace-helpers.js';

const { Pod } = testResources;
const PODS = '/api/v1/namespaces/ns/pods';
const BOUND = 64 * 1024;

let server: FakeApiServer | undefined;
const clients: (WatchClient | PausedClient)[] = [];
const subscriptions: Subscription[] = [];

afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  server = await startWithNamespaces({ maxWatchQueueBytes: BOUND, ...options });
  return server;
}

const watchNow = (s: FakeApiServer): string => `${s.url}${PODS}?watch=1&resourceVersion=${s.resourceVersion}`;

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A paused watch client, closed after the test. */
const openPaused = (url: string): Promise<PausedClient> => openPausedClient(url, (c) => clients.push(c));

/** Splits a body into its lines; checks that it ends at a line boundary. */
function linesOf(body: Buffer): string[] {
  const text = body.toString('utf8');
  expect(text === '' || text.endsWith('\n')).toBe(true); // no partial line
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

/** The only open watch (the one just opened). */
async function theWatch(s: FakeApiServer): Promise<WatchInfo> {
  await s.waitForOpenWatches(1);
  return s.watches[0]!;
}

describe('FakeApiServer: bounded watch queue and slow-consumer eviction (§5, checklist 16)', () => {
  it('evicts a client that stops reading, cleanly: only complete lines, then a clean end with no ERROR event', async () => {
    const s = await start();
    const client = await openPaused(watchNow(s));
    const w = await theWatch(s);

    const created = await createUntilEvicted(s, w);
    // Reported at once, while the client has not read a byte; the watch is no longer open.
    expect(w.closeReason).toBe('unresponsive');
    await expect(w.closed).resolves.toBe('unresponsive');
    expect(s.openWatches).toBe(0);
    // Events after the eviction never reach the evicted stream.
    for (let i = 0; i < 5; i++) s.create(Pod, padded(created + i));

    const { body, complete } = await client.readAll();
    expect(complete).toBe(true); // the terminating chunk came: a clean end (EOF), not a reset
    const lines = linesOf(body);
    const events = lines.map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    expect(events.some((e) => e.type === 'ERROR')).toBe(false);
    expect(events.every((e) => e.type === 'ADDED')).toBe(true);
    // What arrived is a gap-free prefix of what was produced: the tail (never written) was discarded.
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(created);
    expect(events.map((e) => e.object.metadata.name)).toEqual(Array.from({ length: events.length }, (_, i) => podName(i)));
    // The client seeing its stream end does not change the reason.
    expect(w.closeReason).toBe('unresponsive');
    expect(s.watchLog.map((x) => x.closeReason)).toEqual(['unresponsive']);
  });

  it('never holds more than the bound unsent: the discarded tail is over the bound by at most the line that passed it', async () => {
    const s = await start();
    const client = await openPaused(watchNow(s));
    const w = await theWatch(s);
    const created = await createUntilEvicted(s, w);
    const { body, complete } = await client.readAll();
    expect(complete).toBe(true);
    const lines = linesOf(body);
    // Every event line has the same size L (fixed-width names, 4-digit RVs), so the bytes produced are created × L.
    const sizes = new Set(lines.map((l) => Buffer.byteLength(l) + 1));
    expect(sizes.size).toBe(1);
    const L = [...sizes][0]!;
    expect(L).toBeLessThan(BOUND / 8);
    // Everything the server took from its queue was handed to the socket and has now been read, so the bytes
    // produced but never received are exactly what was queued at the eviction plus the event that passed the bound.
    const discarded = created * L - body.length;
    const queuedAtEviction = discarded - L;
    expect(queuedAtEviction).toBeLessThanOrEqual(BOUND); // memory stayed bounded
    expect(queuedAtEviction + L).toBeGreaterThan(BOUND); // and it was the bound that closed it, not something else
  });

  it('applies the bound while stalled: the exact event that would pass it evicts the watch, with nothing written', async () => {
    const s = await start();
    const client = await openWatch(watchNow(s));
    clients.push(client);
    const w = await theWatch(s);
    s.create(Pod, padded(999_999)); // written at once: measures the size L of every event line
    await client.events$(1);
    const L = Buffer.byteLength(client.lines[0]!) + 1;
    s.stallWatches();
    let created = 0;
    while (w.closeReason === undefined && created < 1000) s.create(Pod, padded(created++));
    expect(w.closeReason).toBe('unresponsive');
    // Stalled, nothing was written: the queue held created - 1 lines, and the last one would have passed the bound.
    expect((created - 1) * L).toBeLessThanOrEqual(BOUND);
    expect(created * L).toBeGreaterThan(BOUND);
    s.resumeWatches();
    await expect(client.ended).resolves.toBe('clean');
    expect(client.lines).toHaveLength(1);
    expect(client.partial()).toBe('');
  });

  it('does not evict a client that keeps up through bursts totalling far more than the bound (it counts unsent bytes)', async () => {
    const s = await start();
    const client = await openWatch(watchNow(s));
    clients.push(client);
    const w = await theWatch(s);
    let created = 0;
    // Bursts held back and then released: each fits under the bound, all together are 30 times it. A queue that
    // only ever grew (sent bytes not taken off) would pass the bound in the second burst.
    const perBurst = Math.floor(BOUND / 2 / 2200);
    for (let burst = 0; burst < 60; burst++) {
      s.stallWatches();
      for (let i = 0; i < perBurst; i++) s.create(Pod, padded(created++));
      s.resumeWatches();
      await client.events$(created, 5000);
    }
    // Then a live burst of the same total size, yielding between small batches as a busy server would.
    for (let batch = 0; batch < 200; batch++) {
      for (let i = 0; i < 10; i++) s.create(Pod, padded(created++));
      await tick();
    }
    await client.events$(created, 10_000);
    const received = client.chunks.reduce((n, c) => n + c.length, 0);
    expect(received).toBeGreaterThan(30 * BOUND);
    expect(w.closeReason).toBeUndefined();
    expect(s.openWatches).toBe(1);
    expect(client.events.map((e) => e.object.metadata.name)).toEqual(Array.from({ length: created }, (_, i) => podName(i)));
  });

  it.each([
    ['the initial events of a watch without resourceVersion', (s: FakeApiServer) => `${s.url}${PODS}?watch=1`],
    ['the history replay of a watch from an old resourceVersion', (s: FakeApiServer) => `${s.url}${PODS}?watch=1&resourceVersion=1000`],
  ])('does not count %s toward the bound (the real watcher pulls them from its cache)', async (_what, url) => {
    const s = await start();
    const n = 400; // about 900 KB, queued in one synchronous step: far more than the bound and the socket take at once
    for (let i = 0; i < n; i++) s.create(Pod, padded(i));
    const client = await openPaused(url(s));
    const w = await theWatch(s);
    await new Promise((r) => setTimeout(r, 50));
    expect(w.closeReason).toBeUndefined();
    s.endWatches();
    const { body, complete } = await client.readAll();
    expect(complete).toBe(true);
    expect(linesOf(body).map((l) => (JSON.parse(l) as { object: { metadata: { name: string } } }).object.metadata.name)).toEqual(
      Array.from({ length: n }, (_, i) => podName(i)),
    );
    expect(w.closeReason).toBe('ended');
  });

  it('skips a periodic bookmark that does not fit under the bound instead of evicting, and sends it later', async () => {
    const s = await start({ bookmarkIntervalMs: 0 });
    const client = await openWatch(`${watchNow(s)}&allowWatchBookmarks=true`);
    clients.push(client);
    const w = await theWatch(s);
    s.create(Pod, padded(999_999)); // written at once: measures the line sizes
    await client.events$(1);
    const L = Buffer.byteLength(client.lines[0]!) + 1;
    const overhead = L - PAD.length; // the size of a line with an empty pad
    // Fill the stalled queue to 50 bytes under the bound: full lines, then one cut to size.
    s.stallWatches();
    const target = BOUND - 50;
    const full = Math.floor((target - overhead) / L);
    for (let i = 0; i < full; i++) s.create(Pod, padded(i));
    s.create(Pod, { metadata: { name: podName(full), namespace: 'ns', annotations: { pad: 'x'.repeat(target - full * L - overhead) } } });
    s.burnRevisions(1); // the global RV moves past the last event: a bookmark is due
    s.sendBookmarks(); // does not fit: skipped, not an eviction
    expect(w.closeReason).toBeUndefined();
    s.resumeWatches();
    await client.events$(full + 2);
    expect(client.events.map((e) => e.type)).toEqual(Array.from({ length: full + 2 }, () => 'ADDED'));
    // The skipped bookmark did not count as sent: the next one goes out, at the current RV.
    s.sendBookmarks();
    const all = await client.events$(full + 3);
    expect(all.at(-1)!.type).toBe('BOOKMARK');
    expect(all.at(-1)!.object.metadata.resourceVersion).toBe(s.resourceVersion);
    expect(w.closeReason).toBeUndefined();
  });

  it('evictWatches() ends matching watches cleanly as unresponsive; the informer re-watches from its last RV and misses nothing', async () => {
    const s = await start({ bookmarkIntervalMs: 0 });
    const client = await createClient({ server: s.url });
    const pods = new Api(Pod, { client, namespace: 'default' });
    const informer = pods.informer({ backoff: { initialDelay: 20, maxDelay: 200 }, random: () => 0.5 });
    const events: WatchEvent<KubernetesObject>[] = [];
    let store: ReadonlyMap<string, KubernetesObject> = new Map();
    let error: unknown;
    subscriptions.push(informer.events$.subscribe({ next: (e) => events.push(e), error: (e: unknown) => (error = e) }));
    subscriptions.push(informer.store$.subscribe((st) => (store = st)));
    s.create(Pod, { metadata: { name: 'a', namespace: 'default' } });
    await firstValueFrom(informer.state$.pipe(filter((st) => st.phase === 'watching')));
    await waitUntil(() => store.size === 1, 'the initial sync');
    const synced = s.resourceVersion; // what the informer resumes from (its initial-events-end bookmark)
    const first = await theWatch(s);
    const other = await openWatch(`${s.url}/api/v1/namespaces/ns/configmaps?watch=1&resourceVersion=${s.resourceVersion}`);
    clients.push(other);
    await s.waitForOpenWatches(2);

    // Hold 'b' back on the stream, then evict: the queued event is discarded, never written.
    s.stallWatches();
    s.create(Pod, { metadata: { name: 'b', namespace: 'default' } });
    const watchesBefore = s.requests.filter((r) => r.query.has('watch') && r.path.endsWith('/pods')).length;
    expect(s.evictWatches((x) => x.resource.plural === 'pods')).toBe(1);
    expect(first.closeReason).toBe('unresponsive');
    expect(s.evictWatches((x) => x.resource.plural === 'pods')).toBe(0); // already closed
    s.resumeWatches();
    await expect(first.closed).resolves.toBe('unresponsive');

    // The informer saw a clean EOF and re-watched from where it was, without a relist.
    await waitUntil(() => s.requests.filter((r) => r.query.has('watch') && r.path.endsWith('/pods')).length > watchesBefore, 'a re-watch');
    const rewatch = s.requests.filter((r) => r.query.has('watch') && r.path.endsWith('/pods')).at(-1)!.query;
    expect(rewatch.get('resourceVersion')).toBe(synced);
    expect(rewatch.get('sendInitialEvents')).toBeNull();
    s.create(Pod, { metadata: { name: 'c', namespace: 'default' } });
    await waitUntil(() => store.size === 3, 'b and c in the store');
    expect([...store.keys()].sort()).toEqual(['default/a', 'default/b', 'default/c']);
    const added = events.flatMap((e) => (e.type === 'ADDED' ? [e.object.metadata.name] : []));
    expect(added).toEqual(['a', 'b', 'c']); // each once: nothing missed, nothing replayed twice
    expect(error).toBeUndefined(); // a clean end, not an error
    expect(informer.state.phase).toBe('watching');
    // The other watch did not match and is untouched.
    expect(other.events).toEqual([]);
    expect(s.watchLog.find((x) => x.resource.plural === 'configmaps')!.closeReason).toBeUndefined();
  });

  describe('with 1 MiB events held back by a stall', () => {
    const MiB = 1024 * 1024;
    const big = (i: number): { metadata: Record<string, unknown> } => ({ metadata: { name: podName(i), namespace: 'ns', annotations: { pad: 'y'.repeat(MiB) } } });

    it('the default bound is 64 MiB: the 64th unsent event passes it', async () => {
      server = await startWithNamespaces();
      const s = server;
      const client = await openWatch(watchNow(s));
      clients.push(client);
      const w = await theWatch(s);
      s.stallWatches();
      let created = 0;
      while (w.closeReason === undefined && created < 100) s.create(Pod, big(created++));
      expect(w.closeReason).toBe('unresponsive');
      expect(created).toBe(64); // 63 lines of 1 MiB and a bit fit under 64 MiB, 64 do not
      s.resumeWatches();
      await expect(client.ended).resolves.toBe('clean');
      expect(client.chunks).toEqual([]);
    });

    it('false turns the bound off: the queue grows without limit, as before', async () => {
      const s = await start({ maxWatchQueueBytes: false });
      const client = await openWatch(watchNow(s));
      clients.push(client);
      const w = await theWatch(s);
      s.stallWatches();
      const n = 70; // more than the default bound
      for (let i = 0; i < n; i++) s.create(Pod, big(i));
      expect(w.closeReason).toBeUndefined();
      s.resumeWatches();
      await client.events$(n, 20_000);
      expect(w.closeReason).toBeUndefined();
    }, 30_000);
  });

  it.each([[0], [-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], ['65536'], [true], [null]])(
    'rejects maxWatchQueueBytes = %p with a TypeError at start',
    async (value) => {
      await expect(FakeApiServer.start({ maxWatchQueueBytes: value as unknown as number })).rejects.toThrow(TypeError);
    },
  );

  it('accepts a positive integer, false, or nothing', async () => {
    for (const value of [1, BOUND, false, undefined] as const) {
      const s = await FakeApiServer.start(value === undefined ? {} : { maxWatchQueueBytes: value });
      await s.close();
    }
  });
});

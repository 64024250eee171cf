/**
 * The informer over real loopback HTTP against the FakeApiServer: every way a watch ends, and recovery from it.
 * Timers run in real time with small values (backoff 20 ms, timeouts of 1 s) so the suite stays fast.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { filter, firstValueFrom, type Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import { ForbiddenError } from '../../lib/errors/status-error.js';
import type { InformerOptions, InformerState } from '../../lib/informer/informer.js';
import { FakeApiServer, testResources, type RecordedRequest } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { isInitialEventsEnd, type WatchEvent } from '../../lib/watch/watch-event.js';
import { waitUntil } from './wait-until.js';

const { Pod } = testResources;

let server: FakeApiServer;
let client: KubeClient;
let pods: Api<KubernetesObject>;
const subscriptions: Subscription[] = [];

beforeEach(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 100 });
  client = await createClient({ server: server.url });
  pods = new Api(Pod, { client, namespace: 'default' });
});

afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
  await server.close();
});

/** Fast settings for tests: tiny backoff, deterministic jitter. */
const fast: InformerOptions = { backoff: { initialDelay: 20, maxDelay: 200 }, random: () => 0.5 };

const pod = (name: string, labels: Record<string, string> = {}): { metadata: object } => ({ metadata: { name, namespace: 'default', labels } });
const watchRequests = (): RecordedRequest[] => server.requests.filter((r) => r.query.has('watch'));
const names = (store: ReadonlyMap<string, KubernetesObject>): string[] => [...store.keys()].sort();
const serverNames = (): string[] => server.list(Pod, 'default').map((p) => `default/${(p as KubernetesObject).metadata.name}`).sort();

/** Subscribes to everything an informer offers and records it. */
function follow(options: InformerOptions = {}) {
  const informer = pods.informer({ ...fast, ...options });
  const events: WatchEvent<KubernetesObject>[] = [];
  const states: InformerState[] = [];
  let store: ReadonlyMap<string, KubernetesObject> = new Map();
  let error: unknown;
  subscriptions.push(informer.events$.subscribe({ next: (e) => events.push(e), error: (e: unknown) => (error = e) }));
  subscriptions.push(informer.store$.subscribe({ next: (s) => (store = s), error: () => undefined }));
  subscriptions.push(informer.state$.subscribe((s) => states.push(s)));
  return {
    informer,
    events,
    states,
    get store() {
      return store;
    },
    get error() {
      return error;
    },
    /** Waits until the store equals the server's state and the informer is watching. */
    async converged(): Promise<void> {
      await waitUntil(() => informer.state.phase === 'watching' && JSON.stringify(names(store)) === JSON.stringify(serverNames()), 'convergence');
    },
  };
}

describe('informer', () => {
  it('syncs with a watch-list, shares one connection, and closes it with the last subscriber', async () => {
    server.create(Pod, pod('a'));
    server.create(Pod, pod('b'));
    const f = follow();
    await f.converged();
    expect(watchRequests()).toHaveLength(1);
    const q = watchRequests()[0]!.query;
    expect([q.get('sendInitialEvents'), q.get('resourceVersionMatch'), q.get('allowWatchBookmarks'), q.get('resourceVersion')]).toEqual(['true', 'NotOlderThan', 'true', null]);
    const timeout = Number(q.get('timeoutSeconds'));
    expect(timeout).toBeGreaterThanOrEqual(300);
    expect(timeout).toBeLessThan(600);
    expect(f.events.map((e) => (e.type === 'BOOKMARK' ? (isInitialEventsEnd(e) ? 'END' : 'BOOKMARK') : `${e.type} ${e.object.metadata.name}`)).slice(0, 3)).toEqual([
      'ADDED a',
      'ADDED b',
      'END',
    ]);
    // state$ was subscribed after events$ had started the connection: it begins with the current state.
    expect(f.states.map((s) => s.phase).slice(0, 2)).toEqual(['syncing', 'watching']);

    // A late subscriber gets the current state first, then live events, on the same connection.
    const late: string[] = [];
    const sub = f.informer.events$.subscribe((e) => late.push(e.type === 'BOOKMARK' ? (isInitialEventsEnd(e) ? 'END' : 'BOOKMARK') : `${e.type} ${e.object.metadata.name}`));
    expect(late).toEqual(['ADDED a', 'ADDED b', 'END']);
    server.create(Pod, pod('c'));
    await waitUntil(() => late.includes('ADDED c'));
    expect(watchRequests()).toHaveLength(1);
    sub.unsubscribe();

    for (const s of subscriptions.splice(0)) s.unsubscribe();
    expect((await server.waitForWatchClosed()).closeReason).toBe('client');
    expect(f.informer.state.phase).toBe('idle');
  });

  it('reconnects when the server ends the stream, from the last bookmark', async () => {
    server.create(Pod, pod('a'));
    const f = follow({ timeoutSeconds: 1 });
    await f.converged();
    server.burnRevisions(2); // moves the global RV: the periodic bookmark carries it
    const bookmarkRV = server.resourceVersion;
    await waitUntil(() => watchRequests().length === 2, 'a second watch');
    const second = watchRequests()[1]!.query;
    expect(second.get('resourceVersion')).toBe(bookmarkRV);
    expect(second.get('sendInitialEvents')).toBeNull();
    server.create(Pod, pod('b'));
    await f.converged();
  });

  it.each([
    ['as an in-stream ERROR (200 + ERROR Expired)', 'event'],
    ['as HTTP 410', 'http'],
  ] as const)('relists on 410 Gone %s, without the stale resourceVersion, removing what vanished meanwhile', async (_how, style) => {
    server.config.expiredStyle = style;
    server.create(Pod, pod('a'));
    server.create(Pod, pod('b'));
    const f = follow();
    await f.converged();
    // Cut the informer off, change the world behind its back, and let the history it would resume from expire.
    server.stallWatches();
    server.delete(Pod, 'b', 'default');
    server.create(Pod, pod('c'));
    server.clearRequests();
    expect(server.dropConnections()).toBe(1);
    server.compact();
    server.resumeWatches();
    await f.converged();
    const watches = watchRequests();
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches[0]!.query.get('resourceVersion')).not.toBeNull(); // the resume attempt, answered with 410
    const relist = watches.at(-1)!.query;
    expect([relist.get('sendInitialEvents'), relist.get('resourceVersion')]).toEqual(['true', null]);
    expect(names(f.store)).toEqual(['default/a', 'default/c']);
    expect(f.events.some((e) => e.type === 'DELETED' && e.object.metadata.name === 'b')).toBe(true);
  });

  it('resumes after a connection dropped mid-line without losing an event', async () => {
    server.create(Pod, pod('a'));
    const f = follow();
    await f.converged();
    server.dropConnections({ midLine: true });
    server.create(Pod, pod('b')); // cut in half on the wire
    server.create(Pod, pod('c'));
    await f.converged();
    expect(names(f.store)).toEqual(['default/a', 'default/b', 'default/c']);
    expect(f.states.some((s) => s.phase === 'backingOff')).toBe(true);
    expect(watchRequests().length).toBeGreaterThanOrEqual(2);
  });

  it('detects a stalled connection, reports it, and reconnects', async () => {
    server.config.bookmarkIntervalMs = 0;
    server.create(Pod, pod('a'));
    const f = follow({ idleTimeout: 300 });
    await f.converged();
    server.stallWatches();
    await waitUntil(() => f.states.some((s) => s.phase === 'stalled'), 'a stalled state');
    server.resumeWatches();
    server.create(Pod, pod('b'));
    await f.converged();
    expect(server.watchLog.some((w) => w.closeReason === 'client')).toBe(true);
  });

  it('waits as long as Retry-After says on 429, then recovers', async () => {
    server.create(Pod, pod('a'));
    const f = follow();
    await f.converged();
    server.failNext(1, { type: 'TooManyRequestsText', retryAfterSeconds: 1 });
    server.endWatches();
    await waitUntil(() => f.states.some((s) => s.phase === 'backingOff'));
    const backingOff = f.states.find((s) => s.phase === 'backingOff') as { delay: number; error: unknown };
    expect(backingOff.delay).toBeGreaterThanOrEqual(1000);
    server.create(Pod, pod('b'));
    await f.converged();
  });

  it('backs off through repeated 500s with growing delays, then recovers', async () => {
    server.create(Pod, pod('a'));
    const f = follow();
    await f.converged();
    server.failNext(3, { type: 'InternalError' });
    server.endWatches();
    server.create(Pod, pod('b'));
    await f.converged();
    const delays = f.states.filter((s) => s.phase === 'backingOff').map((s) => (s as { delay: number }).delay);
    expect(delays.length).toBeGreaterThanOrEqual(3);
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
    expect(delays[2]!).toBeGreaterThan(delays[1]!);
  });

  it('falls back to list + watch at once when WatchList is disabled (422)', async () => {
    server.config.watchListDisabled = true;
    server.create(Pod, pod('a'));
    const f = follow();
    await f.converged();
    const list = server.requests.find((r) => !r.query.has('watch'));
    expect(list).toBeDefined();
    await waitUntil(() => watchRequests().length === 2, 'the watch after the list');
    const watch = watchRequests()[1]!;
    expect(watch.query.get('resourceVersion')).toBe(server.resourceVersion);
    expect(watch.query.get('sendInitialEvents')).toBeNull();
    server.create(Pod, pod('b'));
    await f.converged();
    expect(f.events.filter(isInitialEventsEnd)).toHaveLength(1);
  });

  it('falls back to list + watch when the server ignores sendInitialEvents', async () => {
    server.config.ignoreSendInitialEvents = true;
    server.config.bookmarkIntervalMs = 0;
    server.create(Pod, pod('a'));
    const f = follow({ initialSyncTimeout: 200 });
    await f.converged();
    expect(server.requests.some((r) => !r.query.has('watch'))).toBe(true);
    server.create(Pod, pod('b'));
    await f.converged();
  });

  it('ends with a failed state and a typed error on 403', async () => {
    server.failNext(1, { type: 'Forbidden' });
    const f = follow();
    await waitUntil(() => f.error !== undefined, 'the error');
    expect(f.error).toBeInstanceOf(ForbiddenError);
    expect(f.states.at(-1)?.phase).toBe('failed');
  });

  it('store$ gives a late subscriber the current store at once', async () => {
    server.create(Pod, pod('a'));
    const f = follow();
    await f.converged();
    const store = await firstValueFrom(f.informer.store$.pipe(filter((s) => s.size > 0)));
    expect(names(store)).toEqual(['default/a']);
  });
});

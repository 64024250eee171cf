/**
 * retryOnGone over real loopback HTTP against the FakeApiServer (#14): the misuse `watch$({ resourceVersion })`
 * with a separate cursor used to send the same expired request in a hot loop (248-293 requests/s measured); now
 * it errors after one request, and consecutive 410s to requests that do read the cursor are paced at 1/s.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { lastValueFrom } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import { GoneError } from '../../lib/errors/status-error.js';
import { retryOnGone } from '../../lib/operators/retry-on-gone.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { WatchCursor } from '../../lib/watch/watch-cursor.js';

const { ConfigMap } = testResources;

describe('retryOnGone over loopback HTTP', () => {
  let server: FakeApiServer;
  let client: KubeClient;

  beforeEach(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 0 });
    client = await createClient({ server: server.url, token: 'test-token' });
  });

  afterEach(async () => {
    await server.close();
  });

  const watches = (): number[] => server.requests.filter((r) => r.query.get('watch') === 'true').map((r) => r.at);

  it('refuses a source that does not read the cursor after one request, instead of hammering the server', async () => {
    const api = new Api(ConfigMap, { client, namespace: 'default' });
    server.create(ConfigMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' }, data: {} });
    const stale = '1';
    server.compact(); // every watch from an older RV now gets 410
    const cursor = new WatchCursor();
    const started = Date.now();
    const error = await lastValueFrom(api.watch$({ resourceVersion: stale }).pipe(retryOnGone(cursor))).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).cause).toBeInstanceOf(GoneError);
    expect(watches()).toHaveLength(1);
    console.log(`misuse: ${watches().length} watch request(s) in ${elapsed} ms, then TypeError`);
  });

  it('paces consecutive 410s to requests that read the cursor at no more than about one per second', async () => {
    const api = new Api(ConfigMap, { client, namespace: 'default' });
    server.failNext(4, { type: 'Gone' }, (r) => r.query.get('watch') === 'true');
    const cursor = new WatchCursor({ resourceVersion: '1' });
    const error = await lastValueFrom(api.watch$({ cursor }).pipe(retryOnGone(cursor, { count: 3 }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoneError);
    const at = watches();
    expect(at).toHaveLength(4);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // the first relist at once, then the 1 s floor (timers may fire a ms early; allow 50 ms)
    expect(gaps[1]).toBeGreaterThanOrEqual(950);
    expect(gaps[2]).toBeGreaterThanOrEqual(950);
    const perSecond = (at.length - 1) / ((at.at(-1)! - at[0]!) / 1000);
    console.log(`server answering 410 to every watch: ${at.length} requests, gaps ${gaps.join(', ')} ms, ${perSecond.toFixed(2)} requests/s`);
    expect(perSecond).toBeLessThan(2);
  });
});

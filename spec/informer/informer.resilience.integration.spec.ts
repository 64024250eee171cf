/**
 * Issue #14 over real loopback HTTP against the FakeApiServer: transient failures at start do not switch the
 * informer to list + watch, and (with `decodeErrors: 'skip'`) one object its codec rejects does not keep it from
 * syncing. Real timers with tiny backoffs; every wait is for a condition.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import type { InformerOptions } from '../../lib/informer/informer.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';

const { Pod } = testResources;

let server: FakeApiServer;
let client: KubeClient;
const subscriptions: Subscription[] = [];

beforeEach(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 100 });
  client = await createClient({ server: server.url });
});

afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
  await server.close();
});

const fast: InformerOptions = { backoff: { initialDelay: 20, maxDelay: 200 }, random: () => 0.5 };

async function waitUntil(condition: () => boolean, what = 'condition', timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('informer resilience (#14)', () => {
  it('still uses a watch-list after two 500s on its first connections', async () => {
    const pods = new Api(Pod, { client, namespace: 'default' });
    server.create(Pod, { metadata: { name: 'a', namespace: 'default' } });
    server.failNext(2, { type: 'InternalError' });
    const informer = pods.informer(fast);
    let store: ReadonlyMap<string, KubernetesObject> = new Map();
    subscriptions.push(informer.store$.subscribe((s) => (store = s)));
    await waitUntil(() => store.has('default/a') && informer.state.phase === 'watching', 'sync');
    const requests = server.requests.filter((r) => r.path.includes('/pods'));
    expect(requests.map((r) => r.query.get('sendInitialEvents'))).toEqual(['true', 'true', 'true']);
    expect(requests.filter((r) => !r.query.has('watch'))).toEqual([]); // no LIST
  });
});

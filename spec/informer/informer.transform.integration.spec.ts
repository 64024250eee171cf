/**
 * `transform: stripManagedFields` over real loopback HTTP against the FakeApiServer (issue #14): the objects the
 * server stores and sends carry `metadata.managedFields` (written through the API, as kubectl or a controller
 * would), the informer's store and events hold none.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom, type Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { stripManagedFields } from '../../lib/informer/index.js';
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';

const { Pod } = testResources;
let server: FakeApiServer;
let pods: Api<KubernetesObject>;
const subscriptions: Subscription[] = [];

beforeEach(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 100 });
  pods = new Api(Pod, { client: await createClient({ server: server.url }), namespace: 'default' });
});

afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
  await server.close();
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
const hasManagedFields = (object: KubernetesObject): boolean => 'managedFields' in object.metadata;

describe('informer transform over HTTP', () => {
  it('with stripManagedFields, holds and emits no managedFields while the server objects carry them', async () => {
    await firstValueFrom(pods.create$(pod('a')));
    const informer = pods.informer({ transform: stripManagedFields, backoff: { initialDelay: 20, maxDelay: 200 } });
    const events: InformerEvent<KubernetesObject>[] = [];
    let store: ReadonlyMap<string, KubernetesObject> = new Map();
    subscriptions.push(informer.events$.subscribe((e) => events.push(e)));
    subscriptions.push(informer.store$.subscribe((s) => (store = s)));
    await waitUntil(() => store.has('default/a'), 'the initial state');
    await firstValueFrom(pods.create$(pod('b'))); // a live ADDED
    await waitUntil(() => store.has('default/b'), 'the live change');

    const onServer = server.list(Pod, 'default') as KubernetesObject[];
    expect(onServer.map((p) => [p.metadata.name, hasManagedFields(p)])).toEqual([['a', true], ['b', true]]);
    expect([...store.values()].map((p) => [p.metadata.name, hasManagedFields(p), p.metadata.resourceVersion])).toEqual(
      onServer.map((p) => [p.metadata.name, false, p.metadata.resourceVersion]),
    );
    const objects = events.flatMap((e) => (e.type === 'BOOKMARK' ? [] : [e.object]));
    expect(objects.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(objects.some(hasManagedFields)).toBe(false);
  });
});

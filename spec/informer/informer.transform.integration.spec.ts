/**
 * `transform: stripManagedFields` over real loopback HTTP against the FakeApiServer (issue #14): the objects the
 * server stores and sends carry `metadata.managedFields` (written through the API, as kubectl or a controller
 * would), the informer's store and events hold none.
 */
import { describe, expect, it } from '@jest/globals';
import { firstValueFrom, type Subscription } from 'rxjs';
import { stripManagedFields } from '../../lib/informer/index.js';
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import { testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { podsOnFakeServer } from './pods-on-fake-server.js';
import { waitUntil } from './wait-until.js';

const { Pod } = testResources;
const env = podsOnFakeServer();

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
const hasManagedFields = (object: KubernetesObject): boolean => 'managedFields' in object.metadata;

describe('informer transform over HTTP', () => {
  it('with stripManagedFields, holds and emits no managedFields while the server objects carry them', async () => {
    await firstValueFrom(env.pods.create$(pod('a')));
    const informer = env.pods.informer({ transform: stripManagedFields, backoff: { initialDelay: 20, maxDelay: 200 } });
    const events: InformerEvent<KubernetesObject>[] = [];
    let store: ReadonlyMap<string, KubernetesObject> = new Map();
    env.track(informer.events$.subscribe((e) => events.push(e)));
    env.track(informer.store$.subscribe((s) => (store = s)));
    await waitUntil(() => store.has('default/a'), 'the initial state');
    await firstValueFrom(env.pods.create$(pod('b'))); // a live ADDED
    await waitUntil(() => store.has('default/b'), 'the live change');

    const onServer = env.server.list(Pod, 'default') as KubernetesObject[];
    expect(onServer.map((p) => [p.metadata.name, hasManagedFields(p)])).toEqual([['a', true], ['b', true]]);
    expect([...store.values()].map((p) => [p.metadata.name, hasManagedFields(p), p.metadata.resourceVersion])).toEqual(
      onServer.map((p) => [p.metadata.name, false, p.metadata.resourceVersion]),
    );
    const objects = events.flatMap((e) => (e.type === 'BOOKMARK' ? [] : [e.object]));
    expect(objects.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(objects.some(hasManagedFields)).toBe(false);
  });
});

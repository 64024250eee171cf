/**
 * Issue #14 over real loopback HTTP against the FakeApiServer: transient failures at start do not switch the
 * informer to list + watch, and (with `decodeErrors: 'skip'`) one object its codec rejects does not keep it from
 * syncing. Real timers with tiny backoffs; every wait is for a condition.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as t from 'io-ts';
import type { Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import type { InformerOptions } from '../../lib/informer/informer.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { KubernetesObject } from '../../lib/watch/codecs.js';
import type { RejectedObject } from '../../lib/watch/rejected-object.js';
import { waitUntil } from './wait-until.js';

const { Pod, ConfigMap } = testResources;

/** ConfigMaps as a typed model that allows only two modes: the server stores any string, the codec rejects others. */
const Settings = defineResource({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
  codec: t.intersection([KubernetesObject, t.type({ data: t.type({ mode: t.keyof({ fast: null, safe: null }) }) })], 'Settings'),
});
type Settings = t.TypeOf<typeof Settings.codec>;
const settings = (name: string, mode: string): { metadata: object; data: object } => ({ metadata: { name, namespace: 'default' }, data: { mode } });

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

  describe.each([
    ['a watch-list', false],
    ['list + watch (WatchList disabled)', true],
  ])("decodeErrors: 'skip' over %s", (_, watchListDisabled) => {
    it('syncs without the object its codec rejects, reports it, and takes its later valid version', async () => {
      server.config.watchListDisabled = watchListDisabled;
      server.create(ConfigMap, settings('a', 'fast'));
      const stored = server.create(ConfigMap, settings('b', 'turbo')) as KubernetesObject;
      const informer = new Api(Settings, { client, namespace: 'default' }).informer(fast);
      let store: ReadonlyMap<string, Settings> = new Map();
      const rejected: RejectedObject[] = [];
      subscriptions.push(informer.store$.subscribe((s) => (store = s)));
      subscriptions.push(informer.rejected$.subscribe((r) => rejected.push(r)));
      await waitUntil(() => store.has('default/a') && informer.state.phase === 'watching', 'sync');
      expect([...store.keys()]).toEqual(['default/a']);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ key: 'default/b', resourceVersion: stored.metadata.resourceVersion, source: watchListDisabled ? 'LIST' : 'ADDED' });
      expect(rejected[0]!.errors.join()).toContain('data.mode');
      expect([...informer.rejected.keys()]).toEqual(['default/b']);

      // A valid version enters the store; an invalid one takes it out again; its deletion changes nothing.
      server.update(ConfigMap, settings('b', 'safe'));
      await waitUntil(() => store.get('default/b')?.data.mode === 'safe', 'valid version');
      expect(informer.rejected.size).toBe(0);
      server.update(ConfigMap, settings('b', 'warp'));
      await waitUntil(() => !store.has('default/b'), 'invalid update left out');
      expect(rejected.map((r) => r.source)).toEqual([watchListDisabled ? 'LIST' : 'ADDED', 'MODIFIED']);
      server.delete(ConfigMap, 'b');
      server.create(ConfigMap, settings('c', 'safe'));
      await waitUntil(() => store.has('default/c'), 'later object');
      expect([...store.keys()].sort()).toEqual(['default/a', 'default/c']);
      expect(rejected.map((r) => r.source)).toEqual([watchListDisabled ? 'LIST' : 'ADDED', 'MODIFIED', 'DELETED']);
      expect(informer.rejected.size).toBe(0);
      // One connection all along: no relist, no loop.
      expect(server.requests.filter((r) => r.path.includes('/configmaps'))).toHaveLength(watchListDisabled ? 3 : 1); // 422 watch-list, LIST, WATCH
      expect(informer.state.phase).toBe('watching');
    });
  });
});

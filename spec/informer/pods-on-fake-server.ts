/**
 * The loopback setup of the informer's integration specs: a FakeApiServer per test (bookmarks every 100 ms), an
 * Api over its Pods in `default` through a real client, and the subscriptions to close after each test.
 */
import { afterEach, beforeEach } from '@jest/globals';
import type { Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';

export interface PodsOnFakeServer {
  readonly server: FakeApiServer;
  readonly pods: Api<KubernetesObject>;
  /** Keeps a subscription to close after the test. */
  track(subscription: Subscription): void;
}

export function podsOnFakeServer(): PodsOnFakeServer {
  let server: FakeApiServer | undefined;
  let pods: Api<KubernetesObject> | undefined;
  const subscriptions: Subscription[] = [];
  beforeEach(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 100 });
    pods = new Api(testResources.Pod, { client: await createClient({ server: server.url }), namespace: 'default' });
  });
  afterEach(async () => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
    await server?.close();
  });
  return {
    get server() {
      return server!;
    },
    get pods() {
      return pods!;
    },
    track: (subscription) => void subscriptions.push(subscription),
  };
}

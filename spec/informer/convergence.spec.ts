/**
 * Randomized convergence: while the FakeApiServer applies random creates, updates and deletes and random faults
 * (dropped connections, expired history, clean ends, 410s, 429s and 500s), the informer's store must equal the
 * server's state once things are quiet, in every run.
 *
 * Parameters (environment): KUBEX_CONVERGENCE_SEED (first seed, default 1), KUBEX_CONVERGENCE_RUNS (default 3),
 * KUBEX_CONVERGENCE_STEPS (per run, default 60). `npm test` runs the short form; `npm run test:convergence` a long one.
 * A failure names its seed, so it can be replayed exactly (the sequence of actions is seeded; socket timing is not).
 */
import { describe, expect, it } from '@jest/globals';
import type { Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';

const FIRST_SEED = Number(process.env['KUBEX_CONVERGENCE_SEED'] ?? 1);
const RUNS = Number(process.env['KUBEX_CONVERGENCE_RUNS'] ?? 3);
const STEPS = Number(process.env['KUBEX_CONVERGENCE_STEPS'] ?? 60);
const { Pod } = testResources;

/** mulberry32: a small, seedable PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `namespace/name@resourceVersion` of every object: equal fingerprints mean equal states. */
const fingerprint = (objects: Iterable<KubernetesObject>): string =>
  [...objects].map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`).sort().join(' ');

async function run(seed: number): Promise<{ actions: Record<string, number>; requests: number }> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const server = await FakeApiServer.start({ bookmarkIntervalMs: 50, historySize: 15 });
  server.create(testResources.Namespace, { metadata: { name: 'team-a' } });
  const client = await createClient({ server: server.url });
  const informer = new Api(Pod, { client, namespace: null }).informer({ timeoutSeconds: 1, backoff: { initialDelay: 5, maxDelay: 50 }, idleTimeout: 2000, initialSyncTimeout: 500, random });
  let store: ReadonlyMap<string, KubernetesObject> = new Map();
  let failure: unknown;
  const subscriptions: Subscription[] = [
    informer.store$.subscribe({ next: (s) => (store = s), error: (e: unknown) => (failure = e) }),
  ];
  const actions: Record<string, number> = {};
  const namespaces = ['default', 'team-a'];
  const podNames = Array.from({ length: 12 }, (_, i) => `p${i}`);
  try {
    for (let step = 0; step < STEPS; step++) {
      const name = pick(podNames);
      const namespace = pick(namespaces);
      const existing = server.get(Pod, name, namespace);
      const roll = random();
      let action: string;
      if (roll < 0.3) {
        action = existing ? 'update' : 'create';
        const object = { metadata: { name, namespace, labels: { step: String(step) } } };
        if (existing) server.update(Pod, object);
        else server.create(Pod, object);
      } else if (roll < 0.5) {
        action = existing ? 'delete' : 'burn';
        if (existing) server.delete(Pod, name, namespace);
        else server.burnRevisions(1 + Math.floor(random() * 3));
      } else if (roll < 0.58) {
        action = 'drop';
        server.dropConnections({ midLine: random() < 0.5 });
      } else if (roll < 0.64) {
        action = 'expire-history';
        server.compact();
      } else if (roll < 0.7) {
        action = 'end';
        server.endWatches();
      } else if (roll < 0.74) {
        action = 'error-410';
        server.injectWatchError({ code: 410, reason: 'Expired', message: 'too old resource version' });
      } else if (roll < 0.78) {
        action = 'http-429';
        server.failNext(1, { type: 'TooManyRequestsText', retryAfterSeconds: 0 });
        server.endWatches();
      } else if (roll < 0.82) {
        action = 'http-500';
        server.failNext(1 + Math.floor(random() * 2), { type: 'InternalError' });
        server.endWatches();
      } else if (roll < 0.86) {
        action = 'stall';
        server.stallWatches();
        await sleep(30);
        server.resumeWatches();
      } else {
        action = 'pause';
      }
      actions[action] = (actions[action] ?? 0) + 1;
      await sleep(Math.floor(random() * 15));
    }
    // Quiet: no more writes or faults. The store must reach the server's state, with the informer watching (it
    // reconnects every second here, so it may be between two requests at any one moment).
    const deadline = Date.now() + 15_000;
    while (fingerprint(store.values()) !== fingerprint(server.list(Pod) as KubernetesObject[]) || informer.state.phase !== 'watching') {
      if (failure !== undefined) throw failure;
      if (Date.now() > deadline) {
        throw new Error(`seed ${seed}: store did not converge\n store:  ${fingerprint(store.values())}\n server: ${fingerprint(server.list(Pod) as KubernetesObject[])}\n state: ${JSON.stringify(informer.state)}`);
      }
      await sleep(10);
    }
    return { actions, requests: server.requests.length };
  } finally {
    for (const s of subscriptions) s.unsubscribe();
    await server.close();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('informer convergence under random writes and faults', () => {
  const seeds = Array.from({ length: RUNS }, (_, i) => FIRST_SEED + i);
  it.each(seeds)('seed %i: the store equals the server once quiet', async (seed) => {
    const { actions, requests } = await run(seed);
    // The run must have exercised faults, not just writes.
    expect(Object.keys(actions).filter((a) => !['create', 'update', 'delete', 'burn', 'pause'].includes(a)).length).toBeGreaterThan(2);
    expect(requests).toBeGreaterThan(1);
  }, 60_000);
});

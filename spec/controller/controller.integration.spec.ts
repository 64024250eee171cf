/**
 * The Controller over real loopback HTTP against the FakeApiServer: a ConfigMap (label role=primary) is the
 * primary; its reconcile creates a Secret it owns (controller ownerReference) through the API; a change to that
 * Secret reconciles its owner; a ConfigMap of settings (role=settings) is watched through a mapper. Unsubscribing
 * drains, then every watch closes on the server's side.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom, type Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { Controller, type ControllerResult } from '../../lib/controller/index.js';
import { NotFoundError } from '../../lib/errors/status-error.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { waitUntil } from '../informer/wait-until.js';

const { ConfigMap, Secret } = testResources;

let server: FakeApiServer;
let configMaps: Api<KubernetesObject>;
let secrets: Api<KubernetesObject>;
let subscription: Subscription | undefined;

beforeEach(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 100 });
  const client = await createClient({ server: server.url });
  configMaps = new Api(ConfigMap, { client, namespace: 'default' });
  secrets = new Api(Secret, { client, namespace: 'default' });
});
afterEach(async () => {
  subscription?.unsubscribe();
  await server.close();
});

/** The reconcile: ensure a Secret `<name>-child` controlled by the ConfigMap exists (create it through the API). */
async function ensureChild(cm: KubernetesObject, signal: AbortSignal): Promise<void> {
  const name = `${cm.metadata.name}-child`;
  try {
    await firstValueFrom(secrets.get$(name));
    return;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  if (signal.aborted) return;
  const ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: cm.metadata.name, uid: cm.metadata.uid, controller: true, blockOwnerDeletion: true }];
  await firstValueFrom(secrets.create$({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', ownerReferences }, data: { v: 'MQ==' } } as KubernetesObject));
}

describe('Controller over HTTP', () => {
  it('reconciles the primary, creates an owned child, reconciles the owner when the child or a watched object changes, and closes every watch on unsubscribe', async () => {
    server.create(ConfigMap, { metadata: { name: 'app', namespace: 'default', labels: { role: 'primary' } }, data: { v: '1' } });
    server.create(ConfigMap, { metadata: { name: 'settings', namespace: 'default', labels: { role: 'settings' } }, data: { level: 'info' } });
    const runs: string[] = []; // key:version of the ConfigMap data seen
    const results: ControllerResult[] = [];
    const controller = new Controller(configMaps, { labelSelector: 'role=primary', concurrency: 2 })
      .owns(secrets)
      .watches(configMaps, (cm) => (cm.metadata.name === 'settings' ? ['default/app'] : []), { labelSelector: 'role=settings' });
    subscription = controller
      .run(async (cm, { key, signal }) => {
        runs.push(`${key}:${(cm as { data?: Record<string, string> }).data?.['v']}`);
        await ensureChild(cm, signal);
      })
      .subscribe((r) => results.push(r));

    await waitUntil(() => results.some((r) => r.key === 'default/app' && r.outcome === 'success'), 'the first reconcile');
    expect(runs[0]).toBe('default/app:1');
    expect(server.openWatches).toBe(3); // primary, owned, watched
    const child = server.get(Secret, 'app-child', 'default') as KubernetesObject;
    expect(child.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ConfigMap', name: 'app', controller: true })]);
    // The child's creation comes back as a live event of the owned kind: one more run of its owner.
    await waitUntil(() => runs.length >= 2, 'the run triggered by the child creation');

    // A change to the child reconciles its owner.
    const before = runs.length;
    server.update(Secret, { ...child, data: { v: 'Mg==' } });
    await waitUntil(() => runs.length > before, 'the run triggered by a change to the child');
    expect(runs.at(-1)).toBe('default/app:1');

    // A change to the primary: the run sees the new object.
    const primary = server.get(ConfigMap, 'app', 'default') as KubernetesObject;
    server.update(ConfigMap, { ...primary, data: { v: '2' } });
    await waitUntil(() => runs.at(-1) === 'default/app:2', 'the run with the new primary');

    // A change to the watched settings maps to the primary.
    const count = runs.length;
    const settings = server.get(ConfigMap, 'settings', 'default') as KubernetesObject;
    server.update(ConfigMap, { ...settings, data: { level: 'debug' } });
    await waitUntil(() => runs.length > count, 'the run triggered by the watched settings');
    expect(results.every((r) => r.key === 'default/app' && r.outcome === 'success')).toBe(true);

    // Unsubscribe: drains (nothing running), then the informers stop and the server sees every watch closed.
    subscription.unsubscribe();
    await waitUntil(() => server.openWatches === 0, 'every watch closed on the server');
    expect(server.watchLog.every((w) => w.closeReason === 'client')).toBe(true);
  });

  it('keeps the watches open while a drained reconcile finishes (its signal aborted), then closes them', async () => {
    server.create(ConfigMap, { metadata: { name: 'app', namespace: 'default', labels: { role: 'primary' } } });
    let signal: AbortSignal | undefined;
    let release: (() => void) | undefined;
    const ended = new Promise<void>((resolve) => (release = resolve));
    subscription = new Controller(configMaps, { labelSelector: 'role=primary' })
      .owns(secrets)
      .run(async (_cm, context) => {
        signal = context.signal;
        await ended; // cleanup that takes a while after the abort
      })
      .subscribe();
    await waitUntil(() => signal !== undefined, 'the reconcile to start');
    subscription.unsubscribe();
    expect(signal?.aborted).toBe(true);
    expect(server.openWatches).toBe(2); // the drain waits for the run; the informers live on meanwhile
    release?.();
    await waitUntil(() => server.openWatches === 0, 'every watch closed once the run ended');
  });
});

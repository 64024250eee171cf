/**
 * The durable checkpoint over real loopback HTTP against the FakeApiServer and a real file (issue #14): an informer
 * runs with `fileCheckpoint`, stops; the cluster changes while it is down; a new informer on the same file restores
 * its state and resumes the watch from the saved resourceVersion (checked on the request the server received), or,
 * when the server's history is gone (compacted), relists and reports what vanished with synthetic DELETED events.
 * Real timers with tiny backoffs; every wait is for a condition.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import { fileCheckpoint } from '../../lib/informer/file-checkpoint.js';
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import type { InformerOptions } from '../../lib/informer/informer.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';
import { waitUntil } from './wait-until.js';

const { Pod } = testResources;

let server: FakeApiServer;
let client: KubeClient;
let dir: string;
let path: string;
const warnings: string[] = [];
const subscriptions: Subscription[] = [];
const informers: { flushCheckpoint(): Promise<void> }[] = [];

beforeEach(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 100 });
  const log = (m: string): void => void m;
  client = await createClient({ server: server.url, logger: { debug: log, info: log, warn: (m) => void warnings.push(m), error: log } });
  dir = await mkdtemp(join(tmpdir(), 'kubex-ckpt-it-'));
  path = join(dir, 'pods.ckpt');
  warnings.length = 0;
});

afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
  // The shutdown saves end before the directory goes.
  await Promise.all(informers.splice(0).map((i) => i.flushCheckpoint().catch(() => undefined)));
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const fast: InformerOptions = { backoff: { initialDelay: 20, maxDelay: 200 }, random: () => 0.5 };

const create = (name: string, labels: Record<string, string> = {}) => server.create(Pod, { metadata: { name, namespace: 'default', labels } });

/** An informer over default's Pods with the checkpoint file; its events (with origin when set) and store. */
function start(options: InformerOptions = {}) {
  const informer = new Api(Pod, { client, namespace: 'default' }).informer({ ...fast, checkpoint: fileCheckpoint(path), ...options });
  const events: (WatchEvent<KubernetesObject> & { origin?: string })[] = [];
  let store: ReadonlyMap<string, KubernetesObject> = new Map();
  const subs = [informer.events$.subscribe((e) => events.push(e)), informer.store$.subscribe((s) => (store = s))];
  subscriptions.push(...subs);
  informers.push(informer);
  return {
    informer,
    events,
    store: () => store,
    stop: async () => {
      for (const s of subs) s.unsubscribe();
      await informer.flushCheckpoint();
    },
  };
}

/** An event in brief: `TYPE name origin`. */
const brief = (e: WatchEvent<KubernetesObject> & { origin?: string }): string =>
  `${e.type} ${e.type === 'BOOKMARK' ? e.object.metadata.resourceVersion : e.object.metadata?.name}${e.origin ? ` ${e.origin}` : ''}`;

/** The resourceVersion the checkpoint file records. */
async function savedResourceVersion(): Promise<string> {
  const text = await readFile(path, 'utf8');
  return (JSON.parse(text.slice(0, text.indexOf('\n'))) as { resourceVersion: string }).resourceVersion;
}

const podRequests = () => server.requests.filter((r) => r.path === '/api/v1/namespaces/default/pods');

/** Runs a first informer to sync on a, b, c, stops it (the shutdown save), and changes the cluster while it is down. */
async function firstRunThenChanges(): Promise<string> {
  create('a');
  create('b');
  create('c');
  const first = start();
  await waitUntil(() => first.store().size === 3 && first.informer.state.phase === 'watching', 'first sync');
  await first.stop();
  const saved = await savedResourceVersion();
  expect(saved).toMatch(/^\d+$/);
  // While the process is down: one change, one deletion, one creation.
  server.update(Pod, { ...server.get(Pod, 'a', 'default')!, metadata: { ...server.get(Pod, 'a', 'default')!.metadata, labels: { changed: 'yes' } } });
  server.delete(Pod, 'b', 'default');
  create('d');
  server.clearRequests();
  return saved;
}

describe('informer checkpoint over HTTP (#14)', () => {
  it('restores after a restart and resumes the watch from the saved resourceVersion: only the changes made while down arrive', async () => {
    const saved = await firstRunThenChanges();
    const second = start();
    await waitUntil(() => second.store().has('default/d') && !second.store().has('default/b'), 'changes while down');
    await waitUntil(() => second.store().get('default/a')?.metadata.labels?.['changed'] === 'yes', 'modification');
    expect(second.events.map(brief)).toEqual([
      'ADDED a restored',
      'ADDED b restored',
      'ADDED c restored',
      `BOOKMARK ${saved} restored`,
      'MODIFIED a live',
      'DELETED b live',
      'ADDED d live',
    ]);
    // One request: a watch from the saved resourceVersion, without sendInitialEvents; no LIST, no watch-list.
    const requests = podRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.query.get('watch')).toBe('true');
    expect(requests[0]!.query.get('resourceVersion')).toBe(saved);
    expect(requests[0]!.query.has('sendInitialEvents')).toBe(false);
    expect(warnings).toEqual([]);
    await second.stop();
    expect(await savedResourceVersion()).not.toBe(saved); // the shutdown save moved on
  });

  it('relists when the server no longer holds the history (410): synthetic DELETED for what was deleted while down', async () => {
    const saved = await firstRunThenChanges();
    server.compact(); // the history after the saved resourceVersion is gone
    const second = start();
    await waitUntil(() => second.store().has('default/d') && !second.store().has('default/b') && second.informer.state.phase === 'watching', 'relist');
    const events = second.events.map(brief);
    expect(events.slice(0, 4)).toEqual(['ADDED a restored', 'ADDED b restored', 'ADDED c restored', `BOOKMARK ${saved} restored`]);
    // The relist: a changed, d new, b vanished (synthetic DELETED), c unchanged (not repeated), then the marker.
    expect(events.slice(4, -1).sort()).toEqual(['ADDED d relist', 'DELETED b relist', 'MODIFIED a relist']);
    expect(events.at(-1)).toMatch(/^BOOKMARK \d+ relist$/);
    expect(second.events.find((e) => e.type === 'DELETED')!.object.metadata?.resourceVersion).toBe(second.events[1]!.object.metadata?.resourceVersion);
    const requests = podRequests();
    expect(requests[0]!.query.get('resourceVersion')).toBe(saved);
    expect(requests[0]!.query.has('sendInitialEvents')).toBe(false);
    expect(requests[1]!.query.get('sendInitialEvents')).toBe('true'); // the relist, as a watch-list
    expect(requests[1]!.query.has('resourceVersion')).toBe(false);
    expect([...second.store().keys()].sort()).toEqual(['default/a', 'default/c', 'default/d']);
  });

  it('ignores a torn checkpoint file with a warning on the client log and syncs from the server', async () => {
    await firstRunThenChanges();
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, Math.floor(text.length * 0.7)));
    const second = start();
    await waitUntil(() => second.store().has('default/d') && second.informer.state.phase === 'watching', 'fresh sync');
    expect(second.events.some((e: InformerEvent<KubernetesObject> | WatchEvent<KubernetesObject>) => 'origin' in e && e.origin === 'restored')).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/informer pods in default: checkpoint .*pods\.ckpt: ignored, checksum mismatch/)]);
    expect(podRequests()[0]!.query.get('sendInitialEvents')).toBe('true');
    expect([...second.store().keys()].sort()).toEqual(['default/a', 'default/c', 'default/d']);
  });

  it('ignores the checkpoint of another informer (another label selector)', async () => {
    await firstRunThenChanges();
    const second = start({ labelSelector: 'changed=yes' });
    await waitUntil(() => second.store().has('default/a') && second.informer.state.phase === 'watching', 'fresh sync');
    expect(second.events.map(brief)).toEqual(['ADDED a initial', expect.stringMatching(/^BOOKMARK \d+ initial$/)]);
    expect(warnings).toEqual([expect.stringMatching(/ignored, written for another informer \(labelSelector null, expected "changed=yes"\)/)]);
  });
});

/**
 * The API server of the controller phase's latency measurement, in its own process (forked by
 * `controller-phases.ts`), as kube-apiserver is another process than a controller: kubex-rx's `FakeApiServer`
 * (`lib/testing`) on 127.0.0.1, the real protocol (watch-list, bookmarks, resourceVersions, validation), and a writer
 * that updates ConfigMaps through the server's own write path on IPC request.
 *
 * Each write is stamped, just before `server.update()`, with its index and `process.hrtime.bigint()` (CLOCK_MONOTONIC
 * on Linux, one clock for every process: `index.ts` checks it at start) in two annotations. The update then runs the
 * server's whole write path synchronously (strategy, validation, store, resourceVersion, encoding, one `res.write`
 * per open watch), so the measured latency includes all of it.
 */
import { FakeApiServer, testResources } from '../lib/testing/index.js';
import { WRITE_INDEX_KEY, WRITTEN_AT_KEY, type FromApiServer, type ToApiServer } from './controller-protocol.js';

const NAMESPACE = 'default';
/** ~1 KB of data per ConfigMap, a typical small configuration. */
const DATA = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`setting-${i}.conf`, `key-${i}=${'v'.repeat(40)}; enabled=true`]));

const server = await FakeApiServer.start();
let objects = 0;

const send = (message: FromApiServer): void => {
  process.send!(message);
};
const name = (i: number): string => `bench-${String(i).padStart(4, '0')}`;
const configMap = (i: number, index: number, stamp: bigint): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: name(i), namespace: NAMESPACE, labels: { app: 'kubex-bench' }, annotations: { [WRITE_INDEX_KEY]: String(index), [WRITTEN_AT_KEY]: String(stamp) } },
  data: DATA,
});

/** One update of the writes' round robin, stamped last thing before the server's write path. */
function write(index: number): void {
  const object = configMap(index % objects, index, 0n);
  (object['metadata'] as { annotations: Record<string, string> }).annotations[WRITTEN_AT_KEY] = String(process.hrtime.bigint());
  server.update(testResources.ConfigMap, object);
}

async function writes(burst: number, n: number, intervalMs: number): Promise<void> {
  for (let index = 0; index < burst; index++) {
    write(index);
    // Let the sockets drain now and then, as a busy API server's event loop would.
    if (index % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
  }
  const pacedFrom = process.hrtime.bigint();
  for (let index = burst; index < burst + n; index++) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    write(index);
  }
  send({ kind: 'written', writes: burst + n, pacedSeconds: Number(process.hrtime.bigint() - pacedFrom) / 1e9 });
}

process.on('message', (message: ToApiServer) => {
  switch (message.kind) {
    case 'seed':
      for (let i = objects; i < message.objects; i++) server.create(testResources.ConfigMap, configMap(i, -1, 0n));
      objects = Math.max(objects, message.objects);
      send({ kind: 'seeded' });
      return;
    case 'write':
      writes(message.burst, message.n, message.intervalMs).catch((error: unknown) => {
        console.error('bench controller api server:', error);
        process.exit(1);
      });
      return;
  }
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
send({ kind: 'listening', url: server.url });

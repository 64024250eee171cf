/**
 * One-off measurement of the reconcile queue (not a test: speed is never asserted in a spec). Run:
 *   npx esbuild spec/controller/queue.measure.ts --bundle --platform=node --format=esm --outfile=/tmp/queue-measure.mjs \
 *     && node --expose-gc /tmp/queue-measure.mjs
 * Prints runs per second for 10,000 keys with a no-op worker (synchronous and async), and heap bytes per queued key.
 */
import { Subject } from 'rxjs';
import { reconcileQueue, type KeyTrigger, type ReconcileWorker } from '../../lib/controller/index.js';

const N = 10_000;
const keys = Array.from({ length: N }, (_, i) => `namespace-${i % 100}/object-${i}`);

/** Queues `count` keys behind a closed gate, opens it, and resolves with the runs per second until the last result. */
function drainRate(worker: ReconcileWorker, concurrency: number, count = N): Promise<number> {
  return new Promise((resolve) => {
    const input = new Subject<KeyTrigger>();
    const ready = new Subject<void>();
    let results = 0;
    let started = 0;
    const subscription = input.pipe(reconcileQueue(worker, { ready, concurrency })).subscribe(() => {
      results += 1;
      if (results === count) {
        const seconds = (performance.now() - started) / 1000;
        queueMicrotask(() => subscription.unsubscribe());
        resolve(count / seconds);
      }
    });
    for (let i = 0; i < count; i++) input.next({ key: keys[i % N]! });
    started = performance.now();
    ready.next();
  });
}

/** Triggers per second into an open queue whose worker is synchronous (each trigger runs at once). */
function liveRate(count = N): number {
  const input = new Subject<KeyTrigger>();
  const subscription = input.pipe(reconcileQueue(() => undefined)).subscribe();
  const started = performance.now();
  for (let i = 0; i < count; i++) input.next({ key: keys[i % N]! });
  const seconds = (performance.now() - started) / 1000;
  subscription.unsubscribe();
  return count / seconds;
}

/** Heap bytes per key held by a queue (gate closed), for keys ready now or delayed. */
function bytesPerKey(count: number, after: number): number {
  const ids = Array.from({ length: count }, (_, i) => `namespace-${i % 100}/object-${i}`);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run node with --expose-gc');
  const input = new Subject<KeyTrigger>();
  const ready = new Subject<void>();
  const subscription = input.pipe(reconcileQueue(() => undefined, { ready })).subscribe();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (const key of ids) input.next(after > 0 ? { key, after } : { key });
  gc();
  const used = process.memoryUsage().heapUsed - before;
  subscription.unsubscribe();
  return used / count;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const best = async (f: () => Promise<number> | number, times = 5): Promise<number> => {
  let top = 0;
  for (let i = 0; i < times; i++) top = Math.max(top, await f());
  return top;
};

const noop: ReconcileWorker = () => undefined;
const asyncNoop: ReconcileWorker = async () => undefined;
console.log(`node ${process.version}, ${N} keys, best of 5`);
console.log(`sync no-op worker, concurrency 1:   ${fmt(await best(() => drainRate(noop, 1)))} runs/s`);
console.log(`async no-op worker, concurrency 1:  ${fmt(await best(() => drainRate(asyncNoop, 1)))} runs/s`);
console.log(`async no-op worker, concurrency 16: ${fmt(await best(() => drainRate(asyncNoop, 16)))} runs/s`);
const readsSignal: ReconcileWorker = async ({ signal }) => void signal.aborted;
console.log(`async worker reading its signal, concurrency 1: ${fmt(await best(() => drainRate(readsSignal, 1)))} runs/s`);
console.log(`live triggers, sync no-op worker:   ${fmt(await best(() => liveRate()))} triggers (= runs)/s`);
for (const count of [10_000, 100_000]) {
  console.log(`${fmt(count)} keys waiting (ready): ${bytesPerKey(count, 0).toFixed(0)} B/key; delayed (after 60 s): ${bytesPerKey(count, 60_000).toFixed(0)} B/key`);
}

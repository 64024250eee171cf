/**
 * One process of the controller phase's queue measurements (forked by `controller-phases.ts` with `--expose-gc`):
 * runs one {@link QueueChildSpec} (from `BENCH_CONTROLLER_CHILD`), sends one {@link QueueChildResult}, exits.
 *
 * - `rate`: `keys` distinct keys triggered behind the closed gate, as at a controller's start while its informers
 *   sync, then the gate opens; runs per second from the first trigger to the last run's result (so enqueue,
 *   dedup lookup, dequeue, the run, and its result record), and the CPU time of the process over the same span per
 *   run (less sensitive than wall time to the other jobs of a shared machine). `reconcileQueue` and the bare floor
 *   (`controller-baseline.ts`) alternate in one warm process, the order rotating every round. No forced GC between
 *   measurements: `gc()` leaves V8's young generation at its smallest, and the next 10k runs then paid 2-3x the CPU
 *   per run in scavenges (measured: reconcileQueue 8-12 µs per run against 2.3-6 µs without), a cost a controller
 *   that has been running for a while does not have.
 * - `memory`: the live heap that `keys` waiting keys hold (gate closed so they stay queued): after two forced GCs,
 *   minus the same before subscribing. The key strings and trigger objects are built before the first reading (the
 *   keys belong to the informer's objects; a queue holds references to them), and the same code runs once on other
 *   keys first, so that compiled code and feedback vectors are not counted.
 */
import { Subject, type Subscription } from 'rxjs';
import { reconcileQueue, type KeyTrigger, type ReconcileWorker } from '../lib/controller/index.js';
import { BareQueue, type BareContext } from './controller-baseline.js';
import type { NoopWorker, QueueChildResult, QueueChildSpec, QueueImpl, RateVariant } from './controller-protocol.js';

const spec = JSON.parse(process.env['BENCH_CONTROLLER_CHILD'] ?? 'null') as QueueChildSpec;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench controller child: run with --expose-gc');
const fullGc = (): void => {
  gc();
  gc();
};

/** The no-op reconciles. Both queues call the same functions; `promise` returns a new resolved Promise each run. */
const WORKERS: Record<NoopWorker, (context: BareContext) => undefined | Promise<undefined>> = {
  sync: () => undefined,
  promise: async () => undefined,
};

const keysOf = (count: number, prefix: string): KeyTrigger[] =>
  Array.from({ length: count }, (_, i) => ({ key: `${prefix}-${String(i % 100).padStart(2, '0')}/object-${i}` }));

/** Triggers every key behind the closed gate, opens it, and resolves with runs per second at the last result. */
/** One measurement: runs per second (wall clock) and CPU µs per run (user + system time of this process). */
interface Sample {
  readonly perSecond: number;
  readonly cpuUsPerRun: number;
}

function rate(impl: QueueImpl, variant: RateVariant, triggers: readonly KeyTrigger[]): Promise<Sample> {
  const worker = WORKERS[variant.worker];
  const count = triggers.length;
  return new Promise((resolve, reject) => {
    let results = 0;
    let started = 0;
    let cpu = process.cpuUsage();
    // A queue that lost a run would never get there: fail the measurement instead of hanging the bench.
    const watchdog = setTimeout(() => reject(new Error(`${impl}: ${results} of ${count} runs after 60 s`)), 60_000);
    const done = (): void => {
      clearTimeout(watchdog);
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpu);
      resolve({ perSecond: count / (elapsed / 1000), cpuUsPerRun: (used.user + used.system) / count });
    };
    if (impl === 'bare') {
      const queue = new BareQueue(worker, variant.concurrency, () => {
        if (++results === count) done();
      });
      cpu = process.cpuUsage();
      started = performance.now();
      for (const trigger of triggers) queue.trigger(trigger.key);
      queue.open();
      return;
    }
    const input = new Subject<KeyTrigger>();
    const ready = new Subject<void>();
    let subscription: Subscription | undefined;
    let finished = false;
    subscription = input.pipe(reconcileQueue(worker as ReconcileWorker, { ready, concurrency: variant.concurrency })).subscribe({
      next: () => {
        if (++results !== count) return;
        done();
        finished = true;
        subscription?.unsubscribe();
      },
      error: reject,
    });
    cpu = process.cpuUsage();
    started = performance.now();
    for (const trigger of triggers) input.next(trigger);
    ready.next();
    if (finished) subscription.unsubscribe(); // a synchronous worker finished inside ready.next()
  });
}

async function rates(s: Extract<QueueChildSpec, { mode: 'rate' }>): Promise<QueueChildResult> {
  const triggers = keysOf(s.keys, 'namespace');
  const out = s.variants.map(() => ({ queue: [] as number[], bare: [] as number[], queueCpu: [] as number[], bareCpu: [] as number[] }));
  for (let round = 0; round < s.warmupRounds + s.rounds; round++) {
    for (let v = 0; v < s.variants.length; v++) {
      const order: QueueImpl[] = (round + v) % 2 === 0 ? ['queue', 'bare'] : ['bare', 'queue'];
      for (const impl of order) {
        const sample = await rate(impl, s.variants[v]!, triggers);
        if (round < s.warmupRounds) continue;
        out[v]![impl].push(sample.perSecond);
        out[v]![impl === 'queue' ? 'queueCpu' : 'bareCpu'].push(sample.cpuUsPerRun);
      }
    }
  }
  return { mode: 'rate', ok: true, rates: out };
}

/** Queues the triggers behind a gate that never opens; returns the subscription (or bare queue) holding them. */
function hold(impl: QueueImpl, triggers: readonly KeyTrigger[], after: number): { release(): void } {
  if (impl === 'bare') {
    const queue = new BareQueue(WORKERS.sync, 1, () => undefined);
    for (const trigger of triggers) queue.trigger(trigger.key);
    return { release: () => void queue };
  }
  const input = new Subject<KeyTrigger>();
  const subscription = input.pipe(reconcileQueue(WORKERS.sync as ReconcileWorker, { ready: new Subject<void>() })).subscribe();
  for (const trigger of triggers) input.next(after > 0 ? { key: trigger.key, after } : trigger);
  return { release: () => subscription.unsubscribe() };
}

function memory(s: Extract<QueueChildSpec, { mode: 'memory' }>): QueueChildResult {
  hold(s.impl, keysOf(1000, 'warmup'), s.after).release();
  const triggers = keysOf(s.keys, 'namespace');
  fullGc();
  const before = process.memoryUsage().heapUsed;
  const held = hold(s.impl, triggers, s.after);
  fullGc();
  const heapBytes = process.memoryUsage().heapUsed - before;
  held.release();
  return { mode: 'memory', ok: true, heapBytes, keys: triggers.length };
}

async function main(): Promise<QueueChildResult> {
  return spec.mode === 'rate' ? rates(spec) : memory(spec);
}

main().then(finish, (error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  finish(spec.mode === 'rate' ? { mode: 'rate', ok: false, error: message, rates: [] } : { mode: 'memory', ok: false, error: message, heapBytes: Number.NaN, keys: 0 });
});

function finish(result: QueueChildResult): void {
  process.send!(result, () => process.exit(0));
}

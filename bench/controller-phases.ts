/**
 * Phase 7 of the benchmark (orchestrator side): the reconcile runtime of `lib/controller/` (issue #15). The
 * measurements run in child processes: `controller-queue-child.ts` (queue throughput and memory, forked with
 * `--expose-gc`), and `controller-latency-child.ts` against `controller-api-server.ts` (a FakeApiServer in its own
 * process) for the latency.
 *
 * 1. Reconciles per second: `keys` (10,000) distinct keys triggered behind the closed gate, then the gate opens;
 *    runs per second from the first trigger to the last run's result. A no-op reconcile, synchronous (`sync`: returns
 *    `undefined`) and asynchronous (`promise`: an `async` function that does nothing, so the queue waits on a
 *    resolved Promise), at concurrency 1 (controller-runtime's default `MaxConcurrentReconciles`) and 4.
 *    `reconcileQueue` alternates with the bare floor (`controller-baseline.ts`: client-go's FIFO + dirty +
 *    processing, a concurrency limit, a gate and a result record per run, nothing else) in one warm process; the
 *    ratio is the median of the per-round ratios (each against the floor of the same round).
 * 2. Queue memory per key: the live heap that `keys` waiting keys hold (gate closed, so they stay queued; after two
 *    forced GCs, minus the same before), divided by the keys, at 10,000 and 100,000: keys ready to run, keys delayed
 *    (`after: 60_000`, in the due heap), and the bare floor. One process per figure. Key strings not included.
 * 3. Event to reconcile start: the writer process stamps each ConfigMap update with `process.hrtime.bigint()` just
 *    before `FakeApiServer.update()`; paced writes (one every `intervalMs`) after a burst at full speed and
 *    `warmup` paced ones, none of those counted. Three sinks, each a layer more than the last: a bare `watch$`, an
 *    informer's `events$`, and a `Controller`'s reconcile function (its first line). Alternated runs, pooled.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromApiServer, FromLatencyChild, LatencyChildSpec, LatencyContender, QueueChildResult, QueueChildSpec, RateSamples, RateVariant, ToApiServer } from './controller-protocol.js';
import { fixed, median, percentile, table, thousands } from './stats.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** How much the phase measures (see `bench/index.ts` for the environment variables that set it). */
export interface ControllerConfig {
  readonly keys: number;
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly memoryKeys: readonly number[];
  readonly latency: {
    readonly objects: number;
    readonly burst: number;
    /** Paced writes per run, the first `warmup` of them not counted. */
    readonly events: number;
    readonly warmup: number;
    readonly intervalMs: number;
    /** Runs per contender, alternated. */
    readonly rounds: number;
  };
}

export const RATE_VARIANTS: readonly RateVariant[] = [
  { worker: 'sync', concurrency: 1 },
  { worker: 'sync', concurrency: 4 },
  { worker: 'promise', concurrency: 1 },
  { worker: 'promise', concurrency: 4 },
];
const LATENCY_CONTENDERS: readonly LatencyContender[] = ['watch', 'informer', 'controller'];
const MEMORY_ROWS = [
  { impl: 'queue', after: 0, label: 'reconcileQueue, keys ready to run' },
  { impl: 'queue', after: 60_000, label: 'reconcileQueue, keys delayed (`after: 60_000`)' },
  { impl: 'bare', after: 0, label: 'bare floor (Map + array FIFO)' },
] as const;

export interface ControllerFigures {
  readonly config: ControllerConfig;
  /** Per variant: runs/s and CPU µs per run of each queue per counted round. */
  readonly rates: readonly RateSamples[];
  /** Per memory row, per key count: bytes per key. */
  readonly memory: readonly (readonly number[])[];
  readonly latency: ReadonlyMap<LatencyContender, { latenciesUs: number[]; missing: number }>;
  readonly failures: readonly string[];
}

export async function controllerPhase(log: (line: string) => void, config: ControllerConfig): Promise<ControllerFigures> {
  const failures: string[] = [];
  const fail = (what: string, error: string | undefined): void => {
    failures.push(`${what}: ${error ?? 'failed'}`);
    log(`  ! controller ${what}: ${error ?? 'failed'}`);
  };
  log(`\n7. controller: reconciles/s of ${thousands(config.keys)} keys (${config.rounds} rounds), queue memory per key, event -> reconcile latency`);

  let since = Date.now();
  const took = (): string => {
    const seconds = (Date.now() - since) / 1000;
    since = Date.now();
    return `${fixed(seconds, 1)} s`;
  };

  // 1. Throughput, reconcileQueue and the bare floor alternated in one process.
  const rate = await runQueueChild({ mode: 'rate', keys: config.keys, rounds: config.rounds, warmupRounds: config.warmupRounds, variants: RATE_VARIANTS });
  const rates = rate.mode === 'rate' && rate.ok ? rate.rates : RATE_VARIANTS.map((): RateSamples => ({ queue: [], bare: [], queueCpu: [], bareCpu: [] }));
  if (!rate.ok) fail('rate', rate.error);
  log(`  reconciles/s (${took()}):`);
  RATE_VARIANTS.forEach((variant, i) => {
    const r = rates[i]!;
    log(
      `    ${variant.worker} reconcile, concurrency ${variant.concurrency}: reconcileQueue ${thousands(median(r.queue))}/s (${fixed(median(r.queueCpu), 2)} µs CPU/run), ` +
        `bare ${thousands(median(r.bare))}/s (${fixed(median(r.bareCpu), 2)} µs), ${fixed(median(ratios(r)), 2)}x (CPU ${fixed(median(cpuRatios(r)), 2)}x)`,
    );
  });

  // 2. Memory per waiting key, one process per figure.
  const memory: number[][] = [];
  for (const row of MEMORY_ROWS) {
    const perKey: number[] = [];
    for (const keys of config.memoryKeys) {
      const result = await runQueueChild({ mode: 'memory', impl: row.impl, keys, after: row.after });
      if (!result.ok || result.mode !== 'memory') fail(`memory ${row.impl} ${keys}`, result.error);
      perKey.push(result.mode === 'memory' && result.ok ? result.heapBytes / result.keys : Number.NaN);
    }
    memory.push(perKey);
    log(`  memory, ${row.label}: ${perKey.map((b, i) => `${fixed(b, 0)} B/key at ${thousands(config.memoryKeys[i]!)}`).join(', ')}`);
  }

  log(`  (memory: ${took()})`);

  // 3. Latency, against one API server process for every run.
  const latency = new Map<LatencyContender, { latenciesUs: number[]; missing: number }>(LATENCY_CONTENDERS.map((c) => [c, { latenciesUs: [], missing: 0 }]));
  const server = new ApiServerProcess();
  try {
    const url = await server.start();
    await server.ask({ kind: 'seed', objects: config.latency.objects }, 'seeded');
    for (let round = 0; round < config.latency.rounds; round++) {
      const order = round % 2 === 0 ? LATENCY_CONTENDERS : [...LATENCY_CONTENDERS].reverse();
      for (const contender of order) {
        const result = await latencyRun(server, url, contender, config.latency);
        if (!result.ok) fail(`latency ${contender}`, result.error);
        const pooled = latency.get(contender)!;
        pooled.latenciesUs.push(...result.latenciesUs);
        pooled.missing += result.missing;
      }
    }
  } catch (error) {
    // The API server process did not start or died: report it with the figures measured so far.
    fail('latency', error instanceof Error ? error.message : String(error));
  } finally {
    server.stop();
  }
  log(`  latency (${took()}):`);
  for (const [contender, { latenciesUs, missing }] of latency) {
    const at = (p: number): string => fixed(percentile(latenciesUs, p) / 1000, 3);
    log(`    ${contender}: p50 ${at(50)} ms, p90 ${at(90)}, p99 ${at(99)}, max ${at(100)} ms; ${latenciesUs.length} writes${missing > 0 ? `, ${missing} missing` : ''}`);
  }
  return { config, rates, memory, latency, failures };
}

/** Per round: reconcileQueue's runs/s over the floor's (below 1: slower). */
function ratios(r: RateSamples): number[] {
  return r.queue.map((q, i) => q / r.bare[i]!);
}

/** Per round: the floor's CPU per run over reconcileQueue's (below 1: reconcileQueue costs more CPU per run). */
function cpuRatios(r: RateSamples): number[] {
  return r.queueCpu.map((q, i) => r.bareCpu[i]! / q);
}

// ---------------------------------------------------------------------------------------------------- processes

function forkChild(file: string, spec: QueueChildSpec | LatencyChildSpec): ChildProcess {
  const execArgv = ['--expose-gc', ...(process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [])];
  return fork(resolve(HERE, file), [], { env: { ...process.env, BENCH_CONTROLLER_CHILD: JSON.stringify(spec) }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function runQueueChild(spec: QueueChildSpec): Promise<QueueChildResult> {
  return new Promise((done) => {
    const child = forkChild('controller-queue-child.js', spec);
    let result: QueueChildResult | undefined;
    child.on('message', (message: QueueChildResult) => (result = message));
    child.on('exit', (code) => done(result ?? (spec.mode === 'rate' ? { mode: 'rate', ok: false, error: `exited with ${String(code)}`, rates: [] } : { mode: 'memory', ok: false, error: `exited with ${String(code)}`, heapBytes: Number.NaN, keys: 0 })));
  });
}

/** One latency run: the child syncs, the writer writes, the child reports what reached its sink. */
async function latencyRun(server: ApiServerProcess, url: string, contender: LatencyContender, config: ControllerConfig['latency']): Promise<Extract<FromLatencyChild, { kind: 'result' }>> {
  const last = config.burst + config.events - 1;
  const timeoutMs = 30_000 + config.events * config.intervalMs * 3;
  const child = forkChild('controller-latency-child.js', { contender, server: url, objects: config.objects, last, skip: config.burst + config.warmup, timeoutMs });
  const result = new Promise<Extract<FromLatencyChild, { kind: 'result' }>>((done) => {
    let reply: Extract<FromLatencyChild, { kind: 'result' }> | undefined;
    child.on('message', (message: FromLatencyChild) => {
      if (message.kind === 'result') reply = message;
      // If the writer dies, the child times out and reports it: nothing to do here.
      else server.ask({ kind: 'write', burst: config.burst, n: config.events, intervalMs: config.intervalMs }, 'written').catch(() => undefined);
    });
    child.on('exit', (code) => done(reply ?? { kind: 'result', ok: false, error: `exited with ${String(code)} without a result`, latenciesUs: [], missing: 0 }));
  });
  return result;
}

/** The FakeApiServer process, with a typed request/response over its IPC channel (one request at a time). */
class ApiServerProcess {
  readonly #process = fork(resolve(HERE, 'controller-api-server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

  async start(): Promise<string> {
    return (await this.#next('listening')).url;
  }

  ask<K extends FromApiServer['kind']>(message: ToApiServer, kind: K): Promise<Extract<FromApiServer, { kind: K }>> {
    const reply = this.#next(kind);
    this.#process.send(message);
    return reply;
  }

  stop(): void {
    if (this.#process.connected) this.#process.disconnect();
  }

  #next<K extends FromApiServer['kind']>(kind: K): Promise<Extract<FromApiServer, { kind: K }>> {
    return new Promise((done, reject) => {
      const onMessage = (message: FromApiServer): void => {
        if (message.kind !== kind) return;
        this.#process.off('message', onMessage);
        this.#process.off('exit', onExit);
        done(message as Extract<FromApiServer, { kind: K }>);
      };
      const onExit = (code: number | null): void => reject(new Error(`bench controller API server exited (${String(code)})`));
      this.#process.on('message', onMessage);
      this.#process.on('exit', onExit);
    });
  }
}

// ---------------------------------------------------------------------------------------------------- report

const WORKER_LABELS = { sync: 'no-op, synchronous', promise: 'no-op, resolved Promise (`async`)' } as const;
const SINK_LABELS: Record<LatencyContender, string> = {
  watch: '`watch$` subscriber (the floor of this path)',
  informer: 'informer `events$` subscriber',
  controller: '`Controller` reconcile start',
};

export function renderController(figures: ControllerFigures): string[] {
  const { config } = figures;
  const rateRows = RATE_VARIANTS.map((variant, i) => {
    const r = figures.rates[i]!;
    return [
      WORKER_LABELS[variant.worker],
      String(variant.concurrency),
      thousands(median(r.queue)),
      thousands(median(r.bare)),
      `${fixed(median(ratios(r)), 2)}x`,
      fixed(median(r.queueCpu), 2),
      fixed(median(r.bareCpu), 2),
      `${fixed(median(cpuRatios(r)), 2)}x`,
    ];
  });
  const memoryHeader = ['waiting keys', ...config.memoryKeys.map((k) => `B/key at ${thousands(k)}`), 'x floor'];
  const floor = figures.memory[MEMORY_ROWS.length - 1] ?? [];
  const memoryRows = MEMORY_ROWS.map((row, i) => {
    const perKey = figures.memory[i] ?? [];
    return [row.label, ...perKey.map((b) => fixed(b, 0)), row.impl === 'bare' ? '' : perKey.map((b, j) => `${fixed(b / floor[j]!, 1)}x`).join(' / ')];
  });
  const watchP50 = percentile(figures.latency.get('watch')?.latenciesUs ?? [], 50);
  const latencyRows = LATENCY_CONTENDERS.map((contender) => {
    const { latenciesUs, missing } = figures.latency.get(contender)!;
    const at = (p: number): string => fixed(percentile(latenciesUs, p) / 1000, 3);
    const p50 = percentile(latenciesUs, 50);
    return [
      SINK_LABELS[contender],
      at(50),
      at(90),
      at(99),
      at(100),
      contender === 'watch' ? '' : `${p50 >= watchP50 ? '+' : ''}${fixed((p50 - watchP50) / 1000, 3)}`,
      String(latenciesUs.length),
      String(missing),
    ];
  });
  const l = config.latency;
  return [
    `Controller (\`lib/controller\`, issue #15): reconciles per second, ${thousands(config.keys)} distinct keys triggered behind the closed gate, then the gate opens; time from the first trigger to the last run's result; median of ${config.rounds} rounds (after ${config.warmupRounds} uncounted) in one process, alternated with the bare floor (client-go's FIFO + dirty + processing sets, a concurrency limit and a result record per run, nothing else: \`bench/controller-baseline.ts\`); x floor is the median of per-round ratios; CPU: user + system time of the process over the same span, per run (less sensitive to other load than runs/s):`,
    '',
    table(['reconcile', 'concurrency', 'reconcileQueue runs/s', 'floor runs/s', 'x floor', 'reconcileQueue CPU µs/run', 'floor CPU µs/run', 'x floor (CPU)'], rateRows),
    '',
    'Queue memory per waiting key (live heap after two forced GCs with the keys queued behind the closed gate, minus the same before, divided by the keys; one process per figure; key strings not included):',
    '',
    table(memoryHeader, memoryRows),
    '',
    `Watch event to reconcile start, over loopback HTTP from a FakeApiServer in its own process: ${l.rounds} alternated runs per sink of ${l.events - l.warmup} writes counted, one every ${l.intervalMs} ms, round robin over ${l.objects} ConfigMaps of ~1 KB (after ${thousands(l.burst)} writes at full speed and ${l.warmup} paced, uncounted); from the writer's \`process.hrtime.bigint()\` just before \`FakeApiServer.update()\` (so including the server's write path, encoding, the socket, node-fetch, line splitting, \`JSON.parse\`, the generated ConfigMap codec) to the sink; ms:`,
    '',
    table(['sink', 'p50', 'p90', 'p99', 'max', 'p50 over watch$', 'writes', 'missing'], latencyRows),
    '',
    ...(figures.failures.length > 0 ? ['Controller failures:', ...figures.failures.map((f) => `- ${f}`), ''] : []),
  ];
}

/**
 * # kubex-rx watch benchmark (`npm run bench`)
 *
 * How fast, how lean and how prompt a watch is, next to the raw limit of the machine and to
 * `@kubernetes/client-node`; and what the reconcile runtime (`lib/controller/`) costs, next to a bare work queue.
 * A script, never a test: nothing here asserts speed; targets are reported, not enforced.
 *
 * ## Running
 *
 * ```sh
 * npm run bench                 # full run (~3-4 min on 2 cores), rewrites the results section of BENCHMARKS.md
 * BENCH_QUICK=1 npm run bench   # ~30 s smoke run: fewer events and rounds, prints only
 * BENCH_CODEC=foundation ...    # measure full validation with the foundation KubernetesObject codec
 * BENCH_PROFILE=1 ...           # every contender process writes a V8 CPU profile to bench/.out/profiles/
 * BENCH_PHASES=latency ...      # only these phases (throughput,memory,latency,reconnect,store,sync,controller); prints only
 * BENCH_PHASES=controller ...   # the reconcile queue and the Controller alone (~45 s on 2 cores under load)
 * npm run bench:sync           # the initial sync of 100k Pods alone (BENCH_PHASES=sync BENCH_SYNC_N=100000), ~3 min
 * BENCH_NODE_ARGS=--trace-gc   # extra Node/V8 flags for every contender process (diagnostics)
 * ```
 *
 * `bench/run.mjs` compiles `bench/*.ts` and the parts of `lib/` they import with the repo's tsc into `bench/.out`
 * (dist/ is not touched), then runs the compiled `index.js`. Also: `BENCH_ROUNDS`, `BENCH_N` (events per
 * throughput run), `BENCH_LATENCY_BURST`, `BENCH_LATENCY_EVENTS` and `BENCH_LATENCY_WARMUP` (per latency run), `BENCH_WRITE=0|1`
 * (whether to rewrite BENCHMARKS.md; default: full runs of every phase only); for phase 7 `BENCH_CONTROLLER_KEYS`
 * (default 10,000), `BENCH_CONTROLLER_ROUNDS` (counted rounds of the queue throughput, default 15) and
 * `BENCH_CONTROLLER_EVENTS` (paced writes per latency run, default 1,200, the first 200 uncounted).
 *
 * ## What runs where
 *
 * - `server.ts`, its own process: a `node:http` server on 127.0.0.1 streaming unique, realistic Pods (built from
 *   `vendor/fixtures/pod.json`, with multi-byte characters in an annotation), a BOOKMARK every 1000 events, in
 *   writes of random size (512 B - 64 KiB) that split lines and characters (`events.ts` builds the lines).
 * - `child.ts`, one process per run (forked with `--expose-gc`), loads exactly one contender (`contender-*.ts`):
 *   1. `raw`: `node:http` + split on the newline byte + `JSON.parse`, nothing else: the limit;
 *   2. `kubex-full`: `new Api(Pod, { client }).watch$()` with full io-ts validation (the generated Pod codec of
 *      `lib/k8s/v1_35/core/v1` when it exists, else the foundation `KubernetesObject` codec; `BENCH_CODEC`);
 *   3. `kubex-off`: the same with validation off: a pass-through codec given to `defineResource({ codec })`;
 *   4. `client-node`: `@kubernetes/client-node`'s `Watch`.
 * - Phase 7 (`controller-phases.ts`) has processes of its own: `controller-queue-child.ts` (forked with
 *   `--expose-gc`) for the queue's throughput and memory, next to the bare floor of `controller-baseline.ts`; and for
 *   the latency, `controller-api-server.ts` (kubex-rx's `FakeApiServer`, the real protocol, and a stamping writer)
 *   and `controller-latency-child.ts` (a `watch$`, an informer or a `Controller` over loopback HTTP).
 *
 * ## Phases and figures
 *
 * 1. Throughput: `ROUNDS` rounds, contenders alternated (the order rotates every round), `N` Pods each. Events/s
 *    and MB/s (request sent → last Pod handled), medians over rounds; the ratio to raw is the median of the
 *    per-round ratios (each against the raw run of the same round, which cancels slow drifts in machine load).
 * 2. Memory: one more run per contender at N = 200k. Peak RSS (`maxRSS`) at 20k (median of the throughput
 *    rounds, which run at 20k in a full run) and 200k; live heap after two forced GCs inside the handler of the
 *    last event (the pipeline still up), which must not grow with N; RSS just before the request is sent.
 *    Then the footprint: processes that only import, step by step (Node + `node:http`; + the optimizing compiler
 *    started by a hot loop; + rxjs; + io-ts, fp-ts, node-fetch; + kubex-rx; + the generated core/v1 models),
 *    RSS after each, to tell kubex-rx's own share of "RSS before the first byte" from its dependencies'.
 * 3. Latency: the server sends one event per millisecond, each in its own write and stamped with the send time;
 *    the contender computes receive - send in its event handler (two alternated runs per contender, pooled). Each
 *    run first gets 5k events at full speed, as a watch-list's initial events come, and the first 200 paced ones
 *    are not counted either: the figures are those of a warm process. (At one event per ms, V8 tiers up the ~100
 *    small check functions of a generated codec one by one over the first ~2-5k events, and each concurrent
 *    compile could stall the main thread 1-3 ms on this 2-core machine.) Both read `process.hrtime.bigint()`: on Linux
 *    that is CLOCK_MONOTONIC, one clock for every process of the machine (checked at start against an IPC round
 *    trip). `performance.timeOrigin + performance.now()` is not used: each process samples the wall clock once
 *    at its start, which put from 2 µs up to 0.25 ms of skew between two processes in our runs (the skew is
 *    measured and printed at start), as much as the p50 being measured.
 * 4. Reconnect: the server ends every body ~5 ms after one event; it measures, on its own clock, the time from
 *    ending a body to the next request: kubex `watch$().pipe(reconnectOnTimeout())`, and re-watch loops for raw
 *    and client-node.
 * 5. Store: the live heap a full store holds per Pod (after GC, minus the same before the request), the Pods
 *    decoded as the real path decodes them: kubex's informer (`api.informer()`); `watch$` feeding an `ObjectStore`
 *    (what the informer stores), with and without `stripManagedFields` applied before storing (what the informer's
 *    `transform` option does; the ratio of the two is the cut); and the floor, the raw contender's parsed objects
 *    kept in a `Map`. The figure is per Pod whatever the count (`BENCH_STORE_N`, default 20k).
 * 6. Initial sync (`informer-phases.ts`): kubex's informer (one watch-list request; also with validation off)
 *    next to client-node's (`makeInformer`: a list request, then a watch from the list's resourceVersion) and the
 *    raw floor (the watch-list's lines parsed into a `Map`), on the same server and Pods (the `sync` scenario
 *    answers each request as a real server would). Time and CPU from the informer's start (library loaded, client
 *    built) to its store holding every Pod, peak RSS (`maxRSS`) of the process, heap per Pod of the full store.
 *    `BENCH_SYNC_N` (default 20k, so that the whole run stays near 3 minutes; `npm run bench:sync` runs 100k
 *    alone, the figure of issue #14: ~3 min on 2 cores under load), `BENCH_SYNC_ROUNDS` (default 1).
 *    `BENCH_POD_MANAGED_FIELDS=0` serves every phase Pods without managedFields (5.2 KB instead of 8.9 KB).
 * 7. Controller (`controller-phases.ts`, issue #15), ~45 s:
 *    - reconciles per second: 10,000 distinct keys triggered behind `reconcileQueue`'s closed `ready` gate (as at a
 *      controller's start, while its informers sync), then the gate opens; runs/s from the first trigger to the
 *      last run's result, and CPU µs per run. A no-op reconcile, synchronous and returning a resolved Promise, at
 *      concurrency 1 (controller-runtime's default) and 4. The floor, alternated with it in the same warm process:
 *      `controller-baseline.ts`, client-go's workqueue reduced to its FIFO, dirty and processing sets, with a
 *      concurrency limit, the gate and a result record per run. Ratios are medians of per-round ratios.
 *    - queue memory per key: live heap after two forced GCs with 10,000 and 100,000 keys waiting behind the closed
 *      gate (ready to run, or delayed 60 s), minus the same before, per key; and the floor's. One process each.
 *    - event to reconcile start: a FakeApiServer process updates ConfigMaps, each write stamped with
 *      `process.hrtime.bigint()` just before `update()` (one clock for every process, see 3.); paced writes, one
 *      every 2 ms after a burst and 200 paced ones uncounted; p50/p90/p99/max at three sinks, each a layer more: a
 *      bare `watch$`, an informer's `events$`, and the first line of a `Controller`'s reconcile function (after
 *      informer store, trigger, queue, and the read of the latest object). Two alternated runs per sink, pooled.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_POD_MODULE } from './contender-kubex.js';
import { REPO_ROOT } from '../vendor/index.js';
import { POD_MANAGED_FIELDS, loadTemplate, streamBytes } from './events.js';
import { CONTENDERS, type ContenderName, type FromServer, type RunResult, type RunSpec, type Scenario, type ToServer } from './protocol.js';
import { fixed, mb, median, percentile, table, thousands } from './stats.js';
import { renderStore, renderSync, storePhase, syncPhase, type PhaseContext, type StoreFigures, type SyncFigures } from './informer-phases.js';
import { controllerPhase, renderController, type ControllerConfig, type ControllerFigures } from './controller-phases.js';

const QUICK = process.env['BENCH_QUICK'] === '1';
const CONFIG = {
  rounds: Number(process.env['BENCH_ROUNDS'] ?? (QUICK ? 2 : 5)),
  /** Pods per throughput run; the 20k memory figures come from these runs when N is 20k. */
  n: Number(process.env['BENCH_N'] ?? (QUICK ? 5_000 : 20_000)),
  nSmall: QUICK ? 5_000 : 20_000,
  nLarge: QUICK ? 20_000 : 200_000,
  latencyRounds: 2,
  /** Events sent at full speed before the paced ones: JIT warm-up, as a watch-list's initial events give it. */
  latencyBurst: Number(process.env['BENCH_LATENCY_BURST'] ?? (QUICK ? 2_000 : 5_000)),
  /** Paced events per latency run, the first `latencyWarmup` of them not counted. */
  latencyEvents: Number(process.env['BENCH_LATENCY_EVENTS'] ?? (QUICK ? 350 : 1_200)),
  latencyWarmup: Number(process.env['BENCH_LATENCY_WARMUP'] ?? (QUICK ? 50 : 200)),
  reconnects: QUICK ? 10 : 30,
  /** Pods per store measurement (the figure is per Pod: it does not depend on the count). */
  storePods: Number(process.env['BENCH_STORE_N'] ?? (QUICK ? 5_000 : 20_000)),
  footprintRuns: QUICK ? 1 : 5,
  /** The floor (raw objects in a Map) is per Pod whatever the count: fewer Pods keep the run short. */
  floorPods: Number(process.env['BENCH_STORE_N'] ?? (QUICK ? 5_000 : 20_000)),
  /** Pods of the initial-sync comparison (`BENCH_SYNC_N=100000` for the figure of issue #14; see BENCHMARKS.md). */
  syncPods: Number(process.env['BENCH_SYNC_N'] ?? (QUICK ? 5_000 : 20_000)),
  syncRounds: Number(process.env['BENCH_SYNC_ROUNDS'] ?? 1),
  /** Phase 7 (`controller-phases.ts`): the reconcile queue and the Controller. */
  controller: {
    keys: Number(process.env['BENCH_CONTROLLER_KEYS'] ?? 10_000),
    rounds: Number(process.env['BENCH_CONTROLLER_ROUNDS'] ?? (QUICK ? 5 : 15)),
    /** Uncounted rounds first: V8 needs a few rounds of 10k runs to optimize both queues. */
    warmupRounds: QUICK ? 3 : 5,
    memoryKeys: QUICK ? [10_000] : [10_000, 100_000],
    latency: {
      objects: 100,
      burst: QUICK ? 1_000 : 2_000,
      events: Number(process.env['BENCH_CONTROLLER_EVENTS'] ?? (QUICK ? 400 : 1_200)),
      warmup: QUICK ? 100 : 200,
      intervalMs: 2,
      rounds: 2,
    },
  } satisfies ControllerConfig,
  write: process.env['BENCH_WRITE'] === undefined ? !QUICK : process.env['BENCH_WRITE'] === '1',
  profile: process.env['BENCH_PROFILE'] === '1',
  /** Which phases run (`BENCH_PHASES=latency,reconnect`); a partial run never rewrites BENCHMARKS.md. */
  phases: new Set((process.env['BENCH_PHASES'] ?? 'throughput,memory,latency,reconnect,store,sync,controller').split(',').map((p) => p.trim())),
};
const PHASES = ['throughput', 'memory', 'latency', 'reconnect', 'store', 'sync', 'controller'];
for (const phase of CONFIG.phases) if (!PHASES.includes(phase)) throw new Error(`BENCH_PHASES: unknown phase ${phase} (phases: ${PHASES.join(', ')})`);
if (CONFIG.phases.size < PHASES.length) CONFIG.write = false;
/** Cumulative import steps of the footprint measurement; specifiers resolve from bench/.out/bench/child.js. */
const DEPENDENCIES = ['rxjs', 'io-ts', 'fp-ts/lib/Either.js', 'node-fetch'];
const FOOTPRINT_STEPS: { label: string; imports: string[]; warm?: boolean }[] = [
  { label: 'Node + node:http (the bench harness alone; raw adds nothing to it)', imports: [] },
  { label: '+ V8\'s optimizing compiler started (0.2 s of hot code: any busy process, raw within its first events)', imports: [], warm: true },
  { label: '+ rxjs', imports: ['rxjs'], warm: true },
  { label: '+ io-ts, fp-ts, node-fetch (all of kubex-rx\'s runtime dependencies now, loaded and unused)', imports: DEPENDENCIES, warm: true },
  { label: '+ kubex-rx (`lib/index.js`)', imports: [...DEPENDENCIES, '../lib/index.js'], warm: true },
  { label: '+ the generated models of core/v1 (`lib/k8s/v1_35/core/v1.js`)', imports: [...DEPENDENCIES, '../lib/index.js', '../lib/k8s/v1_35/core/v1.js'], warm: true },
];
const CODEC: RunSpec['codec'] =
  (process.env['BENCH_CODEC'] as RunSpec['codec'] | undefined) ?? (existsSync(fileURLToPath(GENERATED_POD_MODULE)) ? 'generated' : 'foundation');
const LABELS: Record<ContenderName, string> = {
  raw: 'raw limit (node:http + split + JSON.parse)',
  'kubex-full': `kubex-rx watch$, full validation (${CODEC === 'generated' ? 'generated Pod codec' : 'KubernetesObject codec'})`,
  'kubex-off': 'kubex-rx watch$, validation off (pass-through codec)',
  'client-node': '@kubernetes/client-node 1.4.0 Watch',
};
const HERE = fileURLToPath(new URL('.', import.meta.url));
const PROFILE_DIR = resolve(HERE, '../profiles');

const template = loadTemplate();
const log = (line = ''): void => console.log(line);

// ---------------------------------------------------------------------------------------------------- processes

/** The server process and a typed request/response over its IPC channel (one request at a time). */
class ServerProcess {
  readonly #process: ChildProcess;
  port = 0;

  constructor() {
    this.#process = fork(resolve(HERE, 'server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  async start(): Promise<void> {
    this.port = (await this.#next('listening')).port;
  }

  async ask<K extends FromServer['kind']>(message: ToServer, kind: K): Promise<Extract<FromServer, { kind: K }>> {
    const reply = this.#next(kind);
    this.#process.send(message);
    return reply;
  }

  setScenario(scenario: Scenario): Promise<unknown> {
    return this.ask({ kind: 'scenario', scenario }, 'ok');
  }

  stop(): void {
    this.#process.disconnect();
  }

  #next<K extends FromServer['kind']>(kind: K): Promise<Extract<FromServer, { kind: K }>> {
    return new Promise((done, reject) => {
      const onMessage = (message: FromServer): void => {
        if (message.kind !== kind) return;
        this.#process.off('message', onMessage);
        this.#process.off('exit', onExit);
        done(message as Extract<FromServer, { kind: K }>);
      };
      const onExit = (code: number | null): void => reject(new Error(`bench server exited (${String(code)})`));
      this.#process.on('message', onMessage);
      this.#process.on('exit', onExit);
    });
  }
}

/** Runs one contender process to completion and returns what it reported. */
function runChild(spec: Omit<RunSpec, 'server' | 'codec'>, server: ServerProcess): Promise<RunResult> {
  const full: RunSpec = { ...spec, server: `http://127.0.0.1:${server.port}`, codec: CODEC };
  const execArgv = ['--expose-gc', ...(process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [])];
  if (CONFIG.profile) execArgv.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${spec.contender}-${spec.mode}-${Date.now()}.cpuprofile`);
  return new Promise((done) => {
    const child = fork(resolve(HERE, 'child.js'), [], { env: { ...process.env, BENCH_CHILD: JSON.stringify(full) }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: RunResult | undefined;
    child.on('message', (message: RunResult) => (result = message));
    child.on('exit', (code) =>
      done(result ?? { ok: false, error: `process exited with ${String(code)} without a result`, events: 0, bookmarks: 0, elapsedMs: 0, cpuMs: 0, rssBeforeRequest: 0, peakRss: 0, heapAfterGc: 0 }),
    );
  });
}

/** Runs a stream of `n` Pods through a contender; a run that needed more than one request is a failure. */
async function streamRun(server: ServerProcess, contender: ContenderName, n: number, seed: number): Promise<RunResult> {
  await server.setScenario({ mode: 'stream', n, seed, bookmarks: true, ending: 'close' });
  const result = await runChild({ contender, mode: 'stream', n }, server);
  const { requests } = await server.ask({ kind: 'report' }, 'report');
  if (result.ok && requests !== 1) return { ...result, ok: false, error: `made ${requests} requests, expected 1` };
  return result;
}

// ---------------------------------------------------------------------------------------------------- phases

interface Figures {
  eventsPerSecond: number[];
  /** Per round: this contender's events/s over raw's. */
  ratios: number[];
  /** Per round: CPU µs per event of the contender process. */
  cpuPerEvent: number[];
  /** Per round: raw's CPU per event over this contender's. */
  cpuRatios: number[];
  small: RunResult[];
  large?: RunResult;
  latenciesUs: number[];
  reconnectGapsUs?: number[];
  failures: string[];
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loadBefore = loadavg();
  log(`kubex-rx watch benchmark${QUICK ? ' (BENCH_QUICK: smoke run)' : ''}`);
  log(`${machine()}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  log(`Pods: ${(template.eventLine.length / 1024).toFixed(1)} KiB per event line (${template.podBytes} B of Pod JSON, managedFields ${POD_MANAGED_FIELDS ? 'included' : 'removed'}); codec for full validation: ${CODEC}`);
  if (CONFIG.profile) mkdirSync(PROFILE_DIR, { recursive: true });

  const server = new ServerProcess();
  await server.start();
  await checkClock(server);

  const figures = new Map<ContenderName, Figures>(CONTENDERS.map((c) => [c, { eventsPerSecond: [], ratios: [], cpuPerEvent: [], cpuRatios: [], small: [], latenciesUs: [], failures: [] }]));
  const fail = (contender: ContenderName, phase: string, result: RunResult): void => {
    const message = `${phase}: ${result.error ?? 'failed'}`;
    figures.get(contender)!.failures.push(message);
    log(`  ! ${contender} ${message}`);
  };

  // 1. Throughput, alternated, rotating the order each round.
  if (CONFIG.phases.has('throughput')) log(`\n1. throughput: ${CONFIG.rounds} rounds x ${CONTENDERS.length} contenders x ${thousands(CONFIG.n)} Pods (${mb(streamBytes(template, CONFIG.n), 0)} each)`);
  for (let round = 0; CONFIG.phases.has('throughput') && round < CONFIG.rounds; round++) {
    const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length]!);
    const perSecond = new Map<ContenderName, number>();
    const cpu = new Map<ContenderName, number>();
    for (const contender of order) {
      const result = await streamRun(server, contender, CONFIG.n, round + 1);
      if (!result.ok) {
        fail(contender, `round ${round + 1}`, result);
        continue;
      }
      const rate = (CONFIG.n / result.elapsedMs) * 1000;
      perSecond.set(contender, rate);
      cpu.set(contender, (result.cpuMs * 1000) / CONFIG.n);
      figures.get(contender)!.eventsPerSecond.push(rate);
      figures.get(contender)!.cpuPerEvent.push((result.cpuMs * 1000) / CONFIG.n);
      if (CONFIG.n === CONFIG.nSmall) figures.get(contender)!.small.push(result);
    }
    const raw = perSecond.get('raw');
    const rawCpu = cpu.get('raw');
    for (const [contender, rate] of perSecond) {
      if (raw !== undefined) figures.get(contender)!.ratios.push(rate / raw);
      if (rawCpu !== undefined) figures.get(contender)!.cpuRatios.push(rawCpu / cpu.get(contender)!);
    }
    log(`  round ${round + 1}: ${order.map((c) => `${c} ${thousands(perSecond.get(c) ?? Number.NaN)}/s`).join(', ')}`);
  }

  // 2. Memory at 20k (unless the throughput runs were at 20k) and 200k.
  if (CONFIG.phases.has('memory')) log(`\n2. memory: one run per contender at ${CONFIG.n === CONFIG.nSmall ? '' : `${thousands(CONFIG.nSmall)} and `}${thousands(CONFIG.nLarge)} Pods`);
  for (const contender of CONFIG.phases.has('memory') ? CONTENDERS : []) {
    if (CONFIG.n !== CONFIG.nSmall) {
      const result = await streamRun(server, contender, CONFIG.nSmall, 101);
      if (result.ok) figures.get(contender)!.small.push(result);
      else fail(contender, `memory ${thousands(CONFIG.nSmall)}`, result);
    }
    const result = await streamRun(server, contender, CONFIG.nLarge, 102);
    if (result.ok) figures.get(contender)!.large = result;
    else fail(contender, `memory ${thousands(CONFIG.nLarge)}`, result);
    log(`  ${contender}: peak RSS ${mb(result.peakRss)}, heap after GC ${mb(result.heapAfterGc)}, ${thousands((CONFIG.nLarge / result.elapsedMs) * 1000)}/s`);
  }

  // 2b. Footprint: RSS with nothing but the imports, step by step, to tell kubex-rx's own share from its dependencies'.
  const footprints: { label: string; rss: number }[] = [];
  if (CONFIG.phases.has('memory')) {
    log(`\n2b. footprint: RSS after imports only (median of ${CONFIG.footprintRuns} processes each)`);
    for (const step of FOOTPRINT_STEPS) {
      const samples: number[] = [];
      for (let i = 0; i < CONFIG.footprintRuns; i++) {
        const result = await runChild({ contender: 'raw', mode: 'footprint', n: 0, imports: step.imports, warm: step.warm === true }, server);
        if (result.ok) samples.push(result.rssBeforeRequest);
      }
      footprints.push({ label: step.label, rss: median(samples) });
      log(`  ${step.label}: ${mb(median(samples))}`);
    }
  }

  // 3. Latency, one event per ms: two alternated runs per contender, samples pooled.
  if (CONFIG.phases.has('latency')) log(`\n3. latency: ${CONFIG.latencyRounds} alternated runs per contender of ${thousands(CONFIG.latencyBurst)} events at full speed, then ${CONFIG.latencyEvents} at 1/ms (the first ${CONFIG.latencyWarmup} of those ignored)`);
  for (let round = 0; CONFIG.phases.has('latency') && round < CONFIG.latencyRounds; round++) {
    const order = round % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse();
    for (const contender of order) {
      await server.setScenario({ mode: 'latency', n: CONFIG.latencyEvents, intervalMs: 1, burst: CONFIG.latencyBurst });
      const result = await runChild({ contender, mode: 'latency', n: CONFIG.latencyBurst + CONFIG.latencyEvents, warmup: CONFIG.latencyBurst + CONFIG.latencyWarmup }, server);
      if (!result.ok) fail(contender, 'latency', result);
      figures.get(contender)!.latenciesUs.push(...(result.latenciesUs ?? []));
      if (process.env['BENCH_DEBUG']) log(`    ${contender} slow at: ${(result.latenciesUs ?? []).map((us, i) => (us > 1000 ? `${i}:${Math.round(us)}` : '')).filter(Boolean).join(' ')}`);
    }
  }
  for (const contender of CONFIG.phases.has('latency') ? CONTENDERS : []) {
    const samples = figures.get(contender)!.latenciesUs;
    const at = (p: number): string => fixed(percentile(samples, p) / 1000, 3);
    log(`  ${contender}: p50 ${at(50)} ms, p90 ${at(90)}, p95 ${at(95)}, p99 ${at(99)}, p99.9 ${at(99.9)}, max ${at(100)} ms; ${samples.filter((us) => us > 1000).length} of ${samples.length} over 1 ms`);
  }

  // 4. Reconnect: time from the end of a body to the next request.
  if (CONFIG.phases.has('reconnect')) log(`\n4. reconnect: ${CONFIG.reconnects} server closes per contender`);
  for (const contender of CONFIG.phases.has('reconnect') ? (['raw', 'kubex-full', 'client-node'] as const) : []) {
    await server.setScenario({ mode: 'reconnect', holdMs: 5 });
    const result = await runChild({ contender, mode: 'reconnect', n: CONFIG.reconnects + 1 }, server);
    const { reconnectGapsUs } = await server.ask({ kind: 'report' }, 'report');
    if (!result.ok) fail(contender, 'reconnect', result);
    figures.get(contender)!.reconnectGapsUs = reconnectGapsUs;
    log(`  ${contender}: median ${fixed(median(reconnectGapsUs) / 1000, 2)} ms, max ${fixed(Math.max(...reconnectGapsUs) / 1000, 2)} ms`);
  }

  // 5 and 6: store memory per Pod (with and without stripManagedFields), and the initial sync next to client-node's.
  const context: PhaseContext = {
    async run(scenario, spec) {
      await server.setScenario(scenario);
      const result = await runChild(spec, server);
      const { kinds } = await server.ask({ kind: 'report' }, 'report');
      return { result, kinds };
    },
    log,
    fail: (contender, phase, result) => fail(contender, phase, result),
    kubexLabel: LABELS['kubex-full'],
  };
  const store: StoreFigures = CONFIG.phases.has('store') ? await storePhase(context, CONFIG.storePods, CONFIG.floorPods) : { rows: new Map() };
  const sync = CONFIG.phases.has('sync') ? await syncPhase(context, CONFIG.syncPods, CONFIG.syncRounds) : undefined;
  server.stop();

  // 7. The reconcile runtime: its own processes (a FakeApiServer for the latency), not the bench server.
  const controller = CONFIG.phases.has('controller') ? await controllerPhase(log, CONFIG.controller) : undefined;

  const loadAfter = loadavg();
  const report = render(figures, store, sync, controller, footprints, loadBefore, loadAfter, (Date.now() - startedAt) / 1000);
  log(`\n${report}`);
  if (CONFIG.write) {
    writeResults(report);
    log(`\nbench: results written to BENCHMARKS.md`);
  }
}

/**
 * Checks that `process.hrtime` is one clock for this process and the server's (offset within an IPC round trip),
 * and measures the skew `performance.timeOrigin + performance.now()` would have had instead.
 */
async function checkClock(server: ServerProcess): Promise<void> {
  const offsets: number[] = [];
  const wallSkews: number[] = [];
  let rtt = Infinity;
  for (let i = 0; i < 20; i++) {
    const before = process.hrtime.bigint();
    const reply = await server.ask({ kind: 'clock' }, 'clock');
    const after = process.hrtime.bigint();
    const wall = performance.timeOrigin + performance.now();
    const hr = process.hrtime.bigint();
    rtt = Math.min(rtt, Number(after - before));
    offsets.push(Number(BigInt(reply.ns) - (before + after) / 2n));
    // Each side's "wall-ish clock minus monotonic clock", in ms: their difference is a constant skew between them.
    wallSkews.push(reply.wallMs - Number(BigInt(reply.ns)) / 1e6 - (wall - Number(hr) / 1e6));
  }
  const offset = median(offsets);
  const shared = Math.abs(offset) <= rtt;
  log(
    `clock: process.hrtime offset to the server process ${fixed(offset / 1000, 1)} µs (within the ${fixed(rtt / 1000, 0)} µs IPC round trip: ` +
      `${shared ? 'one shared clock' : 'NOT SHARED, latency figures are invalid'}); timeOrigin + now() would be off by ${fixed(median(wallSkews) * 1000, 0)} µs`,
  );
}

// ---------------------------------------------------------------------------------------------------- report

function render(
  figures: Map<ContenderName, Figures>,
  store: StoreFigures,
  sync: SyncFigures | undefined,
  controller: ControllerFigures | undefined,
  footprints: readonly { label: string; rss: number }[],
  loadBefore: number[],
  loadAfter: number[],
  seconds: number,
): string {
  const bytes = streamBytes(template, CONFIG.n);
  const raw = figures.get('raw')!;
  // Every figure below is a median: over the throughput rounds, or over the events of the latency runs.
  const peakSmall = (f: Figures): number => median(f.small.map((r) => r.peakRss));
  const peakLarge = (f: Figures): number => f.large?.peakRss ?? Number.NaN;
  const heapSmall = (f: Figures): number => median(f.small.map((r) => r.heapAfterGc));
  const heapGrowth = (f: Figures): number => (f.large?.heapAfterGc ?? Number.NaN) - heapSmall(f);
  const rssBefore = (f: Figures): number => median(f.small.map((r) => r.rssBeforeRequest));
  const ratio = (f: Figures): number => (f === raw ? 1 : median(f.ratios));
  const cpuRatio = (f: Figures): number => (f === raw ? 1 : median(f.cpuRatios));
  const peakRatio = (f: Figures): number => peakLarge(f) / peakLarge(raw);
  const p50 = (f: Figures): number => percentile(f.latenciesUs, 50) / 1000;
  const p99 = (f: Figures): number => percentile(f.latenciesUs, 99) / 1000;

  const speedHeader = ['contender', 'events/s', 'x raw', 'MB/s', 'x raw', 'CPU µs/event', 'x raw (CPU)'];
  const speedRows = CONTENDERS.map((contender) => {
    const f = figures.get(contender)!;
    const rate = median(f.eventsPerSecond);
    return [
      LABELS[contender],
      thousands(rate),
      `${fixed(ratio(f), 2)}x`,
      fixed((rate * bytes) / CONFIG.n / 1e6, 0),
      `${fixed(ratio(f), 2)}x`,
      fixed(median(f.cpuPerEvent), 1),
      `${fixed(cpuRatio(f), 2)}x`,
    ];
  });
  const memoryHeader = [
    'contender', `peak RSS ${thousands(CONFIG.nSmall)}`, `peak RSS ${thousands(CONFIG.nLarge)}`, 'x raw', `heap ${thousands(CONFIG.nSmall)}`,
    `heap ${thousands(CONFIG.nLarge)}`, 'heap growth', 'RSS before 1st byte', 'latency p50 ms', 'p99 ms', '> 1 ms', 'reconnect ms',
  ];
  const memoryRows = CONTENDERS.map((contender) => {
    const f = figures.get(contender)!;
    return [
      contender,
      mb(peakSmall(f), 0),
      mb(peakLarge(f), 0),
      `${fixed(peakRatio(f), 2)}x`,
      mb(heapSmall(f)),
      mb(f.large?.heapAfterGc ?? Number.NaN),
      mb(heapGrowth(f)),
      mb(rssBefore(f), 0),
      fixed(p50(f), 3),
      fixed(p99(f), 3),
      `${fixed((100 * f.latenciesUs.filter((us) => us > 1000).length) / f.latenciesUs.length, 1)} %`,
      f.reconnectGapsUs === undefined ? '—' : fixed(median(f.reconnectGapsUs) / 1000, 2),
    ];
  });

  const footprintRows = footprints.map((step, i) => [step.label, mb(step.rss), i === 0 ? '' : `+${mb(step.rss - footprints[i - 1]!.rss)}`]);
  const dependencyFloor = footprints[3]?.rss ?? Number.NaN; // Node, compiler started, rxjs, io-ts, fp-ts, node-fetch
  const kubex = figures.get('kubex-full')!;
  const off = figures.get('kubex-off')!;
  const clientNode = figures.get('client-node')!;
  const check = (ok: boolean): string => (ok ? 'met' : '**missed**');
  const targets = [
    ['full validation >= client-node and >= 0.71x raw', `${fixed(ratio(kubex), 2)}x (CPU ${fixed(cpuRatio(kubex), 2)}x); client-node ${fixed(ratio(clientNode), 2)}x (CPU ${fixed(cpuRatio(clientNode), 2)}x)`, check(ratio(kubex) >= Math.max(0.71, ratio(clientNode)))],
    ['validation off >= 0.85x raw', `${fixed(ratio(off), 2)}x (CPU ${fixed(cpuRatio(off), 2)}x)`, check(ratio(off) >= 0.85)],
    ...[kubex, off].flatMap((f) => {
      const name = f === kubex ? 'kubex-full' : 'kubex-off';
      return [
        [`${name}: live heap flat ${thousands(CONFIG.nSmall)} -> ${thousands(CONFIG.nLarge)} (within 2 MB)`, mb(heapGrowth(f)), check(Math.abs(heapGrowth(f)) <= 2e6)],
        [`${name}: RSS before first byte <= 60 MB`, `${mb(rssBefore(f))} (raw ${mb(rssBefore(raw))}; its dependencies alone ${mb(dependencyFloor)})`, check(rssBefore(f) <= 60e6)],
        [`${name}: peak RSS <= 1.3x raw (at ${thousands(CONFIG.nLarge)})`, `${fixed(peakRatio(f), 2)}x`, check(peakRatio(f) <= 1.3)],
        [`${name}: latency p50 <= 0.15 ms, p99 <= 1 ms`, `${fixed(p50(f), 3)} / ${fixed(p99(f), 3)} ms (raw ${fixed(p50(raw), 3)} / ${fixed(p99(raw), 3)})`, check(p50(f) <= 0.15 && p99(f) <= 1)],
      ];
    }),
  ];
  const failures = CONTENDERS.flatMap((c) => figures.get(c)!.failures.map((f) => `- ${c}: ${f}`));
  return [
    `Run of ${new Date().toISOString()}${QUICK ? ' (BENCH_QUICK smoke run)' : ''}, ${fixed(seconds, 0)} s.`,
    '',
    `- Machine: ${machine()}`,
    `- Load average (1, 5, 15 min): ${loadBefore.map((l) => l.toFixed(2)).join(', ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(', ')} after`,
    `- ${versions()}`,
    `- Stream: unique Pods from \`vendor/fixtures/pod.json\`, ${template.eventLine.length} B per event line (${template.podBytes} B Pod JSON, managedFields ${POD_MANAGED_FIELDS ? 'included' : '**removed** (`BENCH_POD_MANAGED_FIELDS=0`)'}), a BOOKMARK every 1000, writes of 512 B-64 KiB cutting lines and multi-byte characters`,
    `- Throughput: ${CONFIG.rounds} rounds x ${thousands(CONFIG.n)} Pods (${mb(bytes, 0)}), contenders alternated; medians, ratios are medians of per-round ratios. Full validation: ${CODEC === 'generated' ? 'the generated Pod codec (`lib/k8s/v1_35/core/v1`)' : 'the foundation `KubernetesObject` codec'}`,
    `- Memory: peak RSS and live heap after GC (taken in the last event's handler) at ${thousands(CONFIG.nSmall)} (median of rounds) and ${thousands(CONFIG.nLarge)} (one run); RSS before 1st byte: after loading the library and building the client`,
    `- Latency: ${CONFIG.latencyRounds} alternated runs x ${CONFIG.latencyEvents - CONFIG.latencyWarmup} events at 1/ms per contender (after ${thousands(CONFIG.latencyBurst)} events at full speed and ${CONFIG.latencyWarmup} paced ones, all uncounted: the JIT is warm, as in a watch that has run for a while), server write to decoded event in the handler. Reconnect: median of ${CONFIG.reconnects} server closes to the next request (kubex: \`reconnectOnTimeout()\`; raw and client-node: re-watch from their end callback)`,
    '',
    table(speedHeader, speedRows),
    '',
    table(memoryHeader, memoryRows),
    '',
    ...renderStore(store, LABELS['kubex-full']),
    ...(sync === undefined ? [] : renderSync(sync, LABELS['kubex-full'])),
    ...(controller === undefined ? [] : renderController(controller)),
    ...(footprintRows.length > 0
      ? [`Footprint (RSS of a process that only imports, median of ${CONFIG.footprintRuns}; cumulative steps):`, '', table(['imports', 'RSS', 'step'], footprintRows), '']
      : []),
    'Targets (ratios to raw, same run):',
    '',
    table(['target', 'measured', ''], targets),
    ...(failures.length > 0 ? ['', 'Failures:', ...failures] : []),
  ].join('\n');
}

const RESULTS_START = '<!-- bench:results:start (written by npm run bench; edit outside these markers) -->';
const RESULTS_END = '<!-- bench:results:end -->';

/** Replaces the results section of BENCHMARKS.md, keeping everything outside the markers. */
function writeResults(report: string): void {
  const path = resolve(REPO_ROOT, 'BENCHMARKS.md');
  const section = `${RESULTS_START}\n${report}\n${RESULTS_END}`;
  let text = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmarks\n\nRun \`npm run bench\` (see \`bench/index.ts\`).\n\n## Latest results\n\n${RESULTS_START}\n${RESULTS_END}\n`;
  const start = text.indexOf(RESULTS_START);
  const end = text.indexOf(RESULTS_END);
  text = start === -1 || end === -1 ? `${text.trimEnd()}\n\n## Latest results\n\n${section}\n` : text.slice(0, start) + section + text.slice(end + RESULTS_END.length);
  writeFileSync(path, text);
}

function machine(): string {
  const list = cpus();
  return `${list[0]?.model.trim() ?? 'unknown CPU'}, ${list.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version} (${process.platform}-${process.arch})`;
}

function versions(): string {
  const version = (pkg: string): string => {
    try {
      return (JSON.parse(readFileSync(resolve(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  const own = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return `Packages: kubex-rx ${own} (working tree), rxjs ${version('rxjs')}, io-ts ${version('io-ts')}, fp-ts ${version('fp-ts')}, node-fetch ${version('node-fetch')}, @kubernetes/client-node ${version('@kubernetes/client-node')}, typescript ${version('typescript')}`;
}

await main();

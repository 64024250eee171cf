/**
 * Phases 5 and 6 of the benchmark, about informers rather than one watch (orchestrator side; the measurements run
 * in `child.ts`, one process each):
 *
 * 5. Store memory per Pod: the live heap a store of Pods holds (after forced GCs, minus the same before the
 *    request, divided by the Pods), for the raw floor (parsed objects in a `Map`), kubex-rx's informer, and an
 *    `ObjectStore` fed by `watch$` with each Pod as decoded and after `stripManagedFields` (what the informer's
 *    `transform` option does before its store; client-go's `TransformStripManagedFields`). The cut is the ratio of
 *    the last two, measured in the same run.
 * 6. Initial sync: kubex-rx's informer (one watch-list request; with full validation, and with validation off to
 *    show what the codec costs) next to `@kubernetes/client-node`'s informer (a list
 *    request, then a watch from its resourceVersion) and the raw floor (the watch-list's lines split and
 *    `JSON.parse`d into a `Map`), on the same server with the same Pods. Time from the informer's start (library
 *    loaded, client built) to its store holding every Pod; CPU over the same span; peak RSS of the process; the
 *    heap the full store holds. Ratios are to the raw run of the same round.
 */
import type { ContenderName, RunResult, RunSpec, Scenario } from './protocol.js';
import { fixed, mb, median, table, thousands } from './stats.js';

/** What the orchestrator lends a phase: one child run against a scenario, and the log. */
export interface PhaseContext {
  /** Sets the scenario, runs one child to completion, and returns its result with the requests the server saw. */
  run(scenario: Scenario, spec: Omit<RunSpec, 'server' | 'codec'>): Promise<{ result: RunResult; kinds: readonly string[] }>;
  log(line: string): void;
  /** Records a failed run (it is listed under the report). */
  fail(contender: ContenderName, phase: string, result: RunResult): void;
  /** The label of the kubex-rx contender with full validation (names the codec). */
  readonly kubexLabel: string;
}

// ---------------------------------------------------------------------------------------------------- 5. store

interface StoreVariant {
  readonly key: 'floor' | 'informer' | 'informer-stripped' | 'decoded' | 'stripped';
  readonly contender: ContenderName;
  readonly spec?: Pick<RunSpec, 'store' | 'strip'>;
}

const STORE_VARIANTS: readonly StoreVariant[] = [
  { key: 'floor', contender: 'raw' },
  { key: 'informer', contender: 'kubex-full' },
  { key: 'informer-stripped', contender: 'kubex-full', spec: { store: 'informer', strip: true } },
  { key: 'decoded', contender: 'kubex-full', spec: { store: 'object-store', strip: false } },
  { key: 'stripped', contender: 'kubex-full', spec: { store: 'object-store', strip: true } },
];

export interface StoreFigures {
  readonly rows: ReadonlyMap<StoreVariant['key'], RunResult>;
}

/** Runs the store measurements: `floorPods` for the raw floor, `pods` for the others. */
export async function storePhase(context: PhaseContext, pods: number, floorPods: number): Promise<StoreFigures> {
  context.log(`\n5. store: live heap per Pod of a full store (${thousands(floorPods)} Pods for the floor, ${thousands(pods)} for the others)`);
  const rows = new Map<StoreVariant['key'], RunResult>();
  for (const variant of STORE_VARIANTS) {
    const n = variant.key === 'floor' ? floorPods : pods;
    const { result } = await context.run({ mode: 'stream', n, seed: 7, bookmarks: false, ending: 'initial-events-end' }, { contender: variant.contender, mode: 'store', n, ...variant.spec });
    if (variant.key === 'informer-stripped' && result.managedFieldsKept === true) {
      // The informer of this build has no `transform` option (issue #14 adds it): the ObjectStore rows measure it.
      context.log('  informer-stripped: this build of the informer has no `transform` option (its Pods kept managedFields): skipped');
      continue;
    }
    if (!result.ok) context.fail(variant.contender, `store (${variant.key})`, result);
    else rows.set(variant.key, result);
    context.log(`  ${variant.key}: ${fixed(perPod(result) / 1024, 2)} KiB per Pod (${thousands(n)} Pods)`);
  }
  const cut = storeCut({ rows });
  if (Number.isFinite(cut)) context.log(`  stripManagedFields: ${fixed(cut * 100, 1)} % less heap per Pod`);
  return { rows };
}

function perPod(result: RunResult | undefined): number {
  return (result?.storeHeapBytes ?? Number.NaN) / (result?.storeSize ?? Number.NaN);
}

/** The fraction of the per-Pod heap that `stripManagedFields` removes (ObjectStore, with vs without). */
export function storeCut(figures: StoreFigures): number {
  return 1 - perPod(figures.rows.get('stripped')) / perPod(figures.rows.get('decoded'));
}

export function renderStore(figures: StoreFigures, kubexLabel: string): string[] {
  if (figures.rows.size === 0) return [];
  const labels: Record<StoreVariant['key'], string> = {
    floor: 'raw: the parsed objects in a Map by namespace/name (the floor)',
    informer: `${kubexLabel.replace('watch$', 'informer')}`,
    'informer-stripped': 'kubex-rx informer, `transform: stripManagedFields`',
    decoded: 'kubex-rx watch$ -> ObjectStore, Pods as decoded',
    stripped: 'kubex-rx watch$ -> stripManagedFields -> ObjectStore',
  };
  const decoded = perPod(figures.rows.get('decoded'));
  const informer = perPod(figures.rows.get('informer'));
  const rows = [...figures.rows].map(([key, r]) => [
    labels[key],
    String(r.storeSize ?? 0),
    mb(r.storeHeapBytes ?? Number.NaN),
    fixed(perPod(r), 0),
    `${fixed(perPod(r) / 1024, 2)} KiB`,
    key === 'floor' || key === 'informer' ? '' : `${fixed(perPod(r) / (key === 'informer-stripped' ? informer : decoded), 2)}x`,
  ]);
  return [
    'Store (live heap after GC with the store full, minus the same before the request; the Pods carry managedFields):',
    '',
    table(['store', 'Pods', 'heap', 'B per Pod', 'per Pod', 'x without strip'], rows),
    '',
    `\`stripManagedFields\` before the store: **${fixed(storeCut(figures) * 100, 1)} % less heap per Pod** (${fixed(decoded / 1024, 2)} -> ${fixed(perPod(figures.rows.get('stripped')) / 1024, 2)} KiB, ObjectStore)` +
      (figures.rows.has('informer-stripped') ? `; through the informer's \`transform\`: ${fixed((1 - perPod(figures.rows.get('informer-stripped')) / informer) * 100, 1)} %.` : '.'),
    '',
  ];
}

// ---------------------------------------------------------------------------------------------------- 6. sync

const SYNC_CONTENDERS = ['raw', 'kubex-full', 'kubex-off', 'client-node'] as const;
type SyncContender = (typeof SYNC_CONTENDERS)[number];

/** The requests each contender must make for a sync to count (anything else is a failure: a fallback, a retry). */
const EXPECTED_REQUESTS: Record<SyncContender, string> = { raw: 'watch-list', 'kubex-full': 'watch-list', 'kubex-off': 'watch-list', 'client-node': 'list,watch' };

export interface SyncFigures {
  readonly n: number;
  readonly runs: ReadonlyMap<SyncContender, readonly RunResult[]>;
  /** Per contender, per round: sync time over raw's in the same round. */
  readonly ratios: ReadonlyMap<SyncContender, readonly number[]>;
  /** Per contender, per round: sync CPU time over raw's in the same round (less sensitive to other load). */
  readonly cpuRatios: ReadonlyMap<SyncContender, readonly number[]>;
  readonly errors: ReadonlyMap<SyncContender, string>;
}

/** `rounds` rounds of one initial sync of `n` Pods per contender, the order rotating each round. */
export async function syncPhase(context: PhaseContext, n: number, rounds: number): Promise<SyncFigures> {
  context.log(`\n6. initial sync: ${rounds} round(s) x ${SYNC_CONTENDERS.length} contenders x ${thousands(n)} Pods`);
  const runs = new Map<SyncContender, RunResult[]>(SYNC_CONTENDERS.map((c) => [c, []]));
  const ratios = new Map<SyncContender, number[]>(SYNC_CONTENDERS.map((c) => [c, []]));
  const cpuRatios = new Map<SyncContender, number[]>(SYNC_CONTENDERS.map((c) => [c, []]));
  const errors = new Map<SyncContender, string>();
  for (let round = 0; round < rounds; round++) {
    const order = SYNC_CONTENDERS.map((_, i) => SYNC_CONTENDERS[(i + round) % SYNC_CONTENDERS.length]!);
    const times = new Map<SyncContender, number>();
    const cpu = new Map<SyncContender, number>();
    for (const contender of order) {
      const { result, kinds } = await context.run({ mode: 'sync', n }, { contender, mode: 'sync', n });
      const requests = kinds.join(',');
      const checked = result.ok && requests !== EXPECTED_REQUESTS[contender] ? { ...result, ok: false, error: `requests ${requests}, expected ${EXPECTED_REQUESTS[contender]}` } : result;
      if (!checked.ok) {
        context.fail(contender, `sync ${thousands(n)}`, checked);
        errors.set(contender, `${checked.error ?? 'failed'} (after ${fixed(checked.elapsedMs / 1000, 1)} s, peak RSS ${mb(checked.peakRss, 0)})`);
        context.log(`  ${contender}: failed after ${fixed((checked.elapsedMs || Number.NaN) / 1000, 1)} s, peak RSS ${mb(checked.peakRss, 0)}`);
        continue;
      }
      runs.get(contender)!.push(checked);
      times.set(contender, checked.syncMs ?? Number.NaN);
      cpu.set(contender, checked.syncCpuMs ?? Number.NaN);
      context.log(`  ${contender}: synced in ${fixed((checked.syncMs ?? Number.NaN) / 1000, 2)} s (CPU ${fixed((checked.syncCpuMs ?? Number.NaN) / 1000, 2)} s), peak RSS ${mb(checked.peakRss, 0)}, store ${mb(checked.storeHeapBytes ?? Number.NaN, 0)} (${requests})`);
    }
    const raw = times.get('raw');
    for (const [contender, ms] of times) if (raw !== undefined) ratios.get(contender)!.push(ms / raw);
    const rawCpu = cpu.get('raw');
    for (const [contender, ms] of cpu) if (rawCpu !== undefined) cpuRatios.get(contender)!.push(ms / rawCpu);
  }
  return { n, runs, ratios, cpuRatios, errors };
}

export function renderSync(figures: SyncFigures, kubexLabel: string): string[] {
  const labels: Record<SyncContender, string> = {
    raw: 'raw floor: watch-list lines JSON.parse\'d into a Map',
    'kubex-full': `${kubexLabel.replace('watch$', 'informer')}: one watch-list`,
    'kubex-off': 'kubex-rx informer, validation off (pass-through codec): one watch-list',
    'client-node': '@kubernetes/client-node 1.4.0 informer: list, then watch',
  };
  const rawPeak = median((figures.runs.get('raw') ?? []).map((r) => r.peakRss));
  const rows = SYNC_CONTENDERS.map((contender) => {
    const runs = figures.runs.get(contender) ?? [];
    const error = figures.errors.get(contender);
    if (runs.length === 0) return [labels[contender], error === undefined ? 'not run' : 'failed (below)', '', '', '', '', '', '', ''];
    const peak = median(runs.map((r) => r.peakRss));
    return [
      labels[contender],
      `${fixed(median(runs.map((r) => r.syncMs ?? Number.NaN)) / 1000, 2)} s`,
      contender === 'raw' ? '1.00x' : `${fixed(median(figures.ratios.get(contender) ?? []), 2)}x`,
      `${fixed(median(runs.map((r) => r.syncCpuMs ?? Number.NaN)) / 1000, 2)} s`,
      contender === 'raw' ? '1.00x' : `${fixed(median(figures.cpuRatios.get(contender) ?? []), 2)}x`,
      mb(peak, 0),
      `${fixed(peak / rawPeak, 2)}x`,
      mb(median(runs.map((r) => r.rssBeforeRequest)), 0),
      `${fixed(median(runs.map((r) => (r.storeHeapBytes ?? Number.NaN) / (r.storeSize ?? Number.NaN))) / 1024, 1)} KiB`,
    ];
  });
  const rounds = Math.max(...[...figures.runs.values()].map((r) => r.length), 0);
  return [
    `Initial sync of ${thousands(figures.n)} Pods (${rounds} round${rounds === 1 ? '' : 's'}, medians; time from the informer's start to its store holding every Pod; ratios to raw in the same round; CPU: user + system time of the informer's process over the same span):`,
    '',
    table(['informer', 'sync time', 'x raw', 'CPU', 'x raw (CPU)', 'peak RSS', 'x raw', 'RSS at start', 'store per Pod'], rows),
    ...[...figures.errors].map(([contender, error]) => `\n- ${contender}: ${error}`),
    '',
  ];
}

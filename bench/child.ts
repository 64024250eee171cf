/**
 * One contender process: runs one {@link RunSpec} (from the `BENCH_CHILD` environment variable), sends one
 * {@link RunResult} to the parent over IPC, and exits. Forked by `index.ts` with `--expose-gc`.
 *
 * Modes:
 * - `stream`: one watch of `n` Pods. Times the request to the last Pod event, checks every event arrived and the
 *   last Pod decoded intact (name, multi-byte annotation), and forces a GC inside the last event's handler to
 *   read the live heap while the pipeline is still up.
 * - `latency`: one watch of paced events; for each, µs from the server's write to the handler (both processes
 *   read the same CLOCK_MONOTONIC through `process.hrtime.bigint()`; see index.ts).
 * - `reconnect`: watch forever while the server ends every body; the server measures the gaps. Stops after `n`.
 * - `store`: the heap held by a store of `n` Pods: kubex's informer (see `measureInformerStore`), or for raw the
 *   parsed objects in a `Map` (the floor).
 *   With `store: 'object-store'`, kubex's `watch$` feeding an `ObjectStore`, through `stripManagedFields` when
 *   `strip` is set (see `measureObjectStore`).
 * - `footprint`: RSS after importing `node:http` and the given modules, nothing else (see `footprint`).
 * - `sync`: an informer's initial sync of `n` Pods (`prepareSync` of the contender module): time and CPU from
 *   just before it starts to its store holding them, the heap its store then holds, and (as for every mode) the
 *   peak RSS of the process.
 */
import { BOOKMARK_EVERY, NOTE, NOTE_KEY, POD_MANAGED_FIELDS, SENT_AT_KEY, podName } from './events.js';
import type { PodLike, PrepareSync, Setup, SetupOptions } from './contender.js';
import type { RunResult, RunSpec } from './protocol.js';

const spec = JSON.parse(process.env['BENCH_CHILD'] ?? 'null') as RunSpec;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench child: run with --expose-gc');
const fullGc = (): void => {
  gc();
  gc();
};

const MODULES = { raw: './contender-raw.js', 'kubex-full': './contender-kubex.js', 'kubex-off': './contender-kubex.js', 'client-node': './contender-client-node.js' } as const;

async function main(): Promise<RunResult> {
  const options: SetupOptions = { server: spec.server, codec: spec.contender === 'kubex-off' ? 'passthrough' : spec.codec };
  if (spec.mode === 'store') return store(options);
  if (spec.mode === 'footprint') return footprint(spec.imports ?? [], spec.warm === true);
  if (spec.mode === 'sync') return sync(options);
  const { setup } = (await import(MODULES[spec.contender])) as { setup: Setup };
  const client = await setup(options);
  const rssBeforeRequest = process.memoryUsage().rss;
  let events = 0;
  let bookmarks = 0;
  let lastAt = 0n;
  let cpuMs = 0;
  let heapAfterGc = 0;
  let error: string | undefined;
  const latenciesUs: number[] = [];
  const warmup = spec.warmup ?? 0;
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();

  switch (spec.mode) {
    case 'stream':
      await client.watch((type, object) => {
        if (type === 'BOOKMARK') {
          bookmarks++;
          return;
        }
        if (++events < spec.n) return;
        lastAt = process.hrtime.bigint();
        const cpu = process.cpuUsage(cpuStart);
        cpuMs = (cpu.user + cpu.system) / 1000;
        error ??= checkPod(object, spec.n - 1);
        fullGc();
        heapAfterGc = process.memoryUsage().heapUsed;
      });
      break;
    case 'latency':
      await client.watch((type, object) => {
        const now = process.hrtime.bigint();
        if (type === 'BOOKMARK') return;
        if (events++ >= warmup) latenciesUs.push(Number(now - BigInt(object.metadata?.annotations?.[SENT_AT_KEY] ?? '0')) / 1000);
        lastAt = now;
      });
      break;
    case 'reconnect':
      await new Promise<void>((resolve) => {
        const stop = client.watchForever(() => {
          if (++events < spec.n) return;
          stop();
          resolve();
        });
      });
      lastAt = process.hrtime.bigint();
      break;
  }
  if (spec.mode !== 'reconnect' && events !== spec.n) error ??= `received ${events} Pod events, expected ${spec.n}`;
  const expectedBookmarks = Math.floor(spec.n / BOOKMARK_EVERY);
  if (spec.mode === 'stream' && bookmarks !== expectedBookmarks) error ??= `received ${bookmarks} BOOKMARKs, expected ${expectedBookmarks}`;
  return {
    ...base(),
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    events,
    bookmarks,
    elapsedMs: Number(lastAt - started) / 1e6,
    cpuMs,
    rssBeforeRequest,
    heapAfterGc,
    ...(spec.mode === 'latency' ? { latenciesUs } : {}),
  };
}

/**
 * The memory a store of `n` Pods holds: kubex's informer, or (raw) the parsed objects in a `Map` keyed by
 * namespace/name, which is the floor any store of these objects has. Live heap after GC with the store full,
 * minus the same just before the request.
 */
async function store(options: SetupOptions): Promise<RunResult> {
  let size: number;
  let heapBytes: number;
  let managedFieldsKept: boolean | undefined;
  if (spec.contender === 'raw') {
    const { setup } = (await import('./contender-raw.js')) as { setup: Setup };
    const client = await setup(options);
    const objects = new Map<string, PodLike>();
    fullGc();
    const before = process.memoryUsage().heapUsed;
    // The server holds the stream open after the initial-events-end bookmark: stop looking there.
    await new Promise<void>((resolve, reject) => {
      client
        .watch((type, object) => {
          if (type === 'BOOKMARK') resolve();
          else objects.set(`${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`, object);
        })
        .catch(reject);
    });
    fullGc();
    heapBytes = process.memoryUsage().heapUsed - before;
    size = objects.size;
  } else {
    const kubex = await import('./contender-kubex.js');
    ({ size, heapBytes, managedFieldsKept } =
      spec.store === 'object-store' ? await kubex.measureObjectStore(options, spec.n, fullGc, spec.strip === true) : await kubex.measureInformerStore(options, spec.n, fullGc, spec.strip === true));
  }
  let error = size === spec.n ? undefined : `store holds ${size} Pods, expected ${spec.n}`;
  if (POD_MANAGED_FIELDS && managedFieldsKept !== undefined && managedFieldsKept === (spec.strip === true)) {
    error ??= spec.strip === true ? 'stored Pods still carry managedFields' : 'stored Pods lost their managedFields';
  }
  return { ...base(), ok: error === undefined, ...(error === undefined ? {} : { error }), events: size, storeSize: size, storeHeapBytes: heapBytes, ...(managedFieldsKept === undefined ? {} : { managedFieldsKept }) };
}

/**
 * An informer's initial sync of `n` Pods (see `PrepareSync`): library loaded and client built first; then time and
 * CPU to the store holding them; then the live heap the store holds (after GC, minus the same before the start).
 */
async function sync(options: SetupOptions): Promise<RunResult> {
  const { prepareSync } = (await import(MODULES[spec.contender])) as { prepareSync: PrepareSync };
  const client = await prepareSync(options);
  fullGc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBeforeRequest = process.memoryUsage().rss;
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  let size: number;
  try {
    size = await client.sync();
  } catch (error) {
    // How far a failing informer got (time, and peak RSS, added by `finish`) is part of the result.
    return { ...base(), ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), elapsedMs: Number(process.hrtime.bigint() - started) / 1e6, rssBeforeRequest };
  }
  const syncMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  fullGc();
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;
  client.stop();
  const ok = size === spec.n;
  return {
    ...base(),
    ok,
    ...(ok ? {} : { error: `store holds ${size} Pods after sync, expected ${spec.n}` }),
    events: size,
    elapsedMs: syncMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeRequest,
    syncMs,
    syncCpuMs: (cpu.user + cpu.system) / 1000,
    storeSize: size,
    storeHeapBytes: heapBytes,
  };
}

/**
 * RSS after importing `node:http` and `imports` (resolved from this file: bare names from the repo's node_modules),
 * with nothing else done: how much of a contender's RSS before the first byte is its dependencies' own footprint.
 */
async function footprint(imports: readonly string[], warm: boolean): Promise<RunResult> {
  await import('node:http');
  if (warm) {
    // Hot code gets V8's optimizing compiler going (its code and memory): every contender gets there within its
    // first events, and loading many modules gets there too, so this is part of the floor, not of a library.
    const hot = (text: string): number => {
      let sum = 0;
      for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i) & 7;
      return sum;
    };
    let total = 0;
    for (const start = Date.now(); Date.now() - start < 200; ) total += hot('abcdefghij'.repeat(10));
    if (total < 0) throw new Error('unreachable');
  }
  for (const specifier of imports) await import(specifier);
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the loader's and the compiler's tasks settle
  return { ...base(), rssBeforeRequest: process.memoryUsage().rss };
}

function base(): RunResult {
  return { ok: true, events: 0, bookmarks: 0, elapsedMs: 0, cpuMs: 0, rssBeforeRequest: 0, peakRss: 0, heapAfterGc: 0 };
}

/** The last Pod must be the expected one, with its multi-byte annotation intact. */
function checkPod(object: PodLike, index: number): string | undefined {
  const name = object.metadata?.name;
  if (name !== podName(index)) return `last Pod is ${String(name)}, expected ${podName(index)}`;
  const note = object.metadata?.annotations?.[NOTE_KEY];
  if (note !== NOTE) return `multi-byte annotation decoded as ${JSON.stringify(note)}, expected ${JSON.stringify(NOTE)}`;
  return undefined;
}

main().then(
  (result) => finish({ ...result, peakRss: process.resourceUsage().maxRSS * 1024 }),
  (error: unknown) => finish({ ...base(), ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), peakRss: process.resourceUsage().maxRSS * 1024 }),
);

function finish(result: RunResult): void {
  process.send!(result, () => process.exit(0));
}

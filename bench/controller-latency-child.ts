/**
 * One process of the controller phase's latency measurement (forked by `controller-phases.ts`): follows the
 * ConfigMaps of the `controller-api-server.ts` process over loopback HTTP and times each stamped write to the moment
 * it reaches the sink, with `process.hrtime.bigint()` (the writer's clock: CLOCK_MONOTONIC, shared by every process).
 *
 * Contenders, each a layer more than the last, all with the generated ConfigMap codec (full validation):
 * - `watch`: `api.watch$({ sendInitialEvents: true })`; the sink is the subscriber (the floor of this path);
 * - `informer`: `api.informer()`; the sink is an `events$` subscriber (the store has been updated by then);
 * - `controller`: `new Controller(api).run(reconcile)` with a no-op synchronous reconcile; the sink is the start of
 *   the reconcile function (after the informer, the trigger, the queue, and the read of the latest object from the
 *   store).
 *
 * Protocol: sends `ready` once synced (watch: the initial-events-end bookmark; informer: `state.synced`; controller:
 * every seeded object reconciled once), then the parent has the writes made; sends the result when the write with
 * index `last` has reached the sink, or after `timeoutMs`. Nothing before `ready` is recorded (the objects carry the
 * previous run's stamps).
 */
import { Api, Controller, createClient, isInitialEventsEnd, type InformerObject } from '../lib/index.js';
import { ConfigMap } from '../lib/k8s/v1_35/core/v1.js';
import { WRITE_INDEX_KEY, WRITTEN_AT_KEY, type FromLatencyChild, type LatencyChildSpec } from './controller-protocol.js';

const spec = JSON.parse(process.env['BENCH_CONTROLLER_CHILD'] ?? 'null') as LatencyChildSpec;

const latenciesUs: number[] = [];
const seen = new Uint8Array(spec.last + 1);
let recording = false;
let finished = false;

const send = (message: FromLatencyChild, then: () => void = () => undefined): void => {
  process.send!(message, then);
};

function finish(error?: string): void {
  if (finished) return;
  finished = true;
  let missing = 0;
  for (let index = spec.skip; index <= spec.last; index++) if (seen[index] === 0) missing++;
  send({ kind: 'result', ok: error === undefined, ...(error === undefined ? {} : { error }), latenciesUs, missing }, () => process.exit(0));
}

/** The sink: called with the object as the contender hands it over. */
function reached(object: InformerObject): void {
  const now = process.hrtime.bigint();
  if (!recording) return;
  const annotations = (object as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations;
  const index = Number(annotations?.[WRITE_INDEX_KEY] ?? -1);
  if (!(index >= 0 && index <= spec.last) || seen[index] === 1) return;
  seen[index] = 1;
  if (index >= spec.skip) latenciesUs.push(Number(now - BigInt(annotations?.[WRITTEN_AT_KEY] ?? '0')) / 1000);
  if (index === spec.last) finish();
}

function ready(): void {
  if (recording) return;
  recording = true;
  send({ kind: 'ready' });
  setTimeout(() => finish(`the last write (${spec.last}) did not arrive within ${spec.timeoutMs} ms`), spec.timeoutMs).unref();
}

const client = await createClient({ server: spec.server });
const configMaps = new Api(ConfigMap, { client, namespace: 'default' });
const fail = (error: unknown): void => finish(error instanceof Error ? `${error.name}: ${error.message}` : String(error));

switch (spec.contender) {
  case 'watch':
    configMaps.watch$({ sendInitialEvents: true, allowBookmarks: true }).subscribe({
      next: (event) => {
        if (event.type !== 'BOOKMARK') reached(event.object);
        else if (isInitialEventsEnd(event)) ready();
      },
      error: fail,
      complete: () => finish('the watch ended'),
    });
    break;
  case 'informer': {
    const informer = configMaps.informer();
    informer.events$.subscribe({ next: (event) => event.type !== 'BOOKMARK' && reached(event.object), error: fail });
    informer.state$.subscribe({ next: (state) => state.synced && ready(), error: fail });
    break;
  }
  case 'controller': {
    let results = 0;
    new Controller(configMaps)
      .run((object) => {
        reached(object);
      })
      .subscribe({ next: () => ++results === spec.objects && ready(), error: fail });
    break;
  }
}

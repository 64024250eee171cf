/**
 * Messages of the controller phase (`controller-phases.ts`): what its child processes are asked to do and what they
 * answer. Everything crosses process boundaries as JSON over the `fork()` IPC channel, as in `protocol.ts`.
 */

/** The two queues of the throughput and memory measurements: kubex-rx's `reconcileQueue` and the bare floor. */
export type QueueImpl = 'queue' | 'bare';
/** A no-op reconcile that returns at once (`sync`) or a resolved Promise (`promise`: an `async` function that does nothing). */
export type NoopWorker = 'sync' | 'promise';

/** One throughput configuration: a worker and a concurrency, measured for both queues. */
export interface RateVariant {
  readonly worker: NoopWorker;
  readonly concurrency: number;
}

/** What `controller-queue-child.ts` is asked to do (the `BENCH_CONTROLLER_CHILD` environment variable). */
export type QueueChildSpec =
  /** `rounds` rounds (after `warmupRounds` uncounted ones) of every variant for both queues, the order rotating. */
  | { readonly mode: 'rate'; readonly keys: number; readonly rounds: number; readonly warmupRounds: number; readonly variants: readonly RateVariant[] }
  /** The live heap `keys` waiting keys hold (gate closed), `after` ms in the future when > 0 (queue only). */
  | { readonly mode: 'memory'; readonly impl: QueueImpl; readonly keys: number; readonly after: number };

/** One variant's samples, one per counted round (rounds line up: index `i` of each is the same round). */
export interface RateSamples {
  readonly queue: number[];
  readonly bare: number[];
  readonly queueCpu: number[];
  readonly bareCpu: number[];
}

export type QueueChildResult =
  | {
      readonly mode: 'rate';
      readonly ok: boolean;
      readonly error?: string;
      /** Per variant (index of `variants`): runs per second and CPU µs per run of each queue, one per counted round. */
      readonly rates: readonly RateSamples[];
    }
  | { readonly mode: 'memory'; readonly ok: boolean; readonly error?: string; readonly heapBytes: number; readonly keys: number };

/** What writes the watch events of the latency measurement: `controller-api-server.ts`, around a FakeApiServer. */
export type ToApiServer =
  /** Create `objects` ConfigMaps (unstamped) in `default`. */
  | { readonly kind: 'seed'; readonly objects: number }
  /**
   * Update the ConfigMaps round robin, each write stamped with its index and `process.hrtime.bigint()`: `burst` at
   * full speed, then `n` one every `intervalMs`.
   */
  | { readonly kind: 'write'; readonly burst: number; readonly n: number; readonly intervalMs: number };

export type FromApiServer =
  | { readonly kind: 'listening'; readonly url: string }
  | { readonly kind: 'seeded' }
  | { readonly kind: 'written'; readonly writes: number; readonly pacedSeconds: number };

/** Who receives the events in a latency run: a bare watch, an informer, or a Controller whose reconcile is the sink. */
export type LatencyContender = 'watch' | 'informer' | 'controller';

/** What `controller-latency-child.ts` is asked to do. */
export interface LatencyChildSpec {
  readonly contender: LatencyContender;
  readonly server: string;
  /** ConfigMaps seeded before the run: the controller is ready once it has reconciled each of them once. */
  readonly objects: number;
  /** Index of the last write: the run ends when it has been seen. */
  readonly last: number;
  /** Writes with a lower index are not counted (the burst, then the first paced ones). */
  readonly skip: number;
  /** Give up after this long without the last write, in ms. */
  readonly timeoutMs: number;
}

export type FromLatencyChild =
  /** Synced (watch: initial-events-end; informer: `synced`; controller: every seeded object reconciled once). */
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'result';
      readonly ok: boolean;
      readonly error?: string;
      /** µs from the write's stamp to the handler (watch, informer) or the reconcile's start (controller), counted writes only. */
      readonly latenciesUs: number[];
      /** Counted writes never seen by the sink (coalesced in the queue, or lost). */
      readonly missing: number;
    };

/** The annotations the writer stamps on each ConfigMap write. */
export const WRITE_INDEX_KEY = 'bench.kubex-rx.io/write-index';
export const WRITTEN_AT_KEY = 'bench.kubex-rx.io/written-at-ns';

/**
 * Messages between the orchestrator (`index.ts`), the server process (`server.ts`) and the contender processes
 * (`child.ts`). Everything crosses process boundaries as JSON over the `fork()` IPC channel.
 */

/** The contenders, each run in its own process. */
export const CONTENDERS = ['raw', 'kubex-full', 'kubex-off', 'client-node'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

/** What the server does with the next watch requests. */
export type Scenario =
  /** `n` Pod events as fast as the client reads, in chunks of varying size, then the end of the body. */
  | { readonly mode: 'stream'; readonly n: number; readonly seed: number; readonly bookmarks: boolean; readonly ending: 'close' | 'initial-events-end' }
  /** `n` Pod events, one every `intervalMs`, each stamped with its send time, then the end of the body. */
  | { readonly mode: 'latency'; readonly n: number; readonly intervalMs: number; readonly burst: number }
  /** Each request gets one event, then the server ends the body after `holdMs`: time until the next request. */
  | { readonly mode: 'reconnect'; readonly holdMs: number }
  /**
   * A collection of `n` Pods served as a real API server does, by request: a watch with `sendInitialEvents=true`
   * (watch-list) gets the `n` Pods, the initial-events-end bookmark, then stays open; a list (no `watch`) gets one
   * PodList of the `n` Pods; a watch from a resourceVersion (after that list) stays open with no events.
   */
  | { readonly mode: 'sync'; readonly n: number };

export type ToServer =
  | { readonly kind: 'scenario'; readonly scenario: Scenario }
  | { readonly kind: 'report' }
  | { readonly kind: 'clock' };

export type FromServer =
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'ok' }
  /** Requests served since the last scenario; for `reconnect`, µs from each end of a body to the next request. */
  | { readonly kind: 'report'; readonly requests: number; readonly reconnectGapsUs: number[]; readonly kinds: readonly string[] }
  /** `process.hrtime.bigint()` and `performance.timeOrigin + performance.now()`, sampled together. */
  | { readonly kind: 'clock'; readonly ns: string; readonly wallMs: number };

/** What one contender process is asked to do (passed in the `BENCH_CHILD` environment variable). */
export interface RunSpec {
  readonly contender: ContenderName;
  readonly mode: 'stream' | 'latency' | 'reconnect' | 'store' | 'footprint' | 'sync';
  readonly server: string;
  /** Pod events expected (stream, latency, store); reconnections to make (reconnect). */
  readonly n: number;
  /** Which Pod codec the full-validation contender uses. */
  readonly codec: 'generated' | 'foundation';
  /** Latency: events ignored at the start (connection set-up, JIT warm-up). */
  readonly warmup?: number;
  /** footprint: the modules to import (after `node:http`) before reading RSS; nothing else is done. */
  readonly imports?: readonly string[];
  /**
   * store (kubex-full only): `informer` (default) measures `api.informer()`'s store; `object-store` decodes with
   * `watch$` and applies every event to an `ObjectStore`, after `stripManagedFields` when `strip` is set.
   */
  readonly store?: 'informer' | 'object-store';
  readonly strip?: boolean;
  /** footprint: first run a hot loop for 0.2 s, so that V8's optimizing compiler has started (as in any busy process). */
  readonly warm?: boolean;
}

export interface RunResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly events: number;
  readonly bookmarks: number;
  /** From just before the request to the last Pod event, ms. */
  readonly elapsedMs: number;
  /** CPU time (user + system) of the contender process over the same span, ms: less sensitive to other load. */
  readonly cpuMs: number;
  /** RSS after loading the contender and creating its client, just before the request. */
  readonly rssBeforeRequest: number;
  /** Peak RSS of the process (`resourceUsage().maxRSS`). */
  readonly peakRss: number;
  /** `heapUsed` after two forced GCs, taken inside the handler of the last Pod event (the pipeline still live). */
  readonly heapAfterGc: number;
  /** latency: µs from the server's write to the decoded event in the handler, one per measured event. */
  readonly latenciesUs?: number[];
  /** store: heap after GC with the store holding `n` Pods, minus the same before subscribing. */
  readonly storeHeapBytes?: number;
  readonly storeSize?: number;
  /** store: whether a stored Pod still carries `metadata.managedFields` (checks the transform was applied, or not). */
  readonly managedFieldsKept?: boolean;
  /** sync: ms from just before the informer starts (library loaded, client built) to its store holding `n` Pods. */
  readonly syncMs?: number;
  /** sync: CPU ms (user + system) over the same span. */
  readonly syncCpuMs?: number;
}

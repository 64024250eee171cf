import { asyncScheduler, defer, interval, map, startWith, type Observable, type SchedulerLike } from 'rxjs';

/**
 * A point-in-time view of a reconcile queue, shaped after client-go's workqueue metrics
 * (`util/workqueue/metrics.go`: depth, adds, retries, work duration, unfinished work, longest running processor),
 * plus the per-key failure counts the issue asks for. Counters (`adds`, `retries`, `runs`, `failures`,
 * `durationSum`) only grow over the life of the {@link QueueMetrics} object, across subscriptions, as Prometheus
 * counters must; gauges describe the subscription that is running now (zero when none).
 * @since 0.3.0
 */
export interface QueueMetricsSnapshot<K = string> {
  /** Keys waiting to run now (gate closed, or no free worker), both priorities. client-go's `depth`. */
  readonly depth: number;
  /** Of {@link depth}: keys waiting with low priority (initial list, relist). */
  readonly depthLow: number;
  /** Keys waiting for a later time (requeueAfter, delayed trigger, error backoff). */
  readonly delayed: number;
  /** Runs in progress. */
  readonly running: number;
  /** Triggers that queued a key not already waiting (client-go's `adds`; a trigger folded into a waiting key is not counted). */
  readonly adds: number;
  /** Triggers folded into a key that was already waiting or running (what deduplication saved). */
  readonly coalesced: number;
  /** Retries queued after a failed run (client-go's `retries`). */
  readonly retries: number;
  /** Runs that ended (any outcome). */
  readonly runs: number;
  /** Runs that ended with an error or a timeout. */
  readonly failures: number;
  /** Sum of the durations of the runs that ended, in ms (with {@link runs}: a Prometheus summary's `_sum`/`_count`). */
  readonly durationSum: number;
  /** How long the oldest run in progress has been running, in ms; 0 when none. client-go's `longest_running_processor`. */
  readonly longestRunning: number;
  /** The sum of how long each run in progress has been running, in ms. client-go's `unfinished_work`. */
  readonly unfinishedWork: number;
  /** Keys whose last runs failed, with their count of consecutive failures (reset by a success). */
  readonly keyFailures: ReadonlyMap<K, number>;
}

/** What a running queue tells its {@link QueueMetrics} about the present (internal). */
export interface QueueGauges<K> {
  depth(): number;
  depthLow(): number;
  delayed(): number;
  /** Start times of the runs in progress. */
  runStarts(): Iterable<number>;
  keyFailures(): ReadonlyMap<K, number>;
  now(): number;
}

/**
 * The metrics of a reconcile queue: pass one to `reconcileQueue({ metrics })`, read it with {@link snapshot} or
 * {@link snapshots$}. One object per queue; a bridge to `prom-client` reads snapshots (counters as counters, the rest
 * as gauges), and per-run durations come from the queue's result stream.
 *
 * @example
 * ```ts
 * const metrics = new QueueMetrics();
 * triggers$.pipe(reconcileQueue(worker, { metrics })).subscribe();
 * metrics.snapshots$(10_000).subscribe((m) => console.log(`depth ${m.depth}, running ${m.running}`));
 * ```
 * @since 0.3.0
 */
export class QueueMetrics<K = string> {
  private gauges: QueueGauges<K> | undefined;
  private counters = { adds: 0, coalesced: 0, retries: 0, runs: 0, failures: 0, durationSum: 0 };

  /** @internal Called by the queue: counts one event. */
  count(name: 'adds' | 'coalesced' | 'retries' | 'runs' | 'failures', by = 1): void {
    this.counters[name] += by;
  }

  /** @internal Called by the queue when a run ends. */
  observeDuration(ms: number): void {
    this.counters.runs += 1;
    this.counters.durationSum += ms;
  }

  /** @internal Called by the queue at subscription; the returned function detaches it. */
  attach(gauges: QueueGauges<K>): () => void {
    this.gauges = gauges;
    return () => {
      if (this.gauges === gauges) this.gauges = undefined;
    };
  }

  /**
   * The metrics now. Cost: O(runs in progress + failing keys).
   * @since 0.3.0
   */
  snapshot(): QueueMetricsSnapshot<K> {
    const g = this.gauges;
    let longestRunning = 0;
    let unfinishedWork = 0;
    let running = 0;
    if (g !== undefined) {
      const now = g.now();
      for (const start of g.runStarts()) {
        running += 1;
        longestRunning = Math.max(longestRunning, now - start);
        unfinishedWork += now - start;
      }
    }
    return {
      depth: g?.depth() ?? 0,
      depthLow: g?.depthLow() ?? 0,
      delayed: g?.delayed() ?? 0,
      running,
      ...this.counters,
      longestRunning,
      unfinishedWork,
      keyFailures: new Map(g?.keyFailures() ?? []),
    };
  }

  /**
   * A snapshot at subscription, then one every `period` ms (client-go's metrics update period is 500 ms; Prometheus
   * scrapes are usually 10 s or more). Never completes; unsubscribing stops the timer.
   * @param period - ms between snapshots.
   * @param scheduler - the timer's scheduler. Default `asyncScheduler`.
   * @since 0.3.0
   */
  snapshots$(period: number, scheduler: SchedulerLike = asyncScheduler): Observable<QueueMetricsSnapshot<K>> {
    return defer(() => interval(period, scheduler).pipe(startWith(-1), map(() => this.snapshot())));
  }
}

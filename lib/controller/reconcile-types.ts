import type { ObservableInput } from 'rxjs';

/**
 * How urgent a trigger is. `'low'` is for events that replay state (the informer's `initial` and `relist` origins),
 * `'high'` for live changes: a low key runs only when no high key is waiting, so a restart that replays 10,000
 * objects does not delay the one real change behind them (controller-runtime's priority queue,
 * `pkg/controller/priorityqueue`, gives initial-list events a low priority for the same reason).
 * @since 0.3.0
 */
export type ReconcilePriority = 'high' | 'low';

/**
 * Asks the queue to run the worker for a key.
 * @since 0.3.0
 */
export interface KeyTrigger<K = string> {
  /** The key, e.g. `namespace/name`. Keys are compared with `Map` semantics (`===`, so strings or numbers). */
  readonly key: K;
  /** Default `'high'`. A key waiting with low priority rises to high when a high trigger arrives for it. */
  readonly priority?: ReconcilePriority;
  /** Run no sooner than this many ms from now (client-go's `AddAfter`). Default `0`. The earliest request wins. */
  readonly after?: number;
  /**
   * Forget the key's failures first, so it runs without waiting for its error backoff: for a change known to fix
   * the failure (a Secret the key needs was created, say). Plain triggers never bypass a backoff.
   */
  readonly resetBackoff?: boolean;
}

/**
 * What the worker is given for one run.
 * @since 0.3.0
 */
export interface ReconcileContext<K = string> {
  /** The key to reconcile. */
  readonly key: K;
  /** 1 for the first run after a success (or ever), then 2, 3... while runs of the key keep failing. */
  readonly attempt: number;
  /** Aborted when the run times out ({@link ReconcileTimeoutError}) or the queue drains ({@link QueueDrainingError}). */
  readonly signal: AbortSignal;
}

/**
 * What a worker may return: nothing (done until the next trigger) or `{ requeueAfter }` (run again that many ms
 * after this run ends, unless something asks sooner).
 * @since 0.3.0
 */
export interface ReconcileAction {
  /** ms after the end of this run to run the key again. */
  readonly requeueAfter?: number;
}

/**
 * The worker of a reconcile queue: reconciles one key. It may return a value, a Promise or an Observable (the run
 * ends when it completes; its last value counts). Throwing, rejecting or erroring is a failure: the key is retried
 * with backoff.
 * @since 0.3.0
 */
export type ReconcileWorker<K = string> = (context: ReconcileContext<K>) => ReconcileAction | void | ObservableInput<ReconcileAction | void>;

/**
 * How a run ended: `'success'`, `'error'` (the worker failed), `'timeout'` (it ran past the queue's `timeout`),
 * `'aborted'` (it failed after the queue, draining, aborted its signal; not counted as a failure of the key).
 * @since 0.3.0
 */
export type ReconcileOutcome = 'success' | 'error' | 'timeout' | 'aborted';

/**
 * One record per run, emitted when the run ends.
 * @since 0.3.0
 */
export interface ReconcileResult<K = string> {
  /** The key that ran. */
  readonly key: K;
  /** How the run ended. */
  readonly outcome: ReconcileOutcome;
  /** The attempt number the worker was given. */
  readonly attempt: number;
  /** When the run started (the queue scheduler's `now()`, ms). */
  readonly startedAt: number;
  /** How long it ran, in ms. */
  readonly duration: number;
  /** The worker's `requeueAfter`, on a success that asked for one. */
  readonly requeueAfter?: number;
  /** The error, on `'error'`, `'timeout'` and `'aborted'`. */
  readonly error?: unknown;
  /** On `'error'` and `'timeout'`: the backoff before the key may run again, in ms. */
  readonly backoff?: number;
}

/**
 * What {@link ReconcileQueueConfig.onDrained} is told when a drain is over.
 * @since 0.3.0
 */
export interface DrainInfo<K = string> {
  /** Runs that ended during the drain. */
  readonly settled: number;
  /** Keys whose runs were still going at the drain deadline: the queue stopped waiting for them. */
  readonly abandoned: readonly K[];
}

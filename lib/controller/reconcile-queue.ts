import { asyncScheduler, from, isObservable, Observable, type ObservableInput, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { checkNonNegative, checkPositive } from '../operators/validate.js';
import { keyBackoff, type KeyBackoff, type KeyBackoffConfig } from './key-backoff.js';
import { QueueDrainingError, ReconcileTimeoutError } from './queue-errors.js';
import type { QueueMetrics } from './queue-metrics.js';
import { DueHeap, Fifo, type Entry } from './queue-order.js';
import type { DrainInfo, KeyTrigger, ReconcileAction, ReconcileOutcome, ReconcileResult, ReconcileWorker } from './reconcile-types.js';

/**
 * Options of {@link reconcileQueue}.
 * @since 0.3.0
 */
export interface ReconcileQueueConfig<K = string> {
  /** How many keys may run at once (an integer >= 1). Default `1`, as controller-runtime's `MaxConcurrentReconciles`. */
  readonly concurrency?: number;
  /** Per-key error backoff: a function of the failure count, or {@link keyBackoff}'s options. Default client-go's 5 ms doubling to 1000 s. */
  readonly backoff?: KeyBackoff | KeyBackoffConfig;
  /** Abort a run after this many ms (its signal gets a {@link ReconcileTimeoutError}; it counts as a failure). Default none. */
  readonly timeout?: number;
  /** How long a drain waits for running runs after aborting their signals, in ms. Default `30_000` (controller-runtime's `GracefulShutdownTimeout`). */
  readonly drainTimeout?: number;
  /**
   * Nothing runs before this emits (e.g. when every informer has synced); triggers queue meanwhile. Its first value
   * opens the gate for good; completing without a value leaves it shut; an error errors the output. Default: open.
   */
  readonly ready?: ObservableInput<unknown>;
  /** Where the queue writes its counters and gauges. */
  readonly metrics?: QueueMetrics<K>;
  /** Called once a drain is over (all runs settled, or the deadline passed), after unsubscribe as well. */
  readonly onDrained?: (info: DrainInfo<K>) => void;
  /** The scheduler of all waits (requeue, backoff, timeout, drain deadline) and of `now()`. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

const HIGH = 0;
const LOW = 1;
type Level = typeof HIGH | typeof LOW;
const NOWHERE = 0;
const READY = 1;
const DELAYED = 2;

interface Run {
  readonly attempt: number;
  readonly startedAt: number;
  readonly level: Level;
  /** Created when the worker first reads its `signal`: an `AbortController` costs more than the rest of a run. */
  controller?: AbortController;
  /** Why the run was aborted (timeout, drain), whether or not its signal was created yet. */
  abortReason?: unknown;
  subscription?: Subscription;
  timer?: Subscription;
}

/**
 * Everything the queue keeps per key: a few numbers, and the run when one is going. A key whose last run succeeded
 * and that nothing asks for again is forgotten (client-go's `Forget` + `Done`), so memory follows the keys in play.
 */
interface KeyState<K> {
  readonly key: K;
  run: Run | undefined;
  /** When the next run is wanted (earliest request wins); `Infinity`: none. */
  wantAt: number;
  /** Error backoff: no run before this time; `0` when the last run did not fail. */
  notBefore: number;
  /** Priority of the next run: the highest among the requests since the last run started. */
  level: Level;
  failures: number;
  where: typeof NOWHERE | typeof READY | typeof DELAYED;
  /** Sequence number of the key's one valid entry in a ready list or the due heap (lazy deletion). */
  seq: number;
  readyLevel: Level;
  dueAt: number;
}

/**
 * A reconcile work queue, as a pipeable operator: triggers in, one {@link ReconcileResult} out per run of `worker`.
 * It gives client-go's workqueue guarantees (`util/workqueue/queue.go`'s dirty and processing sets) and kube-rs's
 * (`runtime/src/scheduler.rs`, `controller/runner.rs`):
 *
 * 1. A key waiting to run is queued once, whatever the number of triggers.
 * 2. One run per key at a time; triggers during a run give exactly one more run after it.
 * 3. `requeueAfter` and `after`: the earliest requested time wins; a plain trigger runs the key at once. A run
 *    consumes every request made before it started (kube-rs's scheduler keeps one entry per key, at its earliest
 *    time): the worker returns a new `requeueAfter` if it still wants one.
 * 4. A failure backs the key off ({@link keyBackoff}, client-go's 5 ms doubling to 1000 s), a success resets it.
 *    Unlike client-go, a trigger never shortens a pending backoff (it is folded into the retry) and only a run
 *    counts a failure, so the wait after `n` failures is the backoff of `n` whatever the rate of events
 *    (kubernetes/kubernetes#132805: in client-go every event reruns at once and a failure adds to the exponent,
 *    reaching the 1000 s cap within seconds). `resetBackoff` on a trigger forgets the failures explicitly.
 * 5. At most `concurrency` runs at once, across keys.
 * 6. Keys with `'low'` priority run only when no `'high'` key is ready; a high trigger raises a waiting key
 *    (controller-runtime's `priorityqueue.go` likewise keeps "the max of the passed priorities and the min of possible
 *    durations"; but there an `Add` without `RateLimited` also skips a pending backoff, which we do not allow).
 * 7. A run that never ends holds one slot only; `timeout` aborts it (its result is `'timeout'`, and the key backs off;
 *    the queue stops waiting for it, though a worker that ignores its signal keeps running in the background).
 *
 * Time: one scheduler action at a time, for the earliest due key (not one timer per key), plus one per run with a
 * `timeout`. Everything runs on `scheduler`, so the queue is marble-testable in virtual time.
 *
 * Cold: nothing happens before subscribe; each subscription is a queue of its own. Errors when the triggers error
 * (or `ready` does). When the triggers complete, the queue drains and then completes: no new run starts (waiting and
 * delayed keys are dropped), the running ones see their signal aborted with a {@link QueueDrainingError}, their
 * results are emitted as they end, and the output completes when the last one ends or `drainTimeout` passes.
 * Unsubscribing drains the same way, without emitting; `onDrained` says when the drain is over (a controller then
 * stops its informers).
 *
 * @param worker - reconciles one key; see {@link ReconcileWorker}.
 * @param config - see {@link ReconcileQueueConfig}.
 * @throws TypeError - at call time, for an invalid option.
 * @example
 * ```ts
 * const results$ = triggers$.pipe(
 *   reconcileQueue(async ({ key, signal }) => {
 *     await syncOne(key, signal);
 *     return { requeueAfter: 60_000 };
 *   }, { concurrency: 4, ready: synced$ }),
 * );
 * results$.subscribe((r) => console.log(r.key, r.outcome, r.duration));
 * ```
 * @since 0.3.0
 */
export function reconcileQueue<K = string>(worker: ReconcileWorker<K>, config: ReconcileQueueConfig<K> = {}): OperatorFunction<KeyTrigger<K>, ReconcileResult<K>> {
  const name = 'reconcileQueue';
  const { concurrency = 1, timeout, drainTimeout = 30_000, ready, metrics, onDrained, scheduler = asyncScheduler } = config;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new TypeError(`${name}: concurrency must be an integer >= 1`);
  checkPositive(name, 'timeout', timeout);
  checkNonNegative(name, 'drainTimeout', drainTimeout);
  const backoff: KeyBackoff = typeof config.backoff === 'function' ? config.backoff : keyBackoff(config.backoff);

  return (triggers) =>
    new Observable<ReconcileResult<K>>((subscriber) => {
      const states = new Map<K, KeyState<K>>();
      const readyLists: [Fifo<KeyState<K>>, Fifo<KeyState<K>>] = [new Fifo(), new Fifo()];
      const readyCounts = [0, 0];
      const heap = new DueHeap<KeyState<K>>();
      let delayedCount = 0;
      const running = new Set<KeyState<K>>();
      const failing = new Set<KeyState<K>>();
      let seq = 0;
      let open = ready === undefined;
      let pumping = false;
      let timer: Subscription | undefined;
      let timerAt = Infinity;
      let draining = false;
      let drainArmed = false;
      let drainTimer: Subscription | undefined;
      let settled = 0;
      let completeOnDrain = false;

      const detachMetrics = metrics?.attach({
        depth: () => readyCounts[HIGH]! + readyCounts[LOW]!,
        depthLow: () => readyCounts[LOW]!,
        delayed: () => delayedCount,
        runStarts: () => [...running].map((s) => s.run?.startedAt ?? scheduler.now()),
        keyFailures: () => new Map([...failing].map((s) => [s.key, s.failures])),
        now: () => scheduler.now(),
      });

      const valid = (entry: Entry<KeyState<K>>): boolean => entry.seq === entry.item.seq;

      const unplace = (s: KeyState<K>): void => {
        if (s.where === READY) readyCounts[s.readyLevel]! -= 1;
        else if (s.where === DELAYED) delayedCount -= 1;
        s.where = NOWHERE;
        s.seq = 0;
      };

      /** Puts a key that is not running where its wants say: nowhere (forgotten when clean), ready, or due later. */
      const place = (s: KeyState<K>, viaTimer: boolean): void => {
        if (s.run !== undefined || draining) return;
        if (s.wantAt === Infinity) {
          unplace(s);
          if (s.failures === 0) states.delete(s.key);
          return;
        }
        const at = Math.max(s.wantAt, s.notBefore);
        // A rerun the worker asked for goes through the timer even when due now, so a synchronous worker that
        // requeues with 0 ms yields to the scheduler instead of spinning.
        if (at <= scheduler.now() && !viaTimer) {
          if (s.where === READY && s.readyLevel === s.level) return;
          unplace(s);
          s.seq = ++seq;
          s.where = READY;
          s.readyLevel = s.level;
          readyCounts[s.level]! += 1;
          readyLists[s.level].push({ item: s, seq: s.seq });
          return;
        }
        if (s.where === DELAYED && s.dueAt === at) return;
        unplace(s);
        s.seq = ++seq;
        s.where = DELAYED;
        s.dueAt = at;
        delayedCount += 1;
        heap.push({ item: s, seq: s.seq, at });
        arm();
      };

      /** Keeps one scheduler action, for the earliest due key (kube-rs's scheduler polls one `DelayQueue` the same way). */
      const arm = (): void => {
        let top = heap.peek();
        while (top !== undefined && !valid(top)) {
          heap.pop();
          top = heap.peek();
        }
        if (top === undefined) return;
        if (timer !== undefined && timerAt <= top.at) return;
        timer?.unsubscribe();
        timerAt = top.at;
        timer = scheduler.schedule(fire, Math.max(0, top.at - scheduler.now()));
      };

      const fire = (): void => {
        timer = undefined;
        timerAt = Infinity;
        const now = scheduler.now();
        for (let top = heap.peek(); top !== undefined && (!valid(top) || top.at <= now); top = heap.peek()) {
          heap.pop();
          if (!valid(top)) continue;
          unplace(top.item);
          place(top.item, false);
        }
        arm();
        pump();
      };

      const popReady = (): KeyState<K> | undefined => {
        for (const list of readyLists) {
          for (let entry = list.shift(); entry !== undefined; entry = list.shift()) {
            if (!valid(entry)) continue;
            unplace(entry.item);
            return entry.item;
          }
        }
        return undefined;
      };

      /** Starts runs while slots are free. Re-entrant calls (a synchronous worker ending inside `start`) fall through to this loop. */
      const pump = (): void => {
        if (pumping) return;
        pumping = true;
        try {
          while (open && !draining && running.size < concurrency) {
            const s = popReady();
            if (s === undefined) break;
            start(s);
          }
        } finally {
          pumping = false;
        }
      };

      const start = (s: KeyState<K>): void => {
        const run: Run = { attempt: s.failures + 1, startedAt: scheduler.now(), level: s.level };
        s.run = run;
        s.wantAt = Infinity;
        s.level = LOW;
        running.add(s);
        if (timeout !== undefined) {
          run.timer = scheduler.schedule(() => {
            const error = new ReconcileTimeoutError(String(s.key), timeout);
            // End first, so a worker that fails as soon as its signal aborts is still recorded as a timeout.
            end(s, run, 'timeout', undefined, error);
            abort(run, error);
          }, timeout);
        }
        let output: ReturnType<ReconcileWorker<K>>;
        try {
          output = worker({
            key: s.key,
            attempt: run.attempt,
            get signal() {
              return signalOf(run);
            },
          });
        } catch (error) {
          end(s, run, 'error', undefined, error);
          return;
        }
        if (isObservable(output) || isPromiseLike(output)) {
          let last: unknown;
          const subscription = from(output as ObservableInput<unknown>).subscribe({
            next: (value) => (last = value),
            error: (error: unknown) => end(s, run, 'error', undefined, error),
            complete: () => end(s, run, 'success', last),
          });
          if (s.run === run) run.subscription = subscription;
        } else {
          end(s, run, 'success', output);
        }
      };

      const end = (s: KeyState<K>, run: Run, ended: ReconcileOutcome, value: unknown, error?: unknown): void => {
        if (s.run !== run) return; // already ended (timed out, abandoned)
        run.timer?.unsubscribe();
        run.subscription?.unsubscribe();
        s.run = undefined;
        running.delete(s);
        const now = scheduler.now();
        const duration = now - run.startedAt;
        const outcome: ReconcileOutcome = ended === 'error' && run.abortReason instanceof QueueDrainingError ? 'aborted' : ended;
        const triggeredMeanwhile = s.wantAt !== Infinity;
        let result: ReconcileResult<K> = { key: s.key, outcome, attempt: run.attempt, startedAt: run.startedAt, duration };
        if (outcome === 'error' || outcome === 'timeout') {
          s.failures += 1;
          failing.add(s);
          const wait = backoff(s.failures);
          // The backoff is a floor for every request, triggers included: see guarantee 4 above.
          s.notBefore = now + wait;
          s.wantAt = now;
          s.level = Math.min(s.level, run.level) as Level;
          metrics?.count('failures');
          metrics?.count('retries');
          result = { ...result, error, backoff: wait };
        } else if (outcome === 'success') {
          s.failures = 0;
          s.notBefore = 0;
          failing.delete(s);
          const requeueAfter = requeueAfterOf(value);
          if (requeueAfter !== undefined) {
            s.wantAt = Math.min(s.wantAt, now + requeueAfter);
            s.level = Math.min(s.level, run.level) as Level;
            result = { ...result, requeueAfter };
          }
        } else {
          result = { ...result, error };
        }
        metrics?.observeDuration(duration);
        if (draining) settled += 1;
        subscriber.next(result);
        if (draining) {
          if (drainArmed && running.size === 0) finishDrain([]);
          return;
        }
        place(s, !triggeredMeanwhile);
        pump();
      };

      const trigger = (t: KeyTrigger<K>): void => {
        if (draining) return;
        let s = states.get(t.key);
        if (s === undefined) {
          s = { key: t.key, run: undefined, wantAt: Infinity, notBefore: 0, level: LOW, failures: 0, where: NOWHERE, seq: 0, readyLevel: LOW, dueAt: 0 };
          states.set(t.key, s);
        }
        const after = typeof t.after === 'number' && t.after > 0 ? t.after : 0;
        metrics?.count(s.wantAt === Infinity ? 'adds' : 'coalesced');
        if (t.resetBackoff === true && s.failures > 0) {
          s.failures = 0;
          s.notBefore = 0;
          failing.delete(s);
        }
        s.wantAt = Math.min(s.wantAt, scheduler.now() + after);
        if (t.priority !== 'low') s.level = HIGH;
        place(s, false);
        pump();
      };

      const finishDrain = (abandoned: K[]): void => {
        drainTimer?.unsubscribe();
        drainArmed = false;
        detachMetrics?.();
        if (completeOnDrain) subscriber.complete();
        onDrained?.({ settled, abandoned });
      };

      /** No new run; abort the running ones and wait for them up to `drainTimeout` (controller-runtime's graceful shutdown). */
      const drain = (complete: boolean): void => {
        if (draining) return;
        draining = true;
        completeOnDrain = complete;
        timer?.unsubscribe();
        gate?.unsubscribe();
        heap.clear();
        for (const list of readyLists) list.clear();
        readyCounts[HIGH] = readyCounts[LOW] = delayedCount = 0;
        const reason = new QueueDrainingError();
        for (const s of [...running]) if (s.run !== undefined) abort(s.run, reason);
        if (running.size === 0) {
          finishDrain([]);
          return;
        }
        drainArmed = true;
        drainTimer = scheduler.schedule(() => {
          const abandoned = [...running];
          for (const s of abandoned) {
            s.run?.timer?.unsubscribe();
            s.run?.subscription?.unsubscribe();
            s.run = undefined;
          }
          running.clear();
          finishDrain(abandoned.map((s) => s.key));
        }, drainTimeout);
      };

      const gate: Subscription | undefined =
        ready === undefined
          ? undefined
          : from(ready).subscribe({
              next: () => {
                if (open) return;
                open = true;
                pump();
              },
              error: (error: unknown) => subscriber.error(error),
            });

      const input = triggers.subscribe({
        next: trigger,
        error: (error: unknown) => subscriber.error(error),
        complete: () => drain(true),
      });

      return () => {
        input.unsubscribe();
        gate?.unsubscribe();
        drain(false);
      };
    });
}

function signalOf(run: Run): AbortSignal {
  if (run.controller === undefined) {
    run.controller = new AbortController();
    if (run.abortReason !== undefined) run.controller.abort(run.abortReason);
  }
  return run.controller.signal;
}

function abort(run: Run, reason: unknown): void {
  run.abortReason ??= reason;
  run.controller?.abort(reason);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function requeueAfterOf(value: unknown): number | undefined {
  const after = typeof value === 'object' && value !== null ? (value as ReconcileAction).requeueAfter : undefined;
  return typeof after === 'number' && Number.isFinite(after) && after >= 0 ? after : undefined;
}

import { asyncScheduler, combineLatest, distinctUntilChanged, filter, map, merge, Observable, Subject, take, type Subscription } from 'rxjs';
import { Informer } from '../informer/informer.js';
import type { InformerOptions } from '../informer/informer-options.js';
import type { InformerState } from '../informer/informer-state.js';
import type { InformerObject, InformerSource } from '../informer/informer-source.js';
import type { ControllerOptions, ControllerResult, KeyMapper, Reconciler } from './controller-options.js';
import { mappedTriggers, ownerTriggers, primaryTriggers, type PrimaryKind } from './controller-triggers.js';
import { QueueMetrics, type QueueMetricsSnapshot } from './queue-metrics.js';
import { reconcileQueue, type ReconcileQueueConfig } from './reconcile-queue.js';
import type { KeyTrigger, ReconcileWorker } from './reconcile-types.js';

/** One informer of the controller: its state, and its events as triggers (the primary's are built in `run`). */
interface Source {
  readonly state$: Observable<InformerState>;
  readonly triggers$: Observable<KeyTrigger>;
}

/**
 * A controller: keeps the world equal to what the objects of one kind (the primary) ask for, by running a
 * reconcile function per object key, with the guarantees of the reconcile queue ({@link reconcileQueue}: one run
 * per key at a time, deduplication, `requeueAfter`, per-key error backoff that events cannot bypass, priorities,
 * `concurrency`, `timeout`, drain). It follows kube-rs's `Controller` (`runtime/src/controller/mod.rs`: `owns`,
 * `watches`, `run`) and controller-runtime's builder (`For`, `Owns`, `Watches`), as a cold Observable.
 *
 * - Triggers: a primary object's change queues its own key; a change of an object of an {@link Controller.owns owned}
 *   kind queues the key of its controller owner (the `controller: true` ownerReference of the primary's kind and
 *   group, in the same namespace), and of its previous owner when that changed; a change of a
 *   {@link Controller.watches watched} kind queues the keys its mapper returns. Events replaying state (informer
 *   origin `initial`, `relist`, `restored`) queue with `'low'` priority, live ones with `'high'`, so a restart's
 *   10,000 initial keys do not delay a real change (controller-runtime's priority queue). BOOKMARKs are ignored.
 * - Nothing runs before every informer of the controller has synced (their `state$` all say `synced`), as
 *   controller-runtime waits for its caches (`WaitForCacheSync`) and kube-rs for its stores (`wait_until_ready`).
 * - A run gets the latest object of the primary informer at its start, never an event's copy (which may be stale
 *   by the time the key's turn comes).
 * - A primary object deleted (gone from the store) before its run is skipped: the reconcile function is not called,
 *   and the run's result says `skipped: 'notFound'`. This is kube-rs's choice (its `applier` yields
 *   `Error::ObjectNotFound` instead of calling the reconciler), not controller-runtime's (which calls with a key whose
 *   Get returns not-found). Why: the reconcile function always has an object (typed `T`, never
 *   `T | undefined`); cleanup that must happen belongs in a finalizer, which keeps the object (with a
 *   `deletionTimestamp`) in the store until the reconcile has cleaned up and removed it, whereas a not-found call
 *   is missed whenever the deletion happens while the controller is down; children are removed by the garbage
 *   collector through their ownerReferences.
 *
 * `run` is cold: nothing (no watch, no run) happens before subscribe. Unsubscribing drains: no new run starts, the
 * running ones see their `signal` aborted and are awaited up to `drainTimeout`; then the informers stop (their
 * watches close). Each subscription is a controller of its own (own queue); informers are shared between them.
 *
 * @example
 * ```ts
 * const controller = new Controller(deployments, { concurrency: 4 })
 *   .owns(replicaSets)
 *   .watches(configMaps, (cm) => keysThatUse(cm));
 * const subscription = controller
 *   .run(async (deployment, { key, attempt, signal }) => {
 *     await makeTheWorldMatch(deployment, signal);
 *     return { requeueAfter: 60_000 };
 *   })
 *   .subscribe((r) => console.log(r.key, r.outcome, r.duration));
 * process.on('SIGTERM', () => subscription.unsubscribe()); // drains
 * ```
 * @since 0.3.0
 */
export class Controller<T extends InformerObject> {
  /**
   * The queue's metrics (depth, adds, retries, runs, failures, durations, longest running, per-key failures):
   * `controller.metrics.snapshot()` reads them now. The `metrics` option, or one made for this controller.
   * @since 0.3.0
   */
  readonly metrics: QueueMetrics<string>;
  /**
   * A {@link QueueMetricsSnapshot} at subscription, then every `metricsPeriod` ms (default 10 s) on the
   * controller's scheduler, e.g. to log queue depth. Never completes; independent of `run`'s subscription (zero
   * gauges when not running; counters grow over the controller's life).
   * @since 0.3.0
   */
  readonly metrics$: Observable<QueueMetricsSnapshot<string>>;
  readonly #primary: Informer<T>;
  readonly #kind: PrimaryKind;
  readonly #queue: Omit<ReconcileQueueConfig<string>, 'ready'>;
  readonly #scheduler: NonNullable<ControllerOptions['scheduler']>;
  readonly #sources: Source[] = [];
  #started = false;

  /**
   * A controller of the objects of `api` (an `Api`, or any informer source such as the test kit's `StubApi`).
   * @param api - the primary kind.
   * @param options - the queue's options and the primary informer's; see {@link ControllerOptions}.
   * @throws TypeError - at once, for an invalid queue or informer option.
   * @since 0.3.0
   */
  constructor(api: InformerSource<T>, options: ControllerOptions<T> = {}) {
    const { concurrency, backoff, timeout, drainTimeout, metrics, onDrained, scheduler, informerBackoff, metricsPeriod = 10_000, ...informerOptions } = options;
    this.#scheduler = scheduler ?? asyncScheduler;
    this.metrics = metrics ?? new QueueMetrics<string>();
    this.#queue = defined({ concurrency, backoff, timeout, drainTimeout, onDrained, metrics: this.metrics, scheduler: this.#scheduler });
    reconcileQueue(() => undefined, this.#queue); // throws its TypeError now for an invalid option, not at subscribe
    // `new Informer(api)` is what `api.informer()` does, and works for any InformerSource (the test kit's StubApi too).
    this.#primary = new Informer<T>(api, { ...(informerOptions as InformerOptions<T>), ...defined({ backoff: informerBackoff }), scheduler: this.#scheduler });
    const { apiVersion, kind, namespaced } = api.resource;
    this.#kind = { apiVersion, kind, namespaced };
    this.metrics$ = this.metrics.snapshots$(metricsPeriod, this.#scheduler);
  }

  /**
   * Reconciles the controller owner of each object of `api` when that object changes (or is deleted): the owner
   * named by its `controller: true` ownerReference, when that is of the primary kind (same kind and API group) in the
   * object's namespace. Objects without such a reference trigger nothing.
   * @param api - the owned kind (ReplicaSets of Deployments, say).
   * @param options - its informer's options (e.g. a `labelSelector` to watch only your children). The scheduler
   *   defaults to the controller's.
   * @returns this controller.
   * @throws Error - after {@link Controller.run}.
   * @since 0.3.0
   */
  owns<C extends InformerObject>(api: InformerSource<C>, options: InformerOptions<C> = {}): this {
    this.#checkNotStarted('owns');
    const kind = this.#kind;
    const informer = new Informer<C>(api, { scheduler: this.#scheduler, ...options });
    this.#sources.push({ state$: informer.state$, triggers$: informer.events$.pipe(ownerTriggers<C>(kind)) });
    return this;
  }

  /**
   * Reconciles the primary keys `mapper` returns for each change of an object of `api` (a ConfigMap that several
   * primaries read, say): zero, one or many keys; a deletion calls it with the last known object.
   * @param api - the watched kind.
   * @param mapper - object to primary keys (`namespace/name`, or `name` for a cluster-scoped primary).
   * @param options - its informer's options. The scheduler defaults to the controller's.
   * @returns this controller.
   * @throws Error - after {@link Controller.run}.
   * @since 0.3.0
   */
  watches<W extends InformerObject>(api: InformerSource<W>, mapper: KeyMapper<W>, options: InformerOptions<W> = {}): this {
    this.#checkNotStarted('watches');
    if (typeof mapper !== 'function') throw new TypeError('Controller.watches: mapper must be a function');
    const informer = new Informer<W>(api, { scheduler: this.#scheduler, ...options });
    this.#sources.push({ state$: informer.state$, triggers$: informer.events$.pipe(mappedTriggers<W>(mapper)) });
    return this;
  }

  /**
   * The controller, as a cold Observable of one {@link ControllerResult} per run (key, outcome, attempt, duration,
   * error, backoff, `skipped: 'notFound'` for a deleted object). Subscribing starts the informers and, once they have
   * all synced, the runs; unsubscribing drains (see {@link Controller}). Errors when an informer fails
   * unrecoverably (401, 403, 404...) or a `watches` mapper throws; never completes otherwise.
   * @param reconcile - see {@link Reconciler}.
   * @throws TypeError - when `reconcile` is not a function.
   * @since 0.3.0
   */
  run(reconcile: Reconciler<T>): Observable<ControllerResult> {
    if (typeof reconcile !== 'function') throw new TypeError('Controller.run: reconcile must be a function');
    this.#started = true;
    const primary = this.#primary;
    const others = [...this.#sources];
    const config = this.#queue;
    return new Observable<ControllerResult>((subscriber) => {
      const skipped = new Set<string>(); // keys whose current run found no object
      const triggers = new Subject<KeyTrigger>();
      let informers: Subscription | undefined;
      let stopped = false;
      const stopInformers = (): void => {
        stopped = true;
        informers?.unsubscribe();
      };
      const worker: ReconcileWorker = (context) => {
        const object = primary.get(context.key); // the latest state, from the informer's store
        if (object === undefined) {
          skipped.add(context.key);
          return undefined;
        }
        return reconcile(object, context);
      };
      const states = [primary.state$, ...others.map((s) => s.state$)];
      const synced = combineLatest(states.map((state$) => state$.pipe(map((s) => s.synced), distinctUntilChanged()))).pipe(
        filter((states) => states.every(Boolean)),
        take(1),
      );
      // The queue unsubscribes its input at once on unsubscribe, but running reconciles may still read the store
      // and the cluster: the informers are held by a subscription of their own, fed to the queue through a
      // Subject, and released only when the drain is over (onDrained).
      const results = triggers
        .pipe(
          reconcileQueue(worker, {
            ...config,
            ready: synced,
            onDrained: (info) => {
              stopInformers();
              config.onDrained?.(info);
            },
          }),
          map((r): ControllerResult => (skipped.delete(r.key) ? { ...r, skipped: 'notFound' } : r)),
        )
        .subscribe(subscriber);
      if (!stopped) {
        informers = merge(primary.events$.pipe(primaryTriggers()), ...others.map((s) => s.triggers$)).subscribe({
          next: (trigger) => triggers.next(trigger),
          error: (error: unknown) => subscriber.error(error),
        });
      }
      return () => results.unsubscribe();
    });
  }

  #checkNotStarted(method: string): void {
    if (this.#started) throw new Error(`Controller.${method}: call it before run()`);
  }
}

/** The object without its `undefined` properties (exactOptionalPropertyTypes). */
function defined<O extends object>(object: O): { [K in keyof O]: Exclude<O[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as { [K in keyof O]: Exclude<O[K], undefined> };
}

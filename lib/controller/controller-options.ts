/** The options and types of a {@link Controller} (split out of controller.ts). */
import type { ObservableInput } from 'rxjs';
import type { InformerOptions } from '../informer/informer-options.js';
import type { ReconcileQueueConfig } from './reconcile-queue.js';
import type { ReconcileAction, ReconcileContext, ReconcileResult } from './reconcile-types.js';

/**
 * Options of a {@link Controller}: the reconcile queue's (`concurrency`, `backoff`, `timeout`, `drainTimeout`,
 * `metrics`, `scheduler`, `onDrained`) and the informer options of the primary kind (`namespace`, `namespaces`,
 * `labelSelector`, `fieldSelector`, `transform`, `checkpoint`, ...).
 *
 * Two names exist on both sides: `backoff` is the queue's per-key error backoff (client-go's 5 ms doubling to
 * 1000 s), so the primary informer's connection backoff is `informerBackoff`; `scheduler` is shared: the queue and
 * every informer of the controller (unless their own options name one) run on it, so a `TestScheduler` drives the
 * whole controller in virtual time.
 * @since 0.3.0
 */
export interface ControllerOptions<T = unknown> extends Omit<ReconcileQueueConfig<string>, 'ready'>, Omit<InformerOptions<T>, 'backoff' | 'scheduler'> {
  /** The primary informer's backoff for transient connection failures (its `backoff` option). */
  readonly informerBackoff?: InformerOptions<T>['backoff'];
  /** The period of {@link Controller.metrics$}, in ms. Default `10_000`. */
  readonly metricsPeriod?: number;
}

/**
 * What a controller's reconcile function is given besides the object: the queue's {@link ReconcileContext}
 * (`key`, `attempt`, `signal`).
 * @since 0.3.0
 */
export type ControllerContext = ReconcileContext<string>;

/**
 * A controller's reconcile function: makes the world match `object`, the latest version of the primary object in
 * the informer's store when the run starts. It may return nothing (done until the next change),
 * `{ requeueAfter }`, or a Promise or Observable of those; throwing, rejecting or erroring retries with backoff.
 * Watch `context.signal`: it is aborted at the queue's `timeout` and when the controller drains.
 * @since 0.3.0
 */
export type Reconciler<T> = (object: T, context: ControllerContext) => ReconcileAction | void | ObservableInput<ReconcileAction | void>;

/**
 * Maps an object of a watched kind to the keys (`namespace/name`, or `name` at cluster scope) of the primary
 * objects to reconcile: none, one or many. Called for every change of the watched kind, deletions included (with
 * the last known object), so keep it fast; a mapper that throws ends the controller with that error.
 * @since 0.3.0
 */
export type KeyMapper<W> = (object: W) => Iterable<string> | string | null | undefined;

/**
 * One record per reconcile run: the queue's {@link ReconcileResult}, plus `skipped: 'notFound'` when the primary
 * object was no longer in the store at run start, so the reconcile function was not called (its outcome is then
 * `'success'`).
 * @since 0.3.0
 */
export type ControllerResult = ReconcileResult<string> & {
  /** `'notFound'`: the object was deleted (gone from the store) before the run; the reconcile function was not called. */
  readonly skipped?: 'notFound';
};

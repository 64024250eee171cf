/** The reconcile runtime (issue #15): the work queue, and the helpers a controller needs (finalizers, owner references, events). */
export { reconcileQueue, type ReconcileQueueConfig } from './reconcile-queue.js';
export type {
  DrainInfo,
  KeyTrigger,
  ReconcileAction,
  ReconcileContext,
  ReconcileOutcome,
  ReconcilePriority,
  ReconcileResult,
  ReconcileWorker,
} from './reconcile-types.js';
export { keyBackoff, type KeyBackoff, type KeyBackoffConfig } from './key-backoff.js';
export { QueueMetrics, type QueueMetricsSnapshot } from './queue-metrics.js';
export { QueueDrainingError, ReconcileTimeoutError } from './queue-errors.js';
export { finalizer, finalizerState, FinalizerError, type FinalizerContext, type FinalizerHandlers, type FinalizerOptions, type FinalizerState, type HandlerResult } from './finalizer.js';
export { controllerReference, ownedBy, controllerOf, controllerKeyOf, AlreadyOwnedError, type OwnerReference, type OwnerKind } from './owner-reference.js';
export { EventRecorder, type EventRecorderOptions, type EventInput, type RecordOutcome, type EventsV1Event } from './event-recorder.js';
export type { ObjectReference } from './event-key.js';
export type { ObjectLike } from './object-ref.js';
export { Controller } from './controller.js';
export type { ControllerContext, ControllerOptions, ControllerResult, KeyMapper, Reconciler } from './controller-options.js';

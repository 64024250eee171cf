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
export { Controller } from './controller.js';
export type { ControllerContext, ControllerOptions, ControllerResult, KeyMapper, Reconciler } from './controller-options.js';

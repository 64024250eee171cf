import { KubexError } from '../errors/kubex-error.js';

/**
 * The reason a reconcile's `signal` is aborted when it ran longer than the queue's `timeout`. The run counts as a
 * failure (outcome `'timeout'`) and the key backs off.
 * @since 0.3.0
 */
export class ReconcileTimeoutError extends KubexError {
  /** The class name, `ReconcileTimeoutError`. */
  override readonly name: string = 'ReconcileTimeoutError';
  /** The timeout that was exceeded, in ms. */
  readonly timeout: number;

  constructor(key: string, timeout: number) {
    super(`reconcile of ${key} did not end within ${timeout} ms`);
    this.timeout = timeout;
  }
}

/**
 * The reason a reconcile's `signal` is aborted when the queue drains (its subscriber unsubscribed, or its trigger
 * source ended). A run that then fails has outcome `'aborted'`; it does not count as a failure of the key.
 * @since 0.3.0
 */
export class QueueDrainingError extends KubexError {
  /** The class name, `QueueDrainingError`. */
  override readonly name: string = 'QueueDrainingError';

  constructor() {
    super('the reconcile queue is draining');
  }
}

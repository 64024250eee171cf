import { ServiceUnavailableException } from '@nestjs/common';
import {
  asyncScheduler, catchError, filter, firstValueFrom, mergeMap, race, take, throwError, throwIfEmpty, timeout, type SchedulerLike,
} from 'rxjs';
import type { Informer, InformerObject, InformerState } from '../informer/informer.js';
import { describeError, informerHealth, type InformerHealthDetails } from './health.js';
import { informerDiagnostics } from './lifetime.js';

/**
 * Options of {@link syncedStore}.
 * @since 0.2.0
 */
export interface SyncedStoreOptions {
  /**
   * How long (ms) to wait for an informer that is still connecting or syncing before answering 503. Default
   * 10 000. An informer whose last attempt failed answers at once: waiting would only hold the request.
   */
  readonly timeout?: number;
  /** The scheduler of the timeout (tests pass a `TestScheduler`). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * The body of the 503 {@link syncedStore} throws: Nest's usual error fields, and the informer's health details
 * (phase, synced, attempt, delay, error).
 * @since 0.2.0
 */
export interface SyncedStoreUnavailableBody {
  /** 503. */
  readonly statusCode: 503;
  /** `Service Unavailable`. */
  readonly error: 'Service Unavailable';
  /** What is wrong, e.g. `Pod informer is not in sync: TransportError: request to http://... failed`. */
  readonly message: string;
  /** The informer's state when the request gave up (see `informerHealth`). */
  readonly informer: InformerHealthDetails;
}

/** Not in sync, and its last attempt failed: waiting would only hold the request. */
function inTrouble(state: InformerState): boolean {
  return !state.synced && (state.phase === 'backingOff' || state.phase === 'stalled' || state.phase === 'failed');
}

/**
 * The store of an informer once it holds the complete state, for a request handler: resolves at once when the
 * informer is in sync (or has synced and is recovering from transient trouble, serving its last complete state,
 * as `informerHealth` counts it up). Otherwise it never leaves a request hanging: it throws Nest's
 * `ServiceUnavailableException` (HTTP 503, a {@link SyncedStoreUnavailableBody} naming the informer's error)
 *
 * - at once, when the informer has not synced yet and its last attempt failed (the cluster is unreachable, a 5xx,
 *   ...), or when it stopped on an unrecoverable error (401, 403, 404, ...): a failed informer is not restarted
 *   by request traffic;
 * - after `timeout` ms (default 10 s) when it is still connecting or syncing (a server that accepts the connection
 *   and says nothing);
 * - when the application shuts down while it waits.
 *
 * Meant for informers that something keeps open, such as those `KubexModule` provides (`informer: true`): it
 * subscribes only for the wait, and an informer nobody else holds would open and close its watch per call. The
 * informer's trouble itself is logged by `KubexModule` (Nest `Logger`, context `KubexModule`), once per attempt,
 * not per request.
 *
 * @example
 * ```ts
 * @Get('pods')
 * async list(): Promise<Pod[]> {
 *   return [...(await syncedStore(this.informer)).values()]; // or a 503 naming the informer's error
 * }
 * ```
 * @since 0.2.0
 */
export async function syncedStore<T extends InformerObject>(informer: Informer<T>, options: SyncedStoreOptions = {}): Promise<ReadonlyMap<string, T>> {
  const ms = options.timeout ?? 10_000;
  if (!(ms > 0) || !Number.isFinite(ms)) throw new TypeError('syncedStore: timeout must be a positive number of milliseconds');
  const { label } = informerDiagnostics(informer);
  const unavailable = (why: string): ServiceUnavailableException => {
    const body: SyncedStoreUnavailableBody = {
      statusCode: 503,
      error: 'Service Unavailable',
      message: `${label} ${why}`,
      informer: informerHealth(informer).details,
    };
    return new ServiceUnavailableException(body);
  };
  const because = (error: unknown): string => (error === undefined ? '' : `: ${describeError(error)}`);

  // A failed informer stays failed: subscribing again would start a new session, one per request.
  const current = informer.state;
  if (current.phase === 'failed') throw unavailable(`stopped${because(current.error)}`);

  const trouble$ = informer.state$.pipe(
    filter(inTrouble),
    take(1),
    mergeMap((state) => throwError(() => unavailable(`${state.phase === 'failed' ? 'stopped' : 'is not in sync'}${because('error' in state ? state.error : undefined)}`))),
  );
  return firstValueFrom(
    // store$ first: an informer in sync emits its store at once, and wins before its state is looked at.
    race(informer.store$, trouble$).pipe(
      timeout({
        first: ms,
        scheduler: options.scheduler ?? asyncScheduler,
        with: () => throwError(() => unavailable(`is not in sync after ${ms} ms (${informer.state.phase})${because(informerDiagnostics(informer).lastError)}`)),
      }),
      throwIfEmpty(() => unavailable('stopped: the application is shutting down')),
      catchError((error: unknown) => throwError(() => (error instanceof ServiceUnavailableException ? error : unavailable(`stopped${because(error)}`)))),
    ),
  );
}

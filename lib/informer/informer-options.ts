/** The options of an {@link Informer} and their validation (split out of informer.ts). */
import type { SchedulerLike } from 'rxjs';
import { validateWatchOptions, type WatchOptions } from '../api/watch-options.js';
import type { RetryWithBackoffConfig } from '../operators/retry-with-backoff.js';
import type { Resource } from '../resource/define-resource.js';
import { validateNamespaces } from './informer-namespaces.js';
import type { TransformError } from './transform-events.js';
import type { CheckpointOptions } from './checkpointing.js';

/**
 * Options of {@link Informer} (`api.informer(options)`). `T` (since 0.3.0) is the type of the objects, for
 * `transform`; its default lets options be written before the type is known (`const fast: InformerOptions = ...`).
 * @since 0.1.0
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the default must be assignable to every InformerOptions<T>
export interface InformerOptions<T = any> extends Pick<WatchOptions, 'namespace' | 'labelSelector' | 'fieldSelector' | 'maxLineBytes'>, CheckpointOptions {
  /**
   * Several namespaces, one informer: one watch per namespace (each with its own resume position, watch-list or
   * list + watch mode and backoff), one store, one `events$`, `state$` and `rejected$`. For users whose RBAC allows
   * only some namespaces, where a cluster-wide watch is forbidden. Exclusive with `namespace`; each a namespace
   * name, no duplicates; not for cluster-scoped resources.
   *
   * A relist of one namespace (after a 410) touches only its objects (its synthetic DELETED events are those of that
   * namespace). The store is emitted, and the `k8s.io/initial-events-end` BOOKMARK sent on `events$`, when every
   * namespace is in sync. A 403 on one namespace is not fatal: it retries with backoff (RBAC may be granted later),
   * the others sync and the informer counts as synced without it, and the state names it (`forbidden`, and each
   * namespace's own state in `namespaces`). When every namespace answers 403, the informer fails as a
   * single-namespace one does.
   * @since 0.3.0
   */
  readonly namespaces?: readonly string[];
  /**
   * `timeoutSeconds` of each watch request. Default: a random whole number in [300, 600) per request, as
   * client-go's reflector does, so many clients do not reconnect in step.
   */
  readonly timeoutSeconds?: number;
  /** Backoff for transient failures; defaults are client-go's (800 ms doubling to 30 s, jitter, reset after 2 min). */
  readonly backoff?: Omit<RetryWithBackoffConfig, 'scheduler' | 'onRetry' | 'isRetryable'>;
  /**
   * Reconnect when no event or bookmark arrives for this many ms. Default (since 0.3.0): from the bookmark interval
   * the server is measured to keep (see {@link BookmarkCadence}: three intervals plus 30 s, at least 60 s, at most
   * the watch's timeout plus 30 s), and {@link idleTimeoutFor} the watch's timeout with ~60 s bookmarks (210 s)
   * until one is measured. A number fixes the window; `false` turns idle detection off.
   */
  readonly idleTimeout?: number | false;
  /**
   * How long (ms without any event) to wait for the `k8s.io/initial-events-end` bookmark of a watch-list before
   * concluding that the server ignores `sendInitialEvents` and falling back to list + watch. Default 30 000.
   * (A server that rejects `sendInitialEvents` with 422 is detected at once.)
   */
  readonly initialSyncTimeout?: number;
  /**
   * After falling back to list + watch (a 422 on `sendInitialEvents`, or a server that ignored it), how long (ms)
   * before the next relist tries a watch-list again: a server may be upgraded, or get its WatchList feature gate
   * turned on, under a long-running process. Default 600 000 (10 min). `Infinity` never re-probes.
   *
   * client-go's reflector re-probes on every relist (`ListAndWatchWithContext` tries `watchList` each time
   * `UseWatchList` is set and falls back per call). Here a probe of a server that ignores `sendInitialEvents`
   * can delay a relist by up to `initialSyncTimeout`, so probes are spaced out; relists are rare in list + watch
   * mode (410 Gone, bad lines), so this costs little either way. Transient failures (500, network) never cause
   * the fallback.
   * @since 0.3.0
   */
  readonly watchListReprobeInterval?: number;
  /**
   * What an object the resource's codec rejects does (a custom resource stored before a schema change, a field the
   * generated model types wrongly):
   *
   * - `skip` (default, since 0.3.0): that version is left out of the store (an older valid version of it is
   *   removed, with a DELETED on `events$`), the store syncs without it, and it is reported on
   *   {@link Informer.rejected$} and {@link Informer.rejected} (key, resourceVersion, io-ts path messages) and
   *   logged as a warning. A later valid version enters the store normally. No relist, so no loop: one bad object
   *   costs one report per time the server sends it.
   * - `relist` (the default before 0.3.0): back off and relist, as client-go does on a decode error. A bad object
   *   that stays in storage makes every relist fail: the informer never syncs.
   * - `fail`: end the informer with the `DecodeError`.
   *
   * A line that is not a watch event at all (not JSON, no `{type, object}`, an unknown type, a BOOKMARK without
   * resourceVersion, too long, not UTF-8) is not one object: which object it was, and whether the stream can be
   * trusted after it, is unknown. It backs off and relists with `skip` and `relist`, and fails with `fail`.
   */
  readonly decodeErrors?: 'skip' | 'relist' | 'fail';
  /**
   * Applied to every object (of a watch event or a list) before it enters the store and `events$`, as client-go's
   * `SharedIndexInformer.SetTransform`: drop what you never read to save memory, e.g.
   * `transform: stripManagedFields` (server-side apply bookkeeping, often half of an object). Bookmarks are not
   * transformed.
   *
   * It must keep `metadata.name`, `metadata.namespace` (the store's key) and `metadata.resourceVersion` (how a
   * relist tells a changed object): a result that changes any of them, or a transform that throws, fails for that
   * object only, with a {@link TransformError}, handled as an object the codec rejects (`decodeErrors`: with
   * `skip`, the default, it is left out and reported on `rejected$`; never a loop). It may return its input,
   * modified or not: the informer decoded that object for itself. Keep it fast and pure: it runs for every object
   * of every relist.
   * @since 0.3.0
   */
  readonly transform?: (object: T) => T;
  /** The scheduler of every timer (tests pass a `TestScheduler`). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Random numbers in [0, 1) for timeouts and jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** Throws a `TypeError` for options no informer can run with (called by the constructor, before any request). */
export function validateInformerOptions<T>(options: InformerOptions<T>, resource: Pick<Resource<unknown>, 'namespaced'>): void {
  validateWatchOptions(
    { namespace: options.namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, timeoutSeconds: options.timeoutSeconds, maxLineBytes: options.maxLineBytes },
    resource.namespaced,
  );
  validateNamespaces(options.namespaces, options.namespace, resource.namespaced);
  if (options.transform !== undefined && typeof options.transform !== 'function') throw new TypeError('informer: transform must be a function');
  // A checkpoint (format version 1) holds one resourceVersion: one watch's position, not one per namespace.
  if (options.checkpoint !== undefined && options.namespaces !== undefined) throw new TypeError('informer: checkpoint is not supported with namespaces (yet): use one informer per namespace, each with its own checkpoint');
  if (options.initialSyncTimeout !== undefined && !(options.initialSyncTimeout > 0)) throw new TypeError('informer: initialSyncTimeout must be positive');
  if (options.watchListReprobeInterval !== undefined && !(options.watchListReprobeInterval > 0)) {
    throw new TypeError('informer: watchListReprobeInterval must be positive (Infinity never re-probes)');
  }
  if (options.idleTimeout !== undefined && options.idleTimeout !== false && !(options.idleTimeout > 0)) {
    throw new TypeError('informer: idleTimeout must be positive, or false');
  }
}

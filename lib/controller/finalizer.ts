/**
 * `finalizer()`: reconcile an object that needs cleanup before it may be deleted, by owning one entry of its
 * `metadata.finalizers`.
 *
 * Follows kube-rs `kube-runtime/src/finalizer.rs` (`finalizer`, `FinalizerState`, `Event::Apply`/`Event::Cleanup`):
 * the same four states and the same guarantee ("if apply ever started, cleanup must succeed before the deletion
 * completes"). Where we differ, on purpose:
 * - kube-rs adds the finalizer and returns (the patch causes a new reconcile); we run `apply` at once on the object
 *   the patch returned, which saves one reconcile and one queue round trip per new object.
 * - kube-rs writes with a JSON patch whose `test` op fails on any concurrent change, and leaves the retry to the
 *   next reconcile (re-running `cleanup`). We write a merge patch carrying `metadata.resourceVersion` (optimistic
 *   concurrency: a 409 `ConflictError` on any concurrent change), then read the object again and decide again,
 *   up to `conflictRetries` times; a cleanup that succeeded is never run twice for one call.
 */
import { firstValueFrom, isObservable, lastValueFrom, takeUntil, fromEvent, type Observable } from 'rxjs';
import type { Api } from '../api/api.js';
import { KubexError } from '../errors/kubex-error.js';
import { ConflictError, NotFoundError } from '../errors/status-error.js';
import type { ObjectLike } from './object-ref.js';
import { isQualifiedName } from './qualified-name.js';

/**
 * What the reconcile function receives besides the object (the future `controller.run` gives at least `signal`).
 * @since 0.3.0
 */
export interface FinalizerContext {
  /** Aborted when the reconcile should stop: no write starts after it, and `apply`/`cleanup` see it. */
  readonly signal?: AbortSignal;
}

/**
 * What a finalizer's `apply` or `cleanup` returns: a value, a Promise of it or an Observable whose last value it is
 * (an empty Observable gives `undefined`).
 * @since 0.3.0
 */
export type HandlerResult<R> = R | PromiseLike<R> | Observable<R>;

/**
 * The two halves of a reconcile with a finalizer.
 * @since 0.3.0
 */
export interface FinalizerHandlers<T, C extends FinalizerContext, A, D = A> {
  /**
   * Makes the world match the object. Runs only while the object carries the finalizer and is not being deleted.
   * Must be idempotent.
   */
  apply(object: T, context: C): HandlerResult<A>;
  /**
   * Undoes what `apply` did, for an object being deleted. The finalizer is removed only after it succeeds; throw
   * (or reject, or error) to keep it and be retried. Must be idempotent and tolerate `apply` never having run.
   */
  cleanup(object: T, context: C): HandlerResult<D>;
}

/**
 * Options of {@link finalizer}.
 * @since 0.3.0
 */
export interface FinalizerOptions {
  /** How many times a write that hit a conflict (409) is retried after a fresh read. Default 5. */
  readonly conflictRetries?: number;
  /** The `fieldManager` of the finalizer patches. Default: none (the server derives one from the user agent). */
  readonly fieldManager?: string;
}

/**
 * Adding or removing the finalizer failed (after the conflict retries): `phase` says which, `cause` is the API
 * error. Errors of `apply` and `cleanup` are not wrapped: they reach the caller as thrown.
 * @since 0.3.0
 */
export class FinalizerError extends KubexError {
  /** The class name, `FinalizerError`. */
  override readonly name: string = 'FinalizerError';
  /** `add` or `remove`. */
  readonly phase: 'add' | 'remove';

  constructor(phase: 'add' | 'remove', finalizerName: string, objectName: string, cause: unknown) {
    super(`finalizer ${finalizerName}: failed to ${phase} it on ${objectName}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.phase = phase;
  }
}

/** The state of an object with respect to one finalizer (kube-rs `FinalizerState`). @internal */
export type FinalizerState = 'add-then-apply' | 'apply' | 'cleanup' | 'done';

/**
 * Which branch a reconcile takes for `object` (pure):
 * - not deleting, without the finalizer: `add-then-apply`;
 * - not deleting, with it: `apply`;
 * - deleting, with it: `cleanup` (then remove it);
 * - deleting, without it: `done` (someone else's finalizer holds the object; nothing for us to do).
 * @since 0.3.0
 */
export function finalizerState(object: ObjectLike, finalizerName: string): FinalizerState {
  const has = (object.metadata?.finalizers ?? []).includes(finalizerName);
  const deleting = object.metadata?.deletionTimestamp != null;
  if (deleting) return has ? 'cleanup' : 'done';
  return has ? 'apply' : 'add-then-apply';
}

/**
 * The merge patch that sets `metadata.finalizers` to `finalizers`, guarded by the resourceVersion the decision was
 * made on (a 409 if the object changed since). An empty list is sent as `null`, which removes the field.
 * @internal
 */
export function finalizersPatch(object: ObjectLike, finalizers: readonly string[]): Record<string, unknown> {
  const resourceVersion = object.metadata?.resourceVersion;
  if (resourceVersion === undefined || resourceVersion === '') throw new TypeError('finalizer: the object has no metadata.resourceVersion (pass the object read from the server)');
  return { metadata: { resourceVersion, finalizers: finalizers.length > 0 ? [...finalizers] : null } };
}

/**
 * The first (`last` false) or last value of `source`, unsubscribing (so aborting its request) and rejecting with
 * the signal's reason when `signal` aborts.
 */
function until<T>(source: Observable<T>, signal: AbortSignal | undefined, last: boolean): Promise<T | undefined> {
  if (signal === undefined) return last ? lastValueFrom(source, { defaultValue: undefined }) : firstValueFrom(source);
  signal.throwIfAborted();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const stopped = source.pipe(takeUntil(fromEvent(signal, 'abort')));
  const value = last ? lastValueFrom(stopped, { defaultValue: undefined }) : firstValueFrom(stopped);
  return Promise.race([value, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

async function settle<R>(value: HandlerResult<R>, signal: AbortSignal | undefined): Promise<R | undefined> {
  if (isObservable(value)) return until(value, signal, true);
  return await value;
}

/** One API call, its request aborted when `signal` aborts. */
async function call<T>(request: Observable<T>, signal: AbortSignal | undefined): Promise<T> {
  return (await until(request, signal, false)) as T;
}

/**
 * A reconcile function that manages the finalizer `name` on objects of `api` around `apply` and `cleanup`
 * (kube-rs's `finalizer()` semantics). Give it the latest object (from the controller's store) and the reconcile
 * context; it resolves to what `apply` or `cleanup` returned, or `undefined` when there was nothing to do:
 *
 * 1. not deleting, finalizer missing: add it (conflict-safe), then `apply` the object the server returned;
 * 2. not deleting, finalizer there: `apply`;
 * 3. deleting (`deletionTimestamp` set), finalizer there: `cleanup`; when it succeeds, remove only this finalizer
 *    (conflict-safe; other finalizers are kept) so the server can finish the deletion;
 * 4. deleting, finalizer missing: nothing (the object is held by someone else's finalizer).
 *
 * A write that hits a conflict reads the object again and decides again (up to `conflictRetries` times); an object
 * that is gone by then resolves `undefined`. A failed add or remove rejects with a {@link FinalizerError}; `apply`
 * and `cleanup` errors reject as they are (so the controller backs off and retries).
 *
 * `name` must be a qualified name with a domain (`example.com/cleanup`), unique among the controllers that act on
 * these objects; a `TypeError` otherwise.
 *
 * @example
 * ```ts
 * const reconcile = finalizer(replicates, 'example.com/cleanup', {
 *   apply: async (r, { signal }) => { await copyEverywhere(r, signal); return { requeueAfter: 300_000 }; },
 *   cleanup: async (r) => { await deleteCopies(r); },
 * });
 * controller.run(reconcile);                     // or: controller.run((r, context) => reconcile(r, context))
 * ```
 * @since 0.3.0
 */
export function finalizer<T extends ObjectLike, C extends FinalizerContext, A, D = A>(
  api: Api<T>,
  name: string,
  handlers: FinalizerHandlers<T, C, A, D>,
  options: FinalizerOptions = {},
): (object: T, context?: C) => Promise<A | D | undefined> {
  if (!isQualifiedName(name) || !name.includes('/')) {
    throw new TypeError(`finalizer: ${JSON.stringify(name)} is not a qualified finalizer name with a domain prefix (e.g. example.com/cleanup)`);
  }
  const retries = options.conflictRetries ?? 5;
  const patchOptions = { type: 'merge' as const, ...(options.fieldManager !== undefined ? { fieldManager: options.fieldManager } : {}) };

  const write = async (object: T, finalizers: readonly string[], signal: AbortSignal | undefined): Promise<T> => {
    const objectName = object.metadata?.name ?? '';
    const namespace = object.metadata?.namespace;
    return call(api.patch$(objectName, finalizersPatch(object, finalizers), { ...patchOptions, ...(namespace ? { namespace } : {}) }), signal);
  };
  const reread = async (object: T, signal: AbortSignal | undefined): Promise<T | undefined> => {
    const namespace = object.metadata?.namespace;
    try {
      return await call(api.get$(object.metadata?.name ?? '', namespace ? { namespace } : {}), signal);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };

  return async (initial: T, context?: C): Promise<A | D | undefined> => {
    const ctx = (context ?? {}) as C;
    const signal = ctx.signal;
    let object: T | undefined = initial;
    let cleaned = false;
    let result: D | undefined;
    for (let attempt = 0; ; attempt++) {
      if (object === undefined) return undefined;
      const state = finalizerState(object, name);
      // 'done' after our own successful cleanup (someone removed the finalizer meanwhile) still reports its result.
      if (state === 'done') return result;
      if (state === 'apply') return settle(handlers.apply(object, ctx), signal);
      const phase = state === 'cleanup' ? 'remove' : 'add';
      if (state === 'cleanup' && !cleaned) {
        // Cleanup must succeed before the finalizer goes: an error here leaves it in place (kube-rs's short-circuit).
        result = await settle(handlers.cleanup(object, ctx), signal);
        cleaned = true;
      }
      const current = object.metadata?.finalizers ?? [];
      const next = phase === 'add' ? [...current, name] : current.filter((f) => f !== name);
      try {
        const written = await write(object, next, signal);
        if (phase === 'remove') return result;
        object = written;
        continue; // now 'apply' (or, if a deletion raced in, whatever the server says)
      } catch (error) {
        if (error instanceof NotFoundError) return phase === 'remove' ? result : undefined;
        if (!(error instanceof ConflictError) || attempt >= retries) {
          if (error instanceof KubexError) throw new FinalizerError(phase, name, object.metadata?.name ?? '', error);
          throw error;
        }
        object = await reread(object, signal);
        // After a successful cleanup, a fresh read that still holds our finalizer only needs the removal retried.
      }
    }
  };
}

/**
 * The informer's `transform` option: applied to every object of a watch event or a list before it reaches the store
 * and `events$` (client-go's `SharedIndexInformer.SetTransform`: "called for each object which is about to be
 * stored", tools/cache/shared_informer.go, applied in the DeltaFIFO as objects are queued).
 *
 * A transform that throws, or that changes what keys the object (name, namespace) or its resourceVersion, fails for
 * that object only: a {@link TransformError} (a `DecodeError`), handled as an object the codec rejected under the
 * informer's `decodeErrors`. client-go logs a failed transform of a watch event and drops it, but fails a whole list
 * with it (the reflector relists with backoff, so one bad object keeps a relisting informer from syncing); here both
 * follow one rule, and with `skip` (the default) the object is reported on `rejected$` and never loops.
 */
import { map, mergeMap, of, EMPTY, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import type { ObjectList } from '../api/list.js';
import { DecodeError } from '../errors/kubex-error.js';
import { rejectedObject, type RejectedObject } from '../watch/rejected-object.js';
import type { WatchEvent } from '../watch/watch-event.js';
import type { InformerObject } from './informer-source.js';

/**
 * A failed `transform` of an informer: it threw (the cause), or it changed the object's name, namespace or
 * resourceVersion (which the store needs unchanged). A `DecodeError`, so `decodeErrors` decides what it does; with
 * `skip` it is the `error` of the {@link RejectedObject} on `rejected$`.
 * @since 0.3.0
 */
export class TransformError extends DecodeError {
  /** The class name, `TransformError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'TransformError';
}

type Identity = readonly [name: string | undefined, namespace: string | undefined, resourceVersion: string | undefined];
const identity = (object: InformerObject | undefined): Identity => [object?.metadata?.name, object?.metadata?.namespace, object?.metadata?.resourceVersion];

/** `JSON` of an object for an error message, whatever it is. */
function text(object: unknown): string {
  try {
    return JSON.stringify(object) ?? String(object);
  } catch {
    return String(object);
  }
}

/** The transformed object, or the {@link TransformError} of this object. */
export function transformObject<T extends InformerObject>(transform: (object: T) => T, object: T): T | TransformError {
  let result: T;
  try {
    result = transform(object);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return new TransformError('transform threw', text(object), [`transform: ${message}`], { cause: error });
  }
  const before = identity(object);
  const after = identity(result as InformerObject | undefined);
  const fields = ['metadata.name', 'metadata.namespace', 'metadata.resourceVersion'].filter((_, i) => before[i] !== after[i]);
  if (fields.length > 0) return new TransformError('transform changed the object', text(object), fields.map((field) => `${field}: must be kept by a transform`));
  return result;
}

/**
 * Transforms the objects of watch events (bookmarks pass as they are). An object whose transform fails is reported
 * to `onRejected` and left out when it is given (`decodeErrors: 'skip'`); otherwise the stream fails with its
 * {@link TransformError}.
 */
export function transformEvents<T extends InformerObject>(
  transform: (object: T) => T,
  onRejected: ((rejected: RejectedObject) => void) | undefined,
): MonoTypeOperatorFunction<WatchEvent<T>> {
  return mergeMap((event): Observable<WatchEvent<T>> => {
    if (event.type === 'BOOKMARK') return of(event);
    const object = transformObject(transform, event.object);
    if (!(object instanceof TransformError)) return of({ type: event.type, object });
    if (onRejected === undefined) throw object;
    onRejected(rejectedObject(event.type, event.object, object));
    return EMPTY;
  });
}

/** Transforms the items of a list, as {@link transformEvents} does events (a failed one is reported as `LIST`). */
export function transformList<T extends InformerObject>(
  transform: (object: T) => T,
  onRejected: ((rejected: RejectedObject) => void) | undefined,
): MonoTypeOperatorFunction<ObjectList<T>> {
  return map((list) => {
    const items: T[] = [];
    for (const item of list.items) {
      const object = transformObject(transform, item);
      if (!(object instanceof TransformError)) items.push(object);
      else if (onRejected === undefined) throw object;
      else onRejected(rejectedObject('LIST', item, object));
    }
    return { ...list, items };
  });
}

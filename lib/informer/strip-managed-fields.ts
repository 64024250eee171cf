import type { InformerObject } from './informer-source.js';

/**
 * A transform for an informer's `transform` option: the object without `metadata.managedFields`, the server-side
 * apply bookkeeping that is often the largest part of an object (half of a typical Pod's JSON) and that no
 * controller reads. Cuts the store's memory; the objects are otherwise unchanged (a shallow copy: the input is not
 * modified).
 *
 * client-go ships the same as `cache.TransformStripManagedFields` (tools/cache/reflector.go) for
 * `SharedInformer.SetTransform`.
 *
 * @example
 * ```ts
 * const informer = pods.informer({ transform: stripManagedFields });
 * ```
 * @since 0.3.0
 */
export function stripManagedFields<T extends InformerObject>(object: T): T {
  const metadata = object.metadata as (Record<string, unknown> & { managedFields?: unknown }) | undefined;
  if (metadata === undefined || metadata === null || !('managedFields' in metadata)) return object;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...object, metadata: rest };
}

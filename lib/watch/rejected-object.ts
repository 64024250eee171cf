import type { DecodeError } from '../errors/kubex-error.js';

/**
 * One object the resource's codec rejected, left out instead of failing the whole stream (an informer with
 * `decodeErrors: 'skip'`). Typical causes: a custom resource stored before a schema change, or a field the
 * generated model types wrongly.
 * @since 0.3.0
 */
export interface RejectedObject {
  /** The object's store key, `namespace/name` (`name` for cluster-scoped kinds), read from its raw metadata. */
  readonly key: string;
  /** The rejected version's `metadata.resourceVersion`, if it had one. */
  readonly resourceVersion: string | undefined;
  /** Where it came from: a watch event's type, or `LIST` for an item of a list response. */
  readonly source: 'ADDED' | 'MODIFIED' | 'DELETED' | 'LIST';
  /** One message per failed io-ts path (`spec.replicas: expected number, got "3"`). */
  readonly errors: readonly string[];
  /** The full error, with the offending line (truncated). */
  readonly error: DecodeError;
}

/**
 * Internal: a callback that makes `watch$` and `list$` leave out an object their codec rejects (reporting it here)
 * instead of failing with a `DecodeError`. Used by the informer's `decodeErrors: 'skip'`; not part of the public API.
 * @internal
 */
export const ON_REJECTED_OBJECT: unique symbol = Symbol('kubex-rx.onRejectedObject');

/** The rejection report for a raw (undecoded) object. */
export function rejectedObject(source: RejectedObject['source'], raw: unknown, error: DecodeError): RejectedObject {
  const metadata = typeof raw === 'object' && raw !== null ? (raw as { metadata?: unknown }).metadata : undefined;
  const field = (name: string): string | undefined => {
    const value = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const name = field('name') ?? '';
  const namespace = field('namespace');
  // The same key as the store's objectKey, so the informer can find (and drop) an older valid version.
  return { key: namespace === undefined ? name : `${namespace}/${name}`, resourceVersion: field('resourceVersion'), source, errors: error.errors, error };
}

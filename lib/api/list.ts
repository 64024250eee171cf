import { DecodeError } from '../errors/kubex-error.js';
import { ON_REJECTED_OBJECT, rejectedObject, type RejectedObject } from '../watch/rejected-object.js';
import type { Resource } from '../resource/define-resource.js';
import { formatValidationErrors } from '../watch/decode-event.js';

/**
 * Options of `Api.list$`.
 * @since 0.1.0
 */
export interface ListOptions {
  /** Omitted: the Api's namespace. `null`: all namespaces. Must be omitted (or `null`) for cluster-scoped kinds. */
  readonly namespace?: string | null;
  /** Only objects whose labels match, e.g. `app=web,tier!=cache`. */
  readonly labelSelector?: string;
  /** Only objects whose fields match, e.g. `status.phase=Running`. */
  readonly fieldSelector?: string;
  /** Unset: a consistent read of the latest state. `"0"`: any cached state (cheap, possibly stale). */
  readonly resourceVersion?: string;
  /** How `resourceVersion` is matched: `NotOlderThan` or `Exact`. */
  readonly resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  /** The page size; the answer's `metadata.continue` fetches the next page. */
  readonly limit?: number;
  /** The `metadata.continue` token of the previous page. */
  readonly continue?: string;
  /** @internal */
  readonly [ON_REJECTED_OBJECT]?: (rejected: RejectedObject) => void;
}

/**
 * One page of a list: the items and the resourceVersion the list was built at.
 * @since 0.1.0
 */
export interface ObjectList<T> {
  /** The list's `apiVersion` (the resource's when the server sent none). */
  readonly apiVersion: string;
  /** The list's kind, e.g. `PodList` (`<Kind>List` when the server sent none). */
  readonly kind: string;
  /** The list's metadata. */
  readonly metadata: {
    /** The resourceVersion the list was built at: where a watch resumes from. */
    readonly resourceVersion: string;
    /** The token of the next page; absent on the last page. */
    readonly continue?: string;
    /** How many items remain after this page, when the server says (an estimate). */
    readonly remainingItemCount?: number;
  };
  /** The decoded objects of this page. */
  readonly items: readonly T[];
}

/** Checks list options, throwing a `TypeError` before any request. */
export function validateListOptions(options: ListOptions, namespaced: boolean): void {
  if (options.namespace !== undefined && options.namespace !== null) {
    if (typeof options.namespace !== 'string' || options.namespace === '') {
      throw new TypeError('list$: namespace must be a non-empty string, or null for all namespaces');
    }
    if (!namespaced) throw new TypeError('list$: a namespace was given for a cluster-scoped resource');
  }
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit > 0)) {
    throw new TypeError('list$: limit must be a positive integer');
  }
  if (options.resourceVersionMatch !== undefined && options.resourceVersion === undefined) {
    throw new TypeError('list$: resourceVersionMatch needs a resourceVersion');
  }
}

/** The query string of a list request. */
export function listQuery(options: ListOptions): URLSearchParams {
  const query = new URLSearchParams();
  if (options.resourceVersion !== undefined) query.set('resourceVersion', options.resourceVersion);
  if (options.resourceVersionMatch !== undefined) query.set('resourceVersionMatch', options.resourceVersionMatch);
  if (options.labelSelector !== undefined) query.set('labelSelector', options.labelSelector);
  if (options.fieldSelector !== undefined) query.set('fieldSelector', options.fieldSelector);
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  if (options.continue !== undefined) query.set('continue', options.continue);
  return query;
}

/**
 * Decodes a list response. Items come without `apiVersion`/`kind` (as real servers send them); they are filled in
 * from the resource, so list and watch give identically decoded objects.
 */
export function decodeList<T>(text: string, resource: Resource<T>, onRejected?: (rejected: RejectedObject) => void): ObjectList<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new DecodeError(`list response is not valid JSON (${(error as Error).message})`, text);
  }
  return decodeListBody(body, resource, text, onRejected);
}

/**
 * {@link decodeList} for an already parsed body (`text` is for error messages). With `onRejected`, an item the codec
 * rejects is reported there and left out instead of failing the whole list.
 */
export function decodeListBody<T>(body: unknown, resource: Resource<T>, text: string, onRejected?: (rejected: RejectedObject) => void): ObjectList<T> {
  const list = body as { apiVersion?: unknown; kind?: unknown; metadata?: { resourceVersion?: unknown; continue?: unknown; remainingItemCount?: unknown }; items?: unknown };
  if (typeof list !== 'object' || list === null || !Array.isArray(list.items) || typeof list.metadata?.resourceVersion !== 'string') {
    throw new DecodeError('list response is not a list (needs items[] and metadata.resourceVersion)', text);
  }
  const items: T[] = [];
  list.items.forEach((item: unknown, index) => {
    const object = typeof item === 'object' && item !== null ? { apiVersion: resource.apiVersion, kind: resource.kind, ...item } : item;
    const result = resource.codec.decode(object);
    if (result._tag === 'Left') {
      const error = new DecodeError(`list item ${index} does not match ${resource.codec.name}`, JSON.stringify(item), formatValidationErrors(result.left));
      if (onRejected === undefined) throw error;
      onRejected(rejectedObject('LIST', item, error));
      return;
    }
    items.push(result.right);
  });
  const metadata = {
    resourceVersion: list.metadata.resourceVersion,
    ...(typeof list.metadata.continue === 'string' && list.metadata.continue !== '' ? { continue: list.metadata.continue } : {}),
    ...(typeof list.metadata.remainingItemCount === 'number' ? { remainingItemCount: list.metadata.remainingItemCount } : {}),
  };
  return {
    apiVersion: typeof list.apiVersion === 'string' ? list.apiVersion : resource.apiVersion,
    kind: typeof list.kind === 'string' ? list.kind : `${resource.kind}List`,
    metadata,
    items,
  };
}

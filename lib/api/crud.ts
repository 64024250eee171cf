import { DecodeError } from '../errors/kubex-error.js';
import type { Resource } from '../resource/define-resource.js';
import { Status } from '../watch/codecs.js';
import { formatValidationErrors } from '../watch/decode-event.js';
import { isStatus } from './is-status.js';
import { decodeListBody, type ObjectList } from './list.js';

/** Where a single-object call acts. @since 0.1.0 */
export interface ObjectCallOptions {
  /** Omitted: the object's own namespace (for writes), else the Api's. Must be omitted for cluster-scoped kinds. */
  readonly namespace?: string;
}

/** Options every write takes. @since 0.1.0 */
export interface WriteOptions extends ObjectCallOptions {
  /** Validate and answer as if done, but persist nothing (`dryRun=All`). */
  readonly dryRun?: boolean;
  /** The name of the actor making the change, recorded in `managedFields` (`fieldManager`). */
  readonly fieldManager?: string;
}

/**
 * The patch formats of `patch$`:
 * - `merge`: JSON merge patch (RFC 7386), `application/merge-patch+json`;
 * - `strategic`: strategic merge patch (lists merged by key, built-in kinds only), `application/strategic-merge-patch+json`;
 * - `json`: JSON patch (RFC 6902, an array of operations), `application/json-patch+json`;
 * - `apply`: server-side apply, `application/apply-patch+yaml` (JSON is YAML); needs `fieldManager`.
 * @since 0.1.0
 */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

/** The media type of each {@link PatchType}. @since 0.1.0 */
export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Options of `patch$`. @since 0.1.0 */
export interface PatchOptions extends WriteOptions {
  /** The patch format. Default `merge`. */
  readonly type?: PatchType;
  /** Server-side apply only: take ownership of conflicting fields (`force=true`). */
  readonly force?: boolean;
}

/** Options of `delete$` (a `DeleteOptions` body). @since 0.1.0 */
export interface DeleteOptions extends ObjectCallOptions {
  /** Validate and answer as if deleted, but delete nothing (`dryRun: ["All"]`). */
  readonly dryRun?: boolean;
  /** `Orphan`, `Background` or `Foreground`: what happens to dependents. */
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** Seconds before the object is deleted; `0` deletes at once. */
  readonly gracePeriodSeconds?: number;
  /** Delete only if the object still has this uid / resourceVersion (409 otherwise). */
  readonly preconditions?: {
    /** The uid the object must still have. */
    readonly uid?: string;
    /** The resourceVersion the object must still have. */
    readonly resourceVersion?: string;
  };
}

/**
 * An object as given to `create$`/`replace$`: `apiVersion` and `kind` may be left out (the resource fills them in).
 * @since 0.1.0
 */
export type ObjectInput<T> = Omit<T, 'apiVersion' | 'kind'> & {
  /** Default: the resource's `apiVersion`. */
  readonly apiVersion?: string;
  /** Default: the resource's `kind`. */
  readonly kind?: string;
};

/** The metadata every written object must carry. */
type WithName = { readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly generateName?: string } };

export function writeQuery(options: WriteOptions & { force?: boolean }): URLSearchParams {
  const query = new URLSearchParams();
  if (options.dryRun) query.set('dryRun', 'All');
  if (options.fieldManager !== undefined) query.set('fieldManager', options.fieldManager);
  if (options.force !== undefined) query.set('force', String(options.force));
  return query;
}

/** The DeleteOptions body, or `undefined` when there is nothing to say. */
export function deleteBody(options: DeleteOptions): string | undefined {
  const body: Record<string, unknown> = {};
  if (options.dryRun) body['dryRun'] = ['All'];
  if (options.propagationPolicy !== undefined) body['propagationPolicy'] = options.propagationPolicy;
  if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
  if (options.preconditions !== undefined) body['preconditions'] = options.preconditions;
  return Object.keys(body).length > 0 ? JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...body }) : undefined;
}

/** The body of a write: the encoded object with `apiVersion`/`kind` filled in from the resource. */
export function objectBody<T>(resource: Resource<T>, object: ObjectInput<T>): string {
  const full = { apiVersion: resource.apiVersion, kind: resource.kind, ...object } as unknown as T;
  return JSON.stringify(resource.codec.encode(full));
}

/** The name of an object to replace, or a `TypeError` (a programmer error). */
export function nameOf(object: unknown, verb: string): string {
  const name = (object as WithName | undefined)?.metadata?.name;
  if (typeof name !== 'string' || name === '') throw new TypeError(`${verb}: the object has no metadata.name`);
  return name;
}

/** The namespace named in an object's metadata, if any. */
export function namespaceOf(object: unknown): string | undefined {
  const namespace = (object as WithName | undefined)?.metadata?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

/** Parses a response body, or a {@link DecodeError} carrying it. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DecodeError(`response is not valid JSON (${(error as Error).message})`, text);
  }
}

/** The Status a body is, if it is one (a `meta/v1` Status: not a custom resource of kind `Status`). */
function asStatus(body: unknown): Status | undefined {
  if (!isStatus(body)) return undefined;
  const status = Status.decode(body);
  return status._tag === 'Right' ? status.right : undefined;
}

/** Decodes one parsed object with the resource's codec, or a {@link DecodeError}. */
function decodeParsed<T>(body: unknown, text: string, resource: Resource<T>): T {
  const result = resource.codec.decode(body);
  if (result._tag === 'Left') throw new DecodeError(`response does not match ${resource.codec.name}`, text, formatValidationErrors(result.left));
  return result.right;
}

/** Decodes one object answered by the server with the resource's codec. */
export function decodeObject<T>(text: string, resource: Resource<T>): T {
  return decodeParsed(parseBody(text), text, resource);
}

/**
 * Decodes what a DELETE answers: the object (its last state, or with `deletionTimestamp` set while finalizers
 * run), or a `Status` (some kinds, and collections, answer `Success` Status).
 */
export function decodeObjectOrStatus<T>(text: string, resource: Resource<T>): T | Status {
  const body = parseBody(text);
  return asStatus(body) ?? decodeParsed(body, text, resource);
}

/** Decodes what a DELETE on a collection answers: the list of deleted objects, or a Status. */
export function decodeListOrStatus<T>(text: string, resource: Resource<T>): ObjectList<T> | Status {
  const body = parseBody(text);
  return asStatus(body) ?? decodeListBody(body, resource, text);
}

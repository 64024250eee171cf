/**
 * The identity of an Event for aggregation, and the names of new Events (client-go `tools/events`: `getKey`,
 * `recorderImpl.makeEvent`).
 */
import type { ObjectLike } from './object-ref.js';

/**
 * A `core/v1` ObjectReference, as Events carry it in `regarding` and `related`.
 * @since 0.3.0
 */
export interface ObjectReference {
  /** The object's group/version. */
  readonly apiVersion?: string;
  /** The object's kind. */
  readonly kind?: string;
  /** The object's name. */
  readonly name?: string;
  /** The object's namespace; absent for cluster-scoped objects. */
  readonly namespace?: string;
  /** The object's uid. */
  readonly uid?: string;
  /** The version of the object the reference was taken at. */
  readonly resourceVersion?: string;
}

/** The reference to `object` (client-go `reference.GetReference`): the fields it has, none invented. @internal */
export function referenceTo(object: ObjectLike): ObjectReference {
  const m = object.metadata ?? {};
  const ref: Record<string, string> = {};
  const put = (field: string, value: string | null | undefined): void => {
    if (typeof value === 'string' && value !== '') ref[field] = value;
  };
  put('apiVersion', object.apiVersion);
  put('kind', object.kind);
  put('name', m.name);
  put('namespace', m.namespace);
  put('uid', m.uid);
  put('resourceVersion', m.resourceVersion);
  return ref;
}

/** What makes two Events the same one (client-go `eventKey`, without the references' resourceVersion). @internal */
export interface EventKeyParts {
  readonly type: string;
  readonly action: string;
  readonly reason: string;
  readonly controller: string;
  readonly instance: string;
  readonly regarding: ObjectReference;
  readonly related: ObjectReference | undefined;
}

function refKey(ref: ObjectReference | undefined): unknown[] {
  return ref === undefined ? [] : [ref.apiVersion, ref.kind, ref.namespace, ref.name, ref.uid];
}

/** The aggregation key of an Event: equal keys are one series. @internal */
export function eventKey(parts: EventKeyParts): string {
  return JSON.stringify([parts.type, parts.action, parts.reason, parts.controller, parts.instance, refKey(parts.regarding), refKey(parts.related)]);
}

/**
 * The name of a new Event: `<object name>.<hex time>` as client-go (`%v.%x` of the name and `UnixNano`); the
 * clock has milliseconds, so the sub-millisecond digits carry a sequence number (unique within a recorder), and
 * the object name is cut so the whole stays a 253-character subdomain.
 * @internal
 */
export function eventName(objectName: string | undefined, nowMs: number, sequence: number): string {
  const nanos = BigInt(Math.max(0, Math.floor(nowMs))) * 1_000_000n + BigInt(sequence % 1_000_000);
  const suffix = nanos.toString(16);
  const base = (objectName ?? 'object').slice(0, 253 - suffix.length - 1).toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'object';
  return `${base}.${suffix}`;
}

/**
 * io-ts codecs for what a Kubernetes watch stream carries: the wire event, object metadata, bookmarks and Status.
 *
 * All object codecs are open (`t.type`/`t.partial`): the API server adds fields over time and an SDK must keep
 * them rather than fail. io-ts' `t.type` returns its input unchanged when every property decodes to itself, so
 * decoding does not copy objects on the hot path.
 */
import * as t from 'io-ts';

/** A string-to-string map, as Kubernetes uses for labels and annotations. @since 0.1.0 */
export const StringMap = t.record(t.string, t.string);
/** @since 0.1.0 */
export type StringMap = t.TypeOf<typeof StringMap>;

/**
 * A minimal, open `ObjectMeta`: the fields the SDK itself relies on are typed; every other field is kept as is.
 * `creationTimestamp` may be `null` (servers before 1.34 serialize the zero value that way).
 *
 * @since 0.1.0
 */
export const ObjectMeta = t.partial(
  {
    name: t.string,
    generateName: t.string,
    namespace: t.string,
    uid: t.string,
    resourceVersion: t.string,
    generation: t.number,
    creationTimestamp: t.union([t.string, t.null]),
    deletionTimestamp: t.string,
    deletionGracePeriodSeconds: t.number,
    labels: StringMap,
    annotations: StringMap,
    finalizers: t.array(t.string),
    ownerReferences: t.array(t.UnknownRecord),
    managedFields: t.array(t.UnknownRecord),
  },
  'ObjectMeta',
);
/** @since 0.1.0 */
export type ObjectMeta = t.TypeOf<typeof ObjectMeta>;

/**
 * Any Kubernetes object: `apiVersion`, `kind` and `metadata` typed, every other field kept untouched.
 * This is the codec used by {@link defineResource} when no codec is given.
 *
 * @since 0.1.0
 */
export const KubernetesObject = t.intersection(
  [
    t.type({ apiVersion: t.string, kind: t.string, metadata: ObjectMeta }),
    t.UnknownRecord,
  ],
  'KubernetesObject',
);
/** @since 0.1.0 */
export type KubernetesObject = t.TypeOf<typeof KubernetesObject>;

/**
 * An object reduced to its metadata, as the server sends it for metadata-only requests (`api.metadata()`):
 * `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{...}}`.
 *
 * @since 0.1.0
 */
export const PartialObjectMetadata = t.type(
  { apiVersion: t.string, kind: t.string, metadata: ObjectMeta },
  'PartialObjectMetadata',
);
/** @since 0.1.0 */
export type PartialObjectMetadata = t.TypeOf<typeof PartialObjectMetadata>;

/** The annotation that marks the BOOKMARK ending the initial events of a watch-list request (KEP-3157). @since 0.1.0 */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

/**
 * The object of a BOOKMARK event. A real bookmark is a skeleton of the watched kind (a Pod bookmark carries
 * `"spec":{"containers":null}`), so it is decoded with this codec and never with the resource's codec.
 * Only `metadata.resourceVersion` is guaranteed; `metadata.annotations` carries the initial-events-end marker.
 *
 * @since 0.1.0
 */
export const Bookmark = t.intersection(
  [
    t.type({
      metadata: t.intersection([
        t.type({ resourceVersion: t.string }),
        t.partial({ annotations: t.union([StringMap, t.null]) }),
      ]),
    }),
    t.partial({ kind: t.string, apiVersion: t.string }),
  ],
  'Bookmark',
);
/** @since 0.1.0 */
export type Bookmark = t.TypeOf<typeof Bookmark>;

/**
 * One cause of a failed request, in `Status.details.causes`. The cause type is the JSON key `reason`.
 * @since 0.1.0
 */
export const StatusCause = t.partial({ reason: t.string, message: t.string, field: t.string }, 'StatusCause');
/** @since 0.1.0 */
export type StatusCause = t.TypeOf<typeof StatusCause>;

/** `Status.details`. @since 0.1.0 */
export const StatusDetails = t.partial(
  {
    name: t.string,
    group: t.string,
    kind: t.string,
    uid: t.string,
    causes: t.array(StatusCause),
    retryAfterSeconds: t.number,
  },
  'StatusDetails',
);
/** @since 0.1.0 */
export type StatusDetails = t.TypeOf<typeof StatusDetails>;

/**
 * A `meta/v1` Status, as sent in error responses and in ERROR watch events.
 * `kind` must be `Status`; every other field is optional, as the API declares it.
 *
 * @since 0.1.0
 */
export const Status = t.intersection(
  [
    t.type({ kind: t.literal('Status') }),
    t.partial({
      apiVersion: t.string,
      metadata: t.UnknownRecord,
      status: t.string,
      message: t.string,
      reason: t.string,
      details: StatusDetails,
      code: t.number,
    }),
  ],
  'Status',
);
/** @since 0.1.0 */
export type Status = t.TypeOf<typeof Status>;

/**
 * The outer document of one watch line: `{"type": ..., "object": ...}`. The type is checked against the known
 * event types by the decoder, which then decodes `object` with the codec that fits the type.
 *
 * @since 0.1.0
 */
export const WireEvent = t.type({ type: t.string, object: t.UnknownRecord }, 'WireEvent');
/** @since 0.1.0 */
export type WireEvent = t.TypeOf<typeof WireEvent>;

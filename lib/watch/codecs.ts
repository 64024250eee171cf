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
export const ObjectMeta: t.Type<ObjectMeta, ObjectMeta, unknown> = t.partial(
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
/**
 * The type of {@link ObjectMeta} (the open, minimal `meta/v1` ObjectMeta). The generated models
 * (`kubex-rx/k8s/.../meta/v1`) type every field.
 * @since 0.1.0
 */
export type ObjectMeta = {
  /** Unique within the namespace (or cluster, for cluster-scoped kinds). */
  name?: string;
  /** A prefix the server completes with random characters when `name` is empty on create. */
  generateName?: string;
  /** Empty for cluster-scoped kinds. */
  namespace?: string;
  /** Set by the server, unique in time and space. */
  uid?: string;
  /** The version of this object (opaque; compare for equality only). */
  resourceVersion?: string;
  /** The generation of the desired state (`spec`), set by the server. */
  generation?: number;
  /** RFC 3339; `null` from servers before 1.34 for the zero value. */
  creationTimestamp?: string | null;
  /** RFC 3339: when the object will be (or was asked to be) deleted; set while finalizers run. */
  deletionTimestamp?: string;
  /** Seconds allowed for graceful termination before the object is removed. */
  deletionGracePeriodSeconds?: number;
  /** Labels, used by label selectors. */
  labels?: StringMap;
  /** Annotations: arbitrary non-identifying metadata. */
  annotations?: StringMap;
  /** Finalizers that must be removed before the object is deleted. */
  finalizers?: string[];
  /** The objects this one depends on (kept as sent). */
  ownerReferences?: Record<string, unknown>[];
  /** Field ownership for server-side apply (kept as sent). */
  managedFields?: Record<string, unknown>[];
};

/**
 * Any Kubernetes object: `apiVersion`, `kind` and `metadata` typed, every other field kept untouched.
 * This is the codec used by {@link defineResource} when no codec is given.
 *
 * @since 0.1.0
 */
export const KubernetesObject: t.Type<KubernetesObject, KubernetesObject, unknown> = t.intersection(
  [
    t.type({ apiVersion: t.string, kind: t.string, metadata: ObjectMeta }),
    t.UnknownRecord,
  ],
  'KubernetesObject',
);
/**
 * The type of {@link KubernetesObject}: any Kubernetes object, with the other fields kept untouched.
 * @since 0.1.0
 */
export type KubernetesObject = {
  /** The group/version, e.g. `v1` or `apps/v1`. */
  apiVersion: string;
  /** The kind, e.g. `Pod`. */
  kind: string;
  /** Standard object metadata. */
  metadata: ObjectMeta;
  /** Every other field (`spec`, `status`, `data`, ...), as sent. */
  [field: string]: unknown;
};

/**
 * An object reduced to its metadata, as the server sends it for metadata-only requests (`api.metadata()`):
 * `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{...}}`.
 *
 * @since 0.1.0
 */
export const PartialObjectMetadata: t.Type<PartialObjectMetadata, PartialObjectMetadata, unknown> = t.type(
  { apiVersion: t.string, kind: t.string, metadata: ObjectMeta },
  'PartialObjectMetadata',
);
/**
 * The type of {@link PartialObjectMetadata}.
 * @since 0.1.0
 */
export type PartialObjectMetadata = {
  /** `meta.k8s.io/v1`. */
  apiVersion: string;
  /** `PartialObjectMetadata`. */
  kind: string;
  /** The object's metadata. */
  metadata: ObjectMeta;
};

/** The annotation that marks the BOOKMARK ending the initial events of a watch-list request (KEP-3157). @since 0.1.0 */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

/**
 * The object of a BOOKMARK event. A real bookmark is a skeleton of the watched kind (a Pod bookmark carries
 * `"spec":{"containers":null}`), so it is decoded with this codec and never with the resource's codec.
 * Only `metadata.resourceVersion` is guaranteed; `metadata.annotations` carries the initial-events-end marker.
 *
 * @since 0.1.0
 */
export const Bookmark: t.Type<Bookmark, Bookmark, unknown> = t.intersection(
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
/**
 * The type of {@link Bookmark}.
 * @since 0.1.0
 */
export type Bookmark = {
  /** Only the resource version (and the initial-events-end annotation) is meaningful. */
  metadata: {
    /** The version the watch has reached: resume from here. */
    resourceVersion: string;
    /** Carries {@link INITIAL_EVENTS_END_ANNOTATION} on the bookmark that ends a watch-list's initial events. */
    annotations?: StringMap | null;
  };
  /** The watched kind. */
  kind?: string;
  /** The watched group/version. */
  apiVersion?: string;
};

/**
 * One cause of a failed request, in `Status.details.causes`. The cause type is the JSON key `reason`.
 * @since 0.1.0
 */
export const StatusCause: t.Type<StatusCause, StatusCause, unknown> = t.partial(
  { reason: t.string, message: t.string, field: t.string },
  'StatusCause',
);
/**
 * The type of {@link StatusCause}.
 * @since 0.1.0
 */
export type StatusCause = {
  /** Machine-readable cause, e.g. `FieldValueRequired`, `FieldValueInvalid`. */
  reason?: string;
  /** Human-readable description. */
  message?: string;
  /** The field at fault, e.g. `spec.containers[0].image`. */
  field?: string;
};

/** `Status.details`. @since 0.1.0 */
export const StatusDetails: t.Type<StatusDetails, StatusDetails, unknown> = t.partial(
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
/**
 * The type of {@link StatusDetails}.
 * @since 0.1.0
 */
export type StatusDetails = {
  /** The name of the object concerned, when there is one. */
  name?: string;
  /** Its API group. */
  group?: string;
  /** Its kind (or resource). */
  kind?: string;
  /** Its UID, when known. */
  uid?: string;
  /** Why the request failed, field by field (422 Invalid). */
  causes?: StatusCause[];
  /** How long to wait before retrying (429, 503, some 500s). */
  retryAfterSeconds?: number;
};

/**
 * A `meta/v1` Status, as sent in error responses and in ERROR watch events.
 * `kind` must be `Status`; every other field is optional, as the API declares it.
 *
 * @since 0.1.0
 */
export const Status: t.Type<Status, Status, unknown> = t.intersection(
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
/**
 * The type of {@link Status}.
 * @since 0.1.0
 */
export type Status = {
  /** Always `Status`. */
  kind: 'Status';
  /** `v1`. */
  apiVersion?: string;
  /** List metadata (kept as sent). */
  metadata?: Record<string, unknown>;
  /** `Success` or `Failure`. */
  status?: string;
  /** Human-readable description. */
  message?: string;
  /** Machine-readable reason, e.g. `NotFound`, `Expired`, `Conflict`. */
  reason?: string;
  /** Extra data about the reason. */
  details?: StatusDetails;
  /** The HTTP status code, also in ERROR watch events (410 for an expired resourceVersion). */
  code?: number;
};

/**
 * The outer document of one watch line: `{"type": ..., "object": ...}`. The type is checked against the known
 * event types by the decoder, which then decodes `object` with the codec that fits the type.
 *
 * @since 0.1.0
 */
export const WireEvent: t.Type<WireEvent, WireEvent, unknown> = t.type({ type: t.string, object: t.UnknownRecord }, 'WireEvent');
/**
 * The type of {@link WireEvent}.
 * @since 0.1.0
 */
export type WireEvent = {
  /** `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR` (checked by the decoder). */
  type: string;
  /** The object (or the Status of an ERROR), not yet decoded. */
  object: Record<string, unknown>;
};

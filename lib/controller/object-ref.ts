/**
 * The few shapes of a Kubernetes object the controller helpers read, kept structural so that a generated model
 * (`kubex-rx/k8s/...`), a `KubernetesObject` or a plain literal all fit.
 */

/**
 * The part of an object the controller helpers read: `apiVersion`, `kind` and the identifying metadata.
 * @since 0.3.0
 */
export interface ObjectLike {
  /** The group/version, e.g. `v1` or `example.com/v1`. */
  readonly apiVersion?: string | null | undefined;
  /** The kind, e.g. `ConfigMap`. */
  readonly kind?: string | null | undefined;
  /** The identifying metadata (`null` fields, as the generated models allow, read as absent). */
  readonly metadata?: {
    /** The object's name. */
    readonly name?: string | null | undefined;
    /** Its namespace; absent for cluster-scoped kinds. */
    readonly namespace?: string | null | undefined;
    /** Set by the server at creation. */
    readonly uid?: string | null | undefined;
    /** The version the object was read at. */
    readonly resourceVersion?: string | null | undefined;
    /** Set when a deletion was asked while finalizers hold the object. */
    readonly deletionTimestamp?: string | null | undefined;
    /** The finalizers holding the object back from deletion. */
    readonly finalizers?: readonly string[] | null | undefined;
    /** The objects this one depends on. */
    readonly ownerReferences?: readonly unknown[] | null | undefined;
  } | null | undefined;
}

/** The group of an apiVersion: `''` for the core `v1`, `apps` for `apps/v1`. @internal */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `namespace/name`, or `name` without a namespace: the key the controller's queue uses. @internal */
export function keyOf(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}/${name}` : name;
}

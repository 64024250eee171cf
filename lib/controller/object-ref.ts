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
    readonly name?: string | null | undefined;
    readonly namespace?: string | null | undefined;
    readonly uid?: string | null | undefined;
    readonly resourceVersion?: string | null | undefined;
    readonly deletionTimestamp?: string | null | undefined;
    readonly finalizers?: readonly string[] | null | undefined;
    readonly ownerReferences?: readonly unknown[] | null | undefined;
  } | null | undefined;
}

/** The group of an apiVersion: `''` for the core `v1`, `apps` for `apps/v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `namespace/name`, or `name` without a namespace: the key the controller's queue uses. */
export function keyOf(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}/${name}` : name;
}

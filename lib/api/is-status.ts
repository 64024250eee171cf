import type { Status } from '../watch/codecs.js';

/**
 * Whether a value is a Kubernetes `Status` object (`kind: "Status"`, `apiVersion: "v1"`), the type guard for what
 * `delete$` (and `deleteCollection$`) emit. A DELETE answers, depending on the kind and on finalizers:
 *
 * - a `Success` Status with `details.{name, group, kind, uid}`, for kinds whose registry does not return the deleted
 *   object (ConfigMap, Secret, Deployment, custom resources: k8s.io/apiserver `registry/generic/registry/store.go`,
 *   `finalizeDelete` without `ReturnDeletedObject`);
 * - the object as it was last, for the kinds that return it (Pod, Service, Namespace);
 * - the object still there with `metadata.deletionTimestamp` set, while finalizers (or a graceful deletion) hold
 *   it back.
 *
 * Both fields are checked: a custom resource may well be of kind `Status` in its own group.
 *
 * @example
 * ```ts
 * const result = await firstValueFrom(pods.delete$('web-0'));
 * if (isStatus(result)) console.log('deleted:', result.details?.name);
 * else if (result.metadata.deletionTimestamp) console.log('terminating, finalizers:', result.metadata.finalizers);
 * else console.log('deleted; last state at', result.metadata.resourceVersion);
 * ```
 * @since 0.2.0
 */
export function isStatus(value: unknown): value is Status {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, apiVersion } = value as { kind?: unknown; apiVersion?: unknown };
  return kind === 'Status' && apiVersion === 'v1';
}

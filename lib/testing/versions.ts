/**
 * One store per group-resource across its served versions, as kube-apiserver keeps it: objects are stored in one
 * version (the storage version) and converted on every read, write and watch event to the version of the request
 * (`k8s.io/apiserver/pkg/registry/generic/registry/store.go` stores through a codec of the storage version,
 * `pkg/endpoints/handlers` convert to the request's version). The registry gives every registration of a
 * group-resource the same store key and a {@link SharedStorage}; `store.ts` converts with it.
 * @internal
 */
import type { JsonObject } from './store.js';
import { convertHpa } from './hpa-conversion.js';

/**
 * Converts an object (with its `apiVersion`) to `toApiVersion`; returns a new object (or the same when nothing
 * changes). Never mutates its input.
 * @internal
 */
export type VersionConverter = (obj: JsonObject, toApiVersion: string) => JsonObject;

/**
 * Where the objects of a group-resource served in several versions live: the store key shared by all its
 * registrations, the version objects are stored in, and the converter between versions.
 * @internal
 */
export interface SharedStorage {
  /** The store key (`group/plural`; the core group is empty, so `/pods`). */
  readonly key: string;
  /** The storage version (`autoscaling/v2`). */
  readonly apiVersion: string;
  readonly convert: VersionConverter;
}

/**
 * The converter of kinds whose versions share one schema (most built-ins, custom resources with `conversion:
 * None`): only `apiVersion` changes.
 * @internal
 */
export const rewriteApiVersion: VersionConverter = (obj, toApiVersion) => (obj['apiVersion'] === toApiVersion ? obj : { ...obj, apiVersion: toApiVersion });

/** The store key of a group-resource: `group/plural`. @internal */
export function groupResourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

/**
 * Built-in group-resources that a default kube-apiserver v1.35 serves in more than one version, with their storage
 * version and conversion. Only HorizontalPodAutoscaler (autoscaling v2 and v1) is; it is stored as
 * `autoscaling/v2`, the group's preferred version, which the default storage encoding uses
 * (`pkg/kubeapiserver/default_storage_factory_builder.go` `DefaultResourceEncodingConfig`).
 * @internal
 */
export const BUILTIN_SHARED_STORAGE: Readonly<Record<string, Omit<SharedStorage, 'key'>>> = {
  'autoscaling/horizontalpodautoscalers': { apiVersion: 'autoscaling/v2', convert: convertHpa },
};

import { defineResource, type Resource } from '../resource/define-resource.js';
import { BOOKMARK_SKELETONS } from './kinds/bookmark-skeletons.js';

/**
 * The resource types a {@link FakeApiServer} serves out of the box, with the generic codec.
 * Any `Resource` with the same `basePath` and `plural` (for example the generated `Pod` model) addresses the same
 * collection: the server keys collections by path, not by descriptor identity.
 *
 * @example
 * ```ts
 * server.create(testResources.ConfigMap, { metadata: { name: 'cfg', namespace: 'default' }, data: { a: '1' } });
 * ```
 * @since 0.1.0
 */
export const testResources = {
  /** Core `v1` Pod (`pods`, namespaced). */
  Pod: defineResource({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true }),
  /** Core `v1` ConfigMap (`configmaps`, namespaced). */
  ConfigMap: defineResource({ apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true }),
  /** Core `v1` Secret (`secrets`, namespaced). */
  Secret: defineResource({ apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true }),
  /** Core `v1` Service (`services`, namespaced). */
  Service: defineResource({ apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true }),
  /** Core `v1` Namespace (`namespaces`, cluster-scoped). */
  Namespace: defineResource({ apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false }),
  /** Core `v1` Node (`nodes`, cluster-scoped). */
  Node: defineResource({ apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false }),
  /** `apps/v1` Deployment (`deployments`, namespaced). */
  Deployment: defineResource({ apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true }),
} as const satisfies Record<string, Resource>;

/**
 * The zero-valued fields a typed built-in kind serializes in a BOOKMARK object besides `metadata`
 * (protocol sheet §3.1: a Pod bookmark is `..."spec":{"containers":null},"status":{}`; a Deployment bookmark has
 * `spec.selector: null`), for every commonly watched built-in kind (`lib/testing/kinds/bookmark-skeletons.ts`).
 * Keyed by `basePath/plural`. Kinds not listed (and custom resources) get only `kind`, `apiVersion` and `metadata`,
 * like unstructured objects.
 * @internal
 * @since 0.1.0
 */
export const BUILTIN_BOOKMARK_SKELETONS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = BOOKMARK_SKELETONS;

import type * as t from 'io-ts';
import { KubernetesObject } from '../watch/codecs.js';

/**
 * What {@link defineResource} takes.
 * @since 0.1.0
 */
export interface ResourceOptions<T> {
  /** `v1` for the core group, `GROUP/VERSION` otherwise (`apps/v1`, `example.com/v1alpha1`). */
  readonly apiVersion: string;
  /** The kind, as in the objects' `kind` field (`Pod`). */
  readonly kind: string;
  /** The lower-case plural used in URLs (`pods`). */
  readonly plural: string;
  /** Whether objects live in a namespace (`Pod`) or at cluster scope (`Node`). */
  readonly namespaced: boolean;
  /** The io-ts codec for one object. Omitted: {@link KubernetesObject} (metadata typed, the rest kept as is). */
  readonly codec?: t.Type<T, unknown, unknown>;
}

/**
 * A resource type: where its objects live on the API server and how to decode them.
 * Built by {@link defineResource}; the generated models export one per kind.
 *
 * @since 0.1.0
 */
export interface Resource<T = KubernetesObject> {
  /** `v1` for the core group, `GROUP/VERSION` otherwise (`apps/v1`). */
  readonly apiVersion: string;
  /** The API group; `''` for the core group. */
  readonly group: string;
  /** The version part of `apiVersion` (`v1`). */
  readonly version: string;
  /** The kind, as in the objects' `kind` field (`Pod`). */
  readonly kind: string;
  /** The lower-case plural used in URLs (`pods`). */
  readonly plural: string;
  /** Whether objects live in a namespace (`Pod`) or at cluster scope (`Node`). */
  readonly namespaced: boolean;
  /** The io-ts codec that decodes (and encodes) one object. */
  readonly codec: t.Type<T, unknown, unknown>;
  /** The path prefix of the group-version: `/api/v1` or `/apis/GROUP/VERSION`. */
  readonly basePath: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Describes a resource type, built-in or custom.
 *
 * Core-group types (`apiVersion: 'v1'`) are served under `/api/v1/...`, named groups (`G/V`) under
 * `/apis/G/V/...`. Throws a `TypeError` at once for a malformed descriptor (a programmer error).
 *
 * @example
 * ```ts
 * const FooBar = defineResource({ apiVersion: 'example.com/v1', kind: 'FooBar', plural: 'foobars', namespaced: true });
 * const foobars = new Api(FooBar, { client, namespace: 'default' });
 * ```
 * @since 0.1.0
 */
export function defineResource<T = KubernetesObject>(options: ResourceOptions<T>): Resource<T> {
  const { apiVersion, kind, plural, namespaced } = options;
  const parts = typeof apiVersion === 'string' ? apiVersion.split('/') : [];
  if (parts.length < 1 || parts.length > 2 || parts.some((p) => p === '')) {
    throw new TypeError(`defineResource: apiVersion must be "VERSION" or "GROUP/VERSION", got ${JSON.stringify(apiVersion)}`);
  }
  if (typeof kind !== 'string' || kind === '') throw new TypeError('defineResource: kind must be a non-empty string');
  if (typeof plural !== 'string' || !DNS_LABEL.test(plural)) {
    throw new TypeError(`defineResource: plural must be a lower-case DNS label, got ${JSON.stringify(plural)}`);
  }
  if (typeof namespaced !== 'boolean') throw new TypeError('defineResource: namespaced must be a boolean');
  const group = parts.length === 2 ? parts[0]! : '';
  const version = parts.length === 2 ? parts[1]! : parts[0]!;
  const codec = (options.codec ?? KubernetesObject) as t.Type<T, unknown, unknown>;
  return Object.freeze({
    apiVersion,
    group,
    version,
    kind,
    plural,
    namespaced,
    codec,
    basePath: group === '' ? `/api/${version}` : `/apis/${group}/${version}`,
  });
}

/**
 * The collection path of a resource: `/api/v1/namespaces/NS/pods`, or `/api/v1/pods` for all namespaces and
 * cluster-scoped kinds (`namespace` `undefined`).
 *
 * @since 0.1.0
 */
export function collectionPath(resource: Pick<Resource<unknown>, 'basePath' | 'plural'>, namespace?: string): string {
  return namespace === undefined
    ? `${resource.basePath}/${resource.plural}`
    : `${resource.basePath}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
}

/**
 * The item path of one object: the collection path plus `/NAME`.
 * @since 0.1.0
 */
export function itemPath(resource: Pick<Resource<unknown>, 'basePath' | 'plural'>, name: string, namespace?: string): string {
  return `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
}

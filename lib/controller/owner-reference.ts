/**
 * Owner references for controllers: the `controller: true` reference a controller puts on the children it makes
 * (so the garbage collector deletes them with their owner, and `Controller.owns()` maps their events back to the
 * owner's key), and the reverse mapping.
 *
 * Follows controller-runtime `pkg/controller/controllerutil/controllerutil.go` (`SetControllerReference`,
 * `validateOwner`, `upsertOwnerRef`, `AlreadyOwnedError`) and client-go `metav1.GetControllerOf` /
 * `NewControllerRef`. Where we differ: `ownedBy` returns a new object instead of mutating the child, so it composes
 * with server-side apply (`patch$(name, ownedBy(owner, child), { type: 'apply', fieldManager })`).
 */
import { KubexError } from '../errors/kubex-error.js';
import { groupOf, keyOf, type ObjectLike } from './object-ref.js';

/**
 * A `meta/v1` OwnerReference.
 * @since 0.3.0
 */
export interface OwnerReference {
  /** The owner's group/version. */
  readonly apiVersion: string;
  /** The owner's kind. */
  readonly kind: string;
  /** The owner's name (same namespace as the child, or cluster-scoped). */
  readonly name: string;
  /** The owner's uid: a reference to a deleted-and-recreated owner of the same name does not match. */
  readonly uid: string;
  /** `true` for the one managing controller. */
  readonly controller?: boolean;
  /** With foreground deletion, the owner waits for this child to be gone. */
  readonly blockOwnerDeletion?: boolean;
}

/**
 * The child already has a controller owner that is not the one given: two controllers must not fight over one
 * object (controller-runtime's `AlreadyOwnedError`).
 * @since 0.3.0
 */
export class AlreadyOwnedError extends KubexError {
  /** The class name, `AlreadyOwnedError`. */
  override readonly name: string = 'AlreadyOwnedError';
  /** The controller reference already on the child. */
  readonly owner: OwnerReference;

  constructor(message: string, owner: OwnerReference) {
    super(message);
    this.owner = owner;
  }
}

function required(field: string, value: string | null | undefined): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`controllerReference: the owner has no ${field} (read it from the server: a uid is only given at creation)`);
  }
  return value;
}

/**
 * The controller OwnerReference pointing at `owner`: apiVersion, kind, name, uid, `controller: true` and
 * `blockOwnerDeletion: true` (client-go's `NewControllerRef`). The owner must come from the server (it needs its
 * `uid`); a `TypeError` otherwise.
 *
 * @example
 * ```ts
 * const ref = controllerReference(replicate); // { apiVersion: 'example.com/v1', kind: 'Replicate', name, uid, controller: true, blockOwnerDeletion: true }
 * ```
 * @since 0.3.0
 */
export function controllerReference(owner: ObjectLike): OwnerReference {
  return {
    apiVersion: required('apiVersion', owner.apiVersion),
    kind: required('kind', owner.kind),
    name: required('metadata.name', owner.metadata?.name),
    uid: required('metadata.uid', owner.metadata?.uid),
    controller: true,
    blockOwnerDeletion: true,
  };
}

function asReference(value: unknown): OwnerReference | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r['apiVersion'] !== 'string' || typeof r['kind'] !== 'string' || typeof r['name'] !== 'string' || typeof r['uid'] !== 'string') return undefined;
  return r as unknown as OwnerReference;
}

/** Same object, as controller-runtime's `referSameObject`: group (not version), kind and name. */
function sameObject(a: OwnerReference, b: OwnerReference): boolean {
  return groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.name === b.name;
}

/**
 * The `controller: true` owner reference of an object, if any (client-go's `metav1.GetControllerOf`). At most one
 * is allowed by the API server's validation.
 * @since 0.3.0
 */
export function controllerOf(object: ObjectLike): OwnerReference | undefined {
  for (const value of object.metadata?.ownerReferences ?? []) {
    const ref = asReference(value);
    if (ref?.controller === true) return ref;
  }
  return undefined;
}

/**
 * `child` with the controller reference to `owner` merged into its `metadata.ownerReferences` (a new object; the
 * child is not changed). A reference to the same owner (same group, kind and name) is replaced, others are kept.
 *
 * Throws, as controller-runtime's `SetControllerReference` does:
 * - an {@link AlreadyOwnedError} when another object is already the child's controller;
 * - a `TypeError` for an owner without uid, a namespaced owner of a child in another namespace
 *   ("cross-namespace owner references are disallowed"), or a namespaced owner of a cluster-scoped child.
 *   `namespaced` tells whether the child's kind is namespaced when the child names no namespace (default: the
 *   child's namespace is the owner's, as it is when an Api writes it in the owner's namespace).
 *
 * @example
 * ```ts
 * const copy = ownedBy(replicate, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-a' }, data });
 * await firstValueFrom(configMaps.patch$('settings', copy, { type: 'apply', fieldManager: 'replicator', namespace: 'team-a' }));
 * ```
 * @since 0.3.0
 */
export function ownedBy<C extends ObjectLike>(owner: ObjectLike, child: C, options: { readonly namespaced?: boolean } = {}): C {
  const ref = controllerReference(owner);
  const ownerNs = owner.metadata?.namespace || undefined;
  const childNs = child.metadata?.namespace || undefined;
  if (ownerNs !== undefined) {
    if (childNs === undefined && options.namespaced === false) {
      throw new TypeError(`ownedBy: cluster-scoped resource must not have a namespace-scoped owner, owner's namespace ${ownerNs}`);
    }
    if (childNs !== undefined && childNs !== ownerNs) {
      throw new TypeError(`ownedBy: cross-namespace owner references are disallowed, owner's namespace ${ownerNs}, obj's namespace ${childNs}`);
    }
  }
  const existing = controllerOf(child);
  if (existing !== undefined && !sameObject(existing, ref)) {
    const what = `${child.kind ?? 'object'} ${keyOf(child.metadata?.name ?? '', childNs)}`;
    throw new AlreadyOwnedError(`${what} is already owned by another ${existing.kind} controller ${existing.name}`, existing);
  }
  const others = (child.metadata?.ownerReferences ?? []).filter((value) => {
    const r = asReference(value);
    return r === undefined || !sameObject(r, ref);
  });
  return { ...child, metadata: { ...child.metadata, ownerReferences: [...others, ref] } };
}

/**
 * The kind of owner a controller manages, as `owns()` matches it: group and kind (the version is ignored, as
 * controller-runtime's `EnqueueRequestForOwner` does, so a child written under `v1beta1` still maps).
 * @since 0.3.0
 */
export interface OwnerKind {
  /** The owner's group/version (only the group is compared). */
  readonly apiVersion: string;
  /** The owner's kind. */
  readonly kind: string;
}

/**
 * The queue key (`namespace/name`, or `name` for a cluster-scoped owner) of the object controlling `child`, when
 * its controller reference is of `ownerKind`; `undefined` otherwise. Owner references name no namespace: a
 * namespaced owner is in its child's namespace. Pass `ownerNamespaced: false` for a cluster-scoped owner kind.
 *
 * @example
 * ```ts
 * controllerKeyOf(copy, { apiVersion: 'example.com/v1', kind: 'Replicate' }); // 'team-a/settings'
 * ```
 * @since 0.3.0
 */
export function controllerKeyOf(child: ObjectLike, ownerKind: OwnerKind, options: { readonly ownerNamespaced?: boolean } = {}): string | undefined {
  const ref = controllerOf(child);
  if (ref === undefined || ref.kind !== ownerKind.kind || groupOf(ref.apiVersion) !== groupOf(ownerKind.apiVersion)) return undefined;
  return keyOf(ref.name, options.ownerNamespaced === false ? undefined : (child.metadata?.namespace || undefined));
}

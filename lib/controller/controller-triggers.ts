/**
 * How a controller turns informer events into queue triggers (internal): the primary kind's own keys, owned
 * objects' controller owners, and watched objects' mapped keys. Each function is an operator over one informer's
 * `events$`; the controller merges them into the queue.
 *
 * The mapping follows controller-runtime's handlers (`pkg/handler`: `EnqueueRequestForObject`,
 * `EnqueueRequestForOwner` with `OnlyControllerOwner()`, `EnqueueRequestsFromMapFunc`) and kube-rs's
 * (`kube-runtime/src/controller/mod.rs`: `trigger_self`, `trigger_owners`, `trigger_others`). Owners: only the
 * `controller: true` reference counts, as controller-runtime's `OnlyControllerOwner()` (kube-rs's `trigger_owners`
 * takes every owner reference of the owner's type, so an object merely co-owned wakes controllers that do not
 * manage it). Two more changes:
 * events carry a priority from the informer's `origin` (replayed state `'low'`, live changes `'high'`), and an
 * owned object that changes controller (adopted, released) triggers its previous owner as well, which kube-rs
 * (new object only) misses and controller-runtime does from the update's old object; our informer's events carry
 * no old object, so the last owner seen is kept per child.
 */
import { concatMap, defer, from, type Observable, type OperatorFunction } from 'rxjs';
import type { InformerEvent } from '../informer/informer-event.js';
import type { InformerObject } from '../informer/informer-source.js';
import { objectKey } from '../store/object-store.js';
import type { KeyMapper } from './controller-options.js';
import type { KeyTrigger, ReconcilePriority } from './reconcile-types.js';
import { controllerKeyOf } from './owner-reference.js';
import type { ObjectLike } from './object-ref.js';

/** Replayed state (`initial`, `relist`, `restored`) goes behind live changes (controller-runtime's priority queue). */
export function priorityOf(event: InformerEvent<unknown>): ReconcilePriority {
  return event.origin === 'live' ? 'high' : 'low';
}

/** What the controller knows of its primary kind, to recognise an owner reference to it. */
export interface PrimaryKind {
  /** Its group/version (only the group is compared: owner references survive version changes). */
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** The primary kind's events: each object's own key (the run reads the object from the informer's store). BOOKMARKs are ignored. */
export function primaryTriggers<T extends InformerObject>(): OperatorFunction<InformerEvent<T>, KeyTrigger> {
  return concatMap((event) => (event.type === 'BOOKMARK' ? [] : [{ key: objectKey(event.object), priority: priorityOf(event) }]));
}

/**
 * The key of the object's controller owner of the primary kind (the ownerReference with `controller: true` whose
 * kind and group match), or `undefined`: {@link controllerKeyOf}, which follows controller-runtime's
 * `OnlyControllerOwner` (kube-rs's `trigger_owners` takes every owner reference).
 */
export function controllerOwnerKey(object: InformerObject, primary: PrimaryKind): string | undefined {
  const child = object as ObjectLike;
  // A namespaced owner lives in the child's namespace (owner references cannot cross namespaces).
  if (primary.namespaced && !child.metadata?.namespace) return undefined;
  return controllerKeyOf(child, primary, { ownerNamespaced: primary.namespaced });
}

/**
 * An owned kind's events: the key of the child's controller owner (see {@link controllerOwnerKey}), and of its
 * previous owner when that changed. Deletions trigger the owner too (it may have to recreate the child).
 */
export function ownerTriggers<C extends InformerObject>(primary: PrimaryKind): OperatorFunction<InformerEvent<C>, KeyTrigger> {
  return (events: Observable<InformerEvent<C>>) =>
    defer(() => {
      // Per subscription: child key -> owner key last seen; only children with an owner of the primary kind.
      const owners = new Map<string, string>();
      return events.pipe(
      concatMap((event) => {
        if (event.type === 'BOOKMARK') return [];
        const child = objectKey(event.object);
        const owner = controllerOwnerKey(event.object, primary);
        const previous = owners.get(child);
        if (event.type === 'DELETED' || owner === undefined) owners.delete(child);
        else owners.set(child, owner);
        const priority = priorityOf(event);
        const keys = new Set([owner, previous].filter((k): k is string => k !== undefined));
        return [...keys].map((key) => ({ key, priority }));
      }),
      );
    });
}

/** A watched kind's events: whatever keys the mapper returns (none, one or many; duplicates once). */
export function mappedTriggers<W>(mapper: KeyMapper<W>): OperatorFunction<InformerEvent<W>, KeyTrigger> {
  return concatMap((event) => {
    if (event.type === 'BOOKMARK') return [];
    const mapped = mapper(event.object);
    if (mapped === null || mapped === undefined) return [];
    const priority = priorityOf(event);
    const keys = typeof mapped === 'string' ? [mapped] : new Set(mapped);
    return from([...keys].map((key) => ({ key, priority })));
  });
}

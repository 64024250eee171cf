/**
 * Several namespaces, one informer (`namespaces: ['team-a', 'team-b']`, issue #14): the rules of the option and how
 * the states of the per-namespace connections make the informer's one state.
 *
 * Each namespace has its own connection (watch-list or list + watch, cursor, backoff) and its own store partition:
 * a relist of one namespace touches only its objects. A 403 on one namespace is not fatal to the others: that
 * namespace backs off and retries (RBAC may be granted later; client-go's reflector also retries a failed list
 * with backoff, `ListAndWatch` under `wait.BackoffUntil`), it is left out of the informer's sync until it answers,
 * and the state names it. Only when every namespace is forbidden does the informer fail, as a single-namespace one
 * does on 403. client-go has no such informer: one informer per namespace (`WithNamespace`), each synced on its own.
 */
import type { InformerState } from './informer-state.js';

/** What the aggregation needs of a partition. */
export interface NamespaceView {
  readonly namespace: string | undefined;
  readonly state: InformerState;
  readonly forbidden: boolean;
  readonly synced: boolean;
}

/** RFC 1123 label, as Kubernetes requires of namespace names (apimachinery's IsDNS1123Label). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Throws a `TypeError` for a `namespaces` option no informer can run with. */
export function validateNamespaces(namespaces: unknown, namespace: string | null | undefined, namespaced: boolean): void {
  if (namespaces === undefined) return;
  if (namespace !== undefined) throw new TypeError('informer: namespace and namespaces are exclusive');
  if (!namespaced) throw new TypeError('informer: namespaces were given for a cluster-scoped resource');
  if (!Array.isArray(namespaces) || namespaces.length === 0) throw new TypeError('informer: namespaces must be a non-empty array of namespace names');
  const seen = new Set<string>();
  for (const name of namespaces as unknown[]) {
    if (typeof name !== 'string' || name.length > 63 || !DNS_LABEL.test(name)) {
      throw new TypeError(`informer: namespaces: ${JSON.stringify(name)} is not a namespace name (a DNS label: lower-case letters, digits and '-', at most 63)`);
    }
    if (seen.has(name)) throw new TypeError(`informer: namespaces: ${name} is listed twice`);
    seen.add(name);
  }
}

/**
 * The informer's state from those of its namespaces: `watching` when every namespace that is not forbidden is, else
 * the state of the first one that is not (backing off, syncing...); `synced` when every namespace not forbidden has
 * held its complete state. `namespaces` holds each namespace's own state, `forbidden` those answering 403.
 */
export function aggregateState(partitions: readonly NamespaceView[]): InformerState {
  const namespaces: Record<string, InformerState> = {};
  for (const partition of partitions) namespaces[partition.namespace ?? ''] = partition.state;
  const forbidden = partitions.filter((partition) => partition.forbidden).map((partition) => partition.namespace ?? '');
  const counted = partitions.filter((partition) => !partition.forbidden);
  const synced = counted.length > 0 && counted.every((partition) => partition.synced);
  const lagging = counted.find((partition) => partition.state.phase !== 'watching') ?? (counted.length === 0 ? partitions[0] : undefined);
  const detail = { namespaces, forbidden };
  if (lagging === undefined) return { phase: 'watching', synced: true, resourceVersion: undefined, ...detail };
  return { ...lagging.state, synced, ...detail } as InformerState;
}

/**
 * Lists at an exact resourceVersion (`resourceVersionMatch=Exact`, and the later pages of a paged list, which a real
 * server reads at the first page's revision: AS:`storage/etcd3/store.go` `GetList` with `clientv3.WithRev`).
 *
 * The fake keeps no MVCC store, so the collection as it was at revision N is rebuilt from the current state by
 * undoing, newest first, every retained event above N (ADDED: the object was not there; MODIFIED and DELETED: it was
 * in its previous state). A revision older than the retained history is what etcd has compacted away:
 * `interpretListError` answers `errors.NewResourceExpired("The resourceVersion for the provided list is too old.")`,
 * 410 Expired.
 * @internal
 */
import { makeStatus, type StatusBody } from './status.js';
import type { FakeStore, ObjectRecord } from './store.js';

/** AS:`storage/etcd3/store.go` `expired`: the 410 of a list at a compacted revision. @internal */
export function listTooOldStatus(): StatusBody {
  return makeStatus({ code: 410, reason: 'Expired', message: 'The resourceVersion for the provided list is too old.' });
}

/**
 * The objects of one collection (optionally one namespace) as they were at revision `rv`, sorted by
 * `namespace/name`; `undefined` when `rv` is older than the retained history.
 * @internal
 */
export function snapshotAt(store: FakeStore, key: string, namespace: string | undefined, rv: number): ObjectRecord[] | undefined {
  if (rv >= store.currentRV) return store.snapshot(key, namespace);
  if (rv < store.historyBoundaryRV) return undefined;
  const byKey = new Map<string, ObjectRecord>();
  for (const rec of store.snapshot(key, namespace)) byKey.set(rec.key, rec);
  const events = store.eventsSince(rv).filter((e) => e.resourceKey === key && (namespace === undefined || e.current.namespace === namespace));
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'ADDED') byKey.delete(e.current.key);
    else if (e.previous) byKey.set(e.previous.key, e.previous);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

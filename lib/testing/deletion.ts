/**
 * The delete path of kube-apiserver's generic registry: propagation policies (the garbage collector's `orphan` and
 * `foregroundDeletion` finalizers), graceful deletion of Pods, and the namespace registry's own `Delete`. Used by the
 * HTTP DELETE and deletecollection handlers (`writes.ts`) and by the controllers (`controllers/`), so that every
 * delete writes the same sequence of events a real server writes.
 *
 * Sources ("AS:" is k8s.io/apiserver): AS:`registry/generic/registry/store.go` (`Store.Delete`,
 * `updateForGracefulDeletionAndFinalizers`, `deletionFinalizersForGarbageCollection`, `shouldOrphanDependents`,
 * `shouldDeleteDependents`, `markAsDeleting`), AS:`registry/rest/delete.go` (`BeforeDelete`),
 * kubernetes/kubernetes `pkg/registry/core/pod/strategy.go` (`CheckGracefulDelete`) and the kinds' strategies
 * (`DefaultGarbageCollectionPolicy`, table below).
 * @internal
 */
import { FakeStoreError, type FakeStore, type JsonObject, type ObjectRecord, type StoreResource } from './store.js';
import { NAMESPACES_KEY, markNamespaceTerminating } from './namespaces.js';
import { groupResourceKey } from './versions.js';

/** `metav1.FinalizerOrphanDependents`. @internal */
export const ORPHAN_FINALIZER = 'orphan';
/** `metav1.FinalizerDeleteDependents`. @internal */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** A `DeleteOptions.propagationPolicy`. @internal */
export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

/** The DeleteOptions the delete path reads. @internal */
export interface DeletionOptions {
  readonly dryRun?: boolean;
  readonly orphanDependents?: boolean | undefined;
  readonly propagationPolicy?: PropagationPolicy | undefined;
  readonly gracePeriodSeconds?: number | undefined;
  /** Checked again at the write (the controllers delete with a uid precondition). */
  readonly preconditionUid?: string | undefined;
}

/** What a delete did: `deleted` false when the object is only marked (finalizers or a grace period pending). @internal */
export interface DeletionResult {
  readonly record: ObjectRecord;
  readonly deleted: boolean;
}

/**
 * `rest.GarbageCollectionPolicy` of a kind's strategy (`DefaultGarbageCollectionPolicy`): `OrphanDependents` adds the
 * `orphan` finalizer when the DELETE names no policy; `DeleteDependents` (and kinds without a GC strategy) delete at
 * once, the garbage collector then deleting the dependents in the background.
 *
 * | kind (served version)            | default            | source (kubernetes/kubernetes)                         |
 * | -------------------------------- | ------------------ | ------------------------------------------------------ |
 * | v1 ReplicationController         | `OrphanDependents` | `pkg/registry/core/replicationcontroller/strategy.go` ("OrphanDependents for v1 for backwards compatibility") |
 * | batch/v1 Job                     | `OrphanDependents` | `pkg/registry/batch/job/strategy.go` ("OrphanDependents for batch/v1 for backwards compatibility") |
 * | batch/v1 CronJob                 | `DeleteDependents` | `pkg/registry/batch/cronjob/strategy.go` (orphan only for batch/v1beta1) |
 * | apps/v1 Deployment               | `DeleteDependents` | `pkg/registry/apps/deployment/strategy.go` (orphan only for extensions/v1beta1, apps/v1beta1, apps/v1beta2) |
 * | apps/v1 ReplicaSet, StatefulSet, DaemonSet | `DeleteDependents` | `pkg/registry/apps/{replicaset,statefulset,daemonset}/strategy.go` (same rule) |
 * | everything else                  | none (background)  | no `GarbageCollectionDeleteStrategy`: `shouldOrphanDependents` ends `false` |
 *
 * Keyed `apiVersion/Kind`, since the policy depends on the version the request came in (the fake serves one).
 * @internal
 */
export const DEFAULT_GC_POLICY: Readonly<Record<string, 'OrphanDependents' | 'DeleteDependents'>> = {
  'v1/ReplicationController': 'OrphanDependents',
  'batch/v1/Job': 'OrphanDependents',
  'batch/v1/CronJob': 'DeleteDependents',
  'apps/v1/Deployment': 'DeleteDependents',
  'apps/v1/ReplicaSet': 'DeleteDependents',
  'apps/v1/StatefulSet': 'DeleteDependents',
  'apps/v1/DaemonSet': 'DeleteDependents',
};

const PODS_KEY = groupResourceKey('', 'pods');
/** `DefaultTerminationGracePeriodSeconds` (`pkg/apis/core/v1/defaults.go`, `SetDefaults_PodSpec`). */
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

function meta(obj: JsonObject): JsonObject {
  return obj['metadata'] as JsonObject;
}

/** `metadata.finalizers` as strings. @internal */
export function finalizersOf(obj: JsonObject): string[] {
  const f = meta(obj)['finalizers'];
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

/** RFC 3339 with seconds, as metav1.Time serializes. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `shouldOrphanDependents`: options first (orphanDependents, then propagationPolicy), then the finalizers, then the kind's default. */
function shouldOrphan(r: StoreResource, finalizers: readonly string[], o: DeletionOptions): boolean {
  if (o.orphanDependents !== undefined) return o.orphanDependents;
  if (o.propagationPolicy === 'Orphan') return true;
  if (o.propagationPolicy === 'Background' || o.propagationPolicy === 'Foreground') return false;
  for (const f of finalizers) {
    if (f === ORPHAN_FINALIZER) return true;
    if (f === FOREGROUND_FINALIZER) return false;
  }
  return DEFAULT_GC_POLICY[`${r.apiVersion}/${r.kind}`] === 'OrphanDependents';
}

/** `shouldDeleteDependents`: Foreground, or a `foregroundDeletion` finalizer already there; never by default. */
function shouldForeground(finalizers: readonly string[], o: DeletionOptions): boolean {
  if (o.orphanDependents !== undefined) return false;
  if (o.propagationPolicy === 'Foreground') return true;
  if (o.propagationPolicy === 'Background' || o.propagationPolicy === 'Orphan') return false;
  for (const f of finalizers) {
    if (f === FOREGROUND_FINALIZER) return true;
    if (f === ORPHAN_FINALIZER) return false;
  }
  return false;
}

/** `deletionFinalizersForGarbageCollection`: the GC finalizers re-derived; `changed` when the set differs. @internal */
export function deletionFinalizers(r: StoreResource, current: readonly string[], o: DeletionOptions): { changed: boolean; finalizers: string[] } {
  const next = current.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (shouldOrphan(r, current, o)) next.push(ORPHAN_FINALIZER);
  if (shouldForeground(current, o)) next.push(FOREGROUND_FINALIZER);
  const a = new Set(current);
  const b = new Set(next);
  const changed = a.size !== b.size || [...a].some((f) => !b.has(f));
  return { changed, finalizers: changed ? next : [...current] };
}

/** The pod strategy's `CheckGracefulDelete`: the grace period to use (0 for unscheduled or finished pods). */
function podGracePeriod(pod: JsonObject, o: DeletionOptions): number {
  const spec = (pod['spec'] ?? {}) as JsonObject;
  const status = (pod['status'] ?? {}) as JsonObject;
  const tgps = spec['terminationGracePeriodSeconds'];
  // The fake does not always run the Pod defaulting; an absent terminationGracePeriodSeconds is the default 30.
  let period = o.gracePeriodSeconds ?? (typeof tgps === 'number' ? tgps : DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  if (typeof spec['nodeName'] !== 'string' || spec['nodeName'] === '') period = 0;
  if (status['phase'] === 'Failed' || status['phase'] === 'Succeeded') period = 0;
  return period < 0 ? 1 : period;
}

/**
 * `rest.BeforeDelete` on a copy of the stored object: for kinds with graceful deletion (Pods) it sets
 * `deletionTimestamp = now + grace` and `deletionGracePeriodSeconds` and bumps `generation`, or reports that a
 * graceful deletion is already pending (a longer or absent grace period changes nothing; a shorter one moves the
 * timestamp earlier).
 */
function beforeDelete(r: StoreResource, obj: JsonObject, o: DeletionOptions, now: number): { graceful: boolean; pending: boolean; grace: number } {
  if (r.key !== PODS_KEY) return { graceful: false, pending: false, grace: 0 };
  const m = meta(obj);
  const requested = o.gracePeriodSeconds !== undefined && o.gracePeriodSeconds < 0 ? 1 : o.gracePeriodSeconds;
  if (m['deletionTimestamp'] !== undefined) {
    const current = typeof m['deletionGracePeriodSeconds'] === 'number' ? m['deletionGracePeriodSeconds'] : 0;
    if (current === 0) return { graceful: false, pending: false, grace: 0 };
    if (requested === undefined || requested >= current) return { graceful: false, pending: true, grace: current };
    const shifted = Date.parse(String(m['deletionTimestamp'])) - current * 1000 + requested * 1000;
    m['deletionTimestamp'] = rfc3339(shifted);
    m['deletionGracePeriodSeconds'] = requested;
    return { graceful: true, pending: false, grace: requested };
  }
  const grace = podGracePeriod(obj, { ...o, gracePeriodSeconds: requested });
  m['deletionTimestamp'] = rfc3339(now + grace * 1000);
  m['deletionGracePeriodSeconds'] = grace;
  if (typeof m['generation'] === 'number' && m['generation'] > 0) m['generation'] = m['generation'] + 1;
  return { graceful: true, pending: false, grace };
}

/**
 * `Store.Delete` (with the namespace registry's `Delete` in front for Namespaces): marks or deletes one object and
 * writes the events a real server writes:
 * - GC finalizers to add (a propagation policy or the kind's default: `orphan`, `foregroundDeletion`) or finalizers
 *   already there: one MODIFIED setting them with `deletionTimestamp` (now) and `deletionGracePeriodSeconds: 0`
 *   (`markAsDeleting`); the object stays;
 * - a Pod: MODIFIED with `deletionTimestamp = now + grace` and the grace period; it stays while the grace period is
 *   above 0 (the kubelet finishes it), else DELETED follows at once;
 * - otherwise DELETED.
 * @throws FakeStoreError `NotFound`; `Conflict` when `preconditionUid` does not match.
 * @internal
 */
export function deleteObject(store: FakeStore, r: StoreResource, name: string, namespace: string | undefined, o: DeletionOptions = {}): DeletionResult {
  const dryRun = o.dryRun ?? false;
  const prev = store.get(r, name, namespace);
  if (!prev) throw new FakeStoreError('NotFound', `${r.plural} ${JSON.stringify(name)} not found`);
  if (o.preconditionUid !== undefined && meta(prev.object)['uid'] !== o.preconditionUid) {
    throw new FakeStoreError('Conflict', `Precondition failed: UID in precondition: ${o.preconditionUid}, UID in object meta: ${String(meta(prev.object)['uid'])}`);
  }
  const now = Date.now();
  if (r.key === NAMESPACES_KEY) {
    const marked = markNamespaceTerminating(store, r, prev, dryRun, rfc3339(now));
    if (marked) return marked;
  }
  const obj = prev.copy();
  const before = beforeDelete(r, obj, o, now);
  if (before.pending) return { record: prev, deleted: false };
  const current = finalizersOf(prev.object);
  const gc = deletionFinalizers(r, current, o);
  if (before.graceful || current.length > 0 || gc.changed) {
    const m = meta(obj);
    if (gc.changed) m['finalizers'] = gc.finalizers;
    const pendingFinalizers = gc.finalizers.length > 0;
    if (!before.graceful) {
      if (!pendingFinalizers) return remove(store, r, prev, dryRun);
      // markAsDeleting: generation bump on the first mark, deletionTimestamp now (or earlier), grace 0.
      if (m['deletionTimestamp'] === undefined && typeof m['generation'] === 'number' && m['generation'] > 0) m['generation'] = m['generation'] + 1;
      if (m['deletionTimestamp'] === undefined || Date.parse(String(m['deletionTimestamp'])) > now) m['deletionTimestamp'] = rfc3339(now);
      m['deletionGracePeriodSeconds'] = 0;
      return { record: store.put(r, obj, { dryRun }), deleted: false };
    }
    const written = store.put(r, obj, { dryRun });
    if (pendingFinalizers || before.grace > 0) return { record: written, deleted: false };
    if (dryRun) return { record: written, deleted: true };
    return remove(store, r, written, dryRun);
  }
  return remove(store, r, prev, dryRun);
}

function remove(store: FakeStore, r: StoreResource, rec: ObjectRecord, dryRun: boolean): DeletionResult {
  if (dryRun) return { record: rec, deleted: true };
  return store.remove(r, rec.name, rec.namespace || undefined);
}

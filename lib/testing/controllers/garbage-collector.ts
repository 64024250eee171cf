/**
 * The garbage collector of kube-controller-manager (kubernetes/kubernetes `pkg/controller/garbagecollector`), fed by
 * store events instead of informers:
 * - a dependent whose `ownerReferences` all point to owners that no longer exist is deleted (with the policy its own
 *   finalizers ask for, else Background); one that still has a live owner only loses the dangling references
 *   (`attemptToDeleteItem`, `classifyReferences`: solid / dangling / waitingForDependentsDeletion);
 * - an owner being deleted with the `foregroundDeletion` finalizer: its dependents are deleted (Foreground for those
 *   that have dependents themselves), and once none with `blockOwnerDeletion: true` is left the finalizer is removed,
 *   so the owner goes (`processDeletingDependentsItem`, `removeFinalizer`);
 * - an owner being deleted with the `orphan` finalizer: the references to it are removed from its dependents, then
 *   the finalizer (`orphanDependents`, `removeFinalizer`).
 *
 * Owners are found by uid; a namespaced owner must be in the dependent's namespace (ownerReferences are
 * namespace-local), as the real GC's lookup by the reference's coordinates does.
 * @internal
 */
import { deleteObject, finalizersOf, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy } from '../deletion.js';
import { FakeStoreError, type JsonObject, type ObjectRecord, type StoreEvent, type StoreResource } from '../store.js';
import { Debounced, locationOf, metaOf, readAt, type Controller, type ControllerContext, type ObjectLocation } from './context.js';

interface OwnerRef {
  readonly uid: string;
  readonly blockOwnerDeletion: boolean;
}

function ownerRefsOf(obj: JsonObject): OwnerRef[] {
  const refs = metaOf(obj)['ownerReferences'];
  if (!Array.isArray(refs)) return [];
  const out: OwnerRef[] = [];
  for (const ref of refs) {
    if (ref && typeof ref === 'object' && typeof (ref as JsonObject)['uid'] === 'string') {
      out.push({ uid: (ref as JsonObject)['uid'] as string, blockOwnerDeletion: (ref as JsonObject)['blockOwnerDeletion'] === true });
    }
  }
  return out;
}

function uidOf(rec: ObjectRecord): string {
  return String(metaOf(rec.object)['uid']);
}

function isDeleting(rec: ObjectRecord): boolean {
  return metaOf(rec.object)['deletionTimestamp'] !== undefined;
}

/** The garbage collector. @internal */
export class GarbageCollector implements Controller {
  /** Every object by uid. */
  private readonly objects = new Map<string, ObjectLocation>();
  /** Owner uid → dependent uid → dependent location. */
  private readonly dependents = new Map<string, Map<string, ObjectLocation>>();
  /** Dependent uid → the owner uids it references (to unlink on change). */
  private readonly owners = new Map<string, string[]>();
  private readonly dirtyDependents = new Set<string>();
  private readonly dirtyOwners = new Set<string>();
  private readonly queue = new Debounced(() => this.run());

  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const rec = e.current;
    const uid = uidOf(rec);
    if (e.type === 'DELETED') {
      this.objects.delete(uid);
      this.link(uid, []);
      for (const dep of this.dependents.get(uid)?.keys() ?? []) this.dirtyDependents.add(dep);
      // A dependent that blocked a foreground owner has gone: the owner may finish now.
      for (const ref of ownerRefsOf(rec.object)) this.dirtyOwners.add(ref.uid);
      this.queue.request();
      return;
    }
    this.objects.set(uid, locationOf(rec));
    const refs = ownerRefsOf(rec.object);
    this.link(uid, refs.map((r) => r.uid), locationOf(rec));
    let dirty = false;
    for (const ref of refs) {
      const owner = this.objects.get(ref.uid);
      if (!owner || (owner.namespace !== '' && owner.namespace !== rec.namespace)) this.dirtyDependents.add(uid);
      else this.dirtyOwners.add(ref.uid);
      dirty = true;
    }
    const finalizers = finalizersOf(rec.object);
    if (isDeleting(rec) && (finalizers.includes(ORPHAN_FINALIZER) || finalizers.includes(FOREGROUND_FINALIZER))) {
      this.dirtyOwners.add(uid);
      dirty = true;
    }
    if (dirty) this.queue.request();
  }

  stop(): void {
    this.queue.stop();
  }

  private link(uid: string, ownerUids: readonly string[], loc?: ObjectLocation): void {
    for (const o of this.owners.get(uid) ?? []) this.dependents.get(o)?.delete(uid);
    if (ownerUids.length === 0) {
      this.owners.delete(uid);
      return;
    }
    this.owners.set(uid, [...ownerUids]);
    for (const o of ownerUids) {
      let deps = this.dependents.get(o);
      if (!deps) this.dependents.set(o, (deps = new Map()));
      deps.set(uid, loc!);
    }
  }

  private run(): void {
    // Each pass may write, and writes mark more work (observe runs synchronously on commit): loop until quiet.
    for (let pass = 0; pass < 100 && (this.dirtyDependents.size > 0 || this.dirtyOwners.size > 0); pass++) {
      const deps = [...this.dirtyDependents];
      this.dirtyDependents.clear();
      for (const uid of deps) this.guard(() => this.attemptToDelete(uid));
      const owners = [...this.dirtyOwners];
      this.dirtyOwners.clear();
      for (const uid of owners) this.guard(() => this.processOwner(uid));
    }
  }

  /** Conflicts and NotFound are races with other writers: the next event brings the item back. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof FakeStoreError)) throw err;
    }
  }

  private read(uid: string): { r: StoreResource; rec: ObjectRecord } | undefined {
    const loc = this.objects.get(uid);
    return loc ? readAt(this.ctx, loc) : undefined;
  }

  /** `attemptToDeleteItem` for one dependent. */
  private attemptToDelete(uid: string): void {
    const found = this.read(uid);
    if (!found) return;
    const { r, rec } = found;
    const refs = ownerRefsOf(rec.object);
    if (refs.length === 0 || isDeleting(rec)) return;
    const solid: string[] = [];
    const dangling: string[] = [];
    const waiting: string[] = [];
    for (const ref of refs) {
      const owner = this.read(ref.uid);
      if (!owner || (owner.r.namespaced && owner.rec.namespace !== rec.namespace)) dangling.push(ref.uid);
      else if (isDeleting(owner.rec) && finalizersOf(owner.rec.object).includes(FOREGROUND_FINALIZER)) waiting.push(ref.uid);
      else solid.push(ref.uid);
    }
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // Some owner is alive: only the references to the gone or going owners are removed.
      const drop = new Set([...dangling, ...waiting]);
      const obj = rec.copy();
      const m = metaOf(obj);
      m['ownerReferences'] = (m['ownerReferences'] as JsonObject[]).filter((ref) => !drop.has(String(ref['uid'])));
      this.ctx.store.update(r, obj);
      return;
    }
    let policy: PropagationPolicy;
    const finalizers = finalizersOf(rec.object);
    if (waiting.length > 0 && (this.dependents.get(uid)?.size ?? 0) > 0) policy = 'Foreground';
    else if (finalizers.includes(ORPHAN_FINALIZER)) policy = 'Orphan';
    else if (finalizers.includes(FOREGROUND_FINALIZER)) policy = 'Foreground';
    else policy = 'Background';
    deleteObject(this.ctx.store, r, rec.name, rec.namespace || undefined, { propagationPolicy: policy, preconditionUid: uid });
  }

  /** `processDeletingDependentsItem` (foreground) and `orphanDependents` (orphan) for an owner being deleted. */
  private processOwner(uid: string): void {
    const found = this.read(uid);
    if (!found || !isDeleting(found.rec)) return;
    const finalizers = finalizersOf(found.rec.object);
    const deps = [...(this.dependents.get(uid)?.keys() ?? [])];
    if (finalizers.includes(ORPHAN_FINALIZER)) {
      for (const dep of deps) {
        const d = this.read(dep);
        if (!d) continue;
        const obj = d.rec.copy();
        const m = metaOf(obj);
        m['ownerReferences'] = (m['ownerReferences'] as JsonObject[]).filter((ref) => ref['uid'] !== uid);
        if ((m['ownerReferences'] as unknown[]).length === 0) delete m['ownerReferences'];
        this.ctx.store.update(d.r, obj);
      }
      this.removeFinalizer(uid, ORPHAN_FINALIZER);
      return;
    }
    if (!finalizers.includes(FOREGROUND_FINALIZER)) return;
    for (const dep of deps) this.guard(() => this.attemptToDelete(dep));
    const blocking = deps.some((dep) => {
      const d = this.read(dep);
      return d !== undefined && ownerRefsOf(d.rec.object).some((ref) => ref.uid === uid && ref.blockOwnerDeletion);
    });
    if (!blocking) this.removeFinalizer(uid, FOREGROUND_FINALIZER);
  }

  /** `removeFinalizer`: an update without it (the store deletes the object when it was the last one). */
  private removeFinalizer(uid: string, finalizer: string): void {
    const found = this.read(uid);
    if (!found) return;
    const obj = found.rec.copy();
    const m = metaOf(obj);
    const rest = finalizersOf(obj).filter((f) => f !== finalizer);
    if (rest.length > 0) m['finalizers'] = rest;
    else delete m['finalizers'];
    this.ctx.store.update(found.r, obj);
  }
}

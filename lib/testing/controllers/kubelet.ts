/**
 * A stand-in for the kubelet's part in graceful pod deletion: no containers run in the fake, so when a bound pod's
 * grace period (`deletionGracePeriodSeconds`, counted from the MODIFIED event that set it) ends, it deletes the pod
 * with `gracePeriodSeconds: 0` and a uid precondition, as the kubelet's status manager does once the containers have
 * stopped (kubernetes/kubernetes `pkg/kubelet/status/status_manager.go`, `syncPod` → `Delete(..., NewDeleteOptions(0))`
 * with `Preconditions{UID}`). A shorter grace period given later re-arms the timer.
 *
 * Real time: a test that does not want to wait deletes with `gracePeriodSeconds: 0` (`kubectl delete --force
 * --grace-period=0`), or with a short grace period, or sets `spec.terminationGracePeriodSeconds` low.
 * @internal
 */
import { deleteObject } from '../deletion.js';
import { FakeStoreError, type StoreEvent } from '../store.js';
import { timer } from '../wait-list.js';
import { metaOf, readAt, type Controller, type ControllerContext, type ObjectLocation } from './context.js';
import { groupResourceKey } from '../versions.js';

const PODS_KEY = groupResourceKey('', 'pods');

/** The stand-in kubelet. @internal */
export class Kubelet implements Controller {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    if (e.resourceKey !== PODS_KEY) return;
    const m = metaOf(e.current.object);
    const uid = String(m['uid']);
    if (e.type === 'DELETED') {
      this.clear(uid);
      return;
    }
    const grace = m['deletionGracePeriodSeconds'];
    const spec = e.current.object['spec'] as Record<string, unknown> | undefined;
    if (m['deletionTimestamp'] === undefined || typeof grace !== 'number' || grace <= 0 || !spec?.['nodeName']) return;
    this.clear(uid);
    const loc: ObjectLocation = { key: e.current.resourceKey, namespace: e.current.namespace, name: e.current.name };
    this.timers.set(
      uid,
      timer(grace * 1000, () => this.finish(uid, loc)),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private clear(uid: string): void {
    const t = this.timers.get(uid);
    if (t) clearTimeout(t);
    this.timers.delete(uid);
  }

  private finish(uid: string, loc: ObjectLocation): void {
    this.timers.delete(uid);
    if (this.stopped) return;
    const found = readAt(this.ctx, loc);
    if (!found) return;
    try {
      deleteObject(this.ctx.store, found.r, loc.name, loc.namespace, { gracePeriodSeconds: 0, preconditionUid: uid });
    } catch (err) {
      if (!(err instanceof FakeStoreError)) throw err;
    }
  }
}

/**
 * The namespace controller of kube-controller-manager (kubernetes/kubernetes `pkg/controller/namespace` and
 * `pkg/controller/namespace/deletion/namespaced_resources_deleter.go`), fed by store events: for a namespace with a
 * `deletionTimestamp` it deletes every namespaced object in it (`deleteAllContent`: a deletecollection per resource
 * with `propagationPolicy: Background`), waits for what is still finalizing (objects with finalizers, pods in their
 * grace period), and when nothing is left removes the `kubernetes` finalizer from `spec.finalizers`
 * (`finalizeNamespace`, the `/finalize` subresource), which deletes the namespace
 * (`ShouldDeleteNamespaceDuringUpdate`). A namespace without that finalizer is deleted by a second DELETE, as the
 * namespace registry's `Delete` does once `spec.finalizers` is empty.
 *
 * Not emulated: the `NamespaceDeletion*` status conditions the real controller reports while it works.
 * @internal
 */
import { deleteObject } from '../deletion.js';
import { KUBERNETES_FINALIZER, NAMESPACES_KEY, specFinalizers } from '../namespaces.js';
import { FakeStoreError, type JsonObject, type StoreEvent } from '../store.js';
import { Debounced, metaOf, type Controller, type ControllerContext } from './context.js';

/** The namespace controller. @internal */
export class NamespaceController implements Controller {
  private readonly terminating = new Set<string>();
  private readonly queue = new Debounced(() => this.run());

  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const rec = e.current;
    if (rec.resourceKey === NAMESPACES_KEY) {
      if (e.type === 'DELETED') this.terminating.delete(rec.name);
      else if (metaOf(rec.object)['deletionTimestamp'] !== undefined) {
        this.terminating.add(rec.name);
        this.queue.request();
      }
      return;
    }
    // Content of a terminating namespace went away (or changed while finalizing): look again.
    if (rec.namespace !== '' && this.terminating.has(rec.namespace)) this.queue.request();
  }

  stop(): void {
    this.queue.stop();
  }

  private run(): void {
    for (const ns of [...this.terminating]) {
      try {
        this.sync(ns);
      } catch (err) {
        if (!(err instanceof FakeStoreError)) throw err;
      }
    }
  }

  private sync(name: string): void {
    const nsResource = this.ctx.resource(NAMESPACES_KEY);
    const ns = nsResource && this.ctx.store.get(nsResource, name, undefined);
    if (!nsResource || !ns || metaOf(ns.object)['deletionTimestamp'] === undefined) {
      this.terminating.delete(name);
      return;
    }
    let remaining = 0;
    for (const r of this.ctx.resources()) {
      if (!r.namespaced) continue;
      for (const item of this.ctx.store.snapshot(r.key, name)) {
        if (metaOf(item.object)['deletionTimestamp'] === undefined) {
          try {
            if (deleteObject(this.ctx.store, r, item.name, name, { propagationPolicy: 'Background' }).deleted) continue;
          } catch (err) {
            if (err instanceof FakeStoreError && err.reason === 'NotFound') continue;
            throw err;
          }
        }
        remaining++;
      }
    }
    if (remaining > 0) return; // the DELETED events of the rest bring us back
    const current = this.ctx.store.get(nsResource, name, undefined);
    if (!current) return;
    const finalizers = specFinalizers(current.object);
    if (finalizers.includes(KUBERNETES_FINALIZER)) {
      const obj = current.copy();
      (obj['spec'] as JsonObject)['finalizers'] = finalizers.filter((f) => f !== KUBERNETES_FINALIZER);
      this.ctx.store.update(nsResource, obj);
    } else if (finalizers.length === 0) {
      deleteObject(this.ctx.store, nsResource, name, undefined, { propagationPolicy: 'Background' });
    }
  }
}

/**
 * The FakeApiServer's CustomResourceDefinition controllers: what apiextensions-apiserver runs besides its REST
 * storage, driven by the store's write events (however the CRD was written: POST, PUT, PATCH, apply, or the
 * programmatic `server.create`):
 *
 * - naming (`pkg/controller/status/naming_controller.go`, `crd-naming.ts`): `status.acceptedNames` from `spec.names`
 *   minus the names other CRDs of the group accepted, condition `NamesAccepted` True (`NoConflicts`) or False
 *   (`PluralConflict`, ..., `"x" is already in use`) and `Established` False (`Installing`, or `NotAccepted`); a CRD
 *   that goes away or changes its names lets the others of its group try again;
 * - establishing (`pkg/controller/establish/establishing_controller.go`): once the names are accepted, `Established`
 *   True (`InitialNamesAccepted`, `the initial names have been accepted`), in a second status write, so watchers of
 *   CRDs see ADDED, MODIFIED, MODIFIED as on a real server;
 * - serving (`pkg/apiserver/customresource_handler.go` `getOrCreateServingInfoFor`, and the discovery controller):
 *   every `served` version of an Established CRD is registered under its accepted names with the strategy built from
 *   it (`cr-strategy.ts`);
 *   all versions share one store collection, and with conversion `None` an object read through another version
 *   differs only in `apiVersion` (`ObjectRecord.as`; `Webhook` conversion is not emulated and behaves as `None`);
 *   a changed CRD re-registers, a version no longer served is dropped;
 * - finalizing (`pkg/controller/finalizer/crd_finalizer.go` `sync`): the DELETE marks the CRD (its registry adds the
 *   `customresourcecleanup.apiextensions.k8s.io` finalizer and `Terminating` True `InstanceDeletionPending`:
 *   `KindStrategy.markForDeletion` in `crd-validation.ts`); the controller sets `Terminating` True
 *   (`InstanceDeletionInProgress`), deletes every custom resource (watchers get DELETED for each), then sets
 *   `Terminating` False (`InstanceDeletionCompleted`, `removed all instances`) and removes the finalizer in one
 *   status write, which deletes the CRD. Custom resources that keep finalizers hold it (`InstanceDeletionCheck`)
 *   until they are gone;
 * - tear-down (`customresource_handler.go` `removeDeadStorage` → `tearDown` → `DestroyFunc`, which stops the
 *   resource's watch cache): once the CRD is gone its resource is 404 and every open watch of it ends cleanly (no
 *   ERROR event; the real server does so after draining in-flight requests, the fake at once).
 *
 * Events are handled one at a time, after the write that caused them (a queue drained by the first listener call),
 * so the controllers' own writes come as separate, later events.
 * @internal
 */
import { defineResource } from '../../resource/define-resource.js';
import type { FakeStore, JsonObject, StoreEvent, StoreResource } from '../store.js';
import type { ResourceRegistry } from '../registry.js';
import { customResourceStrategy } from './cr-strategy.js';
import { calculateNames } from './crd-naming.js';
import { CRD_CLEANUP_FINALIZER, crdConditions, crdNames, crdSpec, crdVersions, setCrdCondition, validateCrd, type CrdCondition } from './crd-validation.js';
import { groupResourceKey, rewriteApiVersion } from '../versions.js';

/** Where CustomResourceDefinitions live. @internal */
export const CRD_BASE_PATH = '/apis/apiextensions.k8s.io/v1';
const CRD_KEY = groupResourceKey('apiextensions.k8s.io', 'customresourcedefinitions');

/** The CustomResourceDefinition resource type. @internal */
export const CRD_RESOURCE = defineResource({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
});

function isMap(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function condition(crd: JsonObject, type: string): CrdCondition | undefined {
  return crdConditions(crd).find((c) => c.type === type);
}

/** What the controller serves for one CRD: the registered `basePath/plural` per served version. */
interface Served {
  readonly plural: string;
  readonly basePaths: Set<string>;
  /** The collection all versions share. */
  readonly storeKey: string;
}

/** The CRD controllers of one FakeApiServer (see the module doc). @internal */
export class CrdController {
  private readonly queue: StoreEvent[] = [];
  private draining = false;
  /** Served CRDs by CRD name. */
  private readonly served = new Map<string, Served>();

  constructor(
    private readonly store: FakeStore,
    private readonly registry: ResourceRegistry,
    /** Ends every open watch of `basePath/plural` cleanly (the watch cache of a removed resource stops). */
    private readonly endWatches: (basePath: string, plural: string) => void,
  ) {
    store.addListener((e) => this.onEvent(e));
  }

  private onEvent(e: StoreEvent): void {
    this.queue.push(e);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) this.handle(next);
    } finally {
      this.draining = false;
    }
  }

  private crdStore(): StoreResource | undefined {
    return this.registry.lookup(CRD_BASE_PATH, 'customresourcedefinitions')?.store;
  }

  private handle(e: StoreEvent): void {
    if (e.resourceKey === CRD_KEY) {
      this.sync(e.current.name);
      // `requeueAllOtherGroupCRDs`: a CRD that went away or changed its names may free names others wait for.
      const group = crdSpec(e.current.object)['group'];
      const r = this.crdStore();
      for (const other of r ? this.store.snapshot(CRD_KEY, undefined) : []) {
        if (other.name !== e.current.name && crdSpec(other.object)['group'] === group && condition(other.object, 'NamesAccepted')?.status !== 'True') this.sync(other.name);
      }
      return;
    }
    // A custom resource went away: a terminating CRD may be waiting for it.
    if (e.type !== 'DELETED') return;
    for (const [name, s] of this.served) if (s.storeKey === e.resourceKey) this.sync(name);
  }

  /** One reconcile step of the CRD `name`; a step that writes returns, and its event brings the next step. */
  private sync(name: string): void {
    const r = this.crdStore();
    const rec = r ? this.store.get(r, name, undefined) : undefined;
    if (!r || !rec) return this.tearDown(name);
    const crd = rec.copy();
    const meta = crd['metadata'] as JsonObject;
    if (meta['deletionTimestamp'] !== undefined) return this.finalize(r, crd);
    // Programmatic writes skip validation: an invalid CRD is never served.
    if (validateCrd(crd).length > 0) return;
    const status: JsonObject = isMap(crd['status']) ? crd['status'] : (crd['status'] = {});
    // Naming controller: skipped when spec.names and status.acceptedNames are equal.
    if (JSON.stringify(status['acceptedNames']) !== JSON.stringify(specNames(crd))) {
      const all = this.store.snapshot(CRD_KEY, undefined).map((c) => c.copy());
      const naming = calculateNames(crd, all);
      const current = condition(crd, 'NamesAccepted');
      const same =
        JSON.stringify(status['acceptedNames'] ?? null) === JSON.stringify(naming.acceptedNames) &&
        current?.status === naming.namesAccepted.status &&
        current.reason === naming.namesAccepted.reason &&
        current.message === naming.namesAccepted.message;
      if (!same) {
        status['acceptedNames'] = naming.acceptedNames;
        setCrdCondition(crd, naming.namesAccepted);
        setCrdCondition(crd, naming.established);
        this.store.update(r, crd);
        return;
      }
    }
    // Establishing controller: only once the names are accepted.
    if (condition(crd, 'NamesAccepted')?.status !== 'True') return;
    if (condition(crd, 'Established')?.status !== 'True') {
      setCrdCondition(crd, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
      this.store.update(r, crd);
      return;
    }
    this.serve(name, crd);
  }

  /** Registers every served version (again: the schema may have changed) and drops the versions no longer served. */
  private serve(name: string, crd: JsonObject): void {
    const spec = crdSpec(crd);
    const group = String(spec['group']);
    // The handler serves the accepted names (`crd.Status.AcceptedNames` in customresource_handler.go).
    const names = isMap(crd['status']) && isMap(crd['status']['acceptedNames']) ? crd['status']['acceptedNames'] : crdNames(crd);
    const plural = String(names['plural']);
    const kind = String(names['kind']);
    const namespaced = spec['scope'] === 'Namespaced';
    const previous = this.served.get(name);
    const storageVersion = String(crdVersions(crd).find((v) => v['storage'] === true)?.['name'] ?? '');
    const basePaths = new Set<string>();
    for (const v of crdVersions(crd)) {
      if (v['served'] !== true) continue;
      const resource = defineResource({ apiVersion: `${group}/${String(v['name'])}`, kind, plural, namespaced });
      const discovery = {
        singular: String(names['singular'] ?? kind.toLowerCase()),
        ...(Array.isArray(names['shortNames']) ? { shortNames: names['shortNames'].map(String) } : {}),
        ...(Array.isArray(names['categories']) ? { categories: names['categories'].map(String) } : {}),
      };
      // One store for all versions, in the storage version; conversion None rewrites only apiVersion
      // (apiextensions-apiserver `pkg/apiserver/conversion/nop_converter.go`).
      const storage = { key: groupResourceKey(group, plural), apiVersion: `${group}/${storageVersion}`, convert: rewriteApiVersion };
      this.registry.register(resource, { deleteResponse: 'status', strategicMergePatch: false, nameRule: 'subdomain' }, customResourceStrategy(v), { discovery, storage });
      basePaths.add(resource.basePath);
    }
    for (const b of previous?.basePaths ?? []) if (!basePaths.has(b)) this.drop(b, previous!.plural);
    this.served.set(name, { plural, basePaths, storeKey: groupResourceKey(group, plural) });
  }

  private drop(basePath: string, plural: string): void {
    this.registry.unregister(basePath, plural);
    this.endWatches(basePath, plural);
  }

  private tearDown(name: string): void {
    const s = this.served.get(name);
    if (!s) return;
    this.served.delete(name);
    for (const b of s.basePaths) this.drop(b, s.plural);
  }

  /** `crd_finalizer.go` `sync`, one status write per step. */
  private finalize(r: StoreResource, crd: JsonObject): void {
    const meta = crd['metadata'] as JsonObject;
    const finalizers = Array.isArray(meta['finalizers']) ? (meta['finalizers'] as unknown[]) : [];
    if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) return;
    const terminating = condition(crd, 'Terminating');
    if (terminating?.status !== 'True' || terminating.reason === 'InstanceDeletionPending') {
      setCrdCondition(crd, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
      this.store.update(r, crd);
      return;
    }
    if (condition(crd, 'Established')?.status === 'True') {
      const remaining = this.deleteInstances(String(meta['name']));
      if (remaining > 0) {
        if (terminating.reason !== 'InstanceDeletionCheck') {
          setCrdCondition(crd, {
            type: 'Terminating',
            status: 'True',
            reason: 'InstanceDeletionCheck',
            message: 'could not confirm zero CustomResources remaining: timed out waiting for the condition',
          });
          this.store.update(r, crd);
        }
        return;
      }
      setCrdCondition(crd, { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' });
    } else {
      setCrdCondition(crd, { type: 'Terminating', status: 'False', reason: 'NeverEstablished', message: 'resource was never established' });
    }
    meta['finalizers'] = finalizers.filter((f) => f !== CRD_CLEANUP_FINALIZER);
    if ((meta['finalizers'] as unknown[]).length === 0) delete meta['finalizers'];
    this.store.update(r, crd);
  }

  /** `deleteInstances`: deletes every object of the CRD's resource (all versions, all namespaces); returns how many remain. */
  private deleteInstances(name: string): number {
    const s = this.served.get(name);
    if (!s) return 0;
    // Every version serves the same collection: delete through the first one.
    const first = [...s.basePaths][0];
    const reg = first !== undefined ? this.registry.lookup(first, s.plural) : undefined;
    if (!reg) return 0;
    let remaining = 0;
    for (const item of this.store.snapshot(reg.store.key, undefined)) {
      const result = this.store.remove(reg.store, item.name, item.namespace || undefined);
      if (!result.deleted) remaining++;
    }
    return remaining;
  }
}

/** `spec.names` in the Go field order, as the naming controller compares it with `status.acceptedNames`. */
function specNames(crd: JsonObject): JsonObject {
  const names = crdNames(crd);
  const out: JsonObject = { plural: names['plural'] ?? '' };
  if (names['singular']) out['singular'] = names['singular'];
  if (Array.isArray(names['shortNames']) && names['shortNames'].length > 0) out['shortNames'] = names['shortNames'];
  out['kind'] = names['kind'] ?? '';
  if (names['listKind']) out['listKind'] = names['listKind'];
  if (Array.isArray(names['categories']) && names['categories'].length > 0) out['categories'] = names['categories'];
  return out;
}

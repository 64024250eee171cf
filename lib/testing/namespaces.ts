/**
 * Namespaces as kube-apiserver keeps them: the four namespaces a cluster starts with, the `NamespaceLifecycle`
 * admission plugin (no new content in a namespace that does not exist or is terminating; the immortal namespaces
 * cannot be deleted), and the namespace registry's own `Delete` (the first DELETE only marks the namespace
 * Terminating; it goes once the namespace controller has emptied it and removed its `kubernetes` finalizer).
 *
 * Sources: AS:`admission/plugin/namespace/lifecycle/admission.go` (`Admit`), AS:`admission/errors.go`
 * (`NewForbidden`, `extractResourceName`), kubernetes/kubernetes `pkg/registry/core/namespace/storage/storage.go`
 * (`REST.Delete`, `ShouldDeleteNamespaceDuringUpdate`), `pkg/controlplane/controller/systemnamespaces` (the system
 * namespaces a control plane creates).
 * @internal
 */
import { makeStatus, objectNotFoundStatus, type StatusBody } from './status.js';
import { FakeStoreError } from './store-error.js';
import type { FakeStore, JsonObject, ObjectRecord, StoreResource } from './store.js';
import { groupResourceKey } from './versions.js';

/** The Namespace collection's store key. @internal */
export const NAMESPACES_KEY = groupResourceKey('', 'namespaces');

/**
 * The namespaces a v1.35 cluster has from the start: `default` (created by the apiserver's bootstrap controller),
 * `kube-system`, `kube-public` and `kube-node-lease` (`pkg/controlplane/controller/systemnamespaces`).
 * @internal
 */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Namespaces `NamespaceLifecycle` never lets be deleted (`NewLifecycle(sets.NewString(metav1.NamespaceDefault,
 * metav1.NamespaceSystem, metav1.NamespacePublic))` in its `Register`).
 * @internal
 */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

/** The finalizer the namespace controller removes once a namespace is empty (`v1.FinalizerKubernetes`). @internal */
export const KUBERNETES_FINALIZER = 'kubernetes';

function meta(obj: JsonObject): JsonObject {
  return (obj['metadata'] ?? {}) as JsonObject;
}

/** `spec.finalizers` of a Namespace (empty when absent). @internal */
export function specFinalizers(obj: JsonObject): string[] {
  const spec = obj['spec'];
  const f = spec && typeof spec === 'object' ? (spec as JsonObject)['finalizers'] : undefined;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

/** Whether a Namespace is Terminating (`status.phase`, or a set deletionTimestamp). @internal */
export function isTerminating(obj: JsonObject): boolean {
  const status = obj['status'];
  const phase = status && typeof status === 'object' ? (status as JsonObject)['phase'] : undefined;
  return phase === 'Terminating' || meta(obj)['deletionTimestamp'] !== undefined;
}

/**
 * A system namespace as a fresh cluster has it: `spec.finalizers: ["kubernetes"]`, `status.phase: Active` and the
 * `kubernetes.io/metadata.name` label (`SetDefaults_Namespace` in `pkg/apis/core/v1/defaults.go`).
 * @internal
 */
export function systemNamespace(name: string): JsonObject {
  return {
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: [KUBERNETES_FINALIZER] },
    status: { phase: 'Active' },
  };
}

/** What {@link namespaceAdmission} needs: the Namespace resource, when Namespaces are served. @internal */
export interface NamespaceLookup {
  readonly store: FakeStore;
  /** The Namespace resource, or `undefined` when the server does not serve Namespaces (no admission then). */
  namespaces(): StoreResource | undefined;
}

/**
 * `NamespaceLifecycle.Admit` for a CREATE of a namespaced object: `undefined` when admitted, else the Status.
 * - the namespace does not exist: 404 `namespaces "x" not found` (the live lookup's NotFound, returned as is);
 * - it is terminating: 403 `<plural> "<name>" is forbidden: unable to create new content in namespace x because it
 *   is being terminated`, with a `NamespaceTerminating` cause on `metadata.namespace` (`admission.NewForbidden`: the
 *   name is the object's name, else its generateName, else `Unknown`).
 * @internal
 */
export function namespaceAdmission(lookup: NamespaceLookup, r: StoreResource, group: string, namespace: string, obj: JsonObject): StatusBody | undefined {
  const nsResource = lookup.namespaces();
  if (!nsResource || !r.namespaced || namespace === '') return undefined;
  const ns = lookup.store.get(nsResource, namespace, undefined);
  if (!ns) return objectNotFoundStatus('namespaces', '', namespace);
  if (!isTerminating(ns.object)) return undefined;
  const m = meta(obj);
  const name = typeof m['name'] === 'string' && m['name'] !== '' ? m['name'] : typeof m['generateName'] === 'string' && m['generateName'] !== '' ? m['generateName'] : 'Unknown';
  const subject = group ? `${r.plural}.${group}` : r.plural;
  return makeStatus({
    code: 403,
    reason: 'Forbidden',
    message: `${subject} ${JSON.stringify(name)} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    details: {
      name,
      group,
      kind: r.plural,
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
    },
  });
}

/** `NamespaceLifecycle` on DELETE of a Namespace: 403 `namespaces "default" is forbidden: this namespace may not be deleted`. @internal */
export function immortalNamespaceStatus(name: string): StatusBody | undefined {
  if (!IMMORTAL_NAMESPACES.has(name)) return undefined;
  return makeStatus({
    code: 403,
    reason: 'Forbidden',
    message: `namespaces ${JSON.stringify(name)} is forbidden: this namespace may not be deleted`,
    details: { name, group: '', kind: 'namespaces' },
  });
}

/**
 * The programmatic-create form of the admission (`server.create` into a namespace that is missing or terminating):
 * a {@link FakeStoreError} that tells the test what to do.
 * @internal
 */
export function assertNamespaceAdmits(lookup: NamespaceLookup, r: StoreResource, namespace: string, obj: JsonObject): void {
  const status = namespaceAdmission(lookup, r, '', namespace, obj);
  if (!status) return;
  if (status.code === 404) {
    throw new FakeStoreError(
      'NotFound',
      `namespaces ${JSON.stringify(namespace)} not found: a real cluster refuses to create ${r.plural} in a namespace that does not exist; ` +
        `create it first, e.g. server.create(testResources.Namespace, { metadata: { name: ${JSON.stringify(namespace)} } })`,
    );
  }
  throw new FakeStoreError('Forbidden', status.message ?? 'forbidden');
}

/**
 * The namespace registry's `Delete` (`pkg/registry/core/namespace/storage/storage.go`): the first DELETE sets
 * `deletionTimestamp` and `status.phase: Terminating` (one update, the object answered, not deleted); while
 * `spec.finalizers` is not empty a later DELETE answers the namespace unchanged; with none left it is the generic
 * store delete (`deleteNow`). Returns `undefined` for that last case.
 * @internal
 */
export function markNamespaceTerminating(store: FakeStore, r: StoreResource, rec: ObjectRecord, dryRun: boolean, now: string): { record: ObjectRecord; deleted: false } | undefined {
  const m = meta(rec.object);
  if (m['deletionTimestamp'] === undefined) {
    const obj = rec.copy();
    const om = meta(obj);
    om['deletionTimestamp'] = now;
    const status = (obj['status'] && typeof obj['status'] === 'object' ? obj['status'] : {}) as JsonObject;
    status['phase'] = 'Terminating';
    obj['status'] = status;
    return { record: store.put(r, obj, { dryRun }), deleted: false };
  }
  if (specFinalizers(rec.object).length > 0) return { record: rec, deleted: false };
  return undefined;
}

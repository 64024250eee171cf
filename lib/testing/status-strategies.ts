/**
 * The status half of the per-kind strategies: which kinds have a `/status` (and `/scale`) subresource, what their
 * `PrepareForCreate` puts in `status`, that their `PrepareForUpdate` keeps the stored status on main-resource writes
 * (`newX.Status = oldX.Status`), and what their status strategy's `PrepareForUpdate` keeps from the stored object on
 * a `/status` write (`newX.Spec = oldX.Spec`, for some kinds labels or owner references too).
 *
 * Sources (kubernetes/kubernetes v1.35): `pkg/registry/<group>/<kind>/strategy.go`, functions `PrepareForCreate`,
 * `PrepareForUpdate` and `<kind>StatusStrategy.PrepareForUpdate`; custom resources:
 * `staging/src/k8s.io/apiextensions-apiserver/pkg/registry/customresource/strategy.go` (`customResourceStrategy`)
 * and `status_strategy.go` (`statusStrategy.PrepareForUpdate`).
 *
 * The status a create leaves is written as the JSON a real server answers: the zero Go status struct encoded by
 * `encoding/json` (fields without `omitempty` appear as `0`/`false`, nested structs as `{}`), then defaulted when read
 * back from etcd (`SetDefaults_PersistentVolumeClaim` sets `phase: Pending` on the emptied status). The vendored
 * OpenAPI spec lists the kinds with `/status` and `/scale`; `spec/testing/fake-api-server.subresources.spec.ts`
 * checks this table against it.
 * @internal
 */
import type { JsonObject } from './store.js';
import type { KindStrategy, ScaleSubresource } from './strategies.js';

/** What a kind's strategies do with `status`. */
interface StatusRule {
  /**
   * The status after `PrepareForCreate`, for the served `apiVersion` (HPA's zero status differs by version);
   * `'keep'` when the strategy lets a create set it (Node: "Nodes allow *all* fields, including status, to be set on
   * create", `pkg/registry/core/node/strategy.go`).
   */
  readonly create: ((obj: JsonObject, apiVersion: string) => JsonObject) | 'keep';
  /** Metadata fields a `/status` write keeps from the stored object (besides everything outside `metadata`/`status`). */
  readonly statusKeepsMeta?: readonly string[];
  /** More of `PrepareForCreate` (Namespace finalizers). */
  readonly onCreate?: (obj: JsonObject) => void;
  /** More of `PrepareForUpdate` on the main resource (Namespace keeps `spec.finalizers`). */
  readonly onUpdate?: (obj: JsonObject, old: JsonObject) => void;
  /** More of the status strategy's `PrepareForUpdate` (Pod QoS class, PV phase transition time). */
  readonly onStatusUpdate?: (obj: JsonObject, old: JsonObject) => void;
}

const EMPTY = (): JsonObject => ({});
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 3339 seconds, as `metav1.Time` encodes. */
function nowTime(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------- Pod QoS (pkg/apis/core/helper/qos/qos.go GetPodQOS)

const QOS_RESOURCES = new Set(['cpu', 'memory']);

/** A quantity as a number, enough to tell zero from non-zero and compare requests with limits. */
function quantity(v: unknown): number {
  const m = /^([+-]?[0-9.]+)([a-zA-Z]*)$/.exec(String(v).trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const suffix: Record<string, number> = {
    '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  };
  const f = suffix[m[2]!];
  return f === undefined ? Number.NaN : n * f;
}

/**
 * `qos.GetPodQOS` → `ComputePodQOS`: pod-level resources when set, else every container and init container: only
 * cpu and memory count, a zero quantity is ignored; no requests and no limits → BestEffort; limits for both cpu and
 * memory on every container, with requests (when given) equal to the limits → Guaranteed; else Burstable.
 * @internal
 */
export function podQosClass(pod: JsonObject): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const spec = isObject(pod['spec']) ? pod['spec'] : {};
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let isGuaranteed = true;
  const account = (resources: unknown): void => {
    const r = isObject(resources) ? resources : {};
    const req = isObject(r['requests']) ? r['requests'] : {};
    const lim = isObject(r['limits']) ? r['limits'] : {};
    for (const [name, q] of Object.entries(req)) {
      const n = quantity(q);
      if (QOS_RESOURCES.has(name) && n !== 0) requests.set(name, (requests.get(name) ?? 0) + n);
    }
    const qosLimits = new Set<string>();
    for (const [name, q] of Object.entries(lim)) {
      const n = quantity(q);
      if (QOS_RESOURCES.has(name) && n !== 0) {
        qosLimits.add(name);
        limits.set(name, (limits.get(name) ?? 0) + n);
      }
    }
    if (!(qosLimits.has('cpu') && qosLimits.has('memory'))) isGuaranteed = false;
  };
  if (isObject(spec['resources']) && (isObject(spec['resources']['requests']) || isObject(spec['resources']['limits']))) {
    // PodLevelResources: the pod's own requests/limits decide.
    account(spec['resources']);
  } else {
    for (const list of [spec['containers'], spec['initContainers']]) {
      if (Array.isArray(list)) for (const c of list) account(isObject(c) ? c['resources'] : undefined);
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (isGuaranteed) {
    for (const [name, req] of requests) if (limits.get(name) !== req) isGuaranteed = false;
  }
  return isGuaranteed && limits.size === QOS_RESOURCES.size ? 'Guaranteed' : 'Burstable';
}

// ---------------------------------------------------------------- the table

/** `group/Kind` → the kind's status rules (every kind with a `/status` path in the v1.35 OpenAPI spec). */
const STATUS_RULES: Readonly<Record<string, StatusRule>> = {
  // core/pod: PrepareForCreate `Status = PodStatus{Phase: Pending, QOSClass: qos.GetPodQOS(pod)}`, where GetPodQOS
  // answers the sent `status.qosClass` when there is one (it is evaluated before the status is replaced), else
  // ComputePodQOS; the status strategy keeps spec and ownerReferences, backfills an empty qosClass.
  '/Pod': {
    create: (pod) => {
      const sent = isObject(pod['status']) ? pod['status']['qosClass'] : undefined;
      return { phase: 'Pending', qosClass: typeof sent === 'string' && sent !== '' ? sent : podQosClass(pod) };
    },
    statusKeepsMeta: ['ownerReferences', 'deletionTimestamp'],
    onStatusUpdate: (pod, old) => {
      const status = isObject(pod['status']) ? pod['status'] : (pod['status'] = {});
      const oldStatus = isObject(old['status']) ? old['status'] : {};
      if ((status['qosClass'] === undefined || status['qosClass'] === '') && oldStatus['qosClass'] !== undefined) status['qosClass'] = oldStatus['qosClass'];
      // preserveOldObservedGeneration
      if ((status['observedGeneration'] === undefined || status['observedGeneration'] === 0) && oldStatus['observedGeneration'] !== undefined) {
        status['observedGeneration'] = oldStatus['observedGeneration'];
      }
    },
  },
  // core/replicationcontroller: `Status = ReplicationControllerStatus{}` (`replicas` has no omitempty).
  '/ReplicationController': { create: () => ({ replicas: 0 }) },
  // core/service: `Status = ServiceStatus{}` (`loadBalancer` is a struct).
  '/Service': { create: () => ({ loadBalancer: {} }) },
  // core/namespace: `Status = NamespaceStatus{Phase: Active}`; `spec.finalizers` gets "kubernetes" on create and is
  // kept on update (only `/finalize` changes it).
  '/Namespace': {
    create: () => ({ phase: 'Active' }),
    onCreate: (ns) => {
      const spec = isObject(ns['spec']) ? ns['spec'] : (ns['spec'] = {});
      const finalizers = Array.isArray(spec['finalizers']) ? spec['finalizers'] : [];
      if (!finalizers.includes('kubernetes')) spec['finalizers'] = [...finalizers, 'kubernetes'];
    },
    onUpdate: (ns, old) => {
      const oldSpec = isObject(old['spec']) ? old['spec'] : {};
      const spec = isObject(ns['spec']) ? ns['spec'] : (ns['spec'] = {});
      if (oldSpec['finalizers'] === undefined) delete spec['finalizers'];
      else spec['finalizers'] = oldSpec['finalizers'];
    },
  },
  // core/node: create keeps the sent status; updates keep the stored one.
  '/Node': { create: 'keep' },
  // core/persistentvolume: `Status = {}` then `Phase = Pending`, `LastPhaseTransitionTime = now`; the status strategy
  // stamps a new transition time when the phase changes and the writer did not.
  '/PersistentVolume': {
    create: () => ({ phase: 'Pending', lastPhaseTransitionTime: nowTime() }),
    onStatusUpdate: (pv, old) => {
      const status = isObject(pv['status']) ? pv['status'] : {};
      const oldStatus = isObject(old['status']) ? old['status'] : {};
      if (status['phase'] !== oldStatus['phase'] && status['lastPhaseTransitionTime'] === oldStatus['lastPhaseTransitionTime']) {
        status['lastPhaseTransitionTime'] = nowTime();
      }
    },
  },
  // core/persistentvolumeclaim: `Status = {}`; `SetDefaults_PersistentVolumeClaim` makes the phase Pending on read.
  '/PersistentVolumeClaim': { create: () => ({ phase: 'Pending' }) },
  '/ResourceQuota': { create: EMPTY },
  // apps: the deployment status strategy also keeps labels.
  'apps/Deployment': { create: EMPTY, statusKeepsMeta: ['labels'] },
  'apps/ReplicaSet': { create: () => ({ replicas: 0 }) },
  'apps/StatefulSet': { create: () => ({ replicas: 0, availableReplicas: 0 }) },
  'apps/DaemonSet': { create: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }) },
  'autoscaling/HorizontalPodAutoscaler': {
    create: (_obj, apiVersion) => (apiVersion === 'autoscaling/v1' ? { currentReplicas: 0, desiredReplicas: 0 } : { desiredReplicas: 0 }),
  },
  'batch/Job': { create: EMPTY },
  'batch/CronJob': { create: EMPTY },
  'policy/PodDisruptionBudget': { create: () => ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }) },
  'networking.k8s.io/Ingress': { create: () => ({ loadBalancer: {} }) },
  'networking.k8s.io/ServiceCIDR': { create: EMPTY },
  'certificates.k8s.io/CertificateSigningRequest': { create: EMPTY },
  'certificates.k8s.io/PodCertificateRequest': { create: EMPTY },
  'flowcontrol.apiserver.k8s.io/FlowSchema': { create: EMPTY },
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': { create: EMPTY },
  'internal.apiserver.k8s.io/StorageVersion': { create: EMPTY },
  'storage.k8s.io/VolumeAttachment': { create: () => ({ attached: false }) },
  'storagemigration.k8s.io/StorageVersionMigration': { create: EMPTY },
  'resource.k8s.io/ResourceClaim': { create: EMPTY },
  'resource.k8s.io/DeviceTaintRule': { create: EMPTY },
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': { create: EMPTY },
  'apiregistration.k8s.io/APIService': { create: EMPTY },
  // apiextensions customresourcedefinition: `Status = {}` then the storage version is recorded in storedVersions.
  'apiextensions.k8s.io/CustomResourceDefinition': {
    create: (crd) => {
      const spec = isObject(crd['spec']) ? crd['spec'] : {};
      const versions = Array.isArray(spec['versions']) ? spec['versions'].filter(isObject) : [];
      const storage = versions.find((v) => v['storage'] === true);
      return { acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage['name']] : [] };
    },
  },
};

/**
 * The scale subresources of the built-in kinds (`pkg/registry/apps/deployment/storage/storage.go` `ScaleREST`,
 * `apps/replicaset`, `apps/statefulset`, `core/replicationcontroller`): `spec.replicas`, `status.replicas`, and the
 * selector (`spec.selector`, a LabelSelector; a map for ReplicationController).
 */
const SCALE: ScaleSubresource = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' };
const SCALE_KINDS: ReadonlySet<string> = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', '/ReplicationController']);

/** Keys of `obj` outside `metadata` and `status` (and the type meta): what a status write takes from the stored object. */
function keepAllButStatus(obj: JsonObject, old: JsonObject): void {
  for (const k of Object.keys(obj)) if (k !== 'metadata' && k !== 'status' && k !== 'kind' && k !== 'apiVersion') delete obj[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'status' && k !== 'kind' && k !== 'apiVersion') obj[k] = v;
}

function keepStatus(obj: JsonObject, old: JsonObject): void {
  if (old['status'] === undefined) delete obj['status'];
  else obj['status'] = old['status'];
}

function keepMeta(obj: JsonObject, old: JsonObject, fields: readonly string[]): void {
  const meta = isObject(obj['metadata']) ? obj['metadata'] : (obj['metadata'] = {});
  const oldMeta = isObject(old['metadata']) ? old['metadata'] : {};
  for (const f of fields) {
    if (oldMeta[f] === undefined) delete meta[f];
    else meta[f] = oldMeta[f];
  }
}

/** The built-in kinds (`group/Kind`) with a `/status` subresource. @internal */
export function kindsWithStatus(): readonly string[] {
  return Object.keys(STATUS_RULES);
}

/** The built-in kinds (`group/Kind`) with a `/scale` subresource. @internal */
export function kindsWithScale(): readonly string[] {
  return [...SCALE_KINDS];
}

/**
 * `base` with the kind's status rules: `prepareForCreate` resets the status, `prepareForUpdate` keeps the stored one,
 * `prepareForStatusUpdate` is the status strategy, `subresources` names `/status` (and `/scale`). Kinds without a
 * `/status` subresource get `base` unchanged.
 * @internal
 */
export function withStatusRules(base: KindStrategy, group: string, kind: string, apiVersion: string): KindStrategy {
  const key = `${group}/${kind}`;
  const rule = STATUS_RULES[key];
  if (!rule) return base;
  const scale = SCALE_KINDS.has(key) ? SCALE : undefined;
  return {
    ...base,
    subresources: { ...base.subresources, status: true, ...(scale ? { scale } : {}) },
    resetFields: ['status'],
    prepareForCreate: (obj) => {
      base.prepareForCreate?.(obj);
      if (rule.create !== 'keep') obj['status'] = rule.create(obj, apiVersion);
      rule.onCreate?.(obj);
    },
    prepareForUpdate: (obj, old) => {
      base.prepareForUpdate?.(obj, old);
      keepStatus(obj, old);
      rule.onUpdate?.(obj, old);
    },
    prepareForStatusUpdate: (obj, old) => {
      keepAllButStatus(obj, old);
      keepMeta(obj, old, rule.statusKeepsMeta ?? []);
      rule.onStatusUpdate?.(obj, old);
    },
  };
}

/**
 * The strategy of a custom resource whose CRD version declares `subresources` (apiextensions-apiserver
 * `customresource/strategy.go`): with `status`, a create drops `status` and an update keeps the stored one, and a
 * `/status` write keeps everything of the stored object but `status` (`status_strategy.go`: metadata too, managedFields
 * excepted); generation 1 on create, bumped when anything but metadata and status changes; with `scale`, `/scale`
 * reads and writes the replicas at the CRD's paths.
 *
 * @example
 * ```ts
 * customResourceStrategy({ status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } })
 * ```
 * @internal
 */
export function customResourceStrategy(subresources: { readonly status?: boolean; readonly scale?: ScaleSubresource } = {}): KindStrategy {
  if (!subresources.status) return { generation: 'spec', subresources };
  return {
    generation: 'spec',
    subresources,
    resetFields: ['status'],
    prepareForCreate: (obj) => {
      delete obj['status'];
    },
    prepareForUpdate: keepStatus,
    prepareForStatusUpdate: customResourceStatusUpdate,
  };
}

/**
 * `customresource/status_strategy.go` `statusStrategy.PrepareForUpdate`: the stored object with the new `status`
 * (none when the write has none) and the new managedFields. Also the status rule of any strategy that declares
 * `subresources.status` without a `prepareForStatusUpdate`.
 * @internal
 */
export function customResourceStatusUpdate(obj: JsonObject, old: JsonObject): void {
  const status = obj['status'];
  const managedFields = isObject(obj['metadata']) ? obj['metadata']['managedFields'] : undefined;
  for (const k of Object.keys(obj)) delete obj[k];
  Object.assign(obj, JSON.parse(JSON.stringify(old)) as JsonObject);
  const meta = isObject(obj['metadata']) ? obj['metadata'] : (obj['metadata'] = {});
  if (managedFields === undefined) delete meta['managedFields'];
  else meta['managedFields'] = managedFields;
  if (status === undefined) delete obj['status'];
  else obj['status'] = status;
}

/**
 * Table columns of core `v1` kinds, as kube-apiserver's printers compute them
 * (kubernetes/kubernetes `pkg/printers/internalversion/printers.go`: the column definitions of `AddHandlers` and the
 * row functions named below). Cells are computed with `Wide: true` (the server always sends every column).
 * @internal
 */
import type { PrinterColumn } from '../strategies.js';
import type { JsonObject } from '../store.js';
import {
  AGE,
  column,
  containerColumns,
  formatLabels,
  int,
  keysOf,
  nameColumn,
  objects,
  path,
  since,
  str,
  conditionTrue,
} from './columns-common.js';

/** `podutil.IsRestartableInitContainer`: an init container with `restartPolicy: Always` (a sidecar). */
function restartable(c: JsonObject | undefined): boolean {
  return c !== undefined && c['restartPolicy'] === 'Always';
}

/** The later of two RFC 3339 times (`lastRestartDate.Before(&terminatedDate)`), `undefined` meaning zero. */
function later(a: string | undefined, b: unknown): string | undefined {
  if (typeof b !== 'string' || Number.isNaN(Date.parse(b))) return a;
  return a === undefined || Date.parse(a) < Date.parse(b) ? b : a;
}

/** READY, STATUS and RESTARTS of `printPod`. */
function podSummary(pod: JsonObject, now: number): { ready: string; reason: string; restarts: string } {
  const spec = (pod['spec'] ?? {}) as JsonObject;
  const status = (pod['status'] ?? {}) as JsonObject;
  const initSpecs = objects(spec['initContainers']);
  let total = objects(spec['containers']).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  const phase = str(status['phase']);
  let reason = str(status['reason']) !== '' ? str(status['reason']) : phase;
  // {type: PodScheduled, reason: SchedulingGated} → SchedulingGated.
  for (const c of objects(status['conditions'])) if (c['type'] === 'PodScheduled' && c['reason'] === 'SchedulingGated') reason = 'SchedulingGated';
  const initByName = new Map<string, JsonObject>();
  for (const c of initSpecs) {
    initByName.set(str(c['name']), c);
    if (restartable(c)) total++;
  }
  let initializing = false;
  const initStatuses = objects(status['initContainerStatuses']);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    const sidecar = restartable(initByName.get(str(c['name'])));
    restarts += int(c['restartCount']);
    const finished = path(c, 'lastState', 'terminated', 'finishedAt');
    lastRestart = later(lastRestart, finished);
    if (sidecar) {
      sidecarRestarts += int(c['restartCount']);
      lastSidecarRestart = later(lastSidecarRestart, finished);
    }
    const terminated = path(c, 'state', 'terminated') as JsonObject | undefined;
    const waiting = path(c, 'state', 'waiting') as JsonObject | undefined;
    if (terminated && int(terminated['exitCode']) === 0) continue;
    if (sidecar && c['started'] === true) {
      if (c['ready'] === true) ready++;
      continue;
    }
    if (terminated) {
      if (str(terminated['reason']) === '') {
        reason = int(terminated['signal']) !== 0 ? `Init:Signal:${int(terminated['signal'])}` : `Init:ExitCode:${int(terminated['exitCode'])}`;
      } else reason = `Init:${str(terminated['reason'])}`;
    } else if (waiting && str(waiting['reason']) !== '' && waiting['reason'] !== 'PodInitializing') {
      reason = `Init:${str(waiting['reason'])}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }
  // `!initializing || isPodInitializedConditionTrue(&pod.Status)`
  if (!initializing || conditionTrue(status['conditions'], 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = objects(status['containerStatuses']);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += int(c['restartCount']);
      lastRestart = later(lastRestart, path(c, 'lastState', 'terminated', 'finishedAt'));
      const waiting = path(c, 'state', 'waiting') as JsonObject | undefined;
      const terminated = path(c, 'state', 'terminated') as JsonObject | undefined;
      if (waiting && str(waiting['reason']) !== '') reason = str(waiting['reason']);
      else if (terminated && str(terminated['reason']) !== '') reason = str(terminated['reason']);
      else if (terminated) reason = int(terminated['signal']) !== 0 ? `Signal:${int(terminated['signal'])}` : `ExitCode:${int(terminated['exitCode'])}`;
      else if (c['ready'] === true && path(c, 'state', 'running') !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    // Back to Running (or NotReady) while a container still runs.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status['conditions'], 'Ready') ? 'Running' : 'NotReady';
  }
  const deleting = path(pod, 'metadata', 'deletionTimestamp') !== undefined;
  if (deleting && status['reason'] === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  const restartText = restarts !== 0 && lastRestart !== undefined ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, reason, restarts: restartText };
}

function noneIfEmpty(s: string): string {
  return s === '' ? '<none>' : s;
}

/** `printPod`: NAME READY STATUS RESTARTS AGE, wide: IP NODE NOMINATED NODE READINESS GATES. */
const POD: readonly PrinterColumn[] = [
  column('Ready', 'string', { text: 'The aggregate readiness state of this pod for accepting traffic.' }, (o, now) => podSummary(o, now).ready),
  column('Status', 'string', { text: 'The aggregate status of the containers in this pod.' }, (o, now) => podSummary(o, now).reason),
  column(
    'Restarts',
    'string',
    { text: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.' },
    (o, now) => podSummary(o, now).restarts,
  ),
  AGE,
  column('IP', 'string', 'PodStatus.podIP', (o) => noneIfEmpty(str(path(objects(path(o, 'status', 'podIPs'))[0], 'ip'))), 1),
  column('Node', 'string', 'PodSpec.nodeName', (o) => noneIfEmpty(str(path(o, 'spec', 'nodeName'))), 1),
  column('Nominated Node', 'string', 'PodStatus.nominatedNodeName', (o) => noneIfEmpty(str(path(o, 'status', 'nominatedNodeName'))), 1),
  column(
    'Readiness Gates',
    'string',
    'PodSpec.readinessGates',
    (o) => {
      const gates = objects(path(o, 'spec', 'readinessGates'));
      if (gates.length === 0) return '<none>';
      const conditions = path(o, 'status', 'conditions');
      return `${gates.filter((g) => conditionTrue(conditions, str(g['conditionType']))).length}/${gates.length}`;
    },
    1,
  ),
];

/** `getServiceExternalIP`. */
function serviceExternalIP(o: JsonObject): string {
  const external = Array.isArray(path(o, 'spec', 'externalIPs')) ? (path(o, 'spec', 'externalIPs') as unknown[]).map(str) : [];
  switch (path(o, 'spec', 'type') ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set(objects(path(o, 'status', 'loadBalancer', 'ingress')).map((i) => str(i['ip']) || str(i['hostname'])).filter((x) => x !== ''))].sort().join(',');
      if (external.length > 0) return [...(lb === '' ? [] : lb.split(',')), ...external].join(',');
      return lb !== '' ? lb : '<pending>';
    }
    case 'ExternalName':
      return str(path(o, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

/** `printService`: TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide: SELECTOR. */
const SERVICE: readonly PrinterColumn[] = [
  // SetDefaults_Service: type ClusterIP when unset, clusterIPs from clusterIP (for objects seeded without defaults).
  column('Type', 'string', 'ServiceSpec.type', (o) => str(path(o, 'spec', 'type') ?? 'ClusterIP')),
  column('Cluster-IP', 'string', 'ServiceSpec.clusterIP', (o) =>
    noneIfEmpty(str((path(o, 'spec', 'clusterIPs') as unknown[] | undefined)?.[0] ?? path(o, 'spec', 'clusterIP'))),
  ),
  column('External-IP', 'string', 'ServiceSpec.externalIPs', serviceExternalIP),
  column('Port(s)', 'string', 'ServiceSpec.ports', (o) =>
    noneIfEmpty(
      objects(path(o, 'spec', 'ports'))
        // `makePortString`; the protocol is defaulted to TCP by SetDefaults_ServicePort.
        .map((p) => (int(p['nodePort']) > 0 ? `${int(p['port'])}:${int(p['nodePort'])}/${str(p['protocol'] ?? 'TCP')}` : `${int(p['port'])}/${str(p['protocol'] ?? 'TCP')}`))
        .join(','),
    ),
  ),
  AGE,
  column('Selector', 'string', 'ServiceSpec.selector', (o) => formatLabels(path(o, 'spec', 'selector')), 1),
];

/** `formatEndpoints(endpoints, nil)`: up to three `ip:port`, then ` + N more...`. */
function formatEndpoints(o: JsonObject): string {
  const subsets = objects(o['subsets']);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  const add = (text: string): void => {
    if (list.length < 3) list.push(text);
    count++;
  };
  for (const ss of subsets) {
    const addresses = objects(ss['addresses']);
    const ports = objects(ss['ports']);
    if (ports.length === 0) for (const a of addresses) add(str(a['ip']));
    else for (const p of ports) for (const a of addresses) add(str(a['ip']).includes(':') ? `[${str(a['ip'])}]:${int(p['port'])}` : `${str(a['ip'])}:${int(p['port'])}`);
  }
  const ret = list.join(',');
  return count > 3 ? `${ret} + ${count - 3} more...` : ret;
}

/** `printNode`: STATUS ROLES AGE VERSION, wide: INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME. */
const NODE: readonly PrinterColumn[] = [
  column('Status', 'string', { text: 'The status of the node' }, (o) => {
    const ready = objects(path(o, 'status', 'conditions')).find((c) => c['type'] === 'Ready');
    const status = [ready === undefined ? 'Unknown' : ready['status'] === 'True' ? 'Ready' : 'NotReady'];
    if (path(o, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
    return status.join(',');
  }),
  column('Roles', 'string', { text: 'The roles of the node' }, (o) => {
    // `findNodeRoles`: node-role.kubernetes.io/<role> labels and kubernetes.io/role=<role>.
    const labels = (path(o, 'metadata', 'labels') ?? {}) as JsonObject;
    const roles = new Set<string>();
    for (const [k, v] of Object.entries(labels)) {
      if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
      else if (k === 'kubernetes.io/role' && str(v) !== '') roles.add(str(v));
    }
    return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
  }),
  AGE,
  column('Version', 'string', 'NodeSystemInfo.kubeletVersion', (o) => str(path(o, 'status', 'nodeInfo', 'kubeletVersion'))),
  column('Internal-IP', 'string', 'NodeStatus.addresses', (o) => nodeAddress(o, 'InternalIP'), 1),
  column('External-IP', 'string', 'NodeStatus.addresses', (o) => nodeAddress(o, 'ExternalIP'), 1),
  column('OS-Image', 'string', 'NodeSystemInfo.osImage', (o) => str(path(o, 'status', 'nodeInfo', 'osImage')) || '<unknown>', 1),
  column('Kernel-Version', 'string', 'NodeSystemInfo.kernelVersion', (o) => str(path(o, 'status', 'nodeInfo', 'kernelVersion')) || '<unknown>', 1),
  column('Container-Runtime', 'string', 'NodeSystemInfo.containerRuntimeVersion', (o) => str(path(o, 'status', 'nodeInfo', 'containerRuntimeVersion')) || '<unknown>', 1),
];

function nodeAddress(o: JsonObject, type: string): string {
  const a = objects(path(o, 'status', 'addresses')).find((x) => x['type'] === type);
  return a === undefined ? '<none>' : str(a['address']);
}

/** `printEvent` cells: Last Seen, First Seen and Count from the old and new event fields. */
function eventTimes(o: JsonObject, now: number): { first: string; last: string; count: number } {
  const first = o['firstTimestamp'] ? since(o['firstTimestamp'], now) : since(o['eventTime'], now);
  let last = o['lastTimestamp'] ? since(o['lastTimestamp'], now) : first;
  let count = int(o['count']);
  if (o['series'] !== undefined && o['series'] !== null) {
    last = since(path(o, 'series', 'lastObservedTime'), now);
    count = int(path(o, 'series', 'count'));
  } else if (count === 0) count = 1;
  return { first, last, count };
}

/** `printEvent`: LAST SEEN TYPE REASON OBJECT MESSAGE, wide adds SUBOBJECT SOURCE FIRST SEEN COUNT NAME (Name last). */
const EVENT: readonly PrinterColumn[] = [
  column('Last Seen', 'string', 'Event.lastTimestamp', (o, now) => eventTimes(o, now).last),
  column('Type', 'string', 'Event.type', (o) => str(o['type'])),
  column('Reason', 'string', 'Event.reason', (o) => str(o['reason'])),
  column('Object', 'string', 'Event.involvedObject', (o) => {
    const kind = str(path(o, 'involvedObject', 'kind')).toLowerCase();
    const name = str(path(o, 'involvedObject', 'name'));
    return name !== '' ? `${kind}/${name}` : kind;
  }),
  column('Subobject', 'string', 'ObjectReference.fieldPath', (o) => str(path(o, 'involvedObject', 'fieldPath')), 1),
  column(
    'Source',
    'string',
    'Event.source',
    (o) => {
      // `formatEventSource`: component (or reportingController), then `, host` (or reportingInstance) when set.
      const component = str(path(o, 'source', 'component')) || str(o['reportingComponent']);
      const host = str(path(o, 'source', 'host')) || str(o['reportingInstance']);
      return host === '' ? component : `${component}, ${host}`;
    },
    1,
  ),
  column('Message', 'string', 'Event.message', (o) => str(o['message']).trim()),
  column('First Seen', 'string', 'Event.firstTimestamp', (o, now) => eventTimes(o, now).first, 1),
  column('Count', 'string', 'Event.count', (o, now) => eventTimes(o, now).count, 1),
  nameColumn(1),
];

/** `helper.GetAccessModesAsString`: the short names in a fixed order, each once. */
function accessModes(v: unknown): string {
  const modes = new Set(Array.isArray(v) ? v.map(str) : []);
  const order: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return order.filter(([m]) => modes.has(m)).map(([, s]) => s).join(',');
}

/** `GetPersistentVolumeClass`/`GetPersistentVolumeClaimClass`: the beta annotation, else `spec.storageClassName`. */
function storageClass(o: JsonObject): string {
  const beta = path(o, 'metadata', 'annotations', 'volume.beta.kubernetes.io/storage-class');
  return typeof beta === 'string' ? beta : str(path(o, 'spec', 'storageClassName'));
}

function unset(v: unknown): string {
  return typeof v === 'string' ? v : '<unset>';
}

function phaseOrTerminating(o: JsonObject): string {
  return path(o, 'metadata', 'deletionTimestamp') !== undefined ? 'Terminating' : str(path(o, 'status', 'phase'));
}

/** `printPersistentVolume`. */
const PERSISTENT_VOLUME: readonly PrinterColumn[] = [
  column('Capacity', 'string', 'PersistentVolumeSpec.capacity', (o) => str(path(o, 'spec', 'capacity', 'storage')) || '0'),
  column('Access Modes', 'string', 'PersistentVolumeSpec.accessModes', (o) => accessModes(path(o, 'spec', 'accessModes'))),
  column('Reclaim Policy', 'string', 'PersistentVolumeSpec.persistentVolumeReclaimPolicy', (o) => str(path(o, 'spec', 'persistentVolumeReclaimPolicy'))),
  column('Status', 'string', 'PersistentVolumeStatus.phase', phaseOrTerminating),
  column('Claim', 'string', 'PersistentVolumeSpec.claimRef', (o) => {
    const ref = path(o, 'spec', 'claimRef');
    return ref === undefined || ref === null ? '' : `${str(path(ref, 'namespace'))}/${str(path(ref, 'name'))}`;
  }),
  column('StorageClass', 'string', { text: 'StorageClass of the pv' }, storageClass),
  column('VolumeAttributesClass', 'string', { text: 'VolumeAttributesClass of the pv' }, (o) => unset(path(o, 'spec', 'volumeAttributesClassName'))),
  column('Reason', 'string', 'PersistentVolumeStatus.reason', (o) => str(path(o, 'status', 'reason'))),
  AGE,
  column('VolumeMode', 'string', 'PersistentVolumeSpec.volumeMode', (o) => unset(path(o, 'spec', 'volumeMode')), 1),
];

/** `printPersistentVolumeClaim`: capacity and access modes only once bound (`spec.volumeName` set). */
const PERSISTENT_VOLUME_CLAIM: readonly PrinterColumn[] = [
  column('Status', 'string', 'PersistentVolumeClaimStatus.phase', phaseOrTerminating),
  column('Volume', 'string', 'PersistentVolumeClaimSpec.volumeName', (o) => str(path(o, 'spec', 'volumeName'))),
  column('Capacity', 'string', 'PersistentVolumeClaimStatus.capacity', (o) =>
    str(path(o, 'spec', 'volumeName')) === '' ? '' : str(path(o, 'status', 'capacity', 'storage')) || '0',
  ),
  column('Access Modes', 'string', 'PersistentVolumeClaimStatus.accessModes', (o) =>
    str(path(o, 'spec', 'volumeName')) === '' ? '' : accessModes(path(o, 'status', 'accessModes')),
  ),
  column('StorageClass', 'string', { text: 'StorageClass of the pvc' }, storageClass),
  column('VolumeAttributesClass', 'string', { text: 'VolumeAttributesClass of the pvc' }, (o) => unset(path(o, 'spec', 'volumeAttributesClassName'))),
  AGE,
  column('VolumeMode', 'string', 'PersistentVolumeClaimSpec.volumeMode', (o) => unset(path(o, 'spec', 'volumeMode')), 1),
];

/** `printReplicationController`: DESIRED CURRENT READY AGE, wide: CONTAINERS IMAGES SELECTOR. */
const REPLICATION_CONTROLLER: readonly PrinterColumn[] = [
  // SetDefaults_ReplicationController: replicas defaults to 1.
  column('Desired', 'integer', 'ReplicationControllerSpec.replicas', (o) => (typeof path(o, 'spec', 'replicas') === 'number' ? int(path(o, 'spec', 'replicas')) : 1)),
  column('Current', 'integer', 'ReplicationControllerStatus.replicas', (o) => int(path(o, 'status', 'replicas'))),
  column('Ready', 'integer', 'ReplicationControllerStatus.readyReplicas', (o) => int(path(o, 'status', 'readyReplicas'))),
  AGE,
  ...containerColumns('spec', 'template'),
  column('Selector', 'string', 'ReplicationControllerSpec.selector', (o) => formatLabels(path(o, 'spec', 'selector')), 1),
];

/** Columns after NAME of core kinds, keyed by Kind (`Event` includes its own Name column). @internal */
export const CORE_COLUMNS: Readonly<Record<string, readonly PrinterColumn[]>> = {
  Pod: POD,
  Service: SERVICE,
  // `printConfigMap`: len(data) + len(binaryData).
  ConfigMap: [column('Data', 'string', 'ConfigMap.data', (o) => keysOf(o['data']).length + keysOf(o['binaryData']).length), AGE],
  Secret: [column('Type', 'string', 'Secret.type', (o) => str(o['type'])), column('Data', 'string', 'Secret.data', (o) => keysOf(o['data']).length), AGE],
  Namespace: [column('Status', 'string', { text: 'The status of the namespace' }, (o) => str(path(o, 'status', 'phase'))), AGE],
  Node: NODE,
  ServiceAccount: [column('Secrets', 'string', 'ServiceAccount.secrets', (o) => objects(o['secrets']).length), AGE],
  Event: EVENT,
  Endpoints: [column('Endpoints', 'string', 'Endpoints.subsets', formatEndpoints), AGE],
  PersistentVolume: PERSISTENT_VOLUME,
  PersistentVolumeClaim: PERSISTENT_VOLUME_CLAIM,
  ReplicationController: REPLICATION_CONTROLLER,
};

/**
 * Table columns of the `apps`, `batch`, `autoscaling`, `networking.k8s.io` and `coordination.k8s.io` kinds
 * (kubernetes/kubernetes `pkg/printers/internalversion/printers.go`, `AddHandlers` and the row functions named
 * below), and the generic store's default table convertor for kinds without a printer
 * (AS:`registry/rest/table.go` `defaultTableConvertor`: `Name` and a `Created At` date).
 * @internal
 */
import type { PrinterColumn } from '../strategies.js';
import type { JsonObject } from '../store.js';
import { humanDuration } from '../table.js';
import {
  AGE,
  boolPtr,
  column,
  conditionTrue,
  containerColumns,
  formatLabelSelector,
  formatLabels,
  int,
  objects,
  path,
  selectorString,
  since,
  str,
} from './columns-common.js';

/** `spec.replicas`, defaulted to 1 by the apps/v1 `SetDefaults_<Kind>` when absent. */
function desired(o: JsonObject): number {
  return typeof path(o, 'spec', 'replicas') === 'number' ? int(path(o, 'spec', 'replicas')) : 1;
}

/** `printDeployment`: READY UP-TO-DATE AVAILABLE AGE, wide: CONTAINERS IMAGES SELECTOR. */
const DEPLOYMENT: readonly PrinterColumn[] = [
  column('Ready', 'string', { text: 'Number of the pod with ready state' }, (o) => `${int(path(o, 'status', 'readyReplicas'))}/${desired(o)}`),
  column('Up-to-date', 'string', 'DeploymentStatus.updatedReplicas', (o) => int(path(o, 'status', 'updatedReplicas'))),
  column('Available', 'string', 'DeploymentStatus.availableReplicas', (o) => int(path(o, 'status', 'availableReplicas'))),
  AGE,
  ...containerColumns('spec', 'template'),
  // `metav1.LabelSelectorAsSelector(obj.Spec.Selector).String()` (no `<none>`).
  column('Selector', 'string', 'DeploymentSpec.selector', (o) => selectorString(path(o, 'spec', 'selector')), 1),
];

/** `printReplicaSet`: DESIRED CURRENT READY AGE, wide: CONTAINERS IMAGES SELECTOR. */
const REPLICA_SET: readonly PrinterColumn[] = [
  column('Desired', 'integer', 'ReplicaSetSpec.replicas', desired),
  column('Current', 'integer', 'ReplicaSetStatus.replicas', (o) => int(path(o, 'status', 'replicas'))),
  column('Ready', 'integer', 'ReplicaSetStatus.readyReplicas', (o) => int(path(o, 'status', 'readyReplicas'))),
  AGE,
  ...containerColumns('spec', 'template'),
  column('Selector', 'string', 'ReplicaSetSpec.selector', (o) => formatLabelSelector(path(o, 'spec', 'selector')), 1),
];

/** `printStatefulSet`: READY AGE, wide: CONTAINERS IMAGES. */
const STATEFUL_SET: readonly PrinterColumn[] = [
  column('Ready', 'string', { text: 'Number of the pod with ready state' }, (o) => `${int(path(o, 'status', 'readyReplicas'))}/${desired(o)}`),
  AGE,
  ...containerColumns('spec', 'template'),
];

/** `printDaemonSet`: DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, wide: CONTAINERS IMAGES SELECTOR. */
const DAEMON_SET: readonly PrinterColumn[] = [
  column('Desired', 'integer', 'DaemonSetStatus.desiredNumberScheduled', (o) => int(path(o, 'status', 'desiredNumberScheduled'))),
  column('Current', 'integer', 'DaemonSetStatus.currentNumberScheduled', (o) => int(path(o, 'status', 'currentNumberScheduled'))),
  column('Ready', 'integer', 'DaemonSetStatus.numberReady', (o) => int(path(o, 'status', 'numberReady'))),
  column('Up-to-date', 'integer', 'DaemonSetStatus.updatedNumberScheduled', (o) => int(path(o, 'status', 'updatedNumberScheduled'))),
  column('Available', 'integer', 'DaemonSetStatus.numberAvailable', (o) => int(path(o, 'status', 'numberAvailable'))),
  column('Node Selector', 'string', 'PodSpec.nodeSelector', (o) => formatLabels(path(o, 'spec', 'template', 'spec', 'nodeSelector'))),
  AGE,
  ...containerColumns('spec', 'template'),
  column('Selector', 'string', 'DaemonSetSpec.selector', (o) => formatLabelSelector(path(o, 'spec', 'selector')), 1),
];

/** `printJob`: STATUS COMPLETIONS DURATION AGE, wide: CONTAINERS IMAGES SELECTOR. */
const JOB: readonly PrinterColumn[] = [
  column('Status', 'string', { text: 'Status of the job.' }, (o) => {
    const conditions = path(o, 'status', 'conditions');
    if (conditionTrue(conditions, 'Complete')) return 'Complete';
    if (conditionTrue(conditions, 'Failed')) return 'Failed';
    if (path(o, 'metadata', 'deletionTimestamp') !== undefined) return 'Terminating';
    if (conditionTrue(conditions, 'Suspended')) return 'Suspended';
    if (conditionTrue(conditions, 'FailureTarget')) return 'FailureTarget';
    return 'Running';
  }),
  column('Completions', 'string', 'JobStatus.succeeded', (o) => {
    const succeeded = int(path(o, 'status', 'succeeded'));
    const completions = path(o, 'spec', 'completions');
    if (typeof completions === 'number') return `${succeeded}/${completions}`;
    const parallelism = int(path(o, 'spec', 'parallelism'));
    return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
  }),
  column('Duration', 'string', { text: 'Time required to complete the job.' }, (o, now) => {
    const start = Date.parse(str(path(o, 'status', 'startTime')));
    if (Number.isNaN(start)) return '';
    const end = Date.parse(str(path(o, 'status', 'completionTime')));
    return humanDuration((Number.isNaN(end) ? now : end) - start);
  }),
  AGE,
  ...containerColumns('spec', 'template'),
  column('Selector', 'string', 'JobSpec.selector', (o) => formatLabelSelector(path(o, 'spec', 'selector')), 1),
];

/** `printCronJob`: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE, wide: CONTAINERS IMAGES SELECTOR. */
const CRON_JOB: readonly PrinterColumn[] = [
  column('Schedule', 'string', 'CronJobSpec.schedule', (o) => str(path(o, 'spec', 'schedule'))),
  column('Timezone', 'string', 'CronJobSpec.timeZone', (o) => (typeof path(o, 'spec', 'timeZone') === 'string' ? str(path(o, 'spec', 'timeZone')) : '<none>')),
  column('Suspend', 'boolean', 'CronJobSpec.suspend', (o) => boolPtr(path(o, 'spec', 'suspend'))),
  column('Active', 'integer', 'CronJobStatus.active', (o) => objects(path(o, 'status', 'active')).length),
  column('Last Schedule', 'string', 'CronJobStatus.lastScheduleTime', (o, now) =>
    path(o, 'status', 'lastScheduleTime') === undefined ? '<none>' : since(path(o, 'status', 'lastScheduleTime'), now),
  ),
  AGE,
  ...containerColumns('spec', 'jobTemplate', 'spec', 'template'),
  column('Selector', 'string', 'JobSpec.selector', (o) => formatLabelSelector(path(o, 'spec', 'jobTemplate', 'spec', 'selector')), 1),
];

/** `formatHosts`: up to three rule hosts, `*` when none. */
function formatHosts(o: JsonObject): string {
  const rules = objects(path(o, 'spec', 'rules'));
  const hosts: string[] = [];
  let more = false;
  for (const r of rules) {
    if (hosts.length === 3) more = true;
    if (!more && str(r['host']) !== '') hosts.push(str(r['host']));
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

/** `ingressLoadBalancerStatusStringer` with `wide`: IPs (else hostnames), sorted, each once. */
function ingressAddress(o: JsonObject): string {
  return [...new Set(objects(path(o, 'status', 'loadBalancer', 'ingress')).map((i) => str(i['ip']) || str(i['hostname'])).filter((x) => x !== ''))].sort().join(',');
}

/** `printIngress`: CLASS HOSTS ADDRESS PORTS AGE. */
const INGRESS: readonly PrinterColumn[] = [
  column('Class', 'string', { text: 'The name of the IngressClass resource that should be used for additional configuration' }, (o) =>
    typeof path(o, 'spec', 'ingressClassName') === 'string' ? str(path(o, 'spec', 'ingressClassName')) : '<none>',
  ),
  column('Hosts', 'string', { text: 'Hosts that incoming requests are matched against before the ingress rule' }, formatHosts),
  column('Address', 'string', { text: 'Address is a list containing ingress points for the load-balancer' }, ingressAddress),
  column('Ports', 'string', { text: 'Ports of TLS configurations that open' }, (o) => (objects(path(o, 'spec', 'tls')).length > 0 ? '80, 443' : '80')),
  AGE,
];

/** `formatHPAMetrics`: up to two `current/target` entries, then ` + N more...`. */
function formatHPAMetrics(o: JsonObject): string {
  const specs = objects(path(o, 'spec', 'metrics'));
  if (specs.length === 0) return '<none>';
  const statuses = objects(path(o, 'status', 'currentMetrics'));
  const list = specs.map((spec, i) => {
    const status = statuses[i];
    const type = str(spec['type']);
    const key = type === 'ContainerResource' ? 'containerResource' : type.charAt(0).toLowerCase() + type.slice(1);
    const target = path(spec, key, 'target') as JsonObject | undefined;
    const current = path(status, key, 'current') as JsonObject | undefined;
    if (type === 'Resource' || type === 'ContainerResource') {
      const name = str(path(spec, key, 'name'));
      if (target?.['averageValue'] !== undefined) return `${name}: ${current?.['averageValue'] !== undefined ? str(current['averageValue']) : '<unknown>'}/${str(target['averageValue'])}`;
      const cur = typeof current?.['averageUtilization'] === 'number' ? `${current['averageUtilization']}%` : '<unknown>';
      const tgt = typeof target?.['averageUtilization'] === 'number' ? `${target['averageUtilization']}%` : '<auto>';
      return `${name}: ${cur}/${tgt}`;
    }
    if (type === 'Pods') return `${current?.['averageValue'] !== undefined ? str(current['averageValue']) : '<unknown>'}/${str(target?.['averageValue'])}`;
    if (type === 'Object' || type === 'External') {
      if (target?.['averageValue'] !== undefined) return `${current?.['averageValue'] !== undefined ? str(current['averageValue']) : '<unknown>'}/${str(target['averageValue'])} (avg)`;
      return `${current?.['value'] !== undefined ? str(current['value']) : '<unknown>'}/${str(target?.['value'])}`;
    }
    return '<unknown type>';
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

/** `printHorizontalPodAutoscaler`: REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE. */
const HPA: readonly PrinterColumn[] = [
  column('Reference', 'string', 'HorizontalPodAutoscalerSpec.scaleTargetRef', (o) => `${str(path(o, 'spec', 'scaleTargetRef', 'kind'))}/${str(path(o, 'spec', 'scaleTargetRef', 'name'))}`),
  column('Targets', 'string', 'HorizontalPodAutoscalerSpec.metrics', formatHPAMetrics),
  column('MinPods', 'string', 'HorizontalPodAutoscalerSpec.minReplicas', (o) =>
    typeof path(o, 'spec', 'minReplicas') === 'number' ? String(int(path(o, 'spec', 'minReplicas'))) : '<unset>',
  ),
  column('MaxPods', 'string', 'HorizontalPodAutoscalerSpec.maxReplicas', (o) => int(path(o, 'spec', 'maxReplicas'))),
  column('Replicas', 'string', 'HorizontalPodAutoscalerStatus.currentReplicas', (o) => int(path(o, 'status', 'currentReplicas'))),
  AGE,
];

/**
 * The default table convertor of the generic store, for kinds whose registry sets no printer (CRDs, Roles,
 * ClusterRoles): `Name`, then `Created At` of type `date` holding the RFC 3339 creation time (kubectl prints it as is).
 * @internal
 */
export const DEFAULT_CONVERTOR_COLUMNS: readonly PrinterColumn[] = [
  column('Created At', 'date', 'ObjectMeta.creationTimestamp', (o) => str(path(o, 'metadata', 'creationTimestamp'))),
];

/** Columns after NAME of these groups' kinds, keyed `group/Kind`. @internal */
export const APPS_COLUMNS: Readonly<Record<string, readonly PrinterColumn[]>> = {
  'apps/Deployment': DEPLOYMENT,
  'apps/ReplicaSet': REPLICA_SET,
  'apps/StatefulSet': STATEFUL_SET,
  'apps/DaemonSet': DAEMON_SET,
  'batch/Job': JOB,
  'batch/CronJob': CRON_JOB,
  'autoscaling/HorizontalPodAutoscaler': HPA,
  'networking.k8s.io/Ingress': INGRESS,
  'coordination.k8s.io/Lease': [column('Holder', 'string', 'LeaseSpec.holderIdentity', (o) => str(path(o, 'spec', 'holderIdentity'))), AGE],
  'apiextensions.k8s.io/CustomResourceDefinition': DEFAULT_CONVERTOR_COLUMNS,
  'rbac.authorization.k8s.io/Role': DEFAULT_CONVERTOR_COLUMNS,
  'rbac.authorization.k8s.io/ClusterRole': DEFAULT_CONVERTOR_COLUMNS,
};

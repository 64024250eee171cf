// Maintainer script: writes lib/testing/kinds/column-descriptions.ts, the `description` texts of the FakeApiServer's
// Table column definitions, from the vendored OpenAPI spec (vendor/k8s-openapi/swagger-v1.35.json).
//
// kube-apiserver takes them from the Go types' `SwaggerDoc()` (pkg/printers/internalversion/printers.go
// `AddHandlers`), whose text is the same field comment the OpenAPI spec carries. Where printers.go names a type of an
// API version that v1.35 no longer serves (extensions/v1beta1, autoscaling/v2beta1, batch/v1beta1), the same field of
// the served version is used (the comments are the same or nearly so).
//
// Run: node scripts/printer-columns/gen-descriptions.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const defs = JSON.parse(readFileSync(join(root, 'vendor/k8s-openapi/swagger-v1.35.json'), 'utf8')).definitions;

/** key → [OpenAPI definition, property] */
const WANTED = {
  'ObjectMeta.name': ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'name'],
  'ObjectMeta.creationTimestamp': ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'creationTimestamp'],
  'PodStatus.podIP': ['io.k8s.api.core.v1.PodStatus', 'podIP'],
  'PodStatus.nominatedNodeName': ['io.k8s.api.core.v1.PodStatus', 'nominatedNodeName'],
  'PodSpec.nodeName': ['io.k8s.api.core.v1.PodSpec', 'nodeName'],
  'PodSpec.readinessGates': ['io.k8s.api.core.v1.PodSpec', 'readinessGates'],
  'PodSpec.nodeSelector': ['io.k8s.api.core.v1.PodSpec', 'nodeSelector'],
  'ReplicationControllerSpec.replicas': ['io.k8s.api.core.v1.ReplicationControllerSpec', 'replicas'],
  'ReplicationControllerSpec.selector': ['io.k8s.api.core.v1.ReplicationControllerSpec', 'selector'],
  'ReplicationControllerStatus.replicas': ['io.k8s.api.core.v1.ReplicationControllerStatus', 'replicas'],
  'ReplicationControllerStatus.readyReplicas': ['io.k8s.api.core.v1.ReplicationControllerStatus', 'readyReplicas'],
  'ReplicaSetSpec.replicas': ['io.k8s.api.apps.v1.ReplicaSetSpec', 'replicas'],
  'ReplicaSetSpec.selector': ['io.k8s.api.apps.v1.ReplicaSetSpec', 'selector'],
  'ReplicaSetStatus.replicas': ['io.k8s.api.apps.v1.ReplicaSetStatus', 'replicas'],
  'ReplicaSetStatus.readyReplicas': ['io.k8s.api.apps.v1.ReplicaSetStatus', 'readyReplicas'],
  'DaemonSetStatus.desiredNumberScheduled': ['io.k8s.api.apps.v1.DaemonSetStatus', 'desiredNumberScheduled'],
  'DaemonSetStatus.currentNumberScheduled': ['io.k8s.api.apps.v1.DaemonSetStatus', 'currentNumberScheduled'],
  'DaemonSetStatus.numberReady': ['io.k8s.api.apps.v1.DaemonSetStatus', 'numberReady'],
  'DaemonSetStatus.updatedNumberScheduled': ['io.k8s.api.apps.v1.DaemonSetStatus', 'updatedNumberScheduled'],
  'DaemonSetStatus.numberAvailable': ['io.k8s.api.apps.v1.DaemonSetStatus', 'numberAvailable'],
  'DaemonSetSpec.selector': ['io.k8s.api.apps.v1.DaemonSetSpec', 'selector'],
  'DeploymentStatus.updatedReplicas': ['io.k8s.api.apps.v1.DeploymentStatus', 'updatedReplicas'],
  'DeploymentStatus.availableReplicas': ['io.k8s.api.apps.v1.DeploymentStatus', 'availableReplicas'],
  'DeploymentSpec.selector': ['io.k8s.api.apps.v1.DeploymentSpec', 'selector'],
  'JobStatus.succeeded': ['io.k8s.api.batch.v1.JobStatus', 'succeeded'],
  'JobSpec.selector': ['io.k8s.api.batch.v1.JobSpec', 'selector'],
  'CronJobSpec.schedule': ['io.k8s.api.batch.v1.CronJobSpec', 'schedule'],
  'CronJobSpec.timeZone': ['io.k8s.api.batch.v1.CronJobSpec', 'timeZone'],
  'CronJobSpec.suspend': ['io.k8s.api.batch.v1.CronJobSpec', 'suspend'],
  'CronJobStatus.active': ['io.k8s.api.batch.v1.CronJobStatus', 'active'],
  'CronJobStatus.lastScheduleTime': ['io.k8s.api.batch.v1.CronJobStatus', 'lastScheduleTime'],
  'ServiceSpec.type': ['io.k8s.api.core.v1.ServiceSpec', 'type'],
  'ServiceSpec.clusterIP': ['io.k8s.api.core.v1.ServiceSpec', 'clusterIP'],
  'ServiceSpec.externalIPs': ['io.k8s.api.core.v1.ServiceSpec', 'externalIPs'],
  'ServiceSpec.ports': ['io.k8s.api.core.v1.ServiceSpec', 'ports'],
  'ServiceSpec.selector': ['io.k8s.api.core.v1.ServiceSpec', 'selector'],
  'Endpoints.subsets': ['io.k8s.api.core.v1.Endpoints', 'subsets'],
  'NodeSystemInfo.kubeletVersion': ['io.k8s.api.core.v1.NodeSystemInfo', 'kubeletVersion'],
  'NodeSystemInfo.osImage': ['io.k8s.api.core.v1.NodeSystemInfo', 'osImage'],
  'NodeSystemInfo.kernelVersion': ['io.k8s.api.core.v1.NodeSystemInfo', 'kernelVersion'],
  'NodeSystemInfo.containerRuntimeVersion': ['io.k8s.api.core.v1.NodeSystemInfo', 'containerRuntimeVersion'],
  'NodeStatus.addresses': ['io.k8s.api.core.v1.NodeStatus', 'addresses'],
  'Event.lastTimestamp': ['io.k8s.api.core.v1.Event', 'lastTimestamp'],
  'Event.type': ['io.k8s.api.core.v1.Event', 'type'],
  'Event.reason': ['io.k8s.api.core.v1.Event', 'reason'],
  'Event.involvedObject': ['io.k8s.api.core.v1.Event', 'involvedObject'],
  'Event.source': ['io.k8s.api.core.v1.Event', 'source'],
  'Event.message': ['io.k8s.api.core.v1.Event', 'message'],
  'Event.firstTimestamp': ['io.k8s.api.core.v1.Event', 'firstTimestamp'],
  'Event.count': ['io.k8s.api.core.v1.Event', 'count'],
  'ObjectReference.fieldPath': ['io.k8s.api.core.v1.ObjectReference', 'fieldPath'],
  'Secret.type': ['io.k8s.api.core.v1.Secret', 'type'],
  'Secret.data': ['io.k8s.api.core.v1.Secret', 'data'],
  'ServiceAccount.secrets': ['io.k8s.api.core.v1.ServiceAccount', 'secrets'],
  'ConfigMap.data': ['io.k8s.api.core.v1.ConfigMap', 'data'],
  'PersistentVolumeSpec.capacity': ['io.k8s.api.core.v1.PersistentVolumeSpec', 'capacity'],
  'PersistentVolumeSpec.accessModes': ['io.k8s.api.core.v1.PersistentVolumeSpec', 'accessModes'],
  'PersistentVolumeSpec.persistentVolumeReclaimPolicy': ['io.k8s.api.core.v1.PersistentVolumeSpec', 'persistentVolumeReclaimPolicy'],
  'PersistentVolumeSpec.claimRef': ['io.k8s.api.core.v1.PersistentVolumeSpec', 'claimRef'],
  'PersistentVolumeSpec.volumeMode': ['io.k8s.api.core.v1.PersistentVolumeSpec', 'volumeMode'],
  'PersistentVolumeStatus.phase': ['io.k8s.api.core.v1.PersistentVolumeStatus', 'phase'],
  'PersistentVolumeStatus.reason': ['io.k8s.api.core.v1.PersistentVolumeStatus', 'reason'],
  'PersistentVolumeClaimStatus.phase': ['io.k8s.api.core.v1.PersistentVolumeClaimStatus', 'phase'],
  'PersistentVolumeClaimStatus.capacity': ['io.k8s.api.core.v1.PersistentVolumeClaimStatus', 'capacity'],
  'PersistentVolumeClaimStatus.accessModes': ['io.k8s.api.core.v1.PersistentVolumeClaimStatus', 'accessModes'],
  'PersistentVolumeClaimSpec.volumeName': ['io.k8s.api.core.v1.PersistentVolumeClaimSpec', 'volumeName'],
  'PersistentVolumeClaimSpec.volumeMode': ['io.k8s.api.core.v1.PersistentVolumeClaimSpec', 'volumeMode'],
  'HorizontalPodAutoscalerSpec.scaleTargetRef': ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec', 'scaleTargetRef'],
  'HorizontalPodAutoscalerSpec.metrics': ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec', 'metrics'],
  'HorizontalPodAutoscalerSpec.minReplicas': ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec', 'minReplicas'],
  'HorizontalPodAutoscalerSpec.maxReplicas': ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec', 'maxReplicas'],
  'HorizontalPodAutoscalerStatus.currentReplicas': ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus', 'currentReplicas'],
  'LeaseSpec.holderIdentity': ['io.k8s.api.coordination.v1.LeaseSpec', 'holderIdentity'],
};

const out = {};
for (const [key, [def, prop]] of Object.entries(WANTED)) {
  const text = defs[def]?.properties?.[prop]?.description;
  if (typeof text !== 'string') throw new Error(`no description for ${def}.${prop}`);
  out[key] = text;
}
const body = Object.entries(out)
  .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
  .join('\n');
writeFileSync(
  join(root, 'lib/testing/kinds/column-descriptions.ts'),
  `/**
 * GENERATED by scripts/printer-columns/gen-descriptions.mjs from vendor/k8s-openapi/swagger-v1.35.json: do not edit.
 * The \`description\` of the Table columns kube-apiserver's printers define (\`pkg/printers/internalversion/printers.go\`
 * \`AddHandlers\`: \`<Type>{}.SwaggerDoc()[<field>]\`), keyed \`Type.field\`.
 * @internal
 */
export const COLUMN_DESCRIPTIONS = {
${body}
} as const;
`,
);
console.log(`wrote ${Object.keys(out).length} descriptions`);

/**
 * Field selector labels of the built-in kinds: which labels a kind accepts (the field label conversion func its
 * group registers, e.g. kubernetes/kubernetes `pkg/apis/core/v1/conversion.go` `addConversionFuncs`,
 * `AddFieldLabelConversionsForEvent`/`Namespace`/`Secret`/`Service`; `pkg/apis/apps/v1/conversion.go` (ReplicaSet),
 * `pkg/apis/batch/v1/conversion.go` (Job), `pkg/apis/certificates/v1/conversion.go` (CSR)), and the value of each
 * for an object (the kind's `GetAttrs`/`ToSelectableFields` in `pkg/registry/<group>/<kind>/strategy.go`).
 *
 * `metadata.name` (and, for namespaced kinds, `metadata.namespace`) come from `generic.ObjectMetaFieldsSet` and are
 * not listed here. A label a conversion func accepts but `ToSelectableFields` does not set (`status.podIPs`) has the
 * value `""`, as a missing key of a `fields.Set` does.
 * @internal
 */
import type { JsonObject } from '../store.js';
import { int, path, str } from './columns-common.js';

type Labels = Readonly<Record<string, (obj: JsonObject) => string>>;

const at =
  (...keys: string[]) =>
  (o: JsonObject): string =>
    str(path(o, ...keys));

/** `pkg/registry/core/pod/strategy.go` `ToSelectableFields`. */
const POD: Labels = {
  'spec.nodeName': at('spec', 'nodeName'),
  'spec.restartPolicy': at('spec', 'restartPolicy'),
  'spec.schedulerName': at('spec', 'schedulerName'),
  'spec.serviceAccountName': at('spec', 'serviceAccountName'),
  // Internal `SecurityContext.HostNetwork`, `strconv.FormatBool`, false when unset.
  'spec.hostNetwork': (o) => String(path(o, 'spec', 'hostNetwork') === true),
  'status.phase': at('status', 'phase'),
  // "TODO: add podIPs as a downward API value(s) with proper format": the first of status.podIPs.
  'status.podIP': (o) => str(path((path(o, 'status', 'podIPs') as unknown[] | undefined)?.[0], 'ip')),
  'status.podIPs': () => '',
  'status.nominatedNodeName': at('status', 'nominatedNodeName'),
  // The conversion func maps the old v1 client label `spec.host` to `spec.nodeName`.
  'spec.host': at('spec', 'nodeName'),
};

/** `pkg/registry/core/event/strategy.go` `ToSelectableFields`. */
const EVENT: Labels = {
  'involvedObject.kind': at('involvedObject', 'kind'),
  'involvedObject.namespace': at('involvedObject', 'namespace'),
  'involvedObject.name': at('involvedObject', 'name'),
  'involvedObject.uid': at('involvedObject', 'uid'),
  'involvedObject.apiVersion': at('involvedObject', 'apiVersion'),
  'involvedObject.resourceVersion': at('involvedObject', 'resourceVersion'),
  'involvedObject.fieldPath': at('involvedObject', 'fieldPath'),
  reason: at('reason'),
  // The core/v1 name of the internal ReportingController.
  reportingComponent: at('reportingComponent'),
  source: (o) => str(path(o, 'source', 'component')) || str(o['reportingComponent']),
  type: at('type'),
};

/** Labels besides `metadata.name`/`metadata.namespace`, keyed `group/Kind`, for kinds with a conversion func. @internal */
export const BUILTIN_FIELD_LABELS: Readonly<Record<string, Labels>> = {
  '/Pod': POD,
  '/Event': EVENT,
  // `pkg/registry/core/node/strategy.go` `NodeToSelectableFields`.
  '/Node': { 'spec.unschedulable': (o) => String(path(o, 'spec', 'unschedulable') === true) },
  // `pkg/registry/core/namespace/strategy.go` `NamespaceToSelectableFields`.
  '/Namespace': { 'status.phase': at('status', 'phase') },
  // `pkg/registry/core/secret/strategy.go` `SelectableFields`.
  '/Secret': { type: at('type') },
  // `pkg/registry/core/service/strategy.go` `SelectableFields`.
  '/Service': { 'spec.clusterIP': at('spec', 'clusterIP'), 'spec.type': at('spec', 'type') },
  // `pkg/registry/core/replicationcontroller/strategy.go` and `apps/replicaset/strategy.go`: `strconv.Itoa(Status.Replicas)`.
  '/ReplicationController': { 'status.replicas': (o) => String(int(path(o, 'status', 'replicas'))) },
  'apps/ReplicaSet': { 'status.replicas': (o) => String(int(path(o, 'status', 'replicas'))) },
  // `pkg/registry/batch/job/strategy.go` `JobToSelectableFields`: `strconv.Itoa(int(job.Status.Succeeded))`.
  'batch/Job': { 'status.successful': (o) => String(int(path(o, 'status', 'succeeded'))) },
  // `pkg/registry/certificates/certificates/strategy.go` `SelectableFields`.
  'certificates.k8s.io/CertificateSigningRequest': { 'spec.signerName': at('spec', 'signerName') },
};

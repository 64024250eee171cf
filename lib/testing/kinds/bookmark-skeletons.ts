/**
 * The BOOKMARK object of each built-in kind besides `kind`, `apiVersion` and `metadata` (protocol sheet §3.1): the
 * cacher builds it from a fresh empty object (AS:`storage/cacher/cacher.go`, `c.newFunc()`), and Go's
 * `encoding/json` keeps what `omitempty` does not drop from a zero value: a field without `omitempty` (`""`, `0`,
 * `false`, `null` for nil slices, maps and pointers), and every non-pointer struct field, `omitempty` or not (`{}`
 * or its own non-omitted fields). A zero `metav1.Time` marshals as `null`; `ObjectMeta.creationTimestamp` is
 * `omitzero` since 1.34, so a template's `metadata` is `{}`. Keys keep the Go struct order.
 *
 * Derived by hand from the json tags of `k8s.io/api/<group>/<version>/types.go` (v1.35), cross-checked with the
 * `required` lists of the vendored OpenAPI spec (a field without `omitempty` and without `+optional`) and with the
 * recorded bookmarks of the protocol sheet (Pod: `{"containers":null}`/`{}`; Deployment: `selector: null`).
 * Keyed by `basePath/plural`; kinds not listed (and custom resources) get only kind, apiVersion and metadata.
 * @internal
 */

/** `PodTemplateSpec{}`: `metadata` (a struct, `omitempty` ignored) and `PodSpec.containers` (no `omitempty`). */
const TEMPLATE = { metadata: {}, spec: { containers: null } } as const;

/** Zero-valued fields per `basePath/plural`. @internal */
export const BOOKMARK_SKELETONS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  '/api/v1/pods': { spec: { containers: null }, status: {} },
  '/api/v1/services': { spec: {}, status: { loadBalancer: {} } },
  '/api/v1/namespaces': { spec: {}, status: {} },
  '/api/v1/nodes': {
    spec: {},
    status: {
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      // NodeSystemInfo: every field but swap/features is without omitempty.
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: '',
        osImage: '',
        containerRuntimeVersion: '',
        kubeletVersion: '',
        kubeProxyVersion: '',
        operatingSystem: '',
        architecture: '',
      },
    },
  },
  '/api/v1/configmaps': {},
  '/api/v1/secrets': {},
  '/api/v1/serviceaccounts': {},
  '/api/v1/endpoints': {},
  // core/v1 Event: involvedObject and source are structs; the timestamps are metav1.Time (null when zero);
  // reportingComponent and reportingInstance have no omitempty.
  '/api/v1/events': { involvedObject: {}, source: {}, firstTimestamp: null, lastTimestamp: null, eventTime: null, reportingComponent: '', reportingInstance: '' },
  '/api/v1/persistentvolumeclaims': { spec: { resources: {} }, status: {} },
  '/api/v1/persistentvolumes': { spec: {}, status: {} },
  '/api/v1/replicationcontrollers': { spec: {}, status: { replicas: 0 } },
  '/apis/apps/v1/deployments': { spec: { selector: null, template: TEMPLATE, strategy: {} }, status: {} },
  '/apis/apps/v1/replicasets': { spec: { selector: null, template: TEMPLATE }, status: { replicas: 0 } },
  // serviceName is omitempty since it became optional; availableReplicas (+optional) has no omitempty.
  '/apis/apps/v1/statefulsets': { spec: { selector: null, template: TEMPLATE, updateStrategy: {} }, status: { replicas: 0, availableReplicas: 0 } },
  '/apis/apps/v1/daemonsets': {
    spec: { selector: null, template: TEMPLATE, updateStrategy: {} },
    status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
  },
  '/apis/batch/v1/jobs': { spec: { template: TEMPLATE }, status: {} },
  '/apis/batch/v1/cronjobs': { spec: { schedule: '', jobTemplate: { metadata: {}, spec: { template: TEMPLATE } } }, status: {} },
  '/apis/autoscaling/v2/horizontalpodautoscalers': { spec: { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 }, status: { desiredReplicas: 0 } },
  '/apis/policy/v1/poddisruptionbudgets': { spec: {}, status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 } },
  '/apis/coordination.k8s.io/v1/leases': { spec: {} },
  '/apis/discovery.k8s.io/v1/endpointslices': { addressType: '', endpoints: null, ports: null },
  '/apis/networking.k8s.io/v1/ingresses': { spec: {}, status: { loadBalancer: {} } },
  '/apis/networking.k8s.io/v1/networkpolicies': { spec: { podSelector: {} } },
  '/apis/events.k8s.io/v1/events': { eventTime: null, regarding: {}, deprecatedSource: {}, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null },
  '/api/v1/podtemplates': { template: TEMPLATE },
  '/api/v1/resourcequotas': { spec: {}, status: {} },
  // rbac/v1: `rules` is +optional without omitempty; `roleRef` is a struct of three required strings.
  '/apis/rbac.authorization.k8s.io/v1/roles': { rules: null },
  '/apis/rbac.authorization.k8s.io/v1/clusterroles': { rules: null },
  '/apis/rbac.authorization.k8s.io/v1/rolebindings': { roleRef: { apiGroup: '', kind: '', name: '' } },
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings': { roleRef: { apiGroup: '', kind: '', name: '' } },
  '/apis/storage.k8s.io/v1/storageclasses': { provisioner: '' },
  '/apis/scheduling.k8s.io/v1/priorityclasses': { value: 0 },
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions': {
    spec: { group: '', names: { plural: '', kind: '' }, scope: '', versions: null },
    status: { acceptedNames: { plural: '', kind: '' }, storedVersions: null },
  },
};

/**
 * Per-kind strategies of the FakeApiServer: what kube-apiserver's `pkg/registry/<group>/<kind>/strategy.go` decides
 * for one kind (its `PrepareForCreate`/`PrepareForUpdate`, ...), kept as a table keyed by `group/Kind`.
 *
 * Intent: this table grows into the whole per-kind strategy of DESIGN.md (defaulting, validation, status reset on
 * main-resource writes, status and scale subresources, field selectors, table columns), so that each rule of a real
 * server lives in one place named after it. Today it holds only the rule that is implemented and tested:
 *
 * - `generation`: whether the kind has `metadata.generation` at all, and when it moves.
 *   - `'spec'`: `PrepareForCreate` sets `generation = 1`; `PrepareForUpdate` sets
 *     `newX.Generation = oldX.Generation + 1` when `!apiequality.Semantic.DeepEqual(newX.Spec, oldX.Spec)`
 *     (kubernetes/kubernetes `pkg/registry/apps/deployment/strategy.go`, `apps/replicaset`, `apps/statefulset`,
 *     `apps/daemonset`, `batch/job`, `batch/cronjob`, `core/replicationcontroller`, `policy/poddisruptionbudget`,
 *     `networking/networkpolicy`, `networking/ingress`; Pods since v1.33: `core/pod/strategy.go`
 *     `PrepareForCreate` sets `Generation = 1` and `updatePodGeneration` bumps it when the pod spec changes;
 *     CustomResourceDefinitions in `apiextensions-apiserver/pkg/registry/customresourcedefinition/strategy.go`).
 *     Custom resources (`apiextensions-apiserver/pkg/registry/customresource/strategy.go`) set 1 on create and bump
 *     when anything outside `metadata` (and `status`, with the status subresource) changes; the fake treats
 *     everything outside `metadata` and `status` as the spec.
 *   - `'none'`: the strategy never touches `generation` (ConfigMap, Secret, Namespace, Service, ...), so the stored
 *     object has none (it is `omitempty`), unless the client sent one: the generic store leaves it as sent on create
 *     and `rest.BeforeUpdate` does not touch it either.
 *
 * The deletion path's own generation bump (`markAsDeleting` in AS:`registry/generic/registry/store.go`: only when
 * `generation > 0`) is in the store and needs no entry here.
 * @internal
 */

/** How a kind's `metadata.generation` is kept. @internal */
export type GenerationRule = 'spec' | 'none';

/** The strategy of one kind (see the module doc). @internal */
export interface KindStrategy {
  readonly generation: GenerationRule;
}

const SPEC_GENERATION: KindStrategy = { generation: 'spec' };
const NO_GENERATION: KindStrategy = { generation: 'none' };

/** Built-in kinds whose strategy keeps a generation, keyed `group/Kind` (`''` for the core group). */
const BUILT_IN_WITH_GENERATION: ReadonlySet<string> = new Set([
  '/Pod',
  '/ReplicationController',
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'batch/Job',
  'batch/CronJob',
  'policy/PodDisruptionBudget',
  'networking.k8s.io/NetworkPolicy',
  'networking.k8s.io/Ingress',
  'apiextensions.k8s.io/CustomResourceDefinition',
]);

/** Groups served by kube-apiserver itself: `''`, the unsuffixed legacy groups, and every `*.k8s.io` group. */
const UNSUFFIXED_BUILT_IN_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'extensions']);

/** The API group of an `apiVersion` (`v1` → `''`, `apps/v1` → `apps`). @internal */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Whether a group is served by kube-apiserver's built-in registry (everything else is a custom resource). @internal */
export function isBuiltInGroup(group: string): boolean {
  return UNSUFFIXED_BUILT_IN_GROUPS.has(group) || group === 'k8s.io' || group.endsWith('.k8s.io');
}

/**
 * The strategy of a kind: the built-in table, else the custom-resource strategy for kinds outside the built-in groups.
 * @internal
 */
export function strategyFor(apiVersion: string, kind: string): KindStrategy {
  const group = groupOf(apiVersion);
  if (!isBuiltInGroup(group)) return SPEC_GENERATION;
  return BUILT_IN_WITH_GENERATION.has(`${group}/${kind}`) ? SPEC_GENERATION : NO_GENERATION;
}

/**
 * Per-kind strategies of the FakeApiServer: what kube-apiserver's `pkg/registry/<group>/<kind>/strategy.go` decides
 * for one kind (its `PrepareForCreate`/`PrepareForUpdate`, ...), kept as a table keyed by `group/Kind`.
 *
 * Intent: this table grows into the whole per-kind strategy of DESIGN.md (defaulting, validation, status reset on
 * main-resource writes, status and scale subresources, field selectors, table columns), so that each rule of a real
 * server lives in one place named after it. The defaulting and validation of the built-in kinds live in
 * `lib/testing/kinds/` (one module per kind family, composed by {@link strategyFor}); the generation rule is here:
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
import type { FieldError } from './status.js';
import type { JsonObject } from './store.js';
import { withStatusRules } from './status-strategies.js';
import { withBuiltInKindHooks } from './kinds/printing.js';
import { CRD_STRATEGY } from './crd/crd-validation.js';
import { builtInKindParts, type StrategyContext } from './kinds/index.js';

export type { StrategyContext } from './kinds/index.js';

/**
 * How a kind's `metadata.generation` is kept: `'spec'` and `'none'` as in the module doc; `'non-metadata'`: 1 on
 * create, bumped when anything but `metadata` changes, `status` included (custom resources without the status
 * subresource: apiextensions-apiserver `pkg/registry/customresource/strategy.go` `PrepareForUpdate`, `copyNonMetadata`).
 * @internal
 */
export type GenerationRule = 'spec' | 'none' | 'non-metadata';

/** What a validation hook of a strategy returns: the field errors (empty when valid). @internal */
export type StrategyFieldErrors = readonly FieldError[];

/**
 * The scale subresource of a kind: where `Scale.spec.replicas`, `status.replicas` and `status.selector` live in the
 * object, as JSON paths (`.spec.replicas`), the form of a CRD's `subresources.scale` (built-in kinds:
 * `pkg/registry/apps/deployment/storage/storage.go` `ScaleREST` and its kin).
 * @internal
 */
export interface ScaleSubresource {
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  readonly labelSelectorPath?: string;
}

/** The subresources a kind serves besides the main resource. @internal */
export interface Subresources {
  /** `/status`: status written only there; create and main-resource updates reset it (`StatusREST`). */
  readonly status?: boolean;
  readonly scale?: ScaleSubresource;
}

/**
 * One column of the kind's Table output (`pkg/printers/internalversion/printers.go`, or a CRD's
 * `additionalPrinterColumns`): the `columnDefinitions` entry and how a row's cell is computed.
 * @internal
 */
export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly description: string;
  readonly priority: number;
  /** The cell of one object (`now` for ages). */
  readonly cell: (obj: JsonObject, now: number) => unknown;
}

/**
 * The strategy of one kind (see the module doc). Every hook is optional; the generic write path
 * (`lib/testing/writes.ts`) calls them in kube-apiserver's order:
 *
 * 1. decode the body, then `defaults` (a real server defaults while decoding into the versioned type:
 *    `pkg/apis/<group>/v1/defaults.go`, registered by `RegisterDefaults`), for create, update and patch results;
 * 2. `prepareForCreate(obj)` / `prepareForUpdate(obj, old)` (`rest.BeforeCreate`/`BeforeUpdate` call the strategy's
 *    `PrepareForCreate`/`PrepareForUpdate`: status reset, fields dropped);
 * 3. `validateCreate(obj)` / `validateUpdate(obj, old)` (the strategy's `Validate`/`ValidateUpdate`), after the
 *    generic `metadata.name` rule; any error is 422 Invalid with `details.causes`.
 *
 * The programmatic writes of {@link FakeApiServer} (`create`, `update`: the seeding path of tests) apply `defaults`
 * and the generation rule but neither `prepareFor*` nor validation, so a test can seed any status it needs.
 * @internal
 */
export interface KindStrategy {
  readonly generation: GenerationRule;
  /** Fills the kind's defaults in place (`SetObjectDefaults_<Kind>` of `pkg/apis/<group>/v1`). */
  readonly defaults?: (obj: JsonObject) => void;
  /** `PrepareForCreate`: in place, before validation. */
  readonly prepareForCreate?: (obj: JsonObject) => void;
  /** `PrepareForUpdate`: in place, with the stored object (a copy) before validation. */
  readonly prepareForUpdate?: (obj: JsonObject, old: JsonObject) => void;
  /** `Validate`: the field errors of an object about to be created. */
  readonly validateCreate?: (obj: JsonObject) => StrategyFieldErrors;
  /** `ValidateUpdate`: the field errors of an update (immutable fields and the like). */
  readonly validateUpdate?: (obj: JsonObject, old: JsonObject) => StrategyFieldErrors;
  /** `/status` and `/scale`. */
  readonly subresources?: Subresources;
  /**
   * The status strategy's `PrepareForUpdate` for a `/status` write: in place, with the stored object (a copy); keeps
   * the spec and whatever else the kind's status strategy keeps (`lib/testing/status-strategies.ts`).
   */
  readonly prepareForStatusUpdate?: (obj: JsonObject, old: JsonObject) => void;
  /**
   * Top-level fields the strategy resets on main-resource writes (`GetResetFields`, e.g. `status`): an apply
   * configuration's values there are dropped before merging, so the applier neither sets nor owns them.
   */
  readonly resetFields?: readonly string[];
  /**
   * Table columns after NAME (default: AGE only). When one of them is the `format: 'name'` column, they are the whole
   * list in order (Event puts Name last, at priority 1). Built-in kinds: `lib/testing/kinds/columns-*.ts`.
   */
  readonly columns?: readonly PrinterColumn[];
  /**
   * Field selector labels besides `metadata.name` and `metadata.namespace` (the kind's `GetAttrs`/`ToSelectableFields`
   * and the field label conversion funcs of `pkg/apis/<group>/v1/conversion.go`): label → value of an object.
   * With this hook the kind has a conversion func: it accepts these labels, `metadata.name`, and for a namespaced
   * kind `metadata.namespace`, and answers any other with 400 `field label not supported: <label>`
   * (`lib/testing/field-labels.ts`). Built-in kinds: `lib/testing/kinds/field-labels.ts`.
   */
  readonly fieldLabels?: Readonly<Record<string, (obj: JsonObject) => string>>;
  /**
   * The kind registry's own marking on the first DELETE, instead of the generic one (`markAsDeleting`: grace period 0,
   * generation bump): called in place on the object once `deletionTimestamp` is set, in the same write, to add what
   * the registry adds (a CRD: the cleanup finalizer and a Terminating condition, apiextensions-apiserver
   * `pkg/registry/customresourcedefinition/etcd.go` `REST.Delete`). It must leave a finalizer on the object.
   */
  readonly markForDeletion?: (obj: JsonObject) => void;
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
 * `context` is the per-server state of the strategies (a Service's ClusterIP comes from its server's allocator).
 * @internal
 */
export function strategyFor(apiVersion: string, kind: string, context?: StrategyContext): KindStrategy {
  const group = groupOf(apiVersion);
  if (!isBuiltInGroup(group)) return SPEC_GENERATION;
  // CustomResourceDefinition: its registry strategy, status and deletion (lib/testing/crd/crd-validation.ts).
  if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') return withBuiltInKindHooks(group, kind, CRD_STRATEGY);
  const generation = BUILT_IN_WITH_GENERATION.has(`${group}/${kind}`) ? SPEC_GENERATION : NO_GENERATION;
  // Defaulting, validation and the kind's own PrepareFor* (Service IPs, Job selector): lib/testing/kinds/index.ts;
  // status reset, the status strategy and /status, /scale, chained after them: lib/testing/status-strategies.ts;
  // printer columns and field labels: lib/testing/kinds/printing.ts.
  const parts = builtInKindParts(group, kind, context);
  const base = parts ? { ...generation, ...parts } : generation;
  return withBuiltInKindHooks(group, kind, withStatusRules(base, group, kind, apiVersion));
}

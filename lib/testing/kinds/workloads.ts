/**
 * The workload kinds (Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job, CronJob): defaults of
 * kubernetes/kubernetes `pkg/apis/apps/v1/defaults.go`, `pkg/apis/batch/v1/defaults.go` and
 * `pkg/apis/core/v1/defaults.go` (`SetDefaults_ReplicationController`) plus their pod templates, the most used rules of
 * `pkg/apis/apps/validation/validation.go` and `pkg/apis/batch/validation/validation.go`, the update rules of the
 * strategies (`pkg/registry/apps/<kind>/strategy.go` `ValidateUpdate`: the selector is immutable in apps/v1), and Job's
 * generated selector (`pkg/registry/batch/job/strategy.go` `PrepareForCreate` → `generateSelectorIfNeeded`).
 * @internal
 */
import type { FieldError } from '../status.js';
import type { JsonObject } from '../store.js';
import { jsonEqual } from '../patch.js';
import { defaultPodTemplate, validatePodTemplate } from './pod.js';
import {
  ensureMap,
  goLabelSelector,
  goStringMap,
  immutable,
  invalidRendered,
  mapAt,
  nonNegative,
  selectorIsEmpty,
  selectorMatches,
  setDefault,
  str,
} from './field-rules.js';

/** The parts of a kind strategy this module supplies. @internal */
export interface KindParts {
  readonly defaults?: (obj: JsonObject) => void;
  readonly prepareForCreate?: (obj: JsonObject) => void;
  readonly prepareForUpdate?: (obj: JsonObject, old: JsonObject) => void;
  readonly validateCreate?: (obj: JsonObject) => FieldError[];
  readonly validateUpdate?: (obj: JsonObject, old: JsonObject) => FieldError[];
}

const spec = (obj: JsonObject): JsonObject => ensureMap(obj, 'spec');
const specOf = (obj: JsonObject): JsonObject => mapAt(obj['spec']) ?? {};
const templateLabels = (s: JsonObject): unknown => mapAt(mapAt(s['template'])?.['metadata'])?.['labels'];

const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

/** `ValidatePodTemplateSpecForReplicaSet`'s selector check, at `<path>.metadata.labels`. */
function selectorMatchesTemplate(selector: unknown, s: JsonObject, path: string): FieldError[] {
  if (selectorIsEmpty(selector) && mapAt(selector)) return [];
  if (selectorMatches(selector, templateLabels(s)) === false) return [invalidRendered(`${path}.metadata.labels`, goStringMap(templateLabels(s)), SELECTOR_MISMATCH)];
  return [];
}

/** The template's restartPolicy must be `Always` (`ValidatePodTemplateSpecForReplicaSet`, `ValidateDaemonSetSpec`, ...). */
function restartAlways(s: JsonObject, path: string): FieldError[] {
  const restart = str(mapAt(mapAt(s['template'])?.['spec'])?.['restartPolicy']);
  return restart === 'Always' || restart === '' ? [] : [{ field: `${path}.spec.restartPolicy`, type: 'FieldValueNotSupported', value: restart, supported: ['Always'] }];
}

/**
 * `ValidateDeploymentSpec` / `ValidateReplicaSetSpec`: replicas >= 0, selector required and not empty, the template
 * labels matched by it, the pod template, restartPolicy `Always`, minReadySeconds >= 0.
 */
function validateReplicatedSpec(obj: JsonObject, what: 'deployment' | 'replicaset'): FieldError[] {
  const s = specOf(obj);
  const errs: FieldError[] = [...nonNegative(s['replicas'], 'spec.replicas')];
  if (what === 'replicaset') errs.push(...nonNegative(s['minReadySeconds'], 'spec.minReadySeconds'));
  const selector = s['selector'];
  if (!mapAt(selector)) {
    errs.push({ field: 'spec.selector', type: 'FieldValueRequired' });
    if (what === 'deployment') return errs;
  } else if (selectorIsEmpty(selector)) {
    // ReplicaSet shares Deployment's message (`ValidateReplicaSetSpec`).
    errs.push(invalidRendered('spec.selector', goLabelSelector(selector), 'empty selector is invalid for deployment'));
  }
  // A missing ReplicaSet selector selects nothing (`LabelSelectorAsSelector(nil)`), so the labels never match.
  errs.push(...selectorMatchesTemplate(selector, s, 'spec.template'));
  errs.push(...validatePodTemplate(s['template'], 'spec.template'));
  errs.push(...restartAlways(s, 'spec.template'));
  if (what === 'deployment') {
    // ValidateDeploymentStrategy
    const strategy = mapAt(s['strategy']) ?? {};
    if (strategy['type'] === 'Recreate' && strategy['rollingUpdate'] != null) {
      errs.push({ field: 'spec.strategy.rollingUpdate', type: 'FieldValueForbidden', detail: "may not be specified when strategy `type` is 'Recreate'" });
    }
    errs.push(...nonNegative(s['minReadySeconds'], 'spec.minReadySeconds'));
    errs.push(...nonNegative(s['revisionHistoryLimit'], 'spec.revisionHistoryLimit'));
  }
  return errs;
}

/** apps/v1 `ValidateUpdate` of Deployment, ReplicaSet and DaemonSet: `spec.selector: ... field is immutable`. */
function selectorImmutable(obj: JsonObject, old: JsonObject): FieldError[] {
  const a = specOf(obj)['selector'];
  const b = specOf(old)['selector'];
  return jsonEqual(a ?? null, b ?? null) ? [] : [invalidRendered('spec.selector', goLabelSelector(a), 'field is immutable')];
}

// ---------------------------------------------------------------- Deployment, ReplicaSet, ReplicationController

/** `SetDefaults_Deployment`: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. */
export const deploymentParts: KindParts = {
  defaults(obj) {
    const s = spec(obj);
    setDefault(s, 'replicas', 1);
    const strategy = ensureMap(s, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy['type'] === 'RollingUpdate') {
      const ru = ensureMap(strategy, 'rollingUpdate');
      setDefault(ru, 'maxUnavailable', '25%');
      setDefault(ru, 'maxSurge', '25%');
    }
    setDefault(s, 'revisionHistoryLimit', 10);
    setDefault(s, 'progressDeadlineSeconds', 600);
    defaultPodTemplate(s['template']);
  },
  validateCreate: (obj) => validateReplicatedSpec(obj, 'deployment'),
  validateUpdate: (obj, old) => [...validateReplicatedSpec(obj, 'deployment'), ...selectorImmutable(obj, old)],
};

/** `SetDefaults_ReplicaSet`: replicas 1. */
export const replicaSetParts: KindParts = {
  defaults(obj) {
    const s = spec(obj);
    setDefault(s, 'replicas', 1);
    defaultPodTemplate(s['template']);
  },
  validateCreate: (obj) => validateReplicatedSpec(obj, 'replicaset'),
  validateUpdate: (obj, old) => [...validateReplicatedSpec(obj, 'replicaset'), ...selectorImmutable(obj, old)],
};

/** `SetDefaults_ReplicationController`: selector and labels from the template labels; replicas 1 (`+default=1`). */
export const replicationControllerParts: KindParts = {
  defaults(obj) {
    const s = spec(obj);
    const labels = mapAt(templateLabels(s));
    if (labels) {
      if (Object.keys(mapAt(s['selector']) ?? {}).length === 0) s['selector'] = { ...labels };
      const meta = ensureMap(obj, 'metadata');
      if (Object.keys(mapAt(meta['labels']) ?? {}).length === 0) meta['labels'] = { ...labels };
    }
    setDefault(s, 'replicas', 1);
    defaultPodTemplate(s['template']);
  },
  validateCreate: validateReplicationController,
  validateUpdate: (obj) => validateReplicationController(obj),
};

/**
 * `ValidateReplicationControllerSpec` and `ValidatePodTemplateSpecForRC`: a map selector (required once defaulted from
 * the template labels) matching the template labels, the pod template, restartPolicy `Always`.
 */
function validateReplicationController(obj: JsonObject): FieldError[] {
  const s = specOf(obj);
  const errs: FieldError[] = [...nonNegative(s['replicas'], 'spec.replicas'), ...nonNegative(s['minReadySeconds'], 'spec.minReadySeconds')];
  const selector = mapAt(s['selector']) ?? {};
  if (Object.keys(selector).length === 0) errs.push({ field: 'spec.selector', type: 'FieldValueRequired' });
  if (!mapAt(s['template'])) {
    errs.push({ field: 'spec.template', type: 'FieldValueRequired' });
    return errs;
  }
  if (Object.keys(selector).length > 0 && selectorMatches({ matchLabels: selector }, templateLabels(s)) === false) {
    errs.push(invalidRendered('spec.template.metadata.labels', goStringMap(templateLabels(s)), SELECTOR_MISMATCH));
  }
  errs.push(...validatePodTemplate(s['template'], 'spec.template'));
  errs.push(...restartAlways(s, 'spec.template'));
  return errs;
}

/** PodTemplate: `SetObjectDefaults_PodTemplate` and `ValidatePodTemplate` (the pod spec of `template`). */
export const podTemplateParts: KindParts = {
  defaults: (obj) => defaultPodTemplate(obj['template']),
  validateCreate: (obj) => validatePodTemplate(obj['template'], 'template'),
  validateUpdate: (obj) => validatePodTemplate(obj['template'], 'template'),
};

// ---------------------------------------------------------------- StatefulSet, DaemonSet

const STATEFULSET_UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** `SetDefaults_StatefulSet` (with StatefulSetAutoDeletePVC, GA). */
export const statefulSetParts: KindParts = {
  defaults(obj) {
    const s = spec(obj);
    setDefault(s, 'podManagementPolicy', 'OrderedReady');
    const us = ensureMap(s, 'updateStrategy');
    if (str(us['type']) === '') {
      us['type'] = 'RollingUpdate';
      if (!mapAt(us['rollingUpdate'])) us['rollingUpdate'] = {};
    }
    const ru = mapAt(us['rollingUpdate']);
    if (us['type'] === 'RollingUpdate' && ru) setDefault(ru, 'partition', 0);
    const retention = ensureMap(s, 'persistentVolumeClaimRetentionPolicy');
    setDefault(retention, 'whenDeleted', 'Retain');
    setDefault(retention, 'whenScaled', 'Retain');
    setDefault(s, 'replicas', 1);
    setDefault(s, 'revisionHistoryLimit', 10);
    defaultPodTemplate(s['template']);
  },
  /** `ValidateStatefulSetSpec`. */
  validateCreate(obj) {
    const s = specOf(obj);
    const errs: FieldError[] = [];
    const pmp = str(s['podManagementPolicy']);
    if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push({ field: 'spec.podManagementPolicy', type: 'FieldValueInvalid', value: pmp, detail: "must be 'OrderedReady' or 'Parallel'" });
    errs.push(...nonNegative(s['replicas'], 'spec.replicas'), ...nonNegative(s['minReadySeconds'], 'spec.minReadySeconds'));
    const selector = s['selector'];
    if (!mapAt(selector)) errs.push({ field: 'spec.selector', type: 'FieldValueRequired' });
    else if (selectorIsEmpty(selector)) errs.push(invalidRendered('spec.selector', goLabelSelector(selector), 'empty selector is invalid for statefulset'));
    if (mapAt(selector)) errs.push(...selectorMatchesTemplate(selector, s, 'spec.template'));
    errs.push(...restartAlways(s, 'spec.template'));
    errs.push(...validatePodTemplate(s['template'], 'spec.template'));
    return errs;
  },
  /** `ValidateStatefulSetUpdate`: only some spec fields may change. */
  validateUpdate(obj, old) {
    const errs = statefulSetParts.validateCreate!(obj);
    const strip = (o: JsonObject): JsonObject => Object.fromEntries(Object.entries(specOf(o)).filter(([k]) => !STATEFULSET_UPDATABLE.includes(k)));
    if (!jsonEqual(strip(obj), strip(old))) {
      errs.push({
        field: 'spec',
        type: 'FieldValueForbidden',
        detail: `updates to statefulset spec for fields other than ${STATEFULSET_UPDATABLE.slice(0, -1).map((f) => `'${f}'`).join(', ')} and 'minReadySeconds' are forbidden`,
      });
    }
    return errs;
  },
};

/** `SetDefaults_DaemonSet`: RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10. */
export const daemonSetParts: KindParts = {
  defaults(obj) {
    const s = spec(obj);
    const us = ensureMap(s, 'updateStrategy');
    setDefault(us, 'type', 'RollingUpdate');
    if (us['type'] === 'RollingUpdate') {
      const ru = ensureMap(us, 'rollingUpdate');
      setDefault(ru, 'maxUnavailable', 1);
      if (ru['maxSurge'] === undefined || ru['maxSurge'] === null) ru['maxSurge'] = 0;
    }
    setDefault(s, 'revisionHistoryLimit', 10);
    defaultPodTemplate(s['template']);
  },
  /** `ValidateDaemonSetSpec`: a missing selector selects nothing, so the template labels never match. */
  validateCreate(obj) {
    const s = specOf(obj);
    const selector = s['selector'];
    const errs: FieldError[] = [];
    if (selectorMatches(selector, templateLabels(s)) === false) errs.push(invalidRendered('spec.template.metadata.labels', goStringMap(templateLabels(s)), SELECTOR_MISMATCH));
    if (mapAt(selector) && selectorIsEmpty(selector)) errs.push(invalidRendered('spec.selector', goLabelSelector(selector), 'empty selector is invalid for daemonset'));
    errs.push(...validatePodTemplate(s['template'], 'spec.template'));
    errs.push(...restartAlways(s, 'spec.template'));
    errs.push(...nonNegative(s['minReadySeconds'], 'spec.minReadySeconds'));
    return errs;
  },
  validateUpdate: (obj, old) => [...daemonSetParts.validateCreate!(obj), ...selectorImmutable(obj, old)],
};

// ---------------------------------------------------------------- Job, CronJob

/** `batch.LegacyJobNameLabel`, `batch.JobNameLabel`, `batch.LegacyControllerUidLabel`, `batch.ControllerUidLabel`. */
const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];

/** The template's restartPolicy must be OnFailure or Never (`validateJobSpec`). */
function jobRestartPolicy(s: JsonObject, path: string): FieldError[] {
  const restart = str(mapAt(mapAt(s['template'])?.['spec'])?.['restartPolicy']);
  return restart === 'OnFailure' || restart === 'Never' ? [] : [{ field: `${path}.template.spec.restartPolicy`, type: 'FieldValueNotSupported', value: restart, supported: ['OnFailure', 'Never'] }];
}

/** `validateJobSpec` (shared with CronJob's jobTemplate): counts >= 0, the pod template, restartPolicy. */
function validateJobSpecCommon(s: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) errs.push(...nonNegative(s[k], `${path}.${k}`));
  errs.push(...validatePodTemplate(s['template'], `${path}.template`));
  errs.push(...jobRestartPolicy(s, path));
  return errs;
}

/** Job: `ValidateJob` → `ValidateJobSpec` (selector required and matching the template). */
function validateJob(obj: JsonObject): FieldError[] {
  const s = specOf(obj);
  const errs: FieldError[] = [];
  if (!mapAt(s['selector'])) errs.push({ field: 'spec.selector', type: 'FieldValueRequired' });
  else if (selectorMatches(s['selector'], templateLabels(s)) === false) {
    errs.push(invalidRendered('spec.template.metadata.labels', goStringMap(templateLabels(s)), SELECTOR_MISMATCH));
  }
  errs.push(...validateJobSpecCommon(s, 'spec'));
  return errs;
}

/**
 * `SetDefaults_Job` (completions/parallelism 1, backoffLimit 6, labels from the template, completionMode NonIndexed,
 * suspend false, podReplacementPolicy, manualSelector false), and `PrepareForCreate`'s `generateSelector`: the template
 * gets `job-name`/`controller-uid` labels (legacy and `batch.kubernetes.io/` forms) and the selector
 * `batch.kubernetes.io/controller-uid: <uid>`; the uid is the one the object is created with (set before
 * `PrepareForCreate`, as `rest.FillObjectMetaSystemFields` does on a real server).
 */
export const jobParts: KindParts = {
  defaults(obj) {
    const s = spec(obj);
    if ((s['completions'] === undefined || s['completions'] === null) && (s['parallelism'] === undefined || s['parallelism'] === null)) {
      s['completions'] = 1;
      s['parallelism'] = 1;
    }
    if (s['parallelism'] === undefined || s['parallelism'] === null) s['parallelism'] = 1;
    if (s['backoffLimit'] === undefined || s['backoffLimit'] === null) s['backoffLimit'] = s['backoffLimitPerIndex'] != null ? 2147483647 : 6;
    const labels = mapAt(templateLabels(s));
    const meta = ensureMap(obj, 'metadata');
    if (labels && Object.keys(mapAt(meta['labels']) ?? {}).length === 0) meta['labels'] = { ...labels };
    setDefault(s, 'completionMode', 'NonIndexed');
    if (s['suspend'] === undefined || s['suspend'] === null) s['suspend'] = false;
    setDefault(s, 'podReplacementPolicy', s['podFailurePolicy'] != null ? 'Failed' : 'TerminatingOrFailed');
    if (s['manualSelector'] === undefined || s['manualSelector'] === null) s['manualSelector'] = false;
    defaultPodTemplate(s['template']);
  },
  prepareForCreate(obj) {
    const s = spec(obj);
    if (s['manualSelector'] === true) return;
    const meta = ensureMap(obj, 'metadata');
    const name = str(meta['name']);
    const uid = str(meta['uid']);
    const template = ensureMap(s, 'template');
    const labels = ensureMap(ensureMap(template, 'metadata'), 'labels');
    for (const k of CONTROLLER_UID_LABELS) if (!(k in labels)) labels[k] = uid;
    for (const k of JOB_NAME_LABELS) if (!(k in labels)) labels[k] = name;
    const selector = ensureMap(s, 'selector');
    const matchLabels = ensureMap(selector, 'matchLabels');
    if (!('batch.kubernetes.io/controller-uid' in matchLabels)) matchLabels['batch.kubernetes.io/controller-uid'] = uid;
  },
  validateCreate: validateJob,
  /** `ValidateJobUpdate`: selector, template (unless suspended and never started), completionMode immutable. */
  validateUpdate(obj, old) {
    const s = specOf(obj);
    const o = specOf(old);
    const errs = validateJob(obj);
    if (!jsonEqual(s['selector'] ?? null, o['selector'] ?? null)) errs.push(invalidRendered('spec.selector', goLabelSelector(s['selector']), 'field is immutable'));
    if (!jsonEqual(s['template'] ?? null, o['template'] ?? null)) {
      // Go prints the whole core.PodTemplateSpec here; the fake abbreviates it.
      errs.push(invalidRendered('spec.template', 'core.PodTemplateSpec{...}', 'field is immutable'));
    }
    errs.push(...immutable(s['completionMode'], o['completionMode'], 'spec.completionMode'));
    return errs;
  },
};

/** `SetDefaults_CronJob`: concurrencyPolicy Allow, suspend false, history limits 3 and 1; the job template's pod defaults. */
export const cronJobParts: KindParts = {
  defaults(obj) {
    const s = spec(obj);
    setDefault(s, 'concurrencyPolicy', 'Allow');
    if (s['suspend'] === undefined || s['suspend'] === null) s['suspend'] = false;
    if (s['successfulJobsHistoryLimit'] === undefined || s['successfulJobsHistoryLimit'] === null) s['successfulJobsHistoryLimit'] = 3;
    if (s['failedJobsHistoryLimit'] === undefined || s['failedJobsHistoryLimit'] === null) s['failedJobsHistoryLimit'] = 1;
    defaultPodTemplate(mapAt(mapAt(s['jobTemplate'])?.['spec'])?.['template']);
  },
  /** `validateCronJobSpec`: schedule required, concurrencyPolicy, the job template (`ValidateJobTemplateSpec`). */
  validateCreate(obj) {
    const s = specOf(obj);
    const errs: FieldError[] = [];
    if (str(s['schedule']) === '') errs.push({ field: 'spec.schedule', type: 'FieldValueRequired' });
    const cp = str(s['concurrencyPolicy']);
    if (cp === '') errs.push({ field: 'spec.concurrencyPolicy', type: 'FieldValueRequired' });
    else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push({ field: 'spec.concurrencyPolicy', type: 'FieldValueNotSupported', value: cp, supported: ['Allow', 'Forbid', 'Replace'] });
    errs.push(...nonNegative(s['startingDeadlineSeconds'], 'spec.startingDeadlineSeconds'));
    errs.push(...nonNegative(s['successfulJobsHistoryLimit'], 'spec.successfulJobsHistoryLimit'));
    errs.push(...nonNegative(s['failedJobsHistoryLimit'], 'spec.failedJobsHistoryLimit'));
    const jobSpec = mapAt(mapAt(s['jobTemplate'])?.['spec']) ?? {};
    errs.push(...validateJobSpecCommon(jobSpec, 'spec.jobTemplate.spec'));
    if (jobSpec['selector'] != null) errs.push(invalidRendered('spec.jobTemplate.spec.selector', goLabelSelector(jobSpec['selector']), '`selector` will be auto-generated'));
    if (jobSpec['manualSelector'] === true) errs.push({ field: 'spec.jobTemplate.spec.manualSelector', type: 'FieldValueNotSupported', value: true, supported: ['nil', 'false'] });
    return errs;
  },
  validateUpdate: (obj) => cronJobParts.validateCreate!(obj),
};

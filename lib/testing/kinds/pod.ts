/**
 * Pods and pod templates: the defaults of kubernetes/kubernetes `pkg/apis/core/v1/defaults.go` (with the declarative
 * `+default` tags of `k8s.io/api/core/v1` that `zz_generated.defaults.go` applies) and the most used rules of
 * `pkg/apis/core/validation/validation.go` `ValidatePodSpec`. The workload kinds reuse the template half.
 * @internal
 */
import type { FieldError } from '../status.js';
import type { JsonObject } from '../store.js';
import { jsonEqual } from '../patch.js';
import {
  dnsLabelErrors,
  ensureMap,
  listAt,
  mapAt,
  portNameMessages,
  portNumMessages,
  setDefault,
  str,
} from './field-rules.js';

// ---------------------------------------------------------------- defaults

/**
 * `SetDefaults_Container`'s image pull policy: `Always` when the image's tag is `latest` (no tag and no digest means
 * `latest`: `pkg/util/parsers.ParseImageName`), else `IfNotPresent` (an unparsable image too).
 */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf('/');
  const colon = named.indexOf(':', slash + 1);
  const repo = colon >= 0 ? named.slice(0, colon) : named;
  // ParseNormalizedNamed rejects an empty or upper-case repository: no tag, so IfNotPresent.
  if (repo === '' || /[A-Z\s]/.test(repo)) return 'IfNotPresent';
  const tag = colon >= 0 ? named.slice(colon + 1) : at >= 0 ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** `SetDefaults_Probe` and `SetDefaults_HTTPGetAction`. */
function defaultProbe(probe: unknown): void {
  const p = mapAt(probe);
  if (!p) return;
  for (const [k, v] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const) {
    if (p[k] === undefined || p[k] === null || p[k] === 0) p[k] = v;
  }
  defaultHttpGet(p['httpGet']);
}

function defaultHttpGet(v: unknown): void {
  const h = mapAt(v);
  if (!h) return;
  setDefault(h, 'path', '/');
  setDefault(h, 'scheme', 'HTTP');
}

/** `SetDefaults_ObjectFieldSelector`: `fieldRef.apiVersion` is `v1`. */
function defaultFieldRef(v: unknown): void {
  const f = mapAt(v);
  if (f) setDefault(f, 'apiVersion', 'v1');
}

/** `SetDefaults_Container` plus the port protocol (`+default="TCP"`), env field refs, probes and lifecycle handlers. */
function defaultContainer(c: JsonObject): void {
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(str(c['image'])));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  // Not a default but the wire form: `resources` is a struct, which encoding/json never omits (`resources: {}`).
  if (!mapAt(c['resources'])) c['resources'] = {};
  for (const p of listAt(c['ports'])) if (mapAt(p)) setDefault(p as JsonObject, 'protocol', 'TCP');
  for (const e of listAt(c['env'])) defaultFieldRef(mapAt(mapAt(e)?.['valueFrom'])?.['fieldRef']);
  for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[k]);
  const lifecycle = mapAt(c['lifecycle']);
  if (lifecycle) for (const k of ['postStart', 'preStop']) defaultHttpGet(mapAt(lifecycle[k])?.['httpGet']);
}

/** 0644, the `defaultMode` of secret, configMap, downwardAPI and projected volumes (`SetDefaults_SecretVolumeSource` & co.). */
const VOLUME_DEFAULT_MODE = 0o644;

/** `SetDefaults_Volume` (no source means `emptyDir: {}`) and the per-source defaults. */
function defaultVolume(v: JsonObject): void {
  const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] !== null && v[k] !== undefined);
  if (sources.length === 0) v['emptyDir'] = {};
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const s = mapAt(v[k]);
    if (s) setDefault(s, 'defaultMode', VOLUME_DEFAULT_MODE);
  }
  for (const item of listAt(mapAt(v['downwardAPI'])?.['items'])) defaultFieldRef(mapAt(item)?.['fieldRef']);
  const hostPath = mapAt(v['hostPath']);
  if (hostPath && hostPath['type'] === undefined) hostPath['type'] = '';
  for (const src of listAt(mapAt(v['projected'])?.['sources'])) {
    const token = mapAt(mapAt(src)?.['serviceAccountToken']);
    if (token) setDefault(token, 'expirationSeconds', 3600);
    for (const item of listAt(mapAt(mapAt(src)?.['downwardAPI'])?.['items'])) defaultFieldRef(mapAt(item)?.['fieldRef']);
  }
}

/**
 * The defaults of a `PodSpec` wherever it appears (Pods and every pod template): `SetDefaults_PodSpec` (dnsPolicy,
 * restartPolicy, securityContext, terminationGracePeriodSeconds, schedulerName), then containers and volumes. Also the
 * v1 conversion's `serviceAccount` (`DeprecatedServiceAccount`) mirror of `serviceAccountName`
 * (`pkg/apis/core/v1/conversion.go` `Convert_core_PodSpec_To_v1_PodSpec`).
 * @internal
 */
export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  if (!mapAt(spec['securityContext'])) spec['securityContext'] = {};
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) for (const c of listAt(spec[key])) if (mapAt(c)) defaultContainer(c as JsonObject);
  for (const v of listAt(spec['volumes'])) if (mapAt(v)) defaultVolume(v as JsonObject);
  const sa = str(spec['serviceAccountName']) || str(spec['serviceAccount']);
  if (sa !== '') {
    spec['serviceAccountName'] = sa;
    spec['serviceAccount'] = sa;
  }
}

/** The defaults of a `PodTemplateSpec` (`template` of the workload kinds). @internal */
export function defaultPodTemplate(template: unknown): void {
  const t = mapAt(template);
  if (!t) return;
  defaultPodSpec(ensureMap(t, 'spec'));
}

/**
 * `SetObjectDefaults_Pod`: `SetDefaults_Pod` (requests default to limits, `enableServiceLinks: true`, host ports on
 * the host network) and the pod spec defaults.
 * @internal
 */
export function defaultPod(obj: JsonObject): void {
  const spec = ensureMap(obj, 'spec');
  for (const key of ['containers', 'initContainers']) {
    for (const c of listAt(spec[key])) {
      const resources = mapAt(mapAt(c)?.['resources']);
      const limits = mapAt(resources?.['limits']);
      if (!resources || !limits) continue;
      const requests = ensureMap(resources, 'requests');
      for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
    }
  }
  if (spec['enableServiceLinks'] === undefined || spec['enableServiceLinks'] === null) spec['enableServiceLinks'] = true;
  if (spec['hostNetwork'] === true) {
    for (const key of ['containers', 'initContainers']) {
      for (const c of listAt(spec[key])) {
        for (const p of listAt(mapAt(c)?.['ports'])) {
          const port = mapAt(p);
          if (port && (port['hostPort'] === undefined || port['hostPort'] === 0)) port['hostPort'] = port['containerPort'];
        }
      }
    }
  }
  defaultPodSpec(spec);
}

// ---------------------------------------------------------------- validation

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function required(field: string): FieldError {
  return { field, type: 'FieldValueRequired' };
}

function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  return { field, type: 'FieldValueNotSupported', value, supported };
}

/** `validateContainerPorts`. */
function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  listAt(ports).forEach((p, i) => {
    const port = mapAt(p) ?? {};
    const at = `${path}[${i}]`;
    const name = str(port['name']);
    if (name !== '') {
      const msgs = portNameMessages(name);
      if (msgs.length > 0) for (const detail of msgs) errs.push({ field: `${at}.name`, type: 'FieldValueInvalid', value: name, detail });
      else if (names.has(name)) errs.push({ field: `${at}.name`, type: 'FieldValueDuplicate', value: name });
      else names.add(name);
    }
    const cp = port['containerPort'];
    if (cp === undefined || cp === null || cp === 0) errs.push(required(`${at}.containerPort`));
    else for (const detail of portNumMessages(Number(cp))) errs.push({ field: `${at}.containerPort`, type: 'FieldValueInvalid', value: cp, detail });
    const hp = port['hostPort'];
    if (typeof hp === 'number' && hp !== 0) for (const detail of portNumMessages(hp)) errs.push({ field: `${at}.hostPort`, type: 'FieldValueInvalid', value: hp, detail });
    const protocol = str(port['protocol']);
    if (protocol === '') errs.push(required(`${at}.protocol`));
    else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(`${at}.protocol`, protocol, PORT_PROTOCOLS));
  });
  return errs;
}

/** `validateContainerCommon`: name, image, terminationMessagePolicy, ports, volume mounts, imagePullPolicy. */
function validateContainer(c: JsonObject, path: string, volumes: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c['name']);
  if (name === '') errs.push(required(`${path}.name`));
  else errs.push(...dnsLabelErrors(name, `${path}.name`));
  if (str(c['image']) === '') errs.push(required(`${path}.image`));
  const tmp = str(c['terminationMessagePolicy']);
  if (tmp === '') errs.push(required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validatePorts(c['ports'], `${path}.ports`));
  // ValidateVolumeMounts: the name must be a volume of the pod; mount paths are required and unique.
  const mountPaths = new Set<string>();
  listAt(c['volumeMounts']).forEach((m, i) => {
    const mount = mapAt(m) ?? {};
    const at = `${path}.volumeMounts[${i}]`;
    const mountName = str(mount['name']);
    if (mountName === '') errs.push(required(`${at}.name`));
    if (!volumes.has(mountName)) errs.push({ field: `${at}.name`, type: 'FieldValueNotFound', value: mountName });
    const mountPath = str(mount['mountPath']);
    if (mountPath === '') errs.push(required(`${at}.mountPath`));
    if (mountPaths.has(mountPath)) errs.push({ field: `${at}.mountPath`, type: 'FieldValueInvalid', value: mountPath, detail: 'must be unique' });
    mountPaths.add(mountPath);
  });
  const pull = str(c['imagePullPolicy']);
  if (pull === '') errs.push(required(`${path}.imagePullPolicy`));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pull)) errs.push(notSupported(`${path}.imagePullPolicy`, pull, ['Always', 'IfNotPresent', 'Never']));
  return errs;
}

/**
 * The most used rules of `ValidatePodSpec` (`pkg/apis/core/validation/validation.go`), in its order: volume names
 * (`ValidateVolumes`), `validateContainers` (required, each container via `validateContainerCommon`, unique names),
 * `validateInitContainers` (names unique among all containers), `validateRestartPolicy`, `validateDNSPolicy`.
 * @internal
 */
export function validatePodSpec(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const volumes = new Set<string>();
  listAt(spec['volumes']).forEach((v, i) => {
    const name = str(mapAt(v)?.['name']);
    const at = `${path}.volumes[${i}].name`;
    if (name === '') errs.push(required(at));
    else errs.push(...dnsLabelErrors(name, at));
    if (volumes.has(name)) errs.push({ field: at, type: 'FieldValueDuplicate', value: name });
    volumes.add(name);
  });
  const containers = listAt(spec['containers']);
  const names = new Set<string>();
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  containers.forEach((c, i) => {
    const container = mapAt(c) ?? {};
    errs.push(...validateContainer(container, `${path}.containers[${i}]`, volumes));
    const name = str(container['name']);
    if (names.has(name)) errs.push({ field: `${path}.containers[${i}].name`, type: 'FieldValueDuplicate', value: name });
    else names.add(name);
  });
  listAt(spec['initContainers']).forEach((c, i) => {
    const container = mapAt(c) ?? {};
    const name = str(container['name']);
    if (names.has(name)) errs.push({ field: `${path}.initContainers[${i}].name`, type: 'FieldValueDuplicate', value: name });
    else names.add(name);
    errs.push(...validateContainer(container, `${path}.initContainers[${i}]`, volumes));
  });
  const restart = str(spec['restartPolicy']);
  if (restart === '') errs.push(required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(restart)) errs.push(notSupported(`${path}.restartPolicy`, restart, ['Always', 'OnFailure', 'Never']));
  const dns = str(spec['dnsPolicy']);
  if (dns === '') errs.push(required(`${path}.dnsPolicy`));
  else if (!['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(dns)) {
    errs.push(notSupported(`${path}.dnsPolicy`, dns, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  }
  return errs;
}

/** `ValidatePodTemplateSpec`'s pod spec part (`<path>.spec`), for the workload kinds. @internal */
export function validatePodTemplate(template: unknown, path: string): FieldError[] {
  return validatePodSpec(mapAt(mapAt(template)?.['spec']) ?? {}, `${path}.spec`);
}

/** Pod's strategy `Validate` (`pkg/registry/core/pod/strategy.go` → `ValidatePodCreate` → `ValidatePodSpec`). @internal */
export function validatePodCreate(obj: JsonObject): FieldError[] {
  return validatePodSpec(mapAt(obj['spec']) ?? {}, 'spec');
}

/** `updatablePodSpecFieldsStrings` of `ValidatePodUpdate`, joined by `,`. */
const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

/**
 * Pod's strategy `ValidateUpdate` → `ValidatePodUpdate`: containers may not be added or removed
 * (`ValidateContainerUpdates`), images stay required, `activeDeadlineSeconds` may only be set or lowered, and nothing
 * else in the spec may change but the images, tolerations, scheduling gates and a negative grace period set to 1. Go
 * appends a `cmp.Diff` of the specs to the last message; the fake writes `core.PodSpec{...}` in its place.
 * @internal
 */
export function validatePodUpdate(obj: JsonObject, old: JsonObject): FieldError[] {
  const spec = mapAt(obj['spec']) ?? {};
  const oldSpec = mapAt(old['spec']) ?? {};
  const errs: FieldError[] = [];
  for (const key of ['containers', 'initContainers']) {
    const now = listAt(spec[key]);
    const before = listAt(oldSpec[key]);
    if (now.length !== before.length) return [{ field: `spec.${key}`, type: 'FieldValueForbidden', detail: 'pod updates may not add or remove containers' }];
    now.forEach((c, i) => {
      if (str(mapAt(c)?.['image']) === '') errs.push(required(`spec.${key}[${i}].image`));
    });
  }
  const deadline = spec['activeDeadlineSeconds'];
  const oldDeadline = oldSpec['activeDeadlineSeconds'];
  if (typeof deadline === 'number') {
    if (deadline < 0 || deadline > 2147483647) errs.push({ field: 'spec.activeDeadlineSeconds', type: 'FieldValueInvalid', value: deadline, detail: 'must be between 0 and 2147483647, inclusive' });
    if (typeof oldDeadline === 'number' && oldDeadline < deadline) {
      errs.push({ field: 'spec.activeDeadlineSeconds', type: 'FieldValueInvalid', value: deadline, detail: 'must be less than or equal to previous value' });
    }
  } else if (typeof oldDeadline === 'number') {
    errs.push({ field: 'spec.activeDeadlineSeconds', type: 'FieldValueInvalid', value: null, detail: 'must not update from a positive integer to nil value' });
  }
  // mungedPodSpec: the new spec with the updatable fields taken from the old one.
  const munged: JsonObject = JSON.parse(JSON.stringify(spec)) as JsonObject;
  for (const key of ['containers', 'initContainers']) {
    listAt(munged[key]).forEach((c, i) => {
      const container = mapAt(c);
      const oldImage = mapAt(listAt(oldSpec[key])[i])?.['image'];
      if (container) {
        if (oldImage === undefined) delete container['image'];
        else container['image'] = oldImage;
      }
    });
  }
  for (const key of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations']) {
    if (oldSpec[key] === undefined) delete munged[key];
    else munged[key] = oldSpec[key];
  }
  const grace = oldSpec['terminationGracePeriodSeconds'];
  if (typeof grace === 'number' && grace < 0 && munged['terminationGracePeriodSeconds'] === 1) munged['terminationGracePeriodSeconds'] = grace;
  if (!jsonEqual(munged, oldSpec)) {
    errs.push({ field: 'spec', type: 'FieldValueForbidden', detail: `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS}\n  core.PodSpec{...}` });
  }
  return errs;
}

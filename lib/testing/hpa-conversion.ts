/**
 * HorizontalPodAutoscaler conversion between `autoscaling/v2` (the storage version, the same shape as the internal
 * type) and `autoscaling/v1`, as kube-apiserver's `pkg/apis/autoscaling/v1/conversion.go` does it:
 * `Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler` and back, with the metric
 * conversions of the same file. v1 shows a CPU utilization target as `spec.targetCPUUtilizationPercentage`; every
 * other metric, the current metrics, the conditions and the behavior round-trip through the annotations of
 * `pkg/apis/autoscaling/annotations.go`, which a v2 view never shows (`DropRoundTripHorizontalPodAutoscalerAnnotations`).
 * @internal
 */
type Json = Record<string, unknown>;

/** `autoscaling.MetricSpecsAnnotation` and its siblings (`pkg/apis/autoscaling/annotations.go`). */
const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP = [METRICS, CURRENT_METRICS, CONDITIONS, BEHAVIOR];
/** `autoscaling.DefaultCPUUtilization`. */
const DEFAULT_CPU_UTILIZATION = 80;

function map(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter((x): x is Json => map(x) !== undefined) : [];
}

/** Copies the keys of `src` whose values are set, as Go's `omitempty` writes them. */
function defined(src: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

function isCpuUtilization(m: Json): boolean {
  const r = map(m['resource']);
  return m['type'] === 'Resource' && r?.['name'] === 'cpu' && map(r['target'])?.['averageUtilization'] != null;
}

// ------------------------------------------------------------------ v2 → v1 (Convert_autoscaling_*_To_v1_*)

function metricSpecToV1(m: Json): Json {
  const type = m['type'];
  const target = (src: Json | undefined): Json => map(src?.['target']) ?? {};
  const ident = (src: Json | undefined): Json => map(src?.['metric']) ?? {};
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = type === 'Resource' ? 'resource' : 'containerResource';
      const s = map(m[key]);
      const t = target(s);
      return { type, [key]: defined({ name: s?.['name'], container: s?.['container'], targetAverageUtilization: t['averageUtilization'], targetAverageValue: t['averageValue'] }) };
    }
    case 'Pods': {
      const s = map(m['pods']);
      return { type, pods: defined({ metricName: ident(s)['name'], targetAverageValue: target(s)['averageValue'], selector: ident(s)['selector'] }) };
    }
    case 'Object': {
      const s = map(m['object']);
      const t = target(s);
      return { type, object: defined({ target: s?.['describedObject'], metricName: ident(s)['name'], targetValue: t['value'] ?? '0', selector: ident(s)['selector'], averageValue: t['averageValue'] }) };
    }
    case 'External': {
      const s = map(m['external']);
      const t = target(s);
      return { type, external: defined({ metricName: ident(s)['name'], metricSelector: ident(s)['selector'], targetValue: t['value'], targetAverageValue: t['averageValue'] }) };
    }
    default:
      return { type };
  }
}

function metricStatusToV1(m: Json): Json {
  const type = m['type'];
  const current = (src: Json | undefined): Json => map(src?.['current']) ?? {};
  const ident = (src: Json | undefined): Json => map(src?.['metric']) ?? {};
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = type === 'Resource' ? 'resource' : 'containerResource';
      const s = map(m[key]);
      const c = current(s);
      return { type, [key]: defined({ name: s?.['name'], container: s?.['container'], currentAverageUtilization: c['averageUtilization'], currentAverageValue: c['averageValue'] ?? '0' }) };
    }
    case 'Pods': {
      const s = map(m['pods']);
      return { type, pods: defined({ metricName: ident(s)['name'], currentAverageValue: current(s)['averageValue'] ?? '0', selector: ident(s)['selector'] }) };
    }
    case 'Object': {
      const s = map(m['object']);
      const c = current(s);
      return { type, object: defined({ target: s?.['describedObject'], metricName: ident(s)['name'], currentValue: c['value'] ?? '0', selector: ident(s)['selector'], averageValue: c['averageValue'] }) };
    }
    case 'External': {
      const s = map(m['external']);
      const c = current(s);
      return { type, external: defined({ metricName: ident(s)['name'], metricSelector: ident(s)['selector'], currentValue: c['value'] ?? '0', currentAverageValue: c['averageValue'] }) };
    }
    default:
      return { type };
  }
}

/** A v2 HorizontalPodAutoscaler as autoscaling/v1 serves it. */
export function hpaV2ToV1(obj: Json): Json {
  const meta: Json = { ...(map(obj['metadata']) ?? {}) };
  const spec = map(obj['spec']) ?? {};
  const status = map(obj['status']);
  const annotations: Record<string, string> = { ...((map(meta['annotations']) as Record<string, string> | undefined) ?? {}) };
  for (const k of ROUND_TRIP) delete annotations[k];
  const metrics = list(spec['metrics']);
  // Convert_autoscaling_HorizontalPodAutoscalerSpec_To_v1: the first cpu Resource metric gives the target.
  const cpu = metrics.find((m) => m['type'] === 'Resource' && map(m['resource'])?.['name'] === 'cpu');
  const cpuTarget = map(map(cpu?.['resource'])?.['target'])?.['averageUtilization'];
  const other = metrics.filter((m) => !isCpuUtilization(m)).map(metricSpecToV1);
  if (other.length > 0) annotations[METRICS] = JSON.stringify(other);
  const currentMetrics = list(status?.['currentMetrics']);
  if (currentMetrics.length > 0) annotations[CURRENT_METRICS] = JSON.stringify(currentMetrics.map(metricStatusToV1));
  const conditions = list(status?.['conditions']);
  if (conditions.length > 0) annotations[CONDITIONS] = JSON.stringify(conditions);
  if (map(spec['behavior'])) annotations[BEHAVIOR] = JSON.stringify(spec['behavior']);
  if (Object.keys(annotations).length > 0) meta['annotations'] = annotations;
  else delete meta['annotations'];

  const out: Json = { ...obj, apiVersion: 'autoscaling/v1', metadata: meta };
  out['spec'] = defined({ scaleTargetRef: spec['scaleTargetRef'], minReplicas: spec['minReplicas'], maxReplicas: spec['maxReplicas'], targetCPUUtilizationPercentage: cpuTarget });
  if (status) {
    // Convert_autoscaling_HorizontalPodAutoscalerStatus_To_v1: the (last) cpu utilization is the current one.
    let currentCpu: unknown;
    for (const m of currentMetrics) {
      const r = map(m['resource']);
      if (m['type'] === 'Resource' && r?.['name'] === 'cpu' && map(r['current'])?.['averageUtilization'] != null) currentCpu = map(r['current'])!['averageUtilization'];
    }
    out['status'] = defined({
      observedGeneration: status['observedGeneration'],
      lastScaleTime: status['lastScaleTime'],
      currentReplicas: status['currentReplicas'] ?? 0,
      desiredReplicas: status['desiredReplicas'] ?? 0,
      currentCPUUtilizationPercentage: currentCpu,
    });
  }
  return out;
}

// ------------------------------------------------------------------ v1 → v2 (Convert_v1_*_To_autoscaling_*)

function metricSpecToV2(m: Json): Json {
  const type = m['type'];
  const metric = (name: unknown, selector: unknown): Json => defined({ name, selector });
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = type === 'Resource' ? 'resource' : 'containerResource';
      const s = map(m[key]) ?? {};
      const util = s['targetAverageUtilization'];
      const target = defined({ type: util != null ? 'Utilization' : 'AverageValue', averageUtilization: util, averageValue: s['targetAverageValue'] });
      return { type, [key]: defined({ name: s['name'], container: s['container'], target }) };
    }
    case 'Pods': {
      const s = map(m['pods']) ?? {};
      return { type, pods: { metric: metric(s['metricName'], s['selector']), target: defined({ type: 'AverageValue', averageValue: s['targetAverageValue'] }) } };
    }
    case 'Object': {
      const s = map(m['object']) ?? {};
      const target = defined({ type: s['averageValue'] == null ? 'Value' : 'AverageValue', value: s['targetValue'], averageValue: s['averageValue'] });
      return { type, object: { describedObject: s['target'], metric: metric(s['metricName'], s['selector']), target } };
    }
    case 'External': {
      const s = map(m['external']) ?? {};
      const target = defined({ type: s['targetValue'] == null ? 'AverageValue' : 'Value', value: s['targetValue'], averageValue: s['targetAverageValue'] });
      return { type, external: { metric: metric(s['metricName'], s['metricSelector']), target } };
    }
    default:
      return { type };
  }
}

function metricStatusToV2(m: Json): Json {
  const type = m['type'];
  const metric = (name: unknown, selector: unknown): Json => defined({ name, selector });
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = type === 'Resource' ? 'resource' : 'containerResource';
      const s = map(m[key]) ?? {};
      return { type, [key]: defined({ name: s['name'], container: s['container'], current: defined({ averageValue: s['currentAverageValue'], averageUtilization: s['currentAverageUtilization'] }) }) };
    }
    case 'Pods': {
      const s = map(m['pods']) ?? {};
      return { type, pods: { metric: metric(s['metricName'], s['selector']), current: defined({ averageValue: s['currentAverageValue'] }) } };
    }
    case 'Object': {
      const s = map(m['object']) ?? {};
      return { type, object: { describedObject: s['target'], metric: metric(s['metricName'], s['selector']), current: defined({ value: s['currentValue'], averageValue: s['averageValue'] }) } };
    }
    case 'External': {
      const s = map(m['external']) ?? {};
      return { type, external: { metric: metric(s['metricName'], s['metricSelector']), current: defined({ value: s['currentValue'], averageValue: s['currentAverageValue'] }) } };
    }
    default:
      return { type };
  }
}

function parseList(text: string | undefined): Json[] {
  if (text === undefined) return [];
  try {
    return list(JSON.parse(text));
  } catch {
    return [];
  }
}

/** An autoscaling/v1 HorizontalPodAutoscaler as autoscaling/v2 (and the store) holds it. */
export function hpaV1ToV2(obj: Json): Json {
  const meta: Json = { ...(map(obj['metadata']) ?? {}) };
  const spec = map(obj['spec']) ?? {};
  const status = map(obj['status']);
  const annotations: Record<string, string> = { ...((map(meta['annotations']) as Record<string, string> | undefined) ?? {}) };
  const metrics = parseList(annotations[METRICS]).map(metricSpecToV2);
  const target = spec['targetCPUUtilizationPercentage'];
  if (target != null) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } });
  // "autoscaling/v1 formerly had an implicit default applied in the controller": 80% CPU when no metric is given.
  if (metrics.length === 0) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } });
  let behavior: unknown;
  try {
    behavior = annotations[BEHAVIOR] === undefined ? undefined : JSON.parse(annotations[BEHAVIOR]);
  } catch {
    behavior = undefined;
  }
  const currentFromAnnotation = annotations[CURRENT_METRICS];
  const conditions = parseList(annotations[CONDITIONS]);
  for (const k of ROUND_TRIP) delete annotations[k];
  if (Object.keys(annotations).length > 0) meta['annotations'] = annotations;
  else delete meta['annotations'];

  const out: Json = { ...obj, apiVersion: 'autoscaling/v2', metadata: meta };
  out['spec'] = defined({ scaleTargetRef: spec['scaleTargetRef'], minReplicas: spec['minReplicas'], maxReplicas: spec['maxReplicas'], metrics, behavior });
  if (status) {
    let currentMetrics: Json[] | undefined;
    if (currentFromAnnotation !== undefined) currentMetrics = parseList(currentFromAnnotation).map(metricStatusToV2);
    else if (status['currentCPUUtilizationPercentage'] != null) {
      currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status['currentCPUUtilizationPercentage'] } } }];
    }
    out['status'] = defined({
      observedGeneration: status['observedGeneration'],
      lastScaleTime: status['lastScaleTime'],
      currentReplicas: status['currentReplicas'],
      desiredReplicas: status['desiredReplicas'] ?? 0,
      currentMetrics,
      conditions: conditions.length > 0 ? conditions : undefined,
    });
  }
  return out;
}

/** Converts an HPA to `toApiVersion` (`autoscaling/v1` or `autoscaling/v2`); other versions only get the new apiVersion. */
export function convertHpa(obj: Json, toApiVersion: string): Json {
  const from = obj['apiVersion'];
  if (from === toApiVersion) return obj;
  if (from === 'autoscaling/v2' && toApiVersion === 'autoscaling/v1') return hpaV2ToV1(obj);
  if (from === 'autoscaling/v1' && toApiVersion === 'autoscaling/v2') return hpaV1ToV2(obj);
  return { ...obj, apiVersion: toApiVersion };
}

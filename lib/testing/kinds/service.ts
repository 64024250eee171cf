/**
 * Services: `SetDefaults_Service` (kubernetes/kubernetes `pkg/apis/core/v1/defaults.go`), the REST storage's
 * allocation before the strategy runs (`pkg/registry/core/service/storage/storage.go` `beginCreate`/`beginUpdate`,
 * `alloc.go` `initIPFamilyFields`, `allocateCreate`/`allocateUpdate`, `patchAllocatedValues`, `normalizeClusterIPs`),
 * and the most used rules of `pkg/apis/core/validation/validation.go` `ValidateService`/`ValidateServiceUpdate`.
 * The allocator is the server's own ({@link ServiceAllocator}), so ClusterIPs are unique per FakeApiServer.
 * @internal
 */
import { invalidStatus, internalErrorStatus, type FieldError } from '../status.js';
import { HttpError } from '../responses.js';
import type { JsonObject } from '../store.js';
import { ipToInt, type ServiceAllocator } from './cluster-ip.js';
import { dnsLabelErrors, ensureMap, goStringSlice, invalidRendered, listAt, mapAt, portNameMessages, portNumMessages, setDefault, str } from './field-rules.js';
import type { KindParts } from './workloads.js';

const specOf = (obj: JsonObject): JsonObject => mapAt(obj['spec']) ?? {};
const keyOf = (obj: JsonObject): string => {
  const meta = mapAt(obj['metadata']) ?? {};
  return `${str(meta['namespace'])}/${str(meta['name'])}`;
};

/** `needsClusterIP`: every type but ExternalName. */
const needsClusterIP = (s: JsonObject): boolean => str(s['type']) !== 'ExternalName';
/** `needsNodePort`: NodePort, and LoadBalancer unless `allocateLoadBalancerNodePorts: false`. */
const needsNodePort = (s: JsonObject): boolean => s['type'] === 'NodePort' || (s['type'] === 'LoadBalancer' && s['allocateLoadBalancerNodePorts'] !== false);

/** `SetDefaults_Service`. */
function defaultService(obj: JsonObject): void {
  const s = ensureMap(obj, 'spec');
  setDefault(s, 'sessionAffinity', 'None');
  if (s['sessionAffinity'] === 'None') delete s['sessionAffinityConfig'];
  if (s['sessionAffinity'] === 'ClientIP') {
    const timeout = mapAt(mapAt(s['sessionAffinityConfig'])?.['clientIP'])?.['timeoutSeconds'];
    if (timeout === undefined || timeout === null) s['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: 10800 } };
  }
  setDefault(s, 'type', 'ClusterIP');
  for (const p of listAt(s['ports'])) {
    const port = mapAt(p);
    if (!port) continue;
    setDefault(port, 'protocol', 'TCP');
    if (port['targetPort'] === undefined || port['targetPort'] === null || port['targetPort'] === 0 || port['targetPort'] === '') port['targetPort'] = port['port'];
  }
  // service.ExternallyAccessible: LoadBalancer, NodePort, or ClusterIP with external IPs.
  const external = s['type'] === 'LoadBalancer' || s['type'] === 'NodePort' || (s['type'] === 'ClusterIP' && listAt(s['externalIPs']).length > 0);
  if (external) setDefault(s, 'externalTrafficPolicy', 'Cluster');
  if (s['internalTrafficPolicy'] == null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(str(s['type']))) s['internalTrafficPolicy'] = 'Cluster';
  if (s['type'] === 'LoadBalancer' && s['allocateLoadBalancerNodePorts'] == null) s['allocateLoadBalancerNodePorts'] = true;
}

/**
 * `initIPFamilyFields` of a single-stack IPv4 cluster: the policy defaults to the old one on update, RequireDualStack
 * for a headless service without selector (which then lists both families), else SingleStack; asking for dual-stack
 * or for IPv6 is 422 as on a cluster configured with one IPv4 service CIDR.
 */
function initIPFamilies(obj: JsonObject, old: JsonObject | undefined): void {
  const s = ensureMap(obj, 'spec');
  if (!needsClusterIP(s)) return;
  const headlessSelectorless = s['clusterIP'] === 'None' && Object.keys(mapAt(s['selector']) ?? {}).length === 0;
  if (s['ipFamilyPolicy'] == null) {
    const oldPolicy = old ? specOf(old)['ipFamilyPolicy'] : undefined;
    s['ipFamilyPolicy'] = oldPolicy ?? (headlessSelectorless ? 'RequireDualStack' : 'SingleStack');
  }
  const errs: FieldError[] = [];
  const families = listAt(s['ipFamilies']).map(str);
  const ips = listAt(s['clusterIPs']).map(str);
  for (let i = 0; i < ips.length && ips[i] !== 'None'; i++) {
    if (i < families.length) continue;
    if (ips[i]!.includes(':')) errs.push(invalidRendered(`spec.clusterIPs[${i}]`, goStringSlice(ips), 'IPv6 is not configured on this cluster'));
    else families.push('IPv4');
  }
  if (errs.length > 0) allocationFailed(obj, errs);
  if (headlessSelectorless) {
    if (families.length === 0) families.push('IPv4');
    if (families.length < 2 && s['ipFamilyPolicy'] !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    s['ipFamilies'] = families;
    return;
  }
  if (s['ipFamilyPolicy'] === 'RequireDualStack') {
    errs.push({ field: 'spec.ipFamilyPolicy', type: 'FieldValueInvalid', value: 'RequireDualStack', detail: 'this cluster is not configured for dual-stack services' });
  }
  families.forEach((f, i) => {
    if (f !== 'IPv4') errs.push({ field: `spec.ipFamilies[${i}]`, type: 'FieldValueInvalid', value: f, detail: 'not configured on this cluster' });
  });
  if (errs.length > 0) allocationFailed(obj, errs);
  s['ipFamilies'] = families.length > 0 ? families : ['IPv4'];
}

/** `errors.NewInvalid(api.Kind("Service"), ...)` from the allocation step, before validation runs. */
function allocationFailed(obj: JsonObject, errs: readonly FieldError[]): never {
  throw new HttpError(invalidStatus('Service', '', str(mapAt(obj['metadata'])?.['name']), errs));
}

/** `allocIPs`/`initNodePorts` of `alloc.go`: the ClusterIP and node ports the service lacks; requested ones checked. */
function allocate(alloc: ServiceAllocator, obj: JsonObject, old: JsonObject | undefined): void {
  const s = ensureMap(obj, 'spec');
  const view = alloc.view(old ? keyOf(old) : undefined);
  if (needsClusterIP(s) && s['clusterIP'] !== 'None') {
    const ips = listAt(s['clusterIPs']).map(str);
    if (ips.length === 0) {
      const ip = view.nextIP();
      if (ip === undefined) throw new HttpError(internalErrorStatus('failed to allocate a serviceIP: range is full'));
      s['clusterIP'] = ip;
      s['clusterIPs'] = [ip];
    } else if (!old && ipToInt(ips[0]!) !== undefined) {
      // A changed address on update is left to validation ("may not change once set").
      const why = view.takeIP(ips[0]!);
      if (why) allocationFailed(obj, [invalidRendered('spec.clusterIPs', goStringSlice(ips), `failed to allocate IP ${ips[0]}: ${why}`)]);
    }
  }
  if (s['type'] === 'NodePort' || s['type'] === 'LoadBalancer') {
    // initNodePorts: ports with the same number share one node port; a requested one is checked, others allocated
    // (LoadBalancer with `allocateLoadBalancerNodePorts: false` only keeps requested ones).
    const ports = listAt(s['ports']).map((p) => mapAt(p) ?? {});
    const byPort = new Map<unknown, number>();
    const oldNodePorts = new Set(old ? listAt(specOf(old)['ports']).map((q) => mapAt(q)?.['nodePort']) : []);
    const take = (np: number, i: number): void => {
      const why = oldNodePorts.has(np) ? undefined : view.takeNodePort(np);
      if (why) allocationFailed(obj, [{ field: `spec.ports[${i}].nodePort`, type: 'FieldValueInvalid', value: np, detail: why }]);
    };
    ports.forEach((port, i) => {
      const own = typeof port['nodePort'] === 'number' ? port['nodePort'] : 0;
      if (own === 0 && !needsNodePort(s)) return;
      const shared = byPort.get(port['port']);
      if (shared === undefined) {
        const requested = ports.find((q) => q['port'] === port['port'] && typeof q['nodePort'] === 'number' && q['nodePort'] !== 0)?.['nodePort'] as number | undefined;
        let np = requested;
        if (np !== undefined) take(np, i);
        else np = view.nextNodePort();
        if (np === undefined) throw new HttpError(internalErrorStatus('failed to allocate a nodePort: range is full'));
        port['nodePort'] = np;
        byPort.set(port['port'], np);
      } else if (own !== shared) {
        if (own === 0) port['nodePort'] = shared;
        else take(own, i);
      }
    });
  }
}

/** `patchAllocatedValues` then `normalizeClusterIPs` (update): values the client left out are kept. */
function patchAllocated(s: JsonObject, o: JsonObject): void {
  if (needsClusterIP(o) && needsClusterIP(s)) {
    if (str(s['clusterIP']) === '') s['clusterIP'] = o['clusterIP'];
    if (listAt(s['clusterIPs']).length === 0 && listAt(o['clusterIPs']).length > 0) s['clusterIPs'] = [...listAt(o['clusterIPs'])];
    if (s['ipFamilyPolicy'] == null && o['ipFamilyPolicy'] != null) s['ipFamilyPolicy'] = o['ipFamilyPolicy'];
    if (listAt(s['ipFamilies']).length === 0 && listAt(o['ipFamilies']).length > 0) s['ipFamilies'] = [...listAt(o['ipFamilies'])];
  }
  if (needsNodePort(o) && needsNodePort(s)) {
    const oldPorts = listAt(o['ports']).map((p) => mapAt(p) ?? {});
    for (const p of listAt(s['ports'])) {
      const port = mapAt(p);
      if (!port || (typeof port['nodePort'] === 'number' && port['nodePort'] !== 0)) continue;
      // findServicePort: same port number and protocol.
      const match = oldPorts.find((q) => q['port'] === port['port'] && str(q['protocol']) === str(port['protocol']));
      if (match && typeof match['nodePort'] === 'number') port['nodePort'] = match['nodePort'];
    }
  }
  const oldIPs = listAt(o['clusterIPs']);
  const sameIPs = JSON.stringify(listAt(s['clusterIPs'])) === JSON.stringify(oldIPs);
  if (str(s['clusterIP']) !== str(o['clusterIP']) && sameIPs) {
    if (str(s['clusterIP']) === '') delete s['clusterIPs'];
    else s['clusterIPs'] = [s['clusterIP'], ...oldIPs.slice(1)];
  }
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

/** The most used rules of `ValidateService`. */
function validateService(obj: JsonObject): FieldError[] {
  const s = specOf(obj);
  const errs: FieldError[] = [];
  const type = str(s['type']);
  const headless = s['clusterIP'] === 'None';
  const ports = listAt(s['ports']);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push({ field: 'spec.ports', type: 'FieldValueRequired' });
  if (type === 'ExternalName') {
    if (listAt(s['clusterIPs']).length > 0) errs.push({ field: 'spec.clusterIPs', type: 'FieldValueForbidden', detail: 'may not be set for ExternalName services' });
    if (str(s['externalName']).replace(/\.$/, '') === '') errs.push({ field: 'spec.externalName', type: 'FieldValueRequired' });
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const port = mapAt(p) ?? {};
    const at = `spec.ports[${i}]`;
    const name = str(port['name']);
    // validateServicePort
    if (ports.length > 1 && name === '') errs.push({ field: `${at}.name`, type: 'FieldValueRequired' });
    else if (name !== '') {
      errs.push(...dnsLabelErrors(name, `${at}.name`));
      if (names.has(name)) errs.push({ field: `${at}.name`, type: 'FieldValueDuplicate', value: name });
      else names.add(name);
    }
    for (const detail of portNumMessages(Number(port['port'] ?? 0))) errs.push({ field: `${at}.port`, type: 'FieldValueInvalid', value: port['port'] ?? 0, detail });
    const protocol = str(port['protocol']);
    if (protocol === '') errs.push({ field: `${at}.protocol`, type: 'FieldValueRequired' });
    else if (!['SCTP', 'TCP', 'UDP'].includes(protocol)) errs.push({ field: `${at}.protocol`, type: 'FieldValueNotSupported', value: protocol, supported: ['SCTP', 'TCP', 'UDP'] });
    // ValidatePortNumOrName
    const target = port['targetPort'];
    if (typeof target === 'number') for (const detail of portNumMessages(target)) errs.push({ field: `${at}.targetPort`, type: 'FieldValueInvalid', value: target, detail });
    else if (typeof target === 'string') for (const detail of portNameMessages(target)) errs.push({ field: `${at}.targetPort`, type: 'FieldValueInvalid', value: target, detail });
    if (type === 'ClusterIP' && typeof port['nodePort'] === 'number' && port['nodePort'] !== 0) {
      errs.push({ field: `${at}.nodePort`, type: 'FieldValueForbidden', detail: "may not be used when `type` is 'ClusterIP'" });
    }
  });
  if (!SERVICE_TYPES.includes(type)) errs.push({ field: 'spec.type', type: 'FieldValueNotSupported', value: type, supported: SERVICE_TYPES });
  const affinity = str(s['sessionAffinity']);
  if (!['ClientIP', 'None'].includes(affinity)) errs.push({ field: 'spec.sessionAffinity', type: 'FieldValueNotSupported', value: affinity, supported: ['ClientIP', 'None'] });
  return errs;
}

/** `ValidateServiceUpdate`'s `validateClusterIPsUpdate`: the allocated addresses may not change. */
function validateClusterIPsUpdate(obj: JsonObject, old: JsonObject): FieldError[] {
  const s = specOf(obj);
  const o = specOf(old);
  if (s['type'] === 'ExternalName' || o['type'] === 'ExternalName') return [];
  if (s['clusterIP'] === 'None' && o['clusterIP'] === 'None') return [];
  const ips = listAt(s['clusterIPs']).map(str);
  const oldIPs = listAt(o['clusterIPs']).map(str);
  const errs: FieldError[] = [];
  if (ips.length === oldIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(invalidRendered(`spec.clusterIPs[${i}]`, goStringSlice(ips), 'may not change once set'));
    });
  } else if (ips.length < oldIPs.length) {
    if (ips.length === 0) errs.push(invalidRendered('spec.clusterIPs[0]', goStringSlice(ips), 'primary clusterIP can not be unset'));
    else if (ips[0] !== oldIPs[0]) errs.push(invalidRendered('spec.clusterIPs[0]', goStringSlice(ips), 'may not change once set'));
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(invalidRendered('spec.clusterIPs[0]', goStringSlice(ips), 'may not change once set'));
  }
  return errs;
}

/**
 * The Service parts of one server: defaults at decode; on create, normalize `clusterIPs`, fill the IP families and
 * allocate (a taken or out-of-range requested address is 422 before validation, as `beginCreate` fails first); on
 * update, keep the allocated values the client left out, then allocate what a type change needs.
 * @internal
 */
export function serviceParts(alloc: ServiceAllocator): KindParts {
  return {
    defaults: defaultService,
    prepareForCreate(obj) {
      const s = ensureMap(obj, 'spec');
      if (str(s['clusterIP']) !== '' && listAt(s['clusterIPs']).length === 0) s['clusterIPs'] = [s['clusterIP']];
      initIPFamilies(obj, undefined);
      allocate(alloc, obj, undefined);
    },
    prepareForUpdate(obj, old) {
      const s = ensureMap(obj, 'spec');
      patchAllocated(s, specOf(old));
      initIPFamilies(obj, old);
      allocate(alloc, obj, old);
    },
    validateCreate: validateService,
    validateUpdate: (obj, old) => [...validateService(obj), ...validateClusterIPsUpdate(obj, old)],
  };
}

/**
 * The defaulting and validation parts of the built-in kinds' strategies (lib/testing/kinds/*), by `group/Kind`, and
 * the per-server state they need (the Service allocator). `strategyFor` in `lib/testing/strategies.ts` composes them
 * with the generation rule.
 * @internal
 */
import { ServiceAllocator, type AllocatedService } from './cluster-ip.js';
import { configMapParts, leaseParts, namespaceParts, secretParts } from './config.js';
import { coreEventParts, eventsV1EventParts } from './event.js';
import { defaultPod, validatePodCreate, validatePodUpdate } from './pod.js';
import { serviceParts } from './service.js';
import {
  cronJobParts,
  daemonSetParts,
  deploymentParts,
  jobParts,
  podTemplateParts,
  replicaSetParts,
  replicationControllerParts,
  statefulSetParts,
  type KindParts,
} from './workloads.js';
import type { JsonObject } from '../store.js';
import { listAt, mapAt, str } from './field-rules.js';

export type { KindParts } from './workloads.js';

/** What one FakeApiServer's strategies share: its Service IP and node port allocator. @internal */
export interface StrategyContext {
  readonly services: ServiceAllocator;
}

/**
 * The context of a server whose stored Services `services()` returns (objects as stored): their `clusterIPs` and
 * node ports are taken.
 * @internal
 */
export function strategyContext(services: () => Iterable<JsonObject>): StrategyContext {
  // A stored object is never mutated (an update stores a new one), so what it allocates is read once.
  const seen = new WeakMap<JsonObject, AllocatedService>();
  const allocated = (svc: JsonObject): AllocatedService => {
    let a = seen.get(svc);
    if (!a) {
      const meta = mapAt(svc['metadata']) ?? {};
      const spec = mapAt(svc['spec']) ?? {};
      a = {
        key: `${str(meta['namespace'])}/${str(meta['name'])}`,
        clusterIPs: listAt(spec['clusterIPs']).map(str).filter((ip) => ip !== '' && ip !== 'None'),
        nodePorts: listAt(spec['ports']).map((p) => mapAt(p)?.['nodePort']).filter((n): n is number => typeof n === 'number' && n !== 0),
      };
      seen.set(svc, a);
    }
    return a;
  };
  return {
    services: new ServiceAllocator(function* (): Iterable<AllocatedService> {
      for (const svc of services()) yield allocated(svc);
    }),
  };
}

const POD: KindParts = { defaults: defaultPod, validateCreate: validatePodCreate, validateUpdate: validatePodUpdate };

const STATIC_PARTS: Readonly<Record<string, KindParts>> = {
  '/Pod': POD,
  '/ReplicationController': replicationControllerParts,
  '/PodTemplate': podTemplateParts,
  '/ConfigMap': configMapParts,
  '/Secret': secretParts,
  '/Namespace': namespaceParts,
  '/Event': coreEventParts,
  'apps/Deployment': deploymentParts,
  'apps/ReplicaSet': replicaSetParts,
  'apps/StatefulSet': statefulSetParts,
  'apps/DaemonSet': daemonSetParts,
  'batch/Job': jobParts,
  'batch/CronJob': cronJobParts,
  'coordination.k8s.io/Lease': leaseParts,
  'events.k8s.io/Event': eventsV1EventParts,
};

/**
 * The defaulting/validation parts of a built-in kind, if it has any. Services need the server's `context`; without
 * one (a strategy built outside a server) they get an allocator that sees no other Service.
 * @internal
 */
export function builtInKindParts(group: string, kind: string, context: StrategyContext | undefined): KindParts | undefined {
  const key = `${group}/${kind}`;
  if (key === '/Service') return serviceParts((context ?? strategyContext(() => [])).services);
  return STATIC_PARTS[key];
}

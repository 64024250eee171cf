/**
 * The FakeApiServer's resource registry: which resource types it serves, under which paths, and the per-kind rules
 * of their strategies (bookmark skeleton, DELETE answer, strategic merge patch, name rule), as kube-apiserver's
 * `pkg/registry/<group>/<kind>/storage` and strategies decide them.
 * @internal
 */
import type { Resource } from '../resource/define-resource.js';
import { BUILTIN_BOOKMARK_SKELETONS } from './resources.js';
import type { StoreResource } from './store.js';
import type { DiscoveryResource } from './discovery.js';
import type { NameRule } from './writes.js';
import { strategyFor, type KindStrategy } from './strategies.js';
import type { RegisterOptions, ResourceRef } from './server-types.js';

/** Kinds whose registry sets `ReturnDeletedObject` (a DELETE answers the object, not a Success Status). */
const RETURNS_DELETED_OBJECT = new Set(['/api/v1/pods', '/api/v1/services', '/api/v1/namespaces']);
/** Name rules of the built-in kinds that are not RFC 1123 subdomains (`ValidateNamespaceName`, `ValidateServiceName`). */
const BUILTIN_NAME_RULES: Readonly<Record<string, NameRule>> = { '/api/v1/namespaces': 'label', '/api/v1/services': 'label1035' };

/** A registered resource type and how the server treats it. @internal */
export interface Registered {
  readonly resource: ResourceRef;
  readonly store: StoreResource;
  readonly skeleton: Readonly<Record<string, unknown>>;
  readonly deleteReturnsObject: boolean;
  readonly strategicMergePatch: boolean;
  readonly nameRule: NameRule;
  /** `{"kind":"X","apiVersion":"Y",` — stripped from stored JSON to make list items (§10: items carry no kind). */
  readonly typeMetaPrefix: string;
}

/** The served resource types, by path (`/apis/G/V/plural`) and by group-version. @internal */
export class ResourceRegistry {
  private readonly byBasePath = new Map<string, Map<string, Registered>>();
  private readonly byKey = new Map<string, Registered>();

  /**
   * Serves a resource type (its group-version becomes served too). Re-registering the same path replaces the
   * descriptor; a different kind or scope on the same path throws. `strategy` replaces the kind's built-in strategy
   * (custom resources get theirs from their CRD).
   * @internal
   */
  register<T>(resource: Resource<T>, options: RegisterOptions = {}, strategy?: KindStrategy): void {
    const key = `${resource.basePath}/${resource.plural}`;
    const existing = this.byKey.get(key);
    if (existing && (existing.resource.kind !== resource.kind || existing.resource.namespaced !== resource.namespaced)) {
      throw new Error(`FakeApiServer.register: ${key} is already registered as ${existing.resource.kind}`);
    }
    const { codec: _codec, ...ref } = resource;
    const reg: Registered = {
      resource: ref,
      store: {
        key,
        apiVersion: resource.apiVersion,
        kind: resource.kind,
        plural: resource.plural,
        namespaced: resource.namespaced,
        strategy: strategy ?? existing?.store.strategy ?? strategyFor(resource.apiVersion, resource.kind),
      },
      skeleton: options.bookmarkSkeleton ?? existing?.skeleton ?? BUILTIN_BOOKMARK_SKELETONS[key] ?? {},
      deleteReturnsObject: options.deleteResponse !== undefined ? options.deleteResponse === 'object' : (existing?.deleteReturnsObject ?? RETURNS_DELETED_OBJECT.has(key)),
      strategicMergePatch:
        options.strategicMergePatch ?? existing?.strategicMergePatch ?? (!resource.group.includes('.') || resource.group.endsWith('.k8s.io')),
      nameRule: options.nameRule ?? existing?.nameRule ?? BUILTIN_NAME_RULES[key] ?? 'subdomain',
      typeMetaPrefix: `{"kind":${JSON.stringify(resource.kind)},"apiVersion":${JSON.stringify(resource.apiVersion)},`,
    };
    this.byKey.set(key, reg);
    let plurals = this.byBasePath.get(resource.basePath);
    if (!plurals) this.byBasePath.set(resource.basePath, (plurals = new Map()));
    plurals.set(resource.plural, reg);
  }

  /** The registration of `resource`, registering it first if needed; throws if its path serves another kind. */
  registered<T>(resource: Resource<T>): Registered {
    const reg = this.byKey.get(`${resource.basePath}/${resource.plural}`);
    if (reg) {
      if (reg.resource.kind !== resource.kind) throw new Error(`FakeApiServer: ${resource.basePath}/${resource.plural} is registered as ${reg.resource.kind}, not ${resource.kind}`);
      return reg;
    }
    this.register(resource);
    return this.byKey.get(`${resource.basePath}/${resource.plural}`)!;
  }

  /** The registered resource type with this store key (`/apis/apps/v1/deployments`). */
  byStoreKey(key: string): Registered | undefined {
    return this.byKey.get(key);
  }

  /** Every registered resource type (the controllers walk them). */
  all(): Registered[] {
    return [...this.byKey.values()];
  }

  /** Whether a group-version (`/api/v1`, `/apis/G/V`) is served. */
  servesGroupVersion(basePath: string): boolean {
    return this.byBasePath.has(basePath);
  }

  /** The resource type served at `basePath/plural`, if any. */
  lookup(basePath: string, plural: string): Registered | undefined {
    return this.byBasePath.get(basePath)?.get(plural);
  }

  /** Every served resource, as discovery lists it. */
  discoveryResources(): DiscoveryResource[] {
    return [...this.byKey.values()].map(({ resource: r }) => ({
      group: r.group,
      version: r.version,
      plural: r.plural,
      kind: r.kind,
      namespaced: r.namespaced,
    }));
  }
}

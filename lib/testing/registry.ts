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
import type { NameRule } from './name-rules.js';
import { isBuiltInGroup, strategyFor, type KindStrategy, type StrategyContext } from './strategies.js';
import { customResourceStrategy } from './status-strategies.js';
import type { RegisterOptions, ResourceRef } from './server-types.js';
import { BUILTIN_SHARED_STORAGE, groupResourceKey, rewriteApiVersion, type SharedStorage } from './versions.js';

/** Kinds whose registry sets `ReturnDeletedObject` (a DELETE answers the object, not a Success Status). */
const RETURNS_DELETED_OBJECT = new Set(['/api/v1/pods', '/api/v1/services', '/api/v1/namespaces']);
/**
 * Name rules of the built-in kinds that are not RFC 1123 subdomains (`ValidateNamespaceName`, `ValidateServiceName`;
 * a core/v1 Event's name is only a path segment: its strategy checks it, lib/testing/kinds/event.ts).
 */
const BUILTIN_NAME_RULES: Readonly<Record<string, NameRule>> = { '/api/v1/namespaces': 'label', '/api/v1/services': 'label1035', '/api/v1/events': 'none' };

/** A registered resource type and how the server treats it. @internal */
export interface Registered {
  readonly resource: ResourceRef;
  readonly store: StoreResource;
  readonly skeleton: Readonly<Record<string, unknown>>;
  readonly deleteReturnsObject: boolean;
  readonly strategicMergePatch: boolean;
  readonly nameRule: NameRule;
  /**
   * `{"kind":"X","apiVersion":"Y",` — stripped from stored JSON to make list items (§10: items of built-in kinds carry
   * no kind). Custom resources (groups outside the built-in ones) are unstructured: their list items keep
   * `apiVersion`/`kind` (apiextensions-apiserver serves `UnstructuredList`), so their prefix never matches.
   */
  readonly typeMetaPrefix: string;
  /** Discovery extras of custom resources (a CRD's `shortNames`, `categories`, `singular`). */
  readonly discovery?: DiscoveryExtras;
}

/** What a CRD adds to a resource's discovery entry. @internal */
export interface DiscoveryExtras {
  readonly singular?: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
}

/** What a CRD sets when it registers one of its versions. @internal */
export interface CustomResourceExtras {
  readonly discovery?: DiscoveryExtras;
  /** The store shared by every version of the CRD, in its storage version (default: see `storageOf`). */
  readonly storage?: SharedStorage;
}

/** The served resource types, by path (`/apis/G/V/plural`) and by group-version. @internal */
export class ResourceRegistry {
  private readonly byBasePath = new Map<string, Map<string, Registered>>();
  private readonly byKey = new Map<string, Registered>();

  /** `context`: the per-server state of the kinds' strategies (`lib/testing/kinds/index.ts`). */
  constructor(private readonly context?: StrategyContext) {}

  /** The shared storage of each group-resource served in several versions (`group/plural` → storage). */
  private readonly shared = new Map<string, SharedStorage>();

  /**
   * The store of a registration: one per group-resource (`group/plural`), whatever the version. When the
   * group-resource is served in a second version, every registration of it converts to and from one storage version:
   * `storage` if given (a CRD's storage version and converter), else the built-in one (`BUILTIN_SHARED_STORAGE`),
   * else the first registered version with only `apiVersion` rewritten. A different kind or scope under the same
   * group-resource keeps a store of its own (keyed by path).
   */
  private storageOf(resource: ResourceRef, pathKey: string, storage: SharedStorage | undefined): { key: string; storage?: SharedStorage } {
    const key = storage?.key ?? groupResourceKey(resource.group, resource.plural);
    const others = [...this.byKey.values()].filter((r) => r.store.key === key && `${r.resource.basePath}/${r.resource.plural}` !== pathKey);
    if (others.some((r) => r.resource.kind !== resource.kind || r.resource.namespaced !== resource.namespaced)) return { key: pathKey };
    const builtin = BUILTIN_SHARED_STORAGE[key];
    let shared = storage ?? this.shared.get(key) ?? (builtin ? { key, ...builtin } : undefined);
    if (!shared && others.length > 0) shared = { key, apiVersion: others[0]!.resource.apiVersion, convert: rewriteApiVersion };
    if (!shared) return { key };
    this.shared.set(key, shared);
    // The versions registered before now convert too (they stored in their own version until a second one came).
    for (const r of others) if (r.store.storage !== shared) this.put({ ...r, store: { ...r.store, storage: shared } });
    return { key, storage: shared };
  }

  /**
   * Serves a resource type (its group-version becomes served too). Re-registering the same path replaces the
   * descriptor; a different kind or scope on the same path throws. `strategy` replaces the kind's built-in strategy
   * (custom resources get theirs from their CRD). `storage` names the store shared with the other versions of the
   * group-resource and its converter (a CRD's); by default versions share one store (see {@link storageOf}).
   * @internal
   */
  register<T>(resource: Resource<T>, options: RegisterOptions = {}, strategy?: KindStrategy, extras: CustomResourceExtras = {}): void {
    const discovery = extras.discovery;
    const key = `${resource.basePath}/${resource.plural}`;
    const existing = this.byKey.get(key);
    if (existing && (existing.resource.kind !== resource.kind || existing.resource.namespaced !== resource.namespaced)) {
      throw new Error(`FakeApiServer.register: ${key} is already registered as ${existing.resource.kind}`);
    }
    const { codec: _codec, ...ref } = resource;
    const stored = this.storageOf(ref, key, extras.storage);
    const reg: Registered = {
      resource: ref,
      store: {
        key: stored.key,
        ...(stored.storage ? { storage: stored.storage } : {}),
        apiVersion: resource.apiVersion,
        kind: resource.kind,
        plural: resource.plural,
        namespaced: resource.namespaced,
        strategy:
          strategy ??
          (options.subresources ? customResourceStrategy(options.subresources) : undefined) ??
          existing?.store.strategy ??
          strategyFor(resource.apiVersion, resource.kind, this.context),
      },
      skeleton: options.bookmarkSkeleton ?? existing?.skeleton ?? BUILTIN_BOOKMARK_SKELETONS[key] ?? {},
      deleteReturnsObject: options.deleteResponse !== undefined ? options.deleteResponse === 'object' : (existing?.deleteReturnsObject ?? RETURNS_DELETED_OBJECT.has(key)),
      strategicMergePatch:
        options.strategicMergePatch ?? existing?.strategicMergePatch ?? (!resource.group.includes('.') || resource.group.endsWith('.k8s.io')),
      nameRule: options.nameRule ?? existing?.nameRule ?? BUILTIN_NAME_RULES[key] ?? 'subdomain',
      typeMetaPrefix: isBuiltInGroup(resource.group)
        ? `{"kind":${JSON.stringify(resource.kind)},"apiVersion":${JSON.stringify(resource.apiVersion)},`
        : '\u0000',
      ...(discovery ?? existing?.discovery ? { discovery: discovery ?? existing?.discovery } : {}),
    };
    this.put(reg);
  }

  private put(reg: Registered): void {
    this.byKey.set(`${reg.resource.basePath}/${reg.resource.plural}`, reg);
    let plurals = this.byBasePath.get(reg.resource.basePath);
    if (!plurals) this.byBasePath.set(reg.resource.basePath, (plurals = new Map()));
    plurals.set(reg.resource.plural, reg);
  }

  /**
   * Stops serving `basePath/plural` (a deleted CRD's versions); the group-version stops being served with its last
   * resource. Returns the registration that was removed.
   */
  unregister(basePath: string, plural: string): Registered | undefined {
    const reg = this.byBasePath.get(basePath)?.get(plural);
    if (!reg) return undefined;
    this.byKey.delete(`${basePath}/${plural}`);
    const plurals = this.byBasePath.get(basePath)!;
    plurals.delete(plural);
    if (plurals.size === 0) this.byBasePath.delete(basePath);
    return reg;
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

  /** Resources served outside the store (the review APIs), listed in discovery only. */
  private readonly discoveryOnly: DiscoveryResource[] = [];

  /** Lists resources served outside the store (e.g. the review APIs) in discovery; their group-versions are served. */
  addDiscovery(resources: readonly DiscoveryResource[]): void {
    this.discoveryOnly.push(...resources);
  }

  /**
   * One registered resource type with this store key (`/namespaces`, `apps/deployments`): the versions of a
   * group-resource share the store, so any of them reads and writes it.
   */
  byStoreKey(key: string): Registered | undefined {
    for (const r of this.byKey.values()) if (r.store.key === key) return r;
    return undefined;
  }

  /** Every stored resource type, one registration per store (the controllers walk them). */
  all(): Registered[] {
    const seen = new Map<string, Registered>();
    for (const r of this.byKey.values()) if (!seen.has(r.store.key)) seen.set(r.store.key, r);
    return [...seen.values()];
  }

  /** Whether a group-version (`/api/v1`, `/apis/G/V`) is served. */
  servesGroupVersion(basePath: string): boolean {
    return this.byBasePath.has(basePath) || this.discoveryOnly.some((r) => basePath === `/apis/${r.group}/${r.version}`);
  }

  /** The resource type served at `basePath/plural`, if any. */
  lookup(basePath: string, plural: string): Registered | undefined {
    return this.byBasePath.get(basePath)?.get(plural);
  }

  /** Every served resource, as discovery lists it. */
  discoveryResources(): DiscoveryResource[] {
    return [...this.byKey.values()]
      .map(({ resource: r, store, discovery }): DiscoveryResource => {
        const sub = store.strategy.subresources;
        return {
          group: r.group,
          version: r.version,
          plural: r.plural,
          kind: r.kind,
          namespaced: r.namespaced,
          ...discovery,
          ...(sub?.status || sub?.scale ? { subresources: { ...(sub.status ? { status: true } : {}), ...(sub.scale ? { scale: true } : {}) } } : {}),
        };
      })
      .concat(this.discoveryOnly);
  }
}

/**
 * The built-in kinds of Kubernetes v1.35 (`kubex-rx/k8s/v1_35/...`) that have a REST path, loaded on demand:
 * `kubex-rx/testing` does not import the generated tree unless a server is started with `resources: 'v1.35'`
 * (or {@link allKinds} is called), since loading it costs time. By default only the group-versions a default
 * kube-apiserver v1.35 serves; `'all'` adds every alpha and beta version of the generated models.
 */
import type { Resource } from '../resource/define-resource.js';

/** The generated modules, one per group-version (kept in sync with `lib/k8s/v1_35` by a test). @internal */
export const V1_35_MODULES: readonly (() => Promise<Record<string, unknown>>)[] = [
  () => import('../k8s/v1_35/admissionregistration.k8s.io/v1.js'),
  () => import('../k8s/v1_35/admissionregistration.k8s.io/v1alpha1.js'),
  () => import('../k8s/v1_35/admissionregistration.k8s.io/v1beta1.js'),
  () => import('../k8s/v1_35/apiextensions.k8s.io/v1.js'),
  () => import('../k8s/v1_35/apiregistration.k8s.io/v1.js'),
  () => import('../k8s/v1_35/apps/v1.js'),
  () => import('../k8s/v1_35/authentication.k8s.io/v1.js'),
  () => import('../k8s/v1_35/authorization.k8s.io/v1.js'),
  () => import('../k8s/v1_35/autoscaling/v1.js'),
  () => import('../k8s/v1_35/autoscaling/v2.js'),
  () => import('../k8s/v1_35/batch/v1.js'),
  () => import('../k8s/v1_35/certificates.k8s.io/v1.js'),
  () => import('../k8s/v1_35/certificates.k8s.io/v1alpha1.js'),
  () => import('../k8s/v1_35/certificates.k8s.io/v1beta1.js'),
  () => import('../k8s/v1_35/coordination.k8s.io/v1.js'),
  () => import('../k8s/v1_35/coordination.k8s.io/v1alpha2.js'),
  () => import('../k8s/v1_35/coordination.k8s.io/v1beta1.js'),
  () => import('../k8s/v1_35/core/v1.js'),
  () => import('../k8s/v1_35/discovery.k8s.io/v1.js'),
  () => import('../k8s/v1_35/events.k8s.io/v1.js'),
  () => import('../k8s/v1_35/flowcontrol.apiserver.k8s.io/v1.js'),
  () => import('../k8s/v1_35/internal.apiserver.k8s.io/v1alpha1.js'),
  () => import('../k8s/v1_35/meta/v1.js'),
  () => import('../k8s/v1_35/networking.k8s.io/v1.js'),
  () => import('../k8s/v1_35/networking.k8s.io/v1beta1.js'),
  () => import('../k8s/v1_35/node.k8s.io/v1.js'),
  () => import('../k8s/v1_35/policy/v1.js'),
  () => import('../k8s/v1_35/rbac.authorization.k8s.io/v1.js'),
  () => import('../k8s/v1_35/resource.k8s.io/v1.js'),
  () => import('../k8s/v1_35/resource.k8s.io/v1alpha3.js'),
  () => import('../k8s/v1_35/resource.k8s.io/v1beta1.js'),
  () => import('../k8s/v1_35/resource.k8s.io/v1beta2.js'),
  () => import('../k8s/v1_35/scheduling.k8s.io/v1.js'),
  () => import('../k8s/v1_35/scheduling.k8s.io/v1alpha1.js'),
  () => import('../k8s/v1_35/storage.k8s.io/v1.js'),
  () => import('../k8s/v1_35/storage.k8s.io/v1beta1.js'),
  () => import('../k8s/v1_35/storagemigration.k8s.io/v1beta1.js'),
];

/**
 * The group-versions a kube-apiserver v1.35 serves with its default `--runtime-config`: every GA version and no
 * beta or alpha one (`pkg/controlplane/apiserver/options` / `pkg/controlplane/instance.go`
 * `DefaultAPIResourceConfigSource`: GA versions enabled, `betaAPIGroupVersionsDisabledByDefault` and
 * `alphaAPIGroupVersionsDisabledByDefault` disabled; since v1.24 new beta APIs are off by default, and in v1.35 no
 * beta version is on). The list is the `/apis` answer recorded from a real v1.35.6 kube-apiserver
 * (vendor/fixtures/discovery/apis-v1.35.json, checked by spec/testing/fake-api-server.versions.spec.ts) plus the
 * core `v1`. Every resource of these GA group-versions is served (no per-resource disablement applies in v1.35).
 * @internal
 */
export const V1_35_DEFAULT_GROUP_VERSIONS: ReadonlySet<string> = new Set([
  'v1',
  'apiregistration.k8s.io/v1',
  'apps/v1',
  'events.k8s.io/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'autoscaling/v2',
  'autoscaling/v1',
  'batch/v1',
  'certificates.k8s.io/v1',
  'networking.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
  'storage.k8s.io/v1',
  'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'coordination.k8s.io/v1',
  'node.k8s.io/v1',
  'discovery.k8s.io/v1',
  'resource.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1',
]);

/**
 * Which v1.35 group-versions {@link allKinds} loads: `'default'` (what a default kube-apiserver v1.35 serves) or
 * `'all'` (every generated group-version, alpha and beta included, as with `--runtime-config=api/all=true`).
 * @since 0.3.0
 */
export type KindSet = 'default' | 'all';

function isResource(value: unknown): value is Resource {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const v = value as Partial<Record<keyof Resource, unknown>>;
  return typeof v.kind === 'string' && typeof v.plural === 'string' && typeof v.apiVersion === 'string' && typeof v.basePath === 'string' && typeof v.namespaced === 'boolean';
}

let cached: Promise<readonly Resource[]> | undefined;

/**
 * The v1.35 built-in kinds with a REST path, in module order: by default those of the group-versions a default
 * kube-apiserver v1.35 serves (its GA group-versions only, about 60 kinds); with `'all'` every
 * generated resource codec, alpha and beta versions included. Loaded once, by dynamic import.
 *
 * @example
 * ```ts
 * const server = await FakeApiServer.start({ resources: await allKinds() });   // same as resources: 'v1.35'
 * const everything = await FakeApiServer.start({ resources: 'v1.35-all' });    // alpha and beta versions too
 * ```
 * @since 0.1.0
 */
export async function allKinds(set: KindSet = 'default'): Promise<readonly Resource[]> {
  const kinds = await loadAll();
  return set === 'all' ? kinds : kinds.filter((k) => V1_35_DEFAULT_GROUP_VERSIONS.has(k.apiVersion));
}

function loadAll(): Promise<readonly Resource[]> {
  // One module at a time: parallel dynamic imports of modules sharing dependencies trip jest's ESM loader.
  cached ??= (async () => {
    const modules: Record<string, unknown>[] = [];
    for (const load of V1_35_MODULES) modules.push(await load());
    const seen = new Set<string>();
    const kinds: Resource[] = [];
    for (const mod of modules) {
      for (const value of Object.values(mod)) {
        if (!isResource(value)) continue;
        const key = `${value.basePath}/${value.plural}`;
        if (seen.has(key)) continue;
        seen.add(key);
        kinds.push(value);
      }
    }
    return kinds;
  })();
  return cached;
}

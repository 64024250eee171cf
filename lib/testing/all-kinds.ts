/**
 * Every kind of the generated Kubernetes v1.35 models (`kubex-rx/k8s/v1_35/...`) that has a REST path, loaded on
 * demand: `kubex-rx/testing` does not import the generated tree unless a server is started with
 * `resources: 'v1.35'` (or {@link allKinds} is called), since loading it costs time.
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

function isResource(value: unknown): value is Resource {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const v = value as Partial<Record<keyof Resource, unknown>>;
  return typeof v.kind === 'string' && typeof v.plural === 'string' && typeof v.apiVersion === 'string' && typeof v.basePath === 'string' && typeof v.namespaced === 'boolean';
}

let cached: Promise<readonly Resource[]> | undefined;

/**
 * Every v1.35 built-in kind with a REST path (every generated resource codec: 100-odd kinds over all served
 * group-versions, alpha and beta included), in module order. Loaded once, by dynamic import.
 *
 * @example
 * ```ts
 * const server = await FakeApiServer.start({ resources: await allKinds() });   // same as resources: 'v1.35'
 * ```
 * @since 0.1.0
 */
export function allKinds(): Promise<readonly Resource[]> {
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

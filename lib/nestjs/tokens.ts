import { Inject } from '@nestjs/common';
import type { Resource } from '../resource/define-resource.js';

/**
 * The injection token of the {@link index!KubeClient} that {@link KubexModule} provides (and exports).
 *
 * @example
 * ```ts
 * @Injectable()
 * class NodesService {
 *   constructor(@Inject(KUBE_CLIENT) private readonly client: KubeClient) {}
 *   readonly nodes = new Api(Node, { client: this.client });
 * }
 * ```
 * @since 0.1.0
 */
export const KUBE_CLIENT: unique symbol = Symbol.for('kubex-rx:KubeClient');

/** `v1, Pod` / `apps/v1, Deployment`: what tells two resource types apart in a token. */
function describe<T>(resource: Resource<T>, caller: string): string {
  if (typeof resource?.apiVersion !== 'string' || typeof resource.kind !== 'string') {
    throw new TypeError(`${caller}: expected a resource (from defineResource or a generated model), got ${String(resource)}`);
  }
  return `${resource.apiVersion}, ${resource.kind}`;
}

/**
 * The injection token of the `Api<T>` that `KubexModule.forRoot({ resources })` or `KubexModule.forFeature()`
 * provides for a resource type. Two descriptors of the same `apiVersion` and `kind` (e.g. `Pod` from two model
 * versions) share the token.
 *
 * @example
 * ```ts
 * constructor(@Inject(getApiToken(Pod)) private readonly pods: Api<Pod>) {}
 * ```
 * @since 0.1.0
 */
export function getApiToken<T>(resource: Resource<T>): string {
  return `kubex-rx:Api(${describe(resource, 'getApiToken')})`;
}

/**
 * The injection token of the `Informer<T>` that {@link KubexModule} provides for a resource declared with an
 * `informer` (see {@link KubexFeature}).
 *
 * @example
 * ```ts
 * constructor(@Inject(getInformerToken(Pod)) private readonly pods: Informer<Pod>) {}
 * ```
 * @since 0.1.0
 */
export function getInformerToken<T>(resource: Resource<T>): string {
  return `kubex-rx:Informer(${describe(resource, 'getInformerToken')})`;
}

/**
 * Parameter decorator: injects the module's {@link index!KubeClient}. Same as `@Inject(KUBE_CLIENT)`.
 *
 * @example
 * ```ts
 * constructor(@InjectKubeClient() private readonly client: KubeClient) {}
 * ```
 * @since 0.1.0
 */
export function InjectKubeClient(): PropertyDecorator & ParameterDecorator {
  return Inject(KUBE_CLIENT);
}

/**
 * Parameter decorator: injects the `Api<T>` of a resource type. Same as `@Inject(getApiToken(resource))`.
 *
 * @example
 * ```ts
 * constructor(@InjectApi(Pod) private readonly pods: Api<Pod>) {}
 * ```
 * @since 0.1.0
 */
export function InjectApi<T>(resource: Resource<T>): PropertyDecorator & ParameterDecorator {
  return Inject(getApiToken(resource));
}

/**
 * Parameter decorator: injects the `Informer<T>` of a resource type. Same as `@Inject(getInformerToken(resource))`.
 *
 * @example
 * ```ts
 * constructor(@InjectInformer(Pod) private readonly pods: Informer<Pod>) {}
 * ```
 * @since 0.1.0
 */
export function InjectInformer<T>(resource: Resource<T>): PropertyDecorator & ParameterDecorator {
  return Inject(getInformerToken(resource));
}

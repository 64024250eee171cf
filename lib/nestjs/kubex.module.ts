import { ConfigurableModuleBuilder, type DynamicModule, type FactoryProvider, type Provider } from '@nestjs/common';
import { Api } from '../api/api.js';
import { createClient, type ClientOptions } from '../client/create-client.js';
import { KubeClient } from '../client/kube-client.js';
import type { InformerObject, InformerOptions } from '../informer/informer.js';
import type { Resource } from '../resource/define-resource.js';
import { KubexHealthIndicator } from './health.js';
import { KubexLifetime, type ClientHandle } from './lifetime.js';
import { KUBE_CLIENT, getApiToken, getInformerToken } from './tokens.js';

/**
 * What `KubexModule.forRoot()` takes (besides `isGlobal` and `resources`, see {@link KubexModuleExtras}), and what
 * the factory of `KubexModule.forRootAsync()` returns.
 *
 * @example
 * ```ts
 * KubexModule.forRoot({ client: { server: 'http://127.0.0.1:8001' } });  // kubectl proxy; the module owns the client
 * KubexModule.forRoot({ client: await createClient({ context: 'prod' }) }); // your client, left open at shutdown
 * KubexModule.forRoot({});                                                  // createClient(): kubeconfig, else in-cluster
 * ```
 * @since 0.1.0
 */
export interface KubexModuleOptions {
  /**
   * The client. {@link ClientOptions}: the module calls `createClient(options)` and closes the client at
   * shutdown. A {@link KubeClient}: used as is, and left open (it is yours). Omitted: `createClient()`.
   */
  readonly client?: ClientOptions | KubeClient;
}

/**
 * A resource type the module provides an `Api` (and optionally an `Informer`) for. A bare `Resource` is the same
 * as `{ resource }`.
 *
 * @example
 * ```ts
 * KubexModule.forFeature([Pod, { resource: ConfigMap, namespace: 'config', informer: { labelSelector: 'app=web' } }]);
 * ```
 * @since 0.1.0
 */
export interface KubexFeature<T = unknown> {
  /** The resource type, from `defineResource` or a generated model (`Pod`). */
  readonly resource: Resource<T>;
  /** The `Api`'s default namespace: omitted, the client's; `null`, all namespaces. */
  readonly namespace?: string | null;
  /**
   * Also provide an `Informer` (under {@link getInformerToken}) with these options (`true`: the defaults). The module
   * starts it at application bootstrap (its store fills, its state is meaningful to a health check) and stops it at
   * shutdown.
   */
  readonly informer?: InformerOptions | boolean;
}

/**
 * One entry of `resources` / `forFeature()`: a resource type, or a {@link KubexFeature}. (`any`: a `Resource<T>` is
 * invariant in `T`, and a list mixes types.)
 * @since 0.1.0
 */
export type KubexResource = Resource<any> | KubexFeature<any>;

/**
 * Module-definition options of `forRoot` and `forRootAsync` (they are not part of {@link KubexModuleOptions}, so
 * they are given next to `useFactory`, not returned by it).
 *
 * @example
 * ```ts
 * KubexModule.forRootAsync({
 *   useFactory: () => ({ client: { server: process.env.KUBE_SERVER } }),
 *   isGlobal: true,
 *   resources: [Pod, { resource: ConfigMap, informer: { labelSelector: 'app=web' } }],
 * });
 * ```
 * @since 0.1.0
 */
export interface KubexModuleExtras {
  /** Register the module globally: its client, health indicator and `resources` are injectable everywhere. Default `false`. */
  readonly isGlobal?: boolean;
  /** Resource types to provide an `Api` (and `Informer`) for, as `forFeature` does. Default none. */
  readonly resources?: readonly KubexResource[];
}

/**
 * The injection token of the {@link KubexModuleOptions} (as given to `forRoot`, or as returned by the
 * `forRootAsync` factory).
 * @since 0.1.0
 */
export const KUBEX_MODULE_OPTIONS: unique symbol = Symbol.for('kubex-rx:KubexModuleOptions');

/** Per module instance: the client, and the lifetime of what the instance provides. */
const CLIENT_HANDLE = Symbol('kubex-rx:ClientHandle');
const LIFETIME = Symbol('kubex-rx:Lifetime');

function isKubeClient(client: ClientOptions | KubeClient | undefined): client is KubeClient {
  return client instanceof KubeClient || typeof (client as { request?: unknown } | undefined)?.request === 'function';
}

async function resolveClient(options: KubexModuleOptions | undefined): Promise<ClientHandle> {
  const client = options?.client;
  if (isKubeClient(client)) return { client, owned: false };
  return { client: await createClient(client ?? {}), owned: true };
}


/** The providers (and exported tokens) of a list of resources. Throws a TypeError for a malformed list. */
function featureProviders(resources: readonly KubexResource[] | undefined, caller: string): { providers: Provider[]; tokens: string[] } {
  if (resources !== undefined && !Array.isArray(resources)) throw new TypeError(`${caller}: resources must be an array`);
  const providers: Provider[] = [];
  const tokens: string[] = [];
  for (const entry of resources ?? []) {
    const feature: KubexFeature<InformerObject> =
      entry !== null && typeof entry === 'object' && 'resource' in entry && !('kind' in entry) ? entry : { resource: entry as Resource<InformerObject> };
    const { resource, namespace } = feature;
    const apiToken = getApiToken(resource);
    if (tokens.includes(apiToken)) throw new TypeError(`${caller}: ${resource.apiVersion} ${resource.kind} is listed twice`);
    const makeApi = (client: KubeClient): Api<InformerObject> => new Api(resource, { client, ...(namespace !== undefined ? { namespace } : {}) });
    const api: FactoryProvider = {
      provide: apiToken,
      useFactory: (client: KubeClient, lifetime: KubexLifetime) => lifetime.api(makeApi(client)),
      inject: [KUBE_CLIENT, LIFETIME],
    };
    providers.push(api);
    tokens.push(apiToken);
    if (feature.informer !== undefined && feature.informer !== false) {
      const options: InformerOptions = feature.informer === true ? {} : feature.informer;
      const informerToken = getInformerToken(resource);
      providers.push({
        provide: informerToken,
        useFactory: (client: KubeClient, lifetime: KubexLifetime) => lifetime.informer(makeApi(client).informer(options), `${resource.kind} informer`),
        inject: [KUBE_CLIENT, LIFETIME],
      });
      tokens.push(informerToken);
    }
  }
  return { providers, tokens };
}

const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } = new ConfigurableModuleBuilder<KubexModuleOptions>({
  moduleName: 'Kubex',
  optionsInjectionToken: KUBEX_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<KubexModuleExtras>({ isGlobal: false, resources: [] }, (definition, extras): DynamicModule => {
    const { providers, tokens } = featureProviders(extras.resources, 'KubexModule.forRoot');
    return {
      ...definition,
      global: extras.isGlobal === true,
      providers: [
        ...(definition.providers ?? []),
        { provide: CLIENT_HANDLE, useFactory: resolveClient, inject: [KUBEX_MODULE_OPTIONS] },
        { provide: KUBE_CLIENT, useFactory: (handle: ClientHandle) => handle.client, inject: [CLIENT_HANDLE] },
        { provide: LIFETIME, useFactory: (handle: ClientHandle) => new KubexLifetime(handle), inject: [CLIENT_HANDLE] },
        KubexHealthIndicator,
        ...providers,
      ],
      exports: [...(definition.exports ?? []), KUBE_CLIENT, KubexHealthIndicator, ...tokens],
    };
  })
  .build();

/**
 * What `KubexModule.forRoot()` takes: {@link KubexModuleOptions} and {@link KubexModuleExtras}.
 * @since 0.1.0
 */
export type KubexModuleForRootOptions = typeof OPTIONS_TYPE;

/**
 * What `KubexModule.forRootAsync()` takes: `useFactory` (+ `inject`, `imports`), `useClass` or `useExisting`
 * giving {@link KubexModuleOptions}, and the {@link KubexModuleExtras}.
 * @since 0.1.0
 */
export type KubexModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

/**
 * kubex-rx for NestJS (`kubex-rx/nestjs`): provides a {@link KubeClient} (token {@link KUBE_CLIENT}), a
 * {@link KubexHealthIndicator}, and an `Api<T>` (token {@link getApiToken}) and optionally an `Informer<T>` (token
 * {@link getInformerToken}) per resource type.
 *
 * - `KubexModule.forRoot({ client, isGlobal, resources })` / `KubexModule.forRootAsync({ useFactory, inject,
 *   imports, isGlobal, resources })` (built with Nest's `ConfigurableModuleBuilder`) once, in the root module.
 * - `KubexModule.forFeature([Pod, ConfigMap])` in feature modules; this needs the client to be visible there, so
 *   use it with `forRoot({ isGlobal: true })` (or list the resources in `forRoot({ resources })`).
 *
 * Shutdown: the Observables of the `Api`s and `Informer`s the module provides complete in
 * `beforeApplicationShutdown`, i.e. before Nest closes the HTTP server: `@Sse()` streams over them end, their
 * watch requests are aborted, and the informers the module started stop. At `onApplicationShutdown` a client the
 * module created itself (from {@link ClientOptions}) is closed if it has a `close()`. Apis you build yourself
 * from the injected client are yours to end.
 *
 * The module uses no emitted decorator metadata: it works compiled by any TypeScript setup. Importing
 * `kubex-rx` (the main entry point) never loads NestJS.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     KubexModule.forRoot({ client: { server: 'https://10.0.0.1:6443', token }, isGlobal: true, resources: [{ resource: Pod, informer: true }] }),
 *   ],
 *   controllers: [PodsController],
 * })
 * export class AppModule {}
 *
 * @Controller('pods')
 * export class PodsController {
 *   constructor(@InjectApi(Pod) private readonly pods: Api<Pod>) {}
 *
 *   @Sse('events')
 *   events(): Observable<WatchMessageEvent<Pod>> {
 *     return this.pods.watch$().pipe(toServerSentEvents());
 *   }
 * }
 * ```
 * @example
 * ```ts
 * KubexModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ client: { server: config.get('KUBE_SERVER'), token: config.get('KUBE_TOKEN') } }),
 *   isGlobal: true,
 * });
 * ```
 * @property forRoot - Builds the root module from {@link KubexModuleForRootOptions}: the client (created, or yours), the
 *   health indicator, and the `resources`' providers. Import it once, in the root module.
 * @property forRootAsync - Like `forRoot`, but takes the {@link KubexModuleOptions} from a factory, class or existing
 *   provider ({@link KubexModuleAsyncOptions}).
 * @since 0.1.0
 */
export class KubexModule extends ConfigurableModuleClass {
  /**
   * Provides an `Api<T>` for each resource type (and an `Informer<T>` for those declared with `informer`), bound to
   * the client of `forRoot`/`forRootAsync`, which must be visible in the importing module (`isGlobal: true`).
   * Throws a `TypeError` at once for a malformed list.
   *
   * @example
   * ```ts
   * @Module({ imports: [KubexModule.forFeature([Pod, { resource: ConfigMap, informer: true }])], providers: [ConfigCache] })
   * export class ConfigModule {}
   *
   * @Injectable()
   * export class ConfigCache {
   *   constructor(@InjectInformer(ConfigMap) readonly configMaps: Informer<ConfigMap>) {}
   * }
   * ```
   * @since 0.1.0
   */
  static forFeature(resources: readonly KubexResource[]): DynamicModule {
    const { providers, tokens } = featureProviders(resources, 'KubexModule.forFeature');
    return {
      module: KubexModule,
      providers: [{ provide: LIFETIME, useFactory: () => new KubexLifetime() }, ...providers],
      exports: tokens,
    };
  }
}

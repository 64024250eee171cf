import { InjectionToken, inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import type { Observable } from 'rxjs';
import {
  Api, type Informer, type InformerEvent, type InformerObject, type InformerOptions, type InformerState, type KubeClient,
  type Resource, type WatchEvent, type WatchOptions,
} from '../index.js';
import { kubeClientOf, type KubexClientOptions } from './client.js';
import { outsideZone } from './zone.js';

/**
 * The {@link KubeClient} of the application, provided by {@link provideKubex}.
 *
 * Synchronous on purpose: DI factories cannot await, and a browser client needs nothing asynchronous. When the
 * server is only known at run time (a `config.json`), read it before `bootstrapApplication` and pass it to
 * `provideKubex`, or provide the token with a factory that reads an already-loaded configuration service.
 *
 * @example
 * ```ts
 * const client = inject(KUBE_CLIENT);
 * ```
 * @since 0.1.0
 */
export const KUBE_CLIENT = new InjectionToken<KubeClient>('kubex-rx KubeClient');

/**
 * What {@link provideKubex} accepts: the cluster's options, or a ready {@link KubeClient}, or a factory making
 * one (it runs in an injection context, so it may `inject()` your own services, e.g. one holding the token).
 * @since 0.1.0
 */
export type KubexConfig =
  | KubexClientOptions
  | {
      /** The client, or a factory run in an injection context on first injection of {@link KUBE_CLIENT}. */
      readonly client: KubeClient | (() => KubeClient);
    };

/**
 * The providers of kubex-rx for an Angular application: {@link KUBE_CLIENT}, made from `config`. Decorator-free,
 * so it works from plain `tsc` output in AOT and JIT apps alike. Put it in `bootstrapApplication`'s providers
 * (or a route's `providers`, for a second cluster in part of the app).
 *
 * The client is made on first injection, not here: a bad `server` throws the `ConfigError` where
 * {@link KUBE_CLIENT} (or {@link injectApi}) is first injected.
 *
 * @example
 * ```ts
 * bootstrapApplication(PodList, {
 *   providers: [provideZonelessChangeDetection(), provideKubex({ server: 'http://127.0.0.1:8001' })],
 * });
 * ```
 * @since 0.1.0
 */
export function provideKubex(config: KubexConfig): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: KUBE_CLIENT,
      useFactory: (): KubeClient => {
        if (config !== null && typeof config === 'object' && 'client' in config) {
          return typeof config.client === 'function' ? config.client() : config.client;
        }
        return kubeClientOf(config);
      },
    },
  ]);
}

/**
 * Options of {@link injectApi}.
 * @since 0.1.0
 */
export interface InjectApiOptions {
  /** The Api's default namespace: see `ApiOptions.namespace` (`null` for all namespaces). */
  readonly namespace?: string | null;
  /** Another client than {@link KUBE_CLIENT}'s. */
  readonly client?: KubeClient;
}

/**
 * An {@link Api} for `resource` on the application's {@link KUBE_CLIENT}. Call it in an injection context (a
 * field initializer, a constructor, a provider factory).
 *
 * The Api's Observables are the core's: subscribe to them through {@link outsideZone} in zone.js apps (or use
 * {@link injectWatch} / {@link injectInformer}, which do).
 *
 * @throws the `ConfigError` of a bad {@link provideKubex} configuration; `NullInjectorError` without it.
 * @example
 * ```ts
 * readonly pods = injectApi(Pod, { namespace: 'default' });
 * ```
 * @since 0.1.0
 */
export function injectApi<T>(resource: Resource<T>, options: InjectApiOptions = {}): Api<T> {
  const client = options.client ?? inject(KUBE_CLIENT);
  return new Api(resource, { client, ...(options.namespace !== undefined ? { namespace: options.namespace } : {}) });
}

/**
 * A watch of `resource` on the application's client, zone-safe: {@link Api.watch$} piped through
 * {@link outsideZone}. One request per subscription (async pipe, `toSignal`); it completes when the server ends
 * the watch, so for a live view prefer {@link injectInformer}.
 *
 * @example
 * ```ts
 * readonly events = toSignal(injectWatch(Pod, { namespace: null }));
 * ```
 * @since 0.1.0
 */
export function injectWatch<T>(resource: Resource<T>, options: WatchOptions & Pick<InjectApiOptions, 'client'> = {}): Observable<WatchEvent<T>> {
  const { client, ...watch } = options;
  return injectApi(resource, client ? { client } : {})
    .watch$(watch)
    .pipe(outsideZone());
}

/**
 * An {@link Informer}'s Observables, each subscribed outside the Angular zone (see {@link outsideZone}).
 * @since 0.1.0
 */
export interface ZoneSafeInformer<T extends InformerObject> {
  /** The informer itself (its Observables are not zone-safe). */
  readonly informer: Informer<T>;
  /** {@link Informer.events$}, zone-safe (each event with its `origin`, since 0.3.0). */
  readonly events$: Observable<InformerEvent<T>>;
  /** {@link Informer.store$}, zone-safe. */
  readonly store$: Observable<ReadonlyMap<string, T>>;
  /** {@link Informer.state$}, zone-safe. */
  readonly state$: Observable<InformerState>;
}

/**
 * A resilient live view of `resource` (an {@link Informer}) on the application's client, with zone-safe
 * Observables: bind `store$` to the async pipe or `toSignal` for a list that follows the cluster. The connection
 * opens with the first subscriber and closes with the last (component destroyed).
 *
 * @example
 * ```ts
 * readonly pods = toSignal(injectInformer(Pod).store$.pipe(map((store) => [...store.values()])), { initialValue: [] });
 * ```
 * @since 0.1.0
 */
export function injectInformer<T extends InformerObject>(
  resource: Resource<T>,
  options: InformerOptions<T> & Pick<InjectApiOptions, 'client'> = {},
): ZoneSafeInformer<T> {
  const { client, ...informerOptions } = options;
  const informer = injectApi(resource, client ? { client } : {}).informer(informerOptions);
  return {
    informer,
    events$: informer.events$.pipe(outsideZone()),
    store$: informer.store$.pipe(outsideZone()),
    state$: informer.state$.pipe(outsideZone()),
  };
}

/**
 * `kubex-rx/nestjs`: kubex-rx for NestJS. A `KubexModule` providing the client, `Api`s and `Informer`s per
 * resource type, a Terminus-compatible health indicator, server-sent events for `@Sse()`, and `syncedStore()` to
 * serve an informer's store from a route (503, never a hanging request, while it is not in sync).
 *
 * Needs `@nestjs/common` 10, 11 or 12 and `rxjs`; `@nestjs/terminus` 11 or 12 only if you use its
 * `HealthCheckService` (Terminus 10 counts a `down` result as up). Works from CommonJS apps (`nest new` makes
 * those) through require(esm), Node >= 20.19. The main entry point `kubex-rx` never imports NestJS.
 *
 * @packageDocumentation
 * @since 0.1.0
 */
export {
  KubexModule,
  KUBEX_MODULE_OPTIONS,
  type KubexModuleOptions,
  type KubexModuleExtras,
  type KubexModuleForRootOptions,
  type KubexModuleAsyncOptions,
  type KubexFeature,
  type KubexResource,
} from './kubex.module.js';
export { KUBE_CLIENT, getApiToken, getInformerToken, InjectKubeClient, InjectApi, InjectInformer } from './tokens.js';
export {
  informerHealth,
  KubexHealthIndicator,
  type InformerHealth,
  type InformerHealthDetails,
  type InformerHealthOptions,
  type InformerHealthStatus,
  type InformerStateSource,
  type KubexHealthIndicatorResult,
} from './health.js';
export { toMessageEvent, toServerSentEvents, type WatchMessageEvent } from './sse.js';
export { syncedStore, type SyncedStoreOptions, type SyncedStoreUnavailableBody } from './synced-store.js';

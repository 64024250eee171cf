/**
 * kubex-rx for Angular (`kubex-rx/angular`): decorator-free providers, `inject()`-based helpers and a zone-safe
 * operator. Needs `@angular/core` 17 or later (an optional peer dependency); `kubex-rx` itself never loads Angular.
 *
 * @packageDocumentation
 */
export { KUBE_CLIENT, provideKubex, injectApi, injectWatch, injectInformer } from './provide-kubex.js';
export type { KubexConfig, InjectApiOptions, ZoneSafeInformer } from './provide-kubex.js';
export { kubeClientOf, type KubexClientOptions } from './client.js';
export { outsideZone } from './zone.js';

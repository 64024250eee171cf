/**
 * Bootstraps the Angular sample: a zoneless standalone app that lists pods live (see pod-list.component.ts).
 *
 * The cluster is reached through `kubectl proxy` (default `http://127.0.0.1:8001`; start it with
 * `kubectl proxy --port=8001 --accept-hosts='.*'` and serve the page from the proxy's origin, or put both behind
 * your authenticating proxy). `?server=URL` picks another server, e.g. a FakeApiServer started with `cors: true`.
 *
 * `npm run sample:angular` bundles it with esbuild into `dist-samples/angular/` (JIT: Angular CLI apps compile
 * the same component ahead of time and need no `@angular/compiler` import).
 */
import '@angular/compiler';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { provideKubex } from '../../lib/angular/index.js';
import { PodListComponent } from './pod-list.component.js';

const server = new URLSearchParams(location.search).get('server') ?? 'http://127.0.0.1:8001';

bootstrapApplication(PodListComponent, {
  providers: [provideZonelessChangeDetection(), provideKubex({ server, namespace: 'default' })],
}).catch((error: unknown) => {
  console.error(error);
  document.body.append(Object.assign(document.createElement('pre'), { id: 'error', textContent: String(error) }));
});

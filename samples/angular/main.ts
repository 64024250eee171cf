/**
 * Runs the README's Angular app in a plain page: samples/angular/src holds the README's two files as they are
 * (spec/packaging/readme-snippets.spec.ts checks it, and compiles them in an `ng new` app with Angular's compiler).
 * This file stands in for the `src/main.ts` that `ng new` generates, with two differences: it compiles the
 * components just in time (`@angular/compiler`; the Angular CLI compiles them ahead of time instead), and
 * `?server=URL` points the app at another server than the README's (the page's own origin, behind a proxy), e.g.
 * a FakeApiServer started with `cors: true`. The last provider of a token wins, so that one replaces the README's.
 *
 * `npm run sample:angular` bundles it with esbuild into `dist-samples/angular/`, beside index.html (whose
 * `<app-root>` is the element `ng new` puts there).
 */
import '@angular/compiler';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { provideKubex } from 'kubex-rx/angular';
import { App } from './src/app/app.js';
import { appConfig } from './src/app/app.config.js';

const server = new URLSearchParams(location.search).get('server');

bootstrapApplication(App, {
  providers: [...appConfig.providers, provideZonelessChangeDetection(), ...(server === null ? [] : [provideKubex({ server, namespace: 'default' })])],
}).catch((error: unknown) => {
  console.error(error);
  document.body.append(Object.assign(document.createElement('pre'), { id: 'error', textContent: String(error) }));
});

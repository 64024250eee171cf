// file: src/app/app.config.ts
import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideKubex } from 'kubex-rx/angular';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // The page's own origin: `ng serve` forwards /api and /apis to `kubectl proxy` (proxy.conf.json, below).
    provideKubex({ server: '/', namespace: 'default' }),
  ],
};

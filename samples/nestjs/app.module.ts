import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { ClientOptions } from 'kubex-rx';
import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { KubexModule } from 'kubex-rx/nestjs';
import { HealthController, PodsController } from './pods.controller.js';

@Module({})
export class AppModule {
  /** The application, talking to the cluster described by `client`. */
  static register(client: ClientOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        KubexModule.forRoot({
          client, // the module creates the client, and closes it at shutdown
          isGlobal: true,
          // An Api<Pod> (default namespace: all), and an informer over all namespaces, started at bootstrap.
          resources: [{ resource: Pod, namespace: null, informer: true }],
        }),
      ],
      controllers: [PodsController, HealthController],
    };
  }
}

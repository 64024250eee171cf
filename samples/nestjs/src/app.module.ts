// file: src/app.module.ts
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { KubexModule } from 'kubex-rx/nestjs';
import { PodsController } from './pods.controller.js';

@Module({
  imports: [
    TerminusModule.forRoot(),
    KubexModule.forRoot({
      // No `client`: createClient(), i.e. your kubeconfig as kubectl reads it, else the pod's service account.
      // Or ClientOptions ({ server, token, ... }), or a KubeClient you made.
      isGlobal: true,
      resources: [{ resource: Pod, namespace: null, informer: true }], // an Api<Pod>, and an informer started at bootstrap
    }),
  ],
  controllers: [PodsController],
})
export class AppModule {}

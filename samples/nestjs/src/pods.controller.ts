// file: src/pods.controller.ts
import { Controller, Get, Sse } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Api, Informer } from 'kubex-rx';
import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { InjectApi, InjectInformer, KubexHealthIndicator, syncedStore, toServerSentEvents, type WatchMessageEvent } from 'kubex-rx/nestjs';
import type { Observable } from 'rxjs';

@Controller()
export class PodsController {
  constructor(
    @InjectApi(Pod) private readonly pods: Api<Pod>,
    @InjectInformer(Pod) private readonly informer: Informer<Pod>,
    private readonly health: HealthCheckService,
    private readonly kubex: KubexHealthIndicator,
  ) {}

  @Sse('pods/events') // one watch request per client; closing the connection aborts it
  events(): Observable<WatchMessageEvent<Pod>> {
    return this.pods.watch$({ namespace: null }).pipe(toServerSentEvents()); // event: MODIFIED, data: {...the Pod}
  }

  @Get('pods') // the informer's store as JSON; a 503 naming the informer's error while it is not in sync
  async list(): Promise<Pod[]> {
    return [...(await syncedStore(this.informer)).values()];
  }

  @Get('healthz') // 503 until synced and after an unrecoverable error (401, 403, 404)
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.kubex.isHealthy('pods', this.informer)]);
  }
}

import { Controller, Get, Query, Sse } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Api, Informer } from 'kubex-rx';
import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { InjectApi, InjectInformer, KubexHealthIndicator, toServerSentEvents, type WatchMessageEvent } from 'kubex-rx/nestjs';
import { firstValueFrom, type Observable } from 'rxjs';

@Controller()
export class PodsController {
  constructor(
    @InjectApi(Pod) private readonly pods: Api<Pod>, // Api<Pod>: typed and validated by the generated codec
    @InjectInformer(Pod) private readonly informer: Informer<Pod>, // started by KubexModule at bootstrap
  ) {}

  /**
   * `GET /pods/events[?labelSelector=app%3Dweb]`: the pods of all namespaces (as ADDED), then every change, as
   * server-sent events (`event: MODIFIED`, `data: {...the Pod...}`). One watch request per client: Nest unsubscribes
   * when the client goes away, which aborts it. (For many clients, `this.informer.events$` shares one connection.)
   */
  @Sse('pods/events')
  events(@Query('labelSelector') labelSelector?: string): Observable<WatchMessageEvent<Pod>> {
    return this.pods.watch$({ namespace: null, ...(labelSelector ? { labelSelector } : {}) }).pipe(toServerSentEvents());
  }

  /** `GET /pods`: the informer's store (a `ReadonlyMap` kept equal to the cluster), as a JSON array. */
  @Get('pods')
  async list(): Promise<Pod[]> {
    const store = await firstValueFrom(this.informer.store$); // the current snapshot at once, once synced
    return [...store.values()];
  }
}

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kubex: KubexHealthIndicator,
    @InjectInformer(Pod) private readonly informer: Informer<Pod>,
  ) {}

  /** `GET /healthz`: 200 while the pod informer is in sync, 503 before it is and after an unrecoverable error. */
  @Get('healthz')
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.kubex.isHealthy('pods', this.informer)]);
  }
}

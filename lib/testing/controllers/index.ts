/**
 * The built-in controllers of the FakeApiServer, started by {@link FakeApiServer.start} as a cluster always runs
 * them (see `BuiltInControllers` in `server-types.ts`), fed with every committed store event.
 * @internal
 */
import type { StoreEvent } from '../store.js';
import type { BuiltInControllers } from '../server-types.js';
import type { Controller, ControllerContext } from './context.js';
import { GarbageCollector } from './garbage-collector.js';
import { NamespaceController } from './namespace-lifecycle.js';
import { Kubelet } from './kubelet.js';

/** The running controllers. @internal */
export class Controllers {
  private readonly running: Controller[] = [];

  constructor(ctx: ControllerContext, options: BuiltInControllers | false | undefined) {
    const o = options === false ? { garbageCollector: false, namespaceLifecycle: false, kubelet: false } : (options ?? {});
    if (o.garbageCollector ?? true) this.running.push(new GarbageCollector(ctx));
    if (o.namespaceLifecycle ?? true) this.running.push(new NamespaceController(ctx));
    if (o.kubelet ?? true) this.running.push(new Kubelet(ctx));
  }

  observe(e: StoreEvent): void {
    for (const c of this.running) c.observe(e);
  }

  stop(): void {
    for (const c of this.running) c.stop();
  }
}

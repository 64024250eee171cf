/**
 * Contenders 2 and 3: kubex-rx's `Api.watch$` over its default transport (node-fetch 3), with full io-ts validation
 * (the generated Pod codec, or the foundation `KubernetesObject` codec) or with validation off (a pass-through
 * codec given to `defineResource`). Also the informer store used by the memory-per-object measurement.
 */
import * as t from 'io-ts';
import { firstValueFrom, filter } from 'rxjs';
import { Api, createClient, defineResource, reconnectOnTimeout, type Resource } from '../lib/index.js';
import { NAMESPACE } from './events.js';
import type { PodLike, Setup, SetupOptions, WatchClient } from './contender.js';

/** The generated Pod model, relative to this file once compiled (`bench/.out/bench/` → `bench/.out/lib/`). */
export const GENERATED_POD_MODULE = new URL('../lib/k8s/v1_35/core/v1.js', import.meta.url);

/** Validation off: every value is accepted as is, and nothing is copied. */
const PassThrough = new t.Type<PodLike, PodLike, unknown>('PassThrough', (u): u is PodLike => true, (u) => t.success(u as PodLike), t.identity);

/** The Pod resource with the requested codec. */
export async function podResource(codec: SetupOptions['codec']): Promise<Resource<PodLike>> {
  const base = { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true } as const;
  switch (codec) {
    case 'generated': {
      // A ResourceCodec: both the codec and the Resource. Imported by URL: it may not exist when the bench is built.
      const module = (await import(GENERATED_POD_MODULE.href)) as { Pod: Resource<PodLike> };
      return module.Pod;
    }
    case 'foundation':
      return defineResource(base); // the KubernetesObject codec: apiVersion, kind, ObjectMeta typed, the rest kept
    case 'passthrough':
      return defineResource<PodLike>({ ...base, codec: PassThrough });
  }
}

async function podsApi(options: SetupOptions): Promise<Api<PodLike>> {
  const resource = await podResource(options.codec);
  const client = await createClient({ server: options.server });
  return new Api(resource, { client, namespace: NAMESPACE });
}

export const setup: Setup = async (options): Promise<WatchClient> => {
  const pods = await podsApi(options);
  return {
    watch: (sink) =>
      new Promise<void>((resolve, reject) => {
        pods.watch$().subscribe({ next: (event) => sink(event.type, event.object), error: reject, complete: resolve });
      }),
    watchForever(sink) {
      const subscription = pods.watch$().pipe(reconnectOnTimeout()).subscribe({ next: (event) => sink(event.type, event.object) });
      return () => subscription.unsubscribe();
    },
  };
};

/**
 * Fills an informer's store with the `n` Pods of a watch-list and measures the heap it holds: live heap after GC
 * with the store full, minus the same just before subscribing (modules loaded, client built).
 */
export async function measureInformerStore(options: SetupOptions, n: number, gc: () => void): Promise<{ size: number; heapBytes: number }> {
  const pods = await podsApi(options);
  const informer = pods.informer({ idleTimeout: false });
  gc();
  const before = process.memoryUsage().heapUsed;
  // store$ emits the whole map once the initial-events-end bookmark arrives; keep subscribed while measuring.
  let store: ReadonlyMap<string, unknown> | undefined;
  const subscription = informer.store$.subscribe((map) => (store = map));
  await firstValueFrom(informer.state$.pipe(filter((state) => state.phase === 'watching' || state.phase === 'failed')));
  if (informer.state.phase === 'failed') throw (informer.state as { error: unknown }).error;
  gc();
  const heapBytes = process.memoryUsage().heapUsed - before;
  const size = store?.size ?? 0;
  subscription.unsubscribe();
  return { size, heapBytes };
}

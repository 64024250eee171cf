/**
 * Contenders 2 and 3: kubex-rx's `Api.watch$` over its default transport (node-fetch 3), with full io-ts validation
 * (the generated Pod codec, or the foundation `KubernetesObject` codec) or with validation off (a pass-through
 * codec given to `defineResource`). Also the informer store used by the memory-per-object measurement.
 */
import * as t from 'io-ts';
import { firstValueFrom, filter } from 'rxjs';
import { Api, ObjectStore, createClient, defineResource, reconnectOnTimeout, stripManagedFields, type Resource, type WatchEvent } from '../lib/index.js';
import { NAMESPACE } from './events.js';
import type { PodLike, PrepareSync, Setup, SetupOptions, WatchClient } from './contender.js';

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
 * with the store full, minus the same just before subscribing (modules loaded, client built). With `strip`, the
 * informer's `transform` option is `stripManagedFields`.
 */
export async function measureInformerStore(options: SetupOptions, n: number, gc: () => void, strip = false): Promise<StoreFigures> {
  const pods = await podsApi(options);
  // `transform` (issue #14) is given through a variable, not a literal: a build of lib/ without the option ignores
  // it (the stored Pods then keep their managedFields, which the caller checks and reports) instead of failing to
  // compile.
  const informerOptions: { readonly idleTimeout: false; readonly transform?: (pod: PodLike) => PodLike } = strip
    ? { idleTimeout: false, transform: (pod) => stripManagedFields(pod) }
    : { idleTimeout: false };
  const informer = pods.informer(informerOptions);
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
  const managedFieldsKept = hasManagedFields(store?.values().next().value);
  subscription.unsubscribe();
  return { size, heapBytes, managedFieldsKept };
}

/** What a store measurement reports. */
export interface StoreFigures {
  readonly size: number;
  /** Live heap after GC with the store full, minus the same before the request. */
  readonly heapBytes: number;
  /** Whether a stored Pod still carries `metadata.managedFields`. */
  readonly managedFieldsKept: boolean;
}

/**
 * The same measurement through an {@link ObjectStore} fed by `watch$` (each object decoded by the codec, as the
 * informer's are), with `stripManagedFields` applied to each object before it is stored when `strip` is set: what
 * the informer's `transform` option does before its store.
 */
export async function measureObjectStore(options: SetupOptions, n: number, gc: () => void, strip: boolean): Promise<StoreFigures> {
  const pods = await podsApi(options);
  const store = new ObjectStore<PodLike & { metadata?: { name?: string; namespace?: string } }>();
  gc();
  const before = process.memoryUsage().heapUsed;
  store.beginRelist();
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const subscription = pods.watch$({ sendInitialEvents: true }).subscribe({
      next(event) {
        if (done) return;
        const stored = (strip && event.type !== 'BOOKMARK' ? { type: event.type, object: stripManagedFields(event.object) } : event) as WatchEvent<PodLike>;
        store.apply(stored);
        if (!store.synced) return;
        done = true;
        resolve();
        queueMicrotask(() => subscription.unsubscribe()); // `subscription` is assigned once subscribe() returns
      },
      error: reject,
    });
  });
  gc();
  const heapBytes = process.memoryUsage().heapUsed - before;
  return { size: store.size, heapBytes, managedFieldsKept: hasManagedFields(store.values().next().value) };
}

/**
 * An initial sync through kubex-rx's informer (a watch-list, the default): `sync()` subscribes and resolves with
 * the store's size once the informer's state turns `watching`. The informer stays subscribed until `stop()`, so
 * that the caller can measure the heap its store holds.
 */
export const prepareSync: PrepareSync = async (options) => {
  const pods = await podsApi(options);
  const informer = pods.informer({ idleTimeout: false });
  let subscription: { unsubscribe(): void } | undefined;
  return {
    async sync() {
      let size = 0;
      subscription = informer.store$.subscribe((map) => (size = map.size));
      await firstValueFrom(informer.state$.pipe(filter((state) => state.phase === 'watching' || state.phase === 'failed')));
      if (informer.state.phase === 'failed') throw (informer.state as { error: unknown }).error;
      return size;
    },
    stop: () => subscription?.unsubscribe(),
  };
};

function hasManagedFields(object: unknown): boolean {
  const metadata = (object as { metadata?: object } | undefined)?.metadata;
  return metadata !== undefined && 'managedFields' in metadata;
}

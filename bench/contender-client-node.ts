/**
 * Contender 4: `@kubernetes/client-node`'s `Watch` (node-fetch 2 + `readline` + `JSON.parse`, no validation),
 * configured for the loopback server with `KubeConfig.loadFromOptions`; and its informer, for the initial sync.
 */
import { CoreV1Api, KubeConfig, Watch, makeInformer } from '@kubernetes/client-node';
import { NAMESPACE, PODS_PATH } from './events.js';
import type { PodLike, PrepareSync, Setup, Sink } from './contender.js';

function kubeConfig(server: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'bench', server, skipTLSVerify: true }],
    users: [{ name: 'bench' }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
    currentContext: 'bench',
  });
  return config;
}

export const setup: Setup = async ({ server }) => {
  const config = kubeConfig(server);
  const watcher = new Watch(config);
  const watchOnce = (sink: Sink): { done: Promise<void>; controller: Promise<AbortController> } => {
    let controller!: Promise<AbortController>;
    const done = new Promise<void>((resolve, reject) => {
      controller = watcher.watch(
        PODS_PATH,
        {},
        (type: string, object: PodLike) => sink(type, object),
        (error: unknown) => (error ? reject(error) : resolve()),
      );
    });
    return { done, controller };
  };
  return {
    watch: (sink) => watchOnce(sink).done,
    watchForever(sink) {
      // client-node has no re-watch of its own below the informer: restart from the done callback, as users do.
      let stopped = false;
      let current: Promise<AbortController> | undefined;
      const loop = (): void => {
        if (stopped) return;
        const { done, controller } = watchOnce(sink);
        current = controller;
        done.then(loop, () => undefined);
      };
      loop();
      return () => {
        stopped = true;
        void current?.then((c) => c.abort());
      };
    },
  };
};

/**
 * client-node's informer: `makeInformer` (a `ListWatch`) over `CoreV1Api.listNamespacedPod`, as its README shows.
 * `start()` lists (one request, the whole body read as one string, `JSON.parse`, then `ObjectSerializer`
 * builds typed model objects), fills its cache, then opens the watch from the list's resourceVersion and resolves.
 * A failed list does not reject `start()`: it goes to the `error` callbacks, which `sync()` turns into a rejection.
 */
export const prepareSync: PrepareSync = async ({ server }) => {
  const config = kubeConfig(server);
  const api = config.makeApiClient(CoreV1Api);
  const informer = makeInformer(config, PODS_PATH, () => api.listNamespacedPod({ namespace: NAMESPACE }));
  let error: unknown;
  informer.on('error', (e: unknown) => (error ??= e));
  return {
    async sync() {
      await informer.start();
      if (error !== undefined) throw error;
      return informer.list().length;
    },
    stop: () => void informer.stop(),
  };
};

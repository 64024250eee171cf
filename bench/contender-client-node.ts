/**
 * Contender 4: `@kubernetes/client-node`'s `Watch` (node-fetch 2 + `readline` + `JSON.parse`, no validation),
 * configured for the loopback server with `KubeConfig.loadFromOptions`.
 */
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { PODS_PATH } from './events.js';
import type { PodLike, Setup, Sink } from './contender.js';

export const setup: Setup = async ({ server }) => {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'bench', server, skipTLSVerify: true }],
    users: [{ name: 'bench' }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
    currentContext: 'bench',
  });
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

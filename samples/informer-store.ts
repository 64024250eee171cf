/**
 * A live Map of pods that stays equal to the cluster for as long as it runs: `api.informer()`.
 *
 * One shared, resilient watch (watch-list with bookmarks, resume on timeout, relist on 410, backoff with jitter,
 * idle detection, fallback to list + watch) feeds a local store. Trouble shows on `state$`, never as an error,
 * unless it is unrecoverable (401, 403, 404).
 *
 * `npm run sample:informer-store` runs it on the embedded FakeApiServer while the server changes pods, injects
 * a 500 and drops the connection. Set KUBEX_SERVER (and KUBEX_TOKEN) for a real server.
 */
import { Api, createClient, defineResource } from 'kubex-rx';
import { FakeApiServer, testResources } from 'kubex-rx/testing';

const Pod = defineResource({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const external = process.env['KUBEX_SERVER'];
  const fake = external ? undefined : await FakeApiServer.start({ bookmarkIntervalMs: 200 });
  const client = await createClient({ server: external ?? fake!.url, token: process.env['KUBEX_TOKEN'] });
  const informer = new Api(Pod, { client, namespace: null }).informer({ backoff: { initialDelay: 100 } });

  const states = informer.state$.subscribe((state) => {
    const extra = 'delay' in state ? ` (attempt ${state.attempt}, retry in ${state.delay} ms: ${String(state.error)})` : '';
    console.log(`state: ${state.phase}${state.synced ? ', synced' : ''}${extra}`);
  });
  const store = informer.store$.subscribe((pods) => console.log(`store: ${[...pods.keys()].join(', ') || '(empty)'}`));

  if (fake) {
    for (const name of ['web-0', 'web-1']) fake.create(Pod, { metadata: { name, namespace: 'default' } });
    await sleep(300);
    // As on a real cluster, a namespace must exist before anything is created in it.
    fake.create(testResources.Namespace, { metadata: { name: 'data' } });
    fake.create(Pod, { metadata: { name: 'db-0', namespace: 'data' } });
    await sleep(200);
    fake.failNext(1, { type: 'InternalError', message: 'etcd leader changed' });
    fake.dropConnections();
    fake.delete(Pod, 'web-1', 'default');
    await sleep(800);
    store.unsubscribe();
    states.unsubscribe(); // the last subscriber: the watch request is aborted
    await fake.close();
  } else {
    await sleep(60_000);
    store.unsubscribe();
    states.unsubscribe();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

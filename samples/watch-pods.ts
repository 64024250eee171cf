/**
 * The seed's example: watch pods in all namespaces (with bookmarks) and print every event, while the sample
 * creates a Pod (`generateName: 'example-pod-'`, one nginx container) and deletes it.
 *
 * `npm start` runs it. With `KUBEX_SERVER` set (e.g. `http://127.0.0.1:8001` from `kubectl proxy`, plus
 * `KUBEX_TOKEN` if the server wants one) it does this on that cluster, in `KUBEX_NAMESPACE` (default `default`).
 * Without it, it starts the embedded FakeApiServer from `kubex-rx/testing`, so a newcomer sees real events on a
 * fresh machine with no cluster.
 */
import { Api, EventType, createClient, isInitialEventsEnd } from 'kubex-rx';
import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { FakeApiServer } from 'kubex-rx/testing';
import { firstValueFrom } from 'rxjs';

const namespace = process.env['KUBEX_NAMESPACE'] ?? 'default';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const external = process.env['KUBEX_SERVER'];
  const fake = external ? undefined : await FakeApiServer.start();
  const client = await createClient({ server: external ?? fake!.url, token: process.env['KUBEX_TOKEN'] });
  console.log(fake ? `embedded FakeApiServer at ${fake.url} (set KUBEX_SERVER to use a real cluster)` : `using ${client}`);

  const pods = new Api(Pod, { client, namespace }); // Api<Pod>: events and results are typed and validated

  // The watcher: all namespaces, with bookmarks.
  const watching = pods.watch$({ namespace: null, allowBookmarks: true }).subscribe({
    next: (event) => {
      if (event.type === EventType.BOOKMARK) {
        console.log(`${event.type.padEnd(8)} resourceVersion=${event.object.metadata.resourceVersion}${isInitialEventsEnd(event) ? ' (initial state complete)' : ''}`);
      } else {
        const pod = event.object; // a Pod, decoded by the generated io-ts codec
        console.log(`${event.type.padEnd(8)} ${pod.metadata?.namespace}/${pod.metadata?.name} ${pod.spec?.containers.map((c) => c.image).join(',') ?? ''}`);
      }
    },
    error: (error: Error) => {
      console.error(`watch failed: ${error.name}: ${error.message}`);
      process.exitCode = 1;
    },
  });
  await sleep(500);

  // Create a pod with a generated name, then delete it: the watcher prints ADDED, (MODIFIED,) DELETED.
  const created = await firstValueFrom(
    pods.create$({ metadata: { generateName: 'example-pod-' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } }),
  );
  const name = created.metadata!.name!;
  console.log(`created  ${created.metadata?.namespace}/${name}`);
  await sleep(500);
  await firstValueFrom(pods.delete$(name));
  console.log(`deleted  ${created.metadata?.namespace}/${name}`);
  await sleep(external ? 5000 : 300);

  watching.unsubscribe(); // aborts the watch request
  await fake?.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

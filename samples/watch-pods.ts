/**
 * The seed's example: watch pods in all namespaces (with bookmarks) and print every event, while the sample
 * creates a Pod (`generateName: 'example-pod-'`, one nginx container) and deletes it.
 *
 * `npm start` runs it. With `KUBEX_SERVER` set (e.g. `http://127.0.0.1:8001` from `kubectl proxy`, plus
 * `KUBEX_TOKEN` if the server wants one) it does this on that cluster. Else, when kubectl would find a cluster
 * (`KUBECONFIG` is set, `~/.kube/config` exists, or it runs in a pod), it uses that, as `createClient()` does.
 * Otherwise (a fresh machine, CI) it starts the embedded FakeApiServer from `kubex-rx/testing`, so a newcomer
 * sees real events with no cluster. The namespace is `KUBEX_NAMESPACE`, else the context's (or `default`).
 */
import { Api, EventType, createClient, isInitialEventsEnd } from 'kubex-rx';
import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { FakeApiServer } from 'kubex-rx/testing';
import { firstValueFrom } from 'rxjs';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const namespace = process.env['KUBEX_NAMESPACE'];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const env = process.env;
  const server = env['KUBEX_SERVER'];
  // What createClient() would use: a kubeconfig, or the pod's service account. Only then is a real cluster used.
  const configured = Boolean(env['KUBECONFIG']) || existsSync(join(env['HOME'] ?? homedir(), '.kube', 'config')) || Boolean(env['KUBERNETES_SERVICE_HOST']);
  const external = server !== undefined || configured;
  const fake = external ? undefined : await FakeApiServer.start();
  const client = server
    ? await createClient({ server, token: env['KUBEX_TOKEN'] })
    : fake
      ? await createClient({ server: fake.url })
      : await createClient();
  console.log(fake ? `embedded FakeApiServer at ${fake.url} (set KUBEX_SERVER or KUBECONFIG to use a real cluster)` : `using ${client}`);

  const pods = new Api(Pod, { client, ...(namespace ? { namespace } : {}) }); // Api<Pod>: events and results are typed and validated

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

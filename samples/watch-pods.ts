/**
 * The basic usage: watch the pods of a namespace and print each event's type and name.
 *
 * `npm start` runs it. With `KUBEX_SERVER` set (e.g. `http://127.0.0.1:8001` from `kubectl proxy`, plus
 * `KUBEX_TOKEN` if the server wants one) it watches that cluster for 30 seconds. Without it, it starts the
 * embedded FakeApiServer from `kubex-rx/testing` and creates, changes and deletes a few pods while watching,
 * so a newcomer sees real events on a fresh machine with no cluster.
 */
import { Api, EventType, createClient, defineResource, isInitialEventsEnd } from 'kubex-rx';
import { FakeApiServer } from 'kubex-rx/testing';

const Pod = defineResource({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true });
const namespace = process.env['KUBEX_NAMESPACE'] ?? 'default';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const external = process.env['KUBEX_SERVER'];
  const fake = external ? undefined : await FakeApiServer.start();
  const client = await createClient({ server: external ?? fake!.url, token: process.env['KUBEX_TOKEN'] });
  console.log(fake ? `embedded FakeApiServer at ${fake.url} (set KUBEX_SERVER to watch a real cluster)` : `watching ${client}`);

  const pods = new Api(Pod, { client, namespace });
  const subscription = pods.watch$({ allowBookmarks: true }).subscribe({
    next: (event) => {
      if (event.type === EventType.BOOKMARK) console.log(`${event.type.padEnd(8)} resourceVersion=${event.object.metadata.resourceVersion}${isInitialEventsEnd(event) ? ' (initial state complete)' : ''}`);
      else console.log(`${event.type.padEnd(8)} ${event.object.metadata.namespace}/${event.object.metadata.name}`);
    },
    error: (error: Error) => {
      console.error(`watch failed: ${error.name}: ${error.message}`);
      process.exitCode = 1;
    },
    complete: () => console.log('the server ended the watch'),
  });

  if (fake) {
    // Play a little cluster life on the fake server while the watch prints it.
    const container = { name: 'nginx', image: 'nginx:1.27' };
    for (const name of ['web-0', 'web-1']) fake.create(Pod, { metadata: { name, namespace, labels: { app: 'web' } }, spec: { containers: [container] } });
    await sleep(200);
    fake.update(Pod, { metadata: { name: 'web-0', namespace, labels: { app: 'web', tier: 'frontend' } }, spec: { containers: [container] } });
    await sleep(200);
    fake.sendBookmarks();
    for (const name of ['web-0', 'web-1']) fake.delete(Pod, name, namespace);
    await sleep(200);
    subscription.unsubscribe(); // aborts the HTTP request
    await fake.close();
  } else {
    await sleep(30_000);
    subscription.unsubscribe();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

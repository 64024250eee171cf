/**
 * The seed's example (`npm start`): watch the pods of a namespace and print every event, while the sample creates
 * a Pod (`generateName: 'example-pod-'`, one nginx container) and deletes it.
 *
 * By default it runs on the embedded FakeApiServer from `kubex-rx/testing`, so the first command a newcomer types
 * touches nothing: a `~/.kube/config` on the machine is never used unless asked for. A real cluster is used only
 * when asked explicitly, and the sample then says which (context, server, namespace) before it writes anything:
 *
 *   npm start                                   the embedded FakeApiServer
 *   npm start -- --cluster                      the cluster `kubectl` would use (kubeconfig, or in-cluster); also KUBEX_CLUSTER=1
 *   npm start -- --cluster --context kind-kind  another kubeconfig context; also KUBEX_CONTEXT
 *   npm start -- --namespace sandbox            the namespace to create the pod in; also KUBEX_NAMESPACE
 *   KUBEX_SERVER=http://127.0.0.1:8001 npm start   a server given by URL (`kubectl proxy`; KUBEX_TOKEN if it needs one)
 */
import { Api, EventType, createClient, isInitialEventsEnd, type KubeClient, type WatchEvent } from 'kubex-rx';
import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
import { FakeApiServer, testResources } from 'kubex-rx/testing';
import { filter, firstValueFrom, ReplaySubject, take, timeout } from 'rxjs';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm start [-- --cluster [--context NAME]] [-- --namespace NAME]

Watches pods and creates and deletes one, printing every event.
  (no option)        on the embedded FakeApiServer: nothing outside this process is touched
  --cluster          on the cluster kubectl would use (kubeconfig or in-cluster); env KUBEX_CLUSTER=1
  --context NAME     that kubeconfig context instead of the current one (with --cluster); env KUBEX_CONTEXT
  --namespace NAME   the namespace to watch and to create the pod in (default: the context's); env KUBEX_NAMESPACE
  KUBEX_SERVER=URL   a server given by URL, e.g. \`kubectl proxy\`'s http://127.0.0.1:8001 (KUBEX_TOKEN if needed)`;

const { values: flags } = parseOptions();

function parseOptions(): ReturnType<typeof parse> {
  try {
    return parse();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

function parse() {
  return parseArgs({
    options: {
      cluster: { type: 'boolean', default: ['1', 'true'].includes(process.env['KUBEX_CLUSTER'] ?? '') },
      context: { type: 'string', default: process.env['KUBEX_CONTEXT'] },
      namespace: { type: 'string', default: process.env['KUBEX_NAMESPACE'] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** How long to wait for the server's answer to each step before giving up with a clear message. */
const STEP_TIMEOUT_MS = 15_000;

async function connect(): Promise<{ client: KubeClient; fake?: FakeApiServer }> {
  const server = process.env['KUBEX_SERVER'];
  if (server) return { client: await createClient({ server, token: process.env['KUBEX_TOKEN'], namespace: flags.namespace }) };
  if (flags.cluster) return { client: await createClient({ context: flags.context, namespace: flags.namespace }) };
  const fake = await FakeApiServer.start();
  // Like a real cluster, the fake only takes pods in namespaces that exist: make the one asked for.
  if (flags.namespace && !fake.get(testResources.Namespace, flags.namespace)) fake.create(testResources.Namespace, { metadata: { name: flags.namespace } });
  console.log(`on the embedded FakeApiServer at ${fake.url} (npm start -- --cluster to use your cluster instead)`);
  return { client: await createClient({ server: fake.url, namespace: flags.namespace }), fake };
}

async function main(): Promise<void> {
  if (flags.help) return console.log(USAGE);
  const { client, fake } = await connect();
  const pods = new Api(Pod, { client }); // Api<Pod>: events and results are typed and validated by the generated codec
  const where = `namespace ${pods.namespace}`;
  // On a real cluster, say which one before writing anything: the kubeconfig context, the server and the namespace.
  if (!fake) console.log(`on ${client.source}, server ${client.server.href}, ${where}: creating and deleting one pod there`);

  // The watcher: the state as ADDED events, then a bookmark marking its end, then live changes.
  const events = new ReplaySubject<WatchEvent<Pod>>();
  const watching = pods.watch$({ sendInitialEvents: true }).subscribe({
    next: (event) => {
      if (event.type === EventType.BOOKMARK) {
        const complete = isInitialEventsEnd(event) ? ' (initial state complete)' : '';
        console.log(`${event.type.padEnd(8)} resourceVersion=${event.object.metadata.resourceVersion}${complete}`);
      } else {
        const pod = event.object;
        console.log(`${event.type.padEnd(8)} ${pod.metadata?.namespace}/${pod.metadata?.name} ${pod.spec?.containers.map((c) => c.image).join(',') ?? ''}`);
      }
      events.next(event);
    },
    error: (error: unknown) => events.error(error),
  });
  const seen = (what: string, match: (event: WatchEvent<Pod>) => boolean): Promise<WatchEvent<Pod>> =>
    firstValueFrom(events.pipe(filter(match), take(1), timeout({ first: STEP_TIMEOUT_MS, with: () => { throw new Error(`no ${what} within ${STEP_TIMEOUT_MS / 1000} s`); } })));

  try {
    await seen('initial-events-end bookmark', isInitialEventsEnd);
    // Create a pod with a generated name, then delete it: the watcher prints ADDED, (MODIFIED,) DELETED.
    const created = await firstValueFrom(
      pods.create$({ metadata: { generateName: 'example-pod-' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } }),
    );
    const name = created.metadata?.name ?? '';
    console.log(`created  ${pods.namespace}/${name}`);
    await seen(`ADDED event for ${name}`, (e) => e.type === EventType.ADDED && e.object.metadata?.name === name);
    await firstValueFrom(pods.delete$(name));
    console.log(`deleted  ${pods.namespace}/${name}`);
    await seen(`DELETED event for ${name}`, (e) => e.type === EventType.DELETED && e.object.metadata?.name === name);
  } finally {
    watching.unsubscribe(); // aborts the watch request
    await fake?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});

/**
 * A controller: a cluster-scoped `Replicate` custom resource copies one ConfigMap into the namespaces it lists.
 *
 * - `Controller` runs the reconcile once per Replicate key, after its informers synced; a change to the source
 *   ConfigMap (`.watches`, mapped to the Replicates that name it) or to a copy (`.owns`: each copy's controller
 *   ownerReference names its Replicate) reconciles the Replicate again.
 * - `finalizer()` holds a deleted Replicate until its copies are removed; `ownedBy()` makes each copy owned by it
 *   (a cluster-scoped owner may own namespaced objects); `EventRecorder` reports what was done.
 *
 * `npm run sample:controller` runs it on the embedded FakeApiServer (which establishes the CRD like a real
 * cluster): it creates a Replicate, changes the source, and deletes the Replicate, printing what the controller did.
 */
import { firstValueFrom } from 'rxjs';
import { Api, Controller, EventRecorder, createClient, defineResource, finalizer, ownedBy, type KubernetesObject } from 'kubex-rx';
import { ConfigMap } from 'kubex-rx/k8s/v1_35/core/v1';
import { FakeApiServer, testResources } from 'kubex-rx/testing';

interface Replicate extends KubernetesObject {
  spec: { source: { namespace: string; name: string }; targets: string[] };
}
const ReplicateResource = defineResource<Replicate>({ apiVersion: 'example.com/v1', kind: 'Replicate', plural: 'replicates', namespaced: false });
const { Namespace } = testResources;
const CustomResourceDefinition = defineResource({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false });
const FIELD_MANAGER = 'example.com/replicator';

const replicateCrd = {
  metadata: { name: 'replicates.example.com' },
  spec: {
    group: 'example.com',
    names: { plural: 'replicates', singular: 'replicate', kind: 'Replicate' },
    scope: 'Cluster',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['source', 'targets'],
                properties: {
                  source: { type: 'object', properties: { namespace: { type: 'string' }, name: { type: 'string' } } },
                  targets: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    ],
  },
};

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  const fake = await FakeApiServer.start({ resources: 'v1.35', bookmarkIntervalMs: 1000 }); // every GA kind: events.k8s.io too
  for (const name of ['team-a', 'team-b']) fake.create(Namespace, { metadata: { name } });
  fake.create(CustomResourceDefinition, replicateCrd);
  fake.create(ConfigMap, { metadata: { name: 'app-config', namespace: 'default' }, data: { color: 'blue' } });

  const client = await createClient({ server: fake.url });
  const replicates = new Api(ReplicateResource, { client });
  const configMaps = new Api(ConfigMap, { client, namespace: null });
  const events = new EventRecorder(client, { controller: FIELD_MANAGER });
  /** Which Replicates copy which source (`namespace/name`): the `.watches` mapper reads it. */
  const copying = new Map<string, Set<string>>();

  const copyName = (replicate: Replicate): string => `${replicate.spec.source.name}-copy`;
  const reconcile = finalizer(replicates, 'example.com/copies', {
    apply: async (replicate: Replicate) => {
      const { source, targets } = replicate.spec;
      const name = replicate.metadata.name ?? '';
      const sourceKey = `${source.namespace}/${source.name}`;
      copying.set(sourceKey, (copying.get(sourceKey) ?? new Set()).add(name));
      const data = (await firstValueFrom(configMaps.get$(source.name, { namespace: source.namespace }))).data ?? {};
      for (const namespace of targets) {
        const copy = ownedBy(replicate, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: copyName(replicate), namespace }, data });
        await firstValueFrom(configMaps.patch$(copyName(replicate), copy, { type: 'apply', fieldManager: FIELD_MANAGER, force: true, namespace }));
      }
      console.log(`reconciled ${name}: ${source.namespace}/${source.name} -> ${targets.join(', ')} (color ${data['color'] ?? '?'})`);
      void events.recordEvent(replicate, { type: 'Normal', reason: 'Replicated', message: `copied to ${targets.length} namespaces` });
    },
    cleanup: async (replicate: Replicate) => {
      // Idempotent: a run may see the object before its finalizer's removal reached the store, and clean up again.
      let deleted = 0;
      for (const namespace of replicate.spec.targets) {
        await firstValueFrom(configMaps.delete$(copyName(replicate), { namespace })).then(() => deleted++, () => undefined);
      }
      if (deleted > 0) console.log(`cleaned up ${replicate.metadata.name ?? ''}: ${deleted} copies deleted`);
    },
  });

  const controller = new Controller(replicates, { concurrency: 2 })
    .owns(configMaps)
    .watches(configMaps, (cm) => [...(copying.get(`${cm.metadata?.namespace ?? ''}/${cm.metadata?.name ?? ''}`) ?? [])]);
  const running = controller.run(reconcile).subscribe((result) => {
    if (result.outcome !== 'success') console.log(`  ${result.key}: ${result.outcome} ${String(result.error ?? '')}`);
  });

  /** The color of the copy in `namespace`, as the server stores it (`undefined`: no copy). */
  const copyColor = async (namespace: string): Promise<string | undefined> =>
    (fake.list(ConfigMap, namespace) as ConfigMap[]).find((cm) => cm.metadata?.name === 'app-config-copy')?.data?.['color'];

  await firstValueFrom(replicates.create$({ apiVersion: 'example.com/v1', kind: 'Replicate', metadata: { name: 'app' }, spec: { source: { namespace: 'default', name: 'app-config' }, targets: ['team-a', 'team-b'] } }));
  await until(async () => (await copyColor('team-a')) === 'blue' && (await copyColor('team-b')) === 'blue', 'the copies');
  console.log('copies in team-a and team-b: color blue');

  await firstValueFrom(configMaps.patch$('app-config', { data: { color: 'green' } }, { namespace: 'default' }));
  await until(async () => (await copyColor('team-a')) === 'green' && (await copyColor('team-b')) === 'green', 'the updated copies');
  console.log('source changed: copies now color green');

  await firstValueFrom(replicates.delete$('app'));
  await until(async () => (await copyColor('team-a')) === undefined && (await copyColor('team-b')) === undefined && fake.list(ReplicateResource).length === 0, 'the cleanup');
  console.log('Replicate deleted: its finalizer removed the copies, then the server removed it');

  running.unsubscribe(); // drains, then closes the watches
  await events.close();
  await fake.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

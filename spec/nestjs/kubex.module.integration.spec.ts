/**
 * KubexModule in real Nest application contexts over the FakeApiServer: forRoot with client options or a client,
 * forRootAsync (useFactory + inject + imports, useClass), forFeature in a feature module, injection tokens, and
 * what shutdown closes.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { firstValueFrom, type Observable } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { defaultFetch } from '../../lib/client/fetch.js';
import { KubeClient } from '../../lib/client/kube-client.js';
import { Informer } from '../../lib/informer/informer.js';
import {
  InjectApi, InjectInformer, InjectKubeClient, KUBEX_MODULE_OPTIONS, KUBE_CLIENT, KubexHealthIndicator, KubexModule, getApiToken, getInformerToken,
  type KubexModuleOptions,
} from '../../lib/nestjs/index.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { waitUntil } from './helpers.js';

const { Pod, ConfigMap, Namespace } = testResources;

let server: FakeApiServer;
let context: INestApplicationContext | undefined;

beforeEach(async () => {
  server = await FakeApiServer.start();
  for (const name of ['config', 'from-class', 'team-a', 'team-b']) server.create(testResources.Namespace, { metadata: { name } });
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  await server.close();
});

/** Compiles and initializes a module graph (no HTTP listener: the module does not need one). */
async function boot(imports: unknown[], providers: unknown[] = []): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[], providers: providers as never[] }).compile();
  context = moduleRef;
  await moduleRef.init();
  return moduleRef;
}

const configMap = (name: string, namespace: string) => ({ metadata: { name, namespace }, data: { a: '1' } });

describe('KubexModule.forRoot', () => {
  it('creates the client from ClientOptions and provides an Api per listed resource', async () => {
    server.create(ConfigMap, configMap('cfg', 'team-a'));
    const ctx = await boot([
      KubexModule.forRoot({ client: { server: server.url, namespace: 'team-a' }, resources: [ConfigMap, { resource: Namespace }] }),
    ]);
    const client = ctx.get<KubeClient>(KUBE_CLIENT);
    expect(client).toBeInstanceOf(KubeClient);
    expect(client.server.origin).toBe(new URL(server.url).origin);
    expect(ctx.get<KubexModuleOptions>(KUBEX_MODULE_OPTIONS)).toEqual({ client: { server: server.url, namespace: 'team-a' } });

    const configMaps = ctx.get<Api<KubernetesObject>>(getApiToken(ConfigMap));
    expect(configMaps).toBeInstanceOf(Api);
    expect(configMaps.client).toBe(client);
    expect(configMaps.namespace).toBe('team-a'); // the client's namespace
    expect((await firstValueFrom(configMaps.get$('cfg'))).metadata.name).toBe('cfg');
    expect(ctx.get<Api<KubernetesObject>>(getApiToken(Namespace)).namespace).toBeUndefined(); // cluster-scoped

    expect(ctx.get(KubexHealthIndicator)).toBeInstanceOf(KubexHealthIndicator);
    expect(() => ctx.get(getInformerToken(ConfigMap))).toThrow(); // no informer was asked for
    expect(() => ctx.get(getApiToken(Pod))).toThrow(); // nor an Api for pods
  });

  it('uses a given KubeClient as is, and leaves it open at shutdown', async () => {
    class ClosableClient extends KubeClient {
      closes = 0;
      override async close(): Promise<void> {
        this.closes++;
      }
    }
    const mine = new ClosableClient({ server: new URL(server.url), namespace: 'default', fetch: await defaultFetch() });
    const ctx = await boot([KubexModule.forRoot({ client: mine, resources: [Pod] })]);
    expect(ctx.get(KUBE_CLIENT)).toBe(mine);
    expect(ctx.get<Api<KubernetesObject>>(getApiToken(Pod)).client).toBe(mine);
    await ctx.close();
    context = undefined;
    expect(mine.closes).toBe(0);
  });

  it('closes a client it created, at shutdown, when the client can be closed', async () => {
    // KubeClient has no close() yet; the module calls one when there is one (keep-alive agents).
    const proto = KubeClient.prototype as unknown as { close?: () => void };
    const closed: unknown[] = [];
    proto.close = function (this: unknown) {
      closed.push(this);
    };
    try {
      const ctx = await boot([KubexModule.forRoot({ client: { server: server.url } })]);
      const client = ctx.get(KUBE_CLIENT);
      expect(closed).toEqual([]);
      await ctx.close();
      context = undefined;
      expect(closed).toEqual([client]);
    } finally {
      delete proto.close;
    }
  });

  it('rejects a malformed resource list at once', () => {
    expect(() => KubexModule.forRoot({ resources: [{ nope: true } as never] })).toThrow(TypeError);
    expect(() => KubexModule.forFeature([Pod, { resource: Pod, namespace: 'x' }])).toThrow(/listed twice/);
    expect(() => KubexModule.forFeature(Pod as never)).toThrow(/must be an array/);
  });
});

describe('KubexModule.forRootAsync', () => {
  const SERVER_URL = 'SERVER_URL';

  it('takes its options from a factory with injected dependencies from imported modules', async () => {
    @Module({ providers: [{ provide: SERVER_URL, useFactory: () => server.url }], exports: [SERVER_URL] })
    class SettingsModule {}

    let calls = 0;
    const ctx = await boot([
      KubexModule.forRootAsync({
        imports: [SettingsModule],
        inject: [SERVER_URL],
        useFactory: async (url: string) => {
          calls++;
          return { client: { server: url, namespace: 'team-b' } };
        },
        resources: [{ resource: Pod, informer: true }],
      }),
    ]);
    expect(calls).toBe(1);
    const client = ctx.get<KubeClient>(KUBE_CLIENT);
    expect(client.server.port).toBe(new URL(server.url).port);
    expect(client.namespace).toBe('team-b');
    const pods = ctx.get<Api<KubernetesObject>>(getApiToken(Pod));
    expect(pods.namespace).toBe('team-b');

    // The informer is started at bootstrap, in the client's namespace.
    const informer = ctx.get<Informer<KubernetesObject>>(getInformerToken(Pod));
    expect(informer).toBeInstanceOf(Informer);
    await waitUntil(() => informer.state.phase === 'watching', 'the informer to sync');
    expect(server.watches.map((w) => w.request.path)).toEqual(['/api/v1/namespaces/team-b/pods']);
  });

  it('takes its options from a class (useClass)', async () => {
    @Injectable()
    class KubexConfig {
      create(): KubexModuleOptions {
        return { client: { server: server.url, namespace: 'from-class' } };
      }
    }
    const ctx = await boot([KubexModule.forRootAsync({ useClass: KubexConfig })]);
    expect(ctx.get<KubeClient>(KUBE_CLIENT).namespace).toBe('from-class');
  });
});

describe('KubexModule.forFeature', () => {
  @Injectable()
  class PodsService {
    constructor(
      @InjectApi(Pod) readonly pods: Api<KubernetesObject>,
      @InjectApi(ConfigMap) readonly configMaps: Api<KubernetesObject>,
      @InjectInformer(ConfigMap) readonly configMapInformer: Informer<KubernetesObject>,
      @InjectKubeClient() readonly client: KubeClient,
    ) {}
  }

  @Module({
    imports: [KubexModule.forFeature([{ resource: Pod, namespace: null }, { resource: ConfigMap, namespace: 'config', informer: {} }])],
    providers: [PodsService],
    exports: [PodsService],
  })
  class PodsModule {}

  it('injects Apis and informers bound to the global root client into a feature module', async () => {
    server.create(ConfigMap, configMap('settings', 'config'));
    const ctx = await boot([KubexModule.forRoot({ client: { server: server.url }, isGlobal: true }), PodsModule]);
    const service = ctx.get(PodsService);
    const client = ctx.get<KubeClient>(KUBE_CLIENT);
    expect(service.client).toBe(client);
    expect(service.pods.client).toBe(client);
    expect(service.pods.namespace).toBeUndefined(); // namespace: null = all namespaces
    expect(service.configMaps.namespace).toBe('config');
    const store = await firstValueFrom(service.configMapInformer.store$);
    expect([...store.keys()]).toEqual(['config/settings']);
  });

  it('needs the root client to be visible: without isGlobal, Nest cannot resolve it', async () => {
    await expect(boot([KubexModule.forRoot({ client: { server: server.url } }), PodsModule])).rejects.toThrow(/kubex-rx:KubeClient/);
  });
});

describe('shutdown', () => {
  it('completes what was obtained through the provided Apis (watches, informers, metadata views) and closes their requests', async () => {
    server.create(Pod, { metadata: { name: 'web-0', namespace: 'default' } });
    const ctx = await boot([KubexModule.forRoot({ client: { server: server.url }, resources: [Pod] })]);
    const pods = ctx.get<Api<KubernetesObject>>(getApiToken(Pod));
    /** Subscribes and records what arrives, and whether it completed. */
    const record = <V>(source: Observable<V>) => {
      const r = { values: [] as V[], completed: false };
      source.subscribe({ next: (v) => r.values.push(v), complete: () => (r.completed = true) });
      return r;
    };
    const informer = pods.informer();
    const watched = record(pods.watch$());
    const stores = record(informer.store$);
    const metadata = record(pods.metadata().watch$());
    await waitUntil(() => watched.values.length === 1 && stores.values.length === 1 && metadata.values.length === 1, 'first events');
    expect(server.openWatches).toBe(3);

    await ctx.close();
    context = undefined;
    expect([watched.completed, stores.completed, metadata.completed]).toEqual([true, true, true]);
    expect(watched.values.map((e) => e.type)).toEqual(['ADDED']);
    expect(stores.values.map((s) => [...s.keys()])).toEqual([['default/web-0']]);
    expect(metadata.values.map((e) => (e.type === 'BOOKMARK' ? e.type : `${e.type} ${e.object.kind}`))).toEqual(['ADDED PartialObjectMetadata']);
    await server.waitForOpenWatches(0);
    expect(informer.state.phase).toBe('idle');
  });
});

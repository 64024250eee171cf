/**
 * A generated kind is ONE value usable as `new Api(Pod, { client })` and as a codec; the events of
 * `api.watch$()` are typed with the generated type. The type-level half is checked by `tsc` (this file is in
 * the repo's type-check, so a wrong `@ts-expect-error` or a failing `Equal` breaks `npm test`); the runtime half
 * watches and lists the recorded pod over loopback HTTP from the FakeApiServer.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as t from 'io-ts';
import { firstValueFrom, take, toArray, type Observable } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import type { ObjectList } from '../../lib/api/list.js';
import { createClient } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import { Deployment } from '../../lib/k8s/v1_35/apps/v1.js';
import { ConfigMap, Node, Pod, PodSpec } from '../../lib/k8s/v1_35/core/v1.js';
import type { ResourceCodec } from '../../lib/k8s/runtime.js';
import type { Resource } from '../../lib/resource/define-resource.js';
import { FakeApiServer } from '../../lib/testing/index.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';
import { readFixture } from '../../vendor/index.js';

/** `true` only when A and B are the same type (not merely mutually assignable through `any`). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

/** Type-level checks only: compiled by tsc, never called. */
function typeChecks(client: KubeClient): void {
  const pods = new Api(Pod, { client, namespace: 'default' });
  assertType<Equal<typeof pods, Api<Pod>>>();
  assertType<Equal<typeof Pod, ResourceCodec<Pod>>>();
  assertType<Equal<t.TypeOf<typeof Pod>, Pod>>();
  assertType<Equal<t.TypeOf<typeof Pod.codec>, Pod>>();
  const events: Observable<WatchEvent<Pod>> = pods.watch$();
  events.subscribe((e) => {
    if (e.type === 'BOOKMARK') {
      const rv: string = e.object.metadata.resourceVersion;
      void rv;
      return;
    }
    assertType<Equal<typeof e.object, Pod>>();
    const name: string | undefined = e.object.metadata?.name;
    const images: Array<string | undefined> = e.object.spec?.containers.map((c) => c.image) ?? [];
    const probe: string | null | undefined = e.object.status?.conditions?.[0]?.lastProbeTime;
    void [name, images, probe];
    // @ts-expect-error a Pod is no Deployment (its spec lacks selector and template)
    const deployment: Deployment = e.object;
    // @ts-expect-error no such field
    void e.object.spec?.containerz;
    // @ts-expect-error metadata.name is a string, never null
    const nullName: null = e.object.metadata!.name!;
    void [deployment, nullName];
  });
  const list: Observable<ObjectList<Pod>> = pods.list$();
  void list;
  // The generated kinds satisfy the informer's constraint (metadata name/namespace/resourceVersion are plain strings).
  void pods.informer();
  const resource: Resource<Pod> = Pod;
  void resource;
  // @ts-expect-error PodSpec is a codec but no resource
  void new Api(PodSpec, { client });
  // @ts-expect-error an Api<Deployment> is no Api<Pod>
  const wrong: Api<Pod> = new Api(Deployment, { client });
  void wrong;
}
void typeChecks;

describe('a generated kind is a Resource and a codec', () => {
  it('carries the descriptor read from the spec', () => {
    expect(Pod).toMatchObject({ apiVersion: 'v1', group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, basePath: '/api/v1' });
    expect(Node).toMatchObject({ kind: 'Node', plural: 'nodes', namespaced: false });
    expect(Deployment).toMatchObject({ apiVersion: 'apps/v1', group: 'apps', plural: 'deployments', namespaced: true, basePath: '/apis/apps/v1' });
    expect(Object.isFrozen(Pod)).toBe(true);
    expect(Pod.name).toBe('Pod');
    expect(Pod.codec.name).toBe('Pod');
    expect(Pod.codec).not.toBe(Pod);
  });

  it('decodes through itself and through .codec alike, and encodes with the identity', () => {
    const pod = readFixture('pod.json');
    expect(Pod.decode(pod)).toEqual(Pod.codec.decode(pod));
    expect(Pod.decode(pod)).toEqual({ _tag: 'Right', right: pod });
    expect(Pod.decode({ spec: 1 })._tag).toBe('Left');
    expect(Pod.encode).toBe(t.identity);
    expect(t.array(Pod).decode([pod])._tag).toBe('Right');
  });

  it('exports a plain codec (no descriptor) for definitions without a REST path', () => {
    expect(PodSpec).not.toHaveProperty('plural');
    expect(typeof PodSpec.decode).toBe('function');
  });
});

describe('Api over the generated Pod (FakeApiServer, loopback HTTP)', () => {
  let server: FakeApiServer;
  let client: KubeClient;

  beforeEach(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 0, registerDefaults: false, resources: [Pod, ConfigMap] });
    client = await createClient({ server: server.url, token: 'test-token' });
  });

  afterEach(async () => {
    await server.close();
  });

  /** The recorded pod without its server-assigned fields, as a client would create it. */
  function recordedPod(): Record<string, unknown> {
    const pod = readFixture('pod.json') as { metadata: Record<string, unknown> };
    const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ts, generation: _g, ...metadata } = pod.metadata;
    return { ...pod, metadata };
  }

  it('watch$ emits the recorded pod decoded by the generated codec', async () => {
    const pods = new Api(Pod, { client, namespace: 'kube-system' });
    const events = firstValueFrom(pods.watch$().pipe(take(1), toArray()));
    await server.waitForOpenWatches(1);
    server.create(Pod, recordedPod());
    const [event] = await events;
    expect(event?.type).toBe('ADDED');
    if (event === undefined || event.type === 'BOOKMARK') throw new Error('expected an object event');
    expect(event.object.spec?.containers[0]?.name).toBe('coredns');
    expect(event.object.status?.conditions?.some((c) => c.lastProbeTime === null)).toBe(true);
    expect(event.object.spec?.containers[0]?.resources?.limits?.['memory']).toBe('170Mi');
  });

  it('list$ decodes the items with the generated codec', async () => {
    server.create(Pod, recordedPod());
    const list = await firstValueFrom(new Api(Pod, { client, namespace: null }).list$());
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['coredns-7d764666f9-bdk7p']);
  });
});

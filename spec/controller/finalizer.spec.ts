/**
 * finalizer(): the pure decision (unit) and the whole lifecycle over real loopback HTTP against the FakeApiServer,
 * whose DELETE of an object with finalizers sets deletionTimestamp and keeps the object until the last finalizer
 * goes (lib/testing/deletion.ts).
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { EMPTY, NEVER, firstValueFrom, of } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { ConflictError } from '../../lib/errors/status-error.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { finalizer, FinalizerError, finalizersPatch, finalizerState } from '../../lib/controller/finalizer.js';

const NAME = 'example.com/cleanup';
const { ConfigMap } = testResources;

describe('finalizerState (kube-rs FinalizerState)', () => {
  const obj = (finalizers?: string[], deleting = false): KubernetesObject => ({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'a', ...(finalizers ? { finalizers } : {}), ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  });
  it('covers the four states', () => {
    expect(finalizerState(obj(), NAME)).toBe('add-then-apply');
    expect(finalizerState(obj(['other.io/x']), NAME)).toBe('add-then-apply');
    expect(finalizerState(obj([NAME]), NAME)).toBe('apply');
    expect(finalizerState(obj([NAME, 'other.io/x'], true), NAME)).toBe('cleanup');
    expect(finalizerState(obj(['other.io/x'], true), NAME)).toBe('done');
  });
  it('guards the patch with the resourceVersion and removes an empty list', () => {
    const o = { metadata: { name: 'a', resourceVersion: '7' } };
    expect(finalizersPatch(o, [NAME])).toEqual({ metadata: { resourceVersion: '7', finalizers: [NAME] } });
    expect(finalizersPatch(o, [])).toEqual({ metadata: { resourceVersion: '7', finalizers: null } });
    expect(() => finalizersPatch({ metadata: { name: 'a' } }, [])).toThrow(TypeError);
  });
});

describe('finalizer() over HTTP', () => {
  let server: FakeApiServer;
  let api: Api<KubernetesObject>;
  beforeEach(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 0 });
    api = new Api(ConfigMap, { client: await createClient({ server: server.url }), namespace: 'default' });
  });
  afterEach(async () => {
    await server.close();
  });

  const stored = (): KubernetesObject | undefined => server.get<KubernetesObject>(ConfigMap, 'cfg', 'default');
  const latest = (): Promise<KubernetesObject> => firstValueFrom(api.get$('cfg'));
  const writes = (): string[] => server.requests.filter((r) => r.method !== 'GET').map((r) => r.method);
  const handlers = () => ({
    apply: jest.fn(async (o: KubernetesObject) => ({ applied: o.metadata.finalizers })),
    cleanup: jest.fn(async (o: KubernetesObject) => ({ cleaned: o.metadata.name })),
  });

  it('refuses a finalizer name that is not qualified with a domain', () => {
    expect(() => finalizer(api, 'cleanup', handlers())).toThrow(TypeError);
    expect(() => finalizer(api, 'Example.com/x', handlers())).toThrow(TypeError);
  });

  it('adds the finalizer, applies, then cleans up on DELETE and lets the server finish the deletion, keeping other finalizers until they go', async () => {
    await firstValueFrom(api.create$({ metadata: { name: 'cfg' }, data: { a: '1' } }));
    const h = handlers();
    const reconcile = finalizer(api, NAME, h);

    // 1. new object: the finalizer is added first, then apply runs on the object the server returned.
    expect(await reconcile(await latest())).toEqual({ applied: [NAME] });
    expect(stored()!.metadata.finalizers).toEqual([NAME]);
    expect(h.apply).toHaveBeenCalledTimes(1);

    // 2. already there: apply only, no write.
    server.clearRequests();
    expect(await reconcile(await latest())).toEqual({ applied: [NAME] });
    expect(writes()).toEqual([]);

    // Someone else's finalizer too, then DELETE: the server only marks the object.
    await firstValueFrom(api.patch$('cfg', { metadata: { finalizers: [NAME, 'other.io/keep'] } }));
    await firstValueFrom(api.delete$('cfg'));
    const deleting = await latest();
    expect(deleting.metadata.deletionTimestamp).toEqual(expect.any(String));

    // 3. deleting with our finalizer: cleanup, then only ours removed; the object stays for the other one.
    expect(await reconcile(deleting)).toEqual({ cleaned: 'cfg' });
    expect(h.cleanup).toHaveBeenCalledTimes(1);
    expect(h.apply).toHaveBeenCalledTimes(2);
    expect(stored()!.metadata.finalizers).toEqual(['other.io/keep']);

    // 4. deleting without ours: nothing at all.
    server.clearRequests();
    expect(await reconcile(await latest())).toBeUndefined();
    expect(writes()).toEqual([]);
    expect(h.cleanup).toHaveBeenCalledTimes(1);

    // The last finalizer goes: the server deletes the object.
    await firstValueFrom(api.patch$('cfg', { metadata: { finalizers: null } }));
    expect(stored()).toBeUndefined();
  });

  it('removes the finalizer only after cleanup succeeds: a failing cleanup keeps it and the object', async () => {
    await firstValueFrom(api.create$({ metadata: { name: 'cfg', finalizers: [NAME] } }));
    await firstValueFrom(api.delete$('cfg'));
    const boom = new Error('external system down');
    const reconcile = finalizer(api, NAME, { apply: () => undefined, cleanup: () => Promise.reject(boom) });
    await expect(reconcile(await latest())).rejects.toBe(boom);
    expect(stored()!.metadata.finalizers).toEqual([NAME]);
    // Once it succeeds, the server finishes the deletion.
    const ok = finalizer(api, NAME, { apply: () => undefined, cleanup: () => 'done' });
    expect(await ok(await latest())).toBe('done');
    expect(stored()).toBeUndefined();
  });

  it('detects a concurrent change when adding (409), reads again and keeps the other writer\'s finalizer', async () => {
    await firstValueFrom(api.create$({ metadata: { name: 'cfg' } }));
    const stale = await latest();
    await firstValueFrom(api.patch$('cfg', { metadata: { finalizers: ['other.io/keep'] } }));
    server.clearRequests();
    const h = handlers();
    expect(await finalizer(api, NAME, h)(stale)).toEqual({ applied: ['other.io/keep', NAME] });
    expect(server.requests.map((r) => r.method)).toEqual(['PATCH', 'GET', 'PATCH']);
    expect(stored()!.metadata.finalizers).toEqual(['other.io/keep', NAME]);
  });

  it('retries only the removal after a conflict: cleanup runs once', async () => {
    await firstValueFrom(api.create$({ metadata: { name: 'cfg', finalizers: [NAME, 'other.io/keep'] } }));
    await firstValueFrom(api.delete$('cfg'));
    const stale = await latest();
    await firstValueFrom(api.patch$('cfg', { metadata: { labels: { touched: 'yes' } } }));
    const h = handlers();
    expect(await finalizer(api, NAME, h)(stale)).toEqual({ cleaned: 'cfg' });
    expect(h.cleanup).toHaveBeenCalledTimes(1);
    expect(stored()!.metadata.finalizers).toEqual(['other.io/keep']);
  });

  it('gives up after conflictRetries with a FinalizerError carrying the ConflictError', async () => {
    await firstValueFrom(api.create$({ metadata: { name: 'cfg' } }));
    const stale = await latest();
    await firstValueFrom(api.patch$('cfg', { metadata: { labels: { touched: 'yes' } } }));
    const error = await finalizer(api, NAME, handlers(), { conflictRetries: 0 })(stale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinalizerError);
    expect((error as FinalizerError).phase).toBe('add');
    expect((error as FinalizerError).cause).toBeInstanceOf(ConflictError);
  });

  it('resolves undefined when the object is gone before the finalizer could be added', async () => {
    await firstValueFrom(api.create$({ metadata: { name: 'cfg' } }));
    const before = await latest();
    await firstValueFrom(api.delete$('cfg'));
    const h = handlers();
    expect(await finalizer(api, NAME, h)(before)).toBeUndefined();
    expect(h.apply).not.toHaveBeenCalled();
  });

  it('passes the reconcile context through and takes the last value of an Observable apply', async () => {
    await firstValueFrom(api.create$({ metadata: { name: 'cfg', finalizers: [NAME] } }));
    const seen: unknown[] = [];
    const reconcile = finalizer(api, NAME, {
      apply: (o: KubernetesObject, context: { key: string; attempt: number; signal: AbortSignal }) => {
        seen.push([context.key, context.attempt]);
        return of(1, 2, { requeueAfter: 60_000 });
      },
      cleanup: () => EMPTY,
    });
    const signal = new AbortController().signal;
    expect(await reconcile(await latest(), { key: 'default/cfg', attempt: 3, signal })).toEqual({ requeueAfter: 60_000 });
    expect(seen).toEqual([['default/cfg', 3]]);
  });

  it('rejects with the abort reason when the signal aborts while an Observable apply runs', async () => {
    await firstValueFrom(api.create$({ metadata: { name: 'cfg', finalizers: [NAME] } }));
    const controller = new AbortController();
    const pending = finalizer(api, NAME, { apply: () => NEVER, cleanup: () => undefined })(await latest(), { signal: controller.signal });
    controller.abort(new Error('draining'));
    await expect(pending).rejects.toThrow('draining');
  });

  it('writes nothing once the signal is aborted, and rejects with its reason', async () => {
    await firstValueFrom(api.create$({ metadata: { name: 'cfg' } }));
    const object = await latest();
    server.clearRequests();
    const controller = new AbortController();
    controller.abort(new Error('draining'));
    await expect(finalizer(api, NAME, handlers())(object, { signal: controller.signal })).rejects.toThrow('draining');
    expect(server.requests).toEqual([]);
  });
});

/**
 * kubex-rx/angular with Angular's real DI (createEnvironmentInjector, inject) under jest. zone.js is not installed,
 * so zone behaviour is checked with a recording NgZone (the operator only uses run/runOutsideAngular) and with
 * Angular's own zoneless NgZone.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  EnvironmentInjector, InjectionToken, Injector, NgZone, createEnvironmentInjector, inject, runInInjectionContext,
  ɵNoopNgZone as NoopNgZone, type Provider, type EnvironmentProviders,
} from '@angular/core';
import { Observable, Subject, filter, firstValueFrom, map, take, toArray } from 'rxjs';
import { ConfigError, KubeClient, type FetchLike } from '../../lib/index.js';
import { Pod } from '../../lib/k8s/v1_35/core/v1.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import {
  KUBE_CLIENT, injectApi, injectInformer, injectWatch, kubeClientOf, outsideZone, provideKubex,
} from '../../lib/angular/index.js';

/**
 * An NgZone double that knows which side of the zone code runs on. Like zone.js, it follows async continuations
 * (promises, timers, fetch callbacks): Node's AsyncLocalStorage propagates the same way. Code that runs in no
 * `run`/`runOutsideAngular` is, as in an Angular app, inside the zone.
 */
class RecordingZone {
  readonly #side = new AsyncLocalStorage<'inside' | 'outside'>();
  run<T>(fn: () => T): T {
    return this.#side.run('inside', fn);
  }
  runOutsideAngular<T>(fn: () => T): T {
    return this.#side.run('outside', fn);
  }
  where(): 'inside' | 'outside' {
    return this.#side.getStore() ?? 'inside';
  }
}

const injectors: EnvironmentInjector[] = [];
function injector(providers: Array<Provider | EnvironmentProviders>): EnvironmentInjector {
  const root = createEnvironmentInjector([], Injector.NULL as EnvironmentInjector, 'root');
  const child = createEnvironmentInjector(providers, root, 'test');
  injectors.push(child, root);
  return child;
}
afterEach(() => {
  for (const i of injectors.splice(0)) i.destroy();
});

/** Resolves once the fake serves an open watch in `namespace`. */
async function watchOpenIn(fake: FakeApiServer, namespace: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (fake.watches.some((w) => w.namespace === namespace && w.closeReason === undefined)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no watch opened in ${namespace}`);
}

const podNames = (store: ReadonlyMap<string, Pod>): string[] => [...store.values()].map((p) => p.metadata?.name ?? '?').sort();

describe('provideKubex / KUBE_CLIENT', () => {
  it('makes one KubeClient from options, on first injection', () => {
    const env = injector([provideKubex({ server: 'http://127.0.0.1:8001/base/', namespace: 'team-a' })]);
    const client = env.get(KUBE_CLIENT);
    expect(client).toBeInstanceOf(KubeClient);
    expect(client.server.href).toBe('http://127.0.0.1:8001/base');
    expect(client.namespace).toBe('team-a');
    expect(env.get(KUBE_CLIENT)).toBe(client);
  });

  it('defaults the namespace to "default"', () => {
    expect(injector([provideKubex({ server: 'http://127.0.0.1:8001' })]).get(KUBE_CLIENT).namespace).toBe('default');
  });

  it('throws the ConfigError of a bad server where the client is injected, not at provideKubex', () => {
    const providers = provideKubex({ server: 'ftp://example.com' });
    const env = injector([providers]);
    expect(() => env.get(KUBE_CLIENT)).toThrow(ConfigError);
    expect(() => injector([providers]).get(KUBE_CLIENT)).toThrow(/http\(s\) URL, got ftp:/);
    expect(() => injector([provideKubex({ server: 'http://user:pw@example.com' })]).get(KUBE_CLIENT)).toThrow(/credentials/);
    expect(() => injector([provideKubex({ server: 'not a url' })]).get(KUBE_CLIENT)).toThrow(ConfigError);
    expect(() => injector([provideKubex({ server: '' })]).get(KUBE_CLIENT)).toThrow(/no server/);
  });

  it('accepts a ready client, or a factory that runs in an injection context', () => {
    const ready = kubeClientOf({ server: 'http://10.0.0.1' });
    expect(injector([provideKubex({ client: ready })]).get(KUBE_CLIENT)).toBe(ready);

    const SERVER = new InjectionToken<string>('server');
    const env = injector([
      { provide: SERVER, useValue: 'http://10.0.0.2:8080' },
      provideKubex({ client: () => kubeClientOf({ server: inject(SERVER) }) }),
    ]);
    expect(env.get(KUBE_CLIENT).server.origin).toBe('http://10.0.0.2:8080');
  });

  it('is missing without provideKubex (NullInjectorError), and injectApi needs an injection context', () => {
    const env = injector([]);
    expect(() => env.get(KUBE_CLIENT)).toThrow(/No provider/);
    expect(() => injectApi(Pod)).toThrow(/injection context/);
  });
});

describe('injectApi / injectWatch / injectInformer against the FakeApiServer', () => {
  let fake: FakeApiServer;
  beforeAll(async () => {
    fake = await FakeApiServer.start();
    for (const name of ['inf', 'ns1', 'team-a', 'zoned']) fake.create(testResources.Namespace, { metadata: { name } });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('injectApi gives an Api on KUBE_CLIENT, watching through the global fetch (WHATWG body) with a token function', async () => {
    let calls = 0;
    const env = injector([provideKubex({ server: fake.url, namespace: 'ns1', token: () => `t${++calls}` })]);
    const api = runInInjectionContext(env, () => injectApi(Pod));
    expect(api.namespace).toBe('ns1');
    expect(runInInjectionContext(env, () => injectApi(Pod, { namespace: null })).namespace).toBeUndefined();

    const request = fake.nextRequest((r) => r.path === '/api/v1/namespaces/ns1/pods');
    const events = firstValueFrom(api.watch$().pipe(take(2), toArray()));
    await watchOpenIn(fake, 'ns1');
    fake.create(Pod, { metadata: { name: 'a', namespace: 'ns1' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    fake.delete(Pod, 'a', 'ns1');
    expect((await events).map((e) => `${e.type} ${e.type === 'BOOKMARK' ? '' : e.object.metadata?.name}`)).toEqual(['ADDED a', 'DELETED a']);
    expect((await request).headers['authorization']).toBe('Bearer t1');
    expect(calls).toBe(1);
  });

  it('injectWatch subscribes outside the zone (including the fetch) and emits inside it', async () => {
    const zone = new RecordingZone();
    const fetchedFrom: string[] = [];
    const fetch: FetchLike = (url, init) => {
      fetchedFrom.push(zone.where());
      return globalThis.fetch(url, init) as unknown as ReturnType<FetchLike>;
    };
    const env = injector([{ provide: NgZone, useValue: zone }, provideKubex({ server: fake.url, fetch })]);
    const watch = runInInjectionContext(env, () => injectWatch(Pod, { namespace: 'zoned' }));
    const seen: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const sub = watch.subscribe({
        next: (e) => {
          seen.push(`${zone.where()} ${e.type}`);
          if (e.type === 'DELETED') {
            sub.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
    });
    await watchOpenIn(fake, 'zoned');
    fake.create(Pod, { metadata: { name: 'z', namespace: 'zoned' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    fake.delete(Pod, 'z', 'zoned');
    await done;
    expect(fetchedFrom).toEqual(['outside']);
    expect(seen).toEqual(['inside ADDED', 'inside DELETED']);
    await fake.waitForWatchClosed((w) => w.namespace === 'zoned');
  });

  it('injectInformer: store$ follows creates and deletes, zone-safe, and the last unsubscribe closes the watch', async () => {
    const zone = new RecordingZone();
    const fetchedFrom: string[] = [];
    const fetch: FetchLike = (url, init) => {
      fetchedFrom.push(zone.where());
      return globalThis.fetch(url, init) as unknown as ReturnType<FetchLike>;
    };
    const env = injector([{ provide: NgZone, useValue: zone }, provideKubex({ server: fake.url, namespace: 'inf', fetch })]);
    fake.create(Pod, { metadata: { name: 'p0', namespace: 'inf' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const { store$, state$ } = runInInjectionContext(env, () => injectInformer(Pod, { idleTimeout: false }));
    const views: string[] = [];
    const states: string[] = [];
    const stateSub = state$.subscribe((s) => states.push(`${zone.where()} ${s.phase}`));
    const until = new Subject<string>();
    const sub = store$.pipe(map(podNames)).subscribe((names) => {
      views.push(`${zone.where()} ${names.join(',')}`);
      until.next(names.join(','));
    });
    await firstValueFrom(until.pipe(filter((v) => v === 'p0')));
    fake.create(Pod, { metadata: { name: 'p1', namespace: 'inf' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await firstValueFrom(until.pipe(filter((v) => v === 'p0,p1')));
    fake.delete(Pod, 'p0', 'inf');
    await firstValueFrom(until.pipe(filter((v) => v === 'p1')));
    sub.unsubscribe();
    stateSub.unsubscribe();
    await fake.waitForWatchClosed((w) => w.namespace === 'inf');

    expect(views).toEqual(['inside p0', 'inside p0,p1', 'inside p1']);
    expect(states.length).toBeGreaterThan(1);
    expect(states.every((s) => s.startsWith('inside '))).toBe(true);
    expect(fetchedFrom.length).toBeGreaterThan(0);
    expect(fetchedFrom.every((w) => w === 'outside')).toBe(true);
  });
});

describe('outsideZone', () => {
  it('subscribes and tears down outside, delivers next/error/complete inside', () => {
    const zone = new RecordingZone();
    const log: string[] = [];
    const source = (fail: boolean) =>
      new Observable<number>((subscriber) => {
        log.push(`subscribe ${zone.where()}`);
        subscriber.next(1);
        if (fail) subscriber.error(new Error('boom'));
        else subscriber.complete();
        return () => log.push(`teardown ${zone.where()}`);
      });
    source(false)
      .pipe(outsideZone(zone as unknown as NgZone))
      .subscribe({ next: (v) => log.push(`next ${v} ${zone.where()}`), complete: () => log.push(`complete ${zone.where()}`) });
    source(true)
      .pipe(outsideZone(zone as unknown as NgZone))
      .subscribe({ error: (e: Error) => log.push(`error ${e.message} ${zone.where()}`) });
    expect(log).toEqual([
      'subscribe outside', 'next 1 inside', 'complete inside', 'teardown outside',
      'subscribe outside', 'error boom inside', 'teardown outside',
    ]);
  });

  it('unsubscribing an endless source tears it down outside the zone', () => {
    const zone = new RecordingZone();
    const log: string[] = [];
    const sub = new Observable<never>(() => () => log.push(`teardown ${zone.where()}`))
      .pipe(outsideZone(zone as unknown as NgZone))
      .subscribe();
    expect(log).toEqual([]);
    sub.unsubscribe();
    expect(log).toEqual(['teardown outside']);
  });

  it('takes NgZone from the injector by default, and passes through in zoneless apps', () => {
    const env = injector([{ provide: NgZone, useValue: new NoopNgZone() }]);
    const values: number[] = [];
    runInInjectionContext(env, () => new Observable<number>((s) => { s.next(7); s.complete(); }).pipe(outsideZone()))
      .subscribe((v) => values.push(v));
    expect(values).toEqual([7]);
    expect(() => new Observable<number>().pipe(outsideZone())).toThrow(/injection context/);
  });
});

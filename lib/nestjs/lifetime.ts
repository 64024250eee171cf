import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ReplaySubject, Subscription, isObservable, takeUntil, type Observable } from 'rxjs';
import { Api } from '../api/api.js';
import type { KubeClient } from '../client/kube-client.js';
import { Informer, type InformerObject } from '../informer/informer.js';

/** The module's client, and whether the module made it (and so closes it). */
export interface ClientHandle {
  readonly client: KubeClient;
  readonly owned: boolean;
}

/**
 * The lifetime of what one KubexModule instance hands out (internal provider, one per module instance).
 *
 * The `Api`s and `Informer`s it provides are views whose Observables complete when the application shuts down
 * (`beforeApplicationShutdown`, i.e. before Nest closes the HTTP server): an `@Sse()` stream over them ends, every
 * subscription made through them ends, and so every watch request they opened is aborted. Informers declared with
 * the module are held open from `onApplicationBootstrap` to that point. At `onApplicationShutdown`, a client the
 * module created itself is closed, if the client has a `close()`.
 */
export class KubexLifetime implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly #closing = new ReplaySubject<void>(1);
  readonly #informers: Informer<InformerObject>[] = [];
  readonly #holds = new Subscription();
  readonly #client: ClientHandle | undefined;
  #closed = false;

  constructor(client?: ClientHandle) {
    this.#client = client;
  }

  /** `api`, seen through a view whose Observables (and whose informers') end at shutdown. */
  api<T>(api: Api<T>): Api<T> {
    return scoped(api, this.#closing);
  }

  /** `informer`, held open from bootstrap to shutdown, seen through a view whose Observables end at shutdown. */
  informer<T extends InformerObject>(informer: Informer<T>): Informer<T> {
    this.#informers.push(informer as unknown as Informer<InformerObject>);
    return scoped(informer, this.#closing);
  }

  onApplicationBootstrap(): void {
    if (this.#closed) return;
    // One subscription per informer keeps its watch (and store) alive; state$ completes by itself after `failed`.
    for (const informer of this.#informers) this.#holds.add(informer.state$.subscribe({ error: () => undefined }));
  }

  beforeApplicationShutdown(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.next();
    this.#closing.complete();
    this.#holds.unsubscribe();
  }

  async onApplicationShutdown(): Promise<void> {
    this.beforeApplicationShutdown(); // in case that hook was skipped
    if (!this.#client?.owned) return;
    // KubeClient holds keep-alive sockets (its agent): close() drops them. Checked, for clients of other shapes.
    const close = (this.#client.client as { close?: () => Promise<void> | void }).close;
    if (typeof close === 'function') await close.call(this.#client.client);
  }
}

/**
 * A proxy of an `Api` or `Informer` where every Observable, whether a property (`events$`) or a method's result
 * (`watch$()`), completes when `until` emits, and where the Apis and Informers methods return (`informer()`,
 * `metadata()`) are scoped the same way. Methods run on the target itself (its `#private` fields need it).
 */
function scoped<O extends object>(target: O, until: Observable<void>): O {
  const methods = new Map<PropertyKey, unknown>();
  const wrap = (value: unknown): unknown => {
    if (isObservable(value)) return value.pipe(takeUntil(until));
    if (value instanceof Api || value instanceof Informer) return scoped(value, until);
    return value;
  };
  return new Proxy(target, {
    get(t, property) {
      const value: unknown = Reflect.get(t, property, t);
      if (typeof value !== 'function') return wrap(value);
      if (property === 'constructor') return value;
      let method = methods.get(property);
      if (method === undefined) {
        const fn = value as (...args: unknown[]) => unknown;
        method = (...args: unknown[]): unknown => wrap(fn.apply(t, args));
        methods.set(property, method);
      }
      return method;
    },
  });
}

import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReplaySubject, Subscription, isObservable, takeUntil, type Observable } from 'rxjs';
import { Api } from '../api/api.js';
import type { KubeClient } from '../client/kube-client.js';
import { Informer, type InformerObject, type InformerState } from '../informer/informer.js';
import { describeError } from './health.js';

/** The module's client, and whether the module made it (and so closes it). */
export interface ClientHandle {
  readonly client: KubeClient;
  readonly owned: boolean;
}

/** What the module knows of an informer it provides, beyond its state: for {@link syncedStore}'s messages. */
export interface InformerDiagnostics {
  /** How logs and errors name it: `Pod informer`. */
  readonly label: string;
  /** The error of its last failed attempt, until it is in sync again. */
  readonly lastError: unknown;
}

/** Keyed by the object handed out (the scoped view), so a controller's informer finds its own entry. */
const diagnostics = new WeakMap<object, { label: string; lastError: unknown }>();

/** What the module knows of `informer` (a label, the last error); a generic label for informers it did not make. */
export function informerDiagnostics(informer: object): InformerDiagnostics {
  return diagnostics.get(informer) ?? { label: 'informer', lastError: undefined };
}

/**
 * The lifetime of what one KubexModule instance hands out (internal provider, one per module instance).
 *
 * The `Api`s and `Informer`s it provides are views whose Observables complete when the application shuts down
 * (`beforeApplicationShutdown`, i.e. before Nest closes the HTTP server): an `@Sse()` stream over them ends, every
 * subscription made through them ends, and so every watch request they opened is aborted. Informers declared with
 * the module are held open from `onApplicationBootstrap` to that point. At `onApplicationShutdown`, a client the
 * module created itself is closed, if the client has a `close()`.
 *
 * The informers it holds report their trouble through Nest's `Logger` (context `KubexModule`): an informer's
 * recoverable trouble never errors its Observables (it shows on `state$` only), so without these lines a service
 * whose cluster is unreachable would fail its requests with nothing in its log to say why.
 */
export class KubexLifetime implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly #closing = new ReplaySubject<void>(1);
  readonly #informers: { readonly informer: Informer<InformerObject>; readonly entry: { label: string; lastError: unknown } }[] = [];
  readonly #logger = new Logger('KubexModule');
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

  /**
   * `informer`, held open from bootstrap to shutdown, seen through a view whose Observables end at shutdown;
   * `label` names it in log lines and errors (`Pod informer`).
   */
  informer<T extends InformerObject>(informer: Informer<T>, label = 'informer'): Informer<T> {
    const entry = { label, lastError: undefined as unknown };
    this.#informers.push({ informer: informer as unknown as Informer<InformerObject>, entry });
    const view = scoped(informer, this.#closing);
    diagnostics.set(view, entry);
    return view;
  }

  onApplicationBootstrap(): void {
    if (this.#closed) return;
    // One subscription per informer keeps its watch (and store) alive, and logs its trouble; state$ completes by
    // itself after `failed`.
    for (const { informer, entry } of this.#informers) {
      let troubled = false;
      this.#holds.add(
        informer.state$.subscribe({
          next: (state) => {
            troubled = this.#log(entry, state, troubled);
          },
          error: () => undefined,
        }),
      );
    }
  }

  /** Logs a state worth a line; returns whether the informer is now in trouble (so recovery is logged once). */
  #log(entry: { label: string; lastError: unknown }, state: InformerState, troubled: boolean): boolean {
    switch (state.phase) {
      case 'backingOff':
      case 'stalled':
        entry.lastError = state.error;
        this.#logger.warn(
          `${entry.label}: ${describeError(state.error)}; ${state.phase === 'stalled' ? 'reconnecting' : 'retrying'} in ${state.delay} ms ` +
            `(attempt ${state.attempt}${state.synced ? ', serving its last complete state' : ', not in sync yet'})`,
        );
        return true;
      case 'failed':
        entry.lastError = state.error;
        this.#logger.error(`${entry.label} stopped: ${describeError(state.error)} (not retried: the request cannot succeed as configured)`);
        return true;
      case 'watching':
        if (troubled) this.#logger.log(`${entry.label} is in sync again`);
        entry.lastError = undefined;
        return false;
      default:
        return troubled;
    }
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

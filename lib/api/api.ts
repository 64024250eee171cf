import { Observable, type Subscriber } from 'rxjs';
import { KubexError } from '../errors/kubex-error.js';
import { statusErrorFromResponse } from '../errors/from-response.js';
import { toTransportError, type KubeClient, type KubeRequest } from '../client/kube-client.js';
import type { FetchResponseLike } from '../client/fetch.js';
import { Informer, type InformerObject, type InformerOptions } from '../informer/informer.js';
import { decodeList, listQuery, validateListOptions, type ListOptions, type ObjectList } from './list.js';
import { collectionPath, type Resource } from '../resource/define-resource.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, readChunks } from '../stream/index.js';
import { decodeWatchEvent } from '../watch/decode-event.js';
import type { WatchEvent } from '../watch/watch-event.js';
import { ON_WATCH_CONNECTED, validateWatchOptions, watchQuery, type WatchOptions } from './watch-options.js';

/**
 * Options of the {@link Api} constructor.
 * @since 0.1.0
 */
export interface ApiOptions {
  /** The client: server, credentials, transport. */
  readonly client: KubeClient;
  /**
   * The default namespace of this Api's calls. Omitted: the client's namespace (its kubeconfig context's, else
   * `default`). `null`: all namespaces. Must be omitted or `null` for cluster-scoped kinds.
   */
  readonly namespace?: string | null;
}

/**
 * One resource type on one cluster, in a default namespace: the entry point for watching (and, in later
 * releases, reading and writing) objects. Every method returns a cold Observable: nothing is sent before
 * `subscribe`, and every subscription sends its own request.
 *
 * @example
 * ```ts
 * const client = await createClient({ server: 'http://127.0.0.1:8001' });
 * const pods = new Api(Pod, { client, namespace: 'default' });
 * pods.watch$({ labelSelector: 'app=web' }).subscribe((e) => console.log(e.type, e.object.metadata.name));
 * ```
 * @since 0.1.0
 */
export class Api<T> {
  /** The resource type this Api serves. */
  readonly resource: Resource<T>;
  /** The client it talks through. */
  readonly client: KubeClient;
  /** The namespace calls use when they name none; `undefined` means all namespaces (or cluster scope). */
  readonly namespace: string | undefined;

  constructor(resource: Resource<T>, options: ApiOptions) {
    if (options?.client === undefined) throw new TypeError('Api: options.client is required');
    this.resource = resource;
    this.client = options.client;
    if (!resource.namespaced) {
      if (typeof options.namespace === 'string') {
        throw new TypeError(`Api: ${resource.kind} is cluster-scoped; a namespace (${JSON.stringify(options.namespace)}) makes no sense`);
      }
      this.namespace = undefined;
    } else if (options.namespace === null) {
      this.namespace = undefined;
    } else if (options.namespace === undefined) {
      this.namespace = options.client.namespace;
    } else if (typeof options.namespace !== 'string' || options.namespace === '') {
      throw new TypeError('Api: namespace must be a non-empty string, or null for all namespaces');
    } else {
      this.namespace = options.namespace;
    }
  }

  /**
   * Watches the resource: one HTTP watch request per subscription.
   *
   * Emits each event as soon as its line arrives: ADDED/MODIFIED/DELETED with the object decoded by the
   * resource's codec, BOOKMARK with a {@link Bookmark}. Completes when the server ends the stream (after
   * `timeoutSeconds`, on shutdown, ...). Errors with a `StatusError` subclass for an HTTP error or an in-stream
   * ERROR event (a `GoneError` for 410 in either form), a `DecodeError` for a line it cannot decode, a
   * `LineTooLongError` past `maxLineBytes`, or a `TransportError` when the connection fails or breaks.
   * Unsubscribing aborts the request and closes the connection.
   *
   * Invalid options throw a `TypeError` at once, before anything is sent.
   *
   * @example
   * ```ts
   * pods.watch$({ namespace: null, allowBookmarks: true, timeoutSeconds: 290 })
   *   .subscribe({ next: (e) => console.log(e.type), complete: () => console.log('server closed the watch') });
   * ```
   * @since 0.1.0
   */
  watch$(options: WatchOptions = {}): Observable<WatchEvent<T>> {
    validateWatchOptions(options, this.resource.namespaced);
    const namespace = options.namespace === undefined ? this.namespace : (options.namespace ?? undefined);
    const path = collectionPath(this.resource, this.resource.namespaced ? namespace : undefined);
    const codec = this.resource.codec;
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    const client = this.client;
    return fromRequest<WatchEvent<T>>(
      client,
      // Read the cursor now, at subscription time, so a retry resumes from where the stream got to.
      () => ({ path, query: watchQuery(options) }),
      async (response, subscriber) => {
        if (response.body === null) throw toTransportError(new Error('watch response has no body'));
        options[ON_WATCH_CONNECTED]?.();
        // Lines are split synchronously per chunk (no promise per line) and each event is emitted as soon as
        // its line is complete. An ERROR event or an undecodable line throws out of push(), which ends the
        // loop; leaving `for await` early destroys the body, and the teardown aborts the request.
        const splitter = new LineSplitter({ maxLineBytes });
        const onLine = (line: string): void => {
          if (!subscriber.closed) subscriber.next(decodeWatchEvent(line, codec));
        };
        for await (const chunk of readChunks(response.body)) {
          splitter.push(chunk, onLine);
          if (subscriber.closed) return;
        }
        splitter.end(onLine);
        subscriber.complete();
      },
    );
  }

  /**
   * A resilient, shared watch with a local store: the recommended way to follow this resource for a long time.
   * Nothing is sent until one of its Observables is subscribed; see {@link Informer}.
   *
   * @example
   * ```ts
   * const informer = pods.informer({ labelSelector: 'app=web' });
   * informer.events$.subscribe((e) => console.log(e.type));
   * informer.state$.subscribe((s) => console.log(s.phase));
   * ```
   * @since 0.1.0
   */
  informer<O extends T & InformerObject>(this: Api<O>, options: InformerOptions = {}): Informer<O> {
    return new Informer(this, options);
  }

  /**
   * Lists the resource: one GET per subscription, one value, then completion.
   *
   * Emits an {@link ObjectList} whose `metadata.resourceVersion` is the version the list was built at (start a
   * watch there to get exactly the changes after it) and whose items are decoded by the resource's codec (the
   * API sends list items without `apiVersion`/`kind`; they are filled in from the resource first). Errors as
   * `watch$` does (`StatusError` subclasses, `DecodeError`, `TransportError`). Unsubscribing aborts the request.
   *
   * @example
   * ```ts
   * const list = await firstValueFrom(pods.list$({ labelSelector: 'app=web' }));
   * console.log(list.items.length, 'pods at', list.metadata.resourceVersion);
   * ```
   * @since 0.1.0
   */
  list$(options: ListOptions = {}): Observable<ObjectList<T>> {
    validateListOptions(options, this.resource.namespaced);
    const namespace = options.namespace === undefined ? this.namespace : (options.namespace ?? undefined);
    const path = collectionPath(this.resource, this.resource.namespaced ? namespace : undefined);
    const { resource } = this;
    return fromRequest<ObjectList<T>>(
      this.client,
      () => ({ path, query: listQuery(options) }),
      async (response, subscriber) => {
        const text = await response.text();
        subscriber.next(decodeList(text, resource));
        subscriber.complete();
      },
    );
  }
}

/**
 * A cold Observable over one request: sent at subscription, aborted at unsubscription. Non-200 answers become
 * typed errors; `read` handles a 200.
 */
function fromRequest<R>(
  client: KubeClient,
  request: () => KubeRequest,
  read: (response: FetchResponseLike, subscriber: Subscriber<R>) => Promise<void>,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    // Per-subscription state only: the Observable stays cold and every subscriber gets its own request.
    const controller = new AbortController();
    const run = async (): Promise<void> => {
      const response = await client.request({ ...request(), signal: controller.signal });
      if (response.status !== 200) throw await statusErrorFromResponse(response);
      try {
        await read(response, subscriber);
      } catch (error) {
        // A non-SDK error while reading the body means the connection broke off mid-response.
        throw error instanceof KubexError ? error : toTransportError(error, undefined, 'the response broke off');
      }
    };
    run().catch((error: unknown) => {
      if (controller.signal.aborted || subscriber.closed) return;
      subscriber.error(error instanceof KubexError ? error : toTransportError(error));
    });
    return () => controller.abort();
  });
}

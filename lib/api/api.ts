import { type Observable } from 'rxjs';
import type { KubeClient } from '../client/kube-client.js';
import { TransportError } from '../errors/kubex-error.js';
import { fromRequest } from './request.js';
import { withBudget } from '../client/reconnect-budget.js';
import { redactUrl } from '../client/redact-url.js';
import {
  PATCH_CONTENT_TYPES, decodeListOrStatus, decodeObject, decodeObjectOrStatus, deleteBody, nameOf, namespaceOf, objectBody, writeQuery,
  type DeleteOptions, type ObjectCallOptions, type ObjectInput, type PatchOptions, type WriteOptions,
} from './crud.js';
import { PartialObjectMetadata, type Status } from '../watch/codecs.js';
import { itemPath } from '../resource/define-resource.js';
import { EMPTY, expand, map, reduce } from 'rxjs';
import { Informer, type InformerObject, type InformerOptions } from '../informer/informer.js';
import { decodeList, listQuery, validateListOptions, type ListOptions, type ObjectList } from './list.js';
import { collectionPath, type Resource } from '../resource/define-resource.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from '../stream/index.js';
import { forEachChunk } from '../stream/for-each-chunk.js';
import { decodeWatchEvent } from '../watch/decode-event.js';
import { ON_REJECTED_OBJECT } from '../watch/rejected-object.js';
import type { WatchEvent } from '../watch/watch-event.js';
import { validateWatchOptions, watchQuery, type WatchOptions } from './watch-options.js';

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
  /** Accept headers of reads: plain JSON, or metadata-only (see {@link Api.metadata}). */
  #accept: { readonly object: string; readonly list: string } = { object: 'application/json', list: 'application/json' };
  /** A metadata-only Api: reads only. */
  #metadataOnly = false;

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
    const accept = this.#accept.object;
    // Every watch request waits for a token of the client's reconnect budget (at once while the burst lasts); the
    // wait is part of the subscription, so unsubscribing while waiting sends nothing and gives the token back.
    const onWait = (ms: number): void => client.log.debug(`GET ${redactUrl(client.url({ path }))} (watch) waited ${ms} ms for the client's reconnect budget`);
    return withBudget(client.reconnectBudget, fromRequest<WatchEvent<T>>(
      client,
      // Read the cursor now, at subscription time, so a retry resumes from where the stream got to.
      () => ({ path, query: watchQuery(options), headers: { Accept: accept } }),
      async (response, subscriber, what) => {
        if (response.body === null) throw new TransportError(`${what}: the response has no body`);
        options.onConnected?.();
        // Each chunk is split synchronously as it arrives (no promise per line or per chunk) and each event is
        // emitted as soon as its line is complete. An ERROR event or an undecodable line throws out of push(),
        // which stops reading and releases the body; the teardown aborts the request.
        const splitter = new LineSplitter({ maxLineBytes });
        const onRejected = options[ON_REJECTED_OBJECT];
        const onLine = (line: string): void => {
          if (subscriber.closed) return;
          if (onRejected === undefined) {
            subscriber.next(decodeWatchEvent(line, codec));
            return;
          }
          // The informer's decodeErrors: 'skip': an object its codec rejects is reported and left out.
          const event = decodeWatchEvent(line, codec, onRejected);
          if (event !== undefined) subscriber.next(event);
        };
        await forEachChunk(response.body, (chunk) => {
          splitter.push(chunk, onLine);
          return subscriber.closed;
        });
        if (subscriber.closed) return;
        splitter.end(onLine);
        subscriber.complete();
      },
    ), onWait);
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
  informer<O extends T & InformerObject>(this: Api<O>, options: InformerOptions<O> = {}): Informer<O> {
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
    const accept = this.#accept.list;
    return fromRequest<ObjectList<T>>(
      this.client,
      () => ({ path, query: listQuery(options), headers: { Accept: accept } }),
      async (response, subscriber) => {
        const text = await response.text();
        subscriber.next(decodeList(text, resource, options[ON_REJECTED_OBJECT]));
        subscriber.complete();
      },
    );
  }

  /**
   * The same resource, metadata only: reads (`watch$`, `list$`, `listAll$`, `get$`, `informer`) ask the server for
   * `PartialObjectMetadata` (name, labels, annotations, owner references, resourceVersion...) instead of whole
   * objects, which saves bandwidth and memory when the rest is not needed (kubex's `api.metadata`). Writes are not
   * available on it.
   *
   * @example
   * ```ts
   * pods.metadata().watch$().subscribe((e) => e.type !== 'BOOKMARK' && console.log(e.object.metadata.labels));
   * ```
   * @since 0.1.0
   */
  metadata(): Api<PartialObjectMetadata> {
    const resource: Resource<PartialObjectMetadata> = Object.freeze({
      ...this.resource,
      apiVersion: 'meta.k8s.io/v1',
      kind: 'PartialObjectMetadata',
      codec: PartialObjectMetadata,
    });
    const api = new Api(resource, { client: this.client, namespace: this.namespace ?? null });
    api.#metadataOnly = true;
    api.#accept = {
      object: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
      list: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
    };
    return api;
  }

  /**
   * Lists every page: follows `metadata.continue` until the last page and emits one list holding all items, at the
   * first page's resourceVersion (the server keeps the pages consistent with it). `limit` sets the page size
   * (default 500, as client-go's pager). Errors as `list$`; an expired continue token is a `GoneError`.
   *
   * @example
   * ```ts
   * const all = await firstValueFrom(pods.listAll$({ namespace: null }));
   * ```
   * @since 0.1.0
   */
  listAll$(options: Omit<ListOptions, 'continue'> = {}): Observable<ObjectList<T>> {
    const pageOptions = { ...options, limit: options.limit ?? 500 };
    return this.list$(pageOptions).pipe(
      expand((page) => (page.metadata.continue ? this.list$({ ...pageOptions, continue: page.metadata.continue }) : EMPTY)),
      reduce((all: ObjectList<T> | undefined, page) =>
        all === undefined ? { ...page, metadata: { resourceVersion: page.metadata.resourceVersion } } : { ...all, items: [...all.items, ...page.items] },
      undefined),
      map((all) => all!),
    );
  }

  /**
   * Reads one object by name. Emits it, then completes; a missing object is a `NotFoundError`.
   * @since 0.1.0
   */
  get$(name: string, options: ObjectCallOptions = {}): Observable<T> {
    const path = this.#itemPath(name, options.namespace, 'get$');
    const { resource } = this;
    const accept = this.#accept.object;
    return fromRequest<T>(this.client, () => ({ path, headers: { Accept: accept } }), async (response, subscriber) => {
      subscriber.next(decodeObject(await response.text(), resource));
      subscriber.complete();
    });
  }

  /**
   * Creates an object (`POST`). `metadata.generateName` lets the server pick the name. Emits the object as
   * stored (with its name, uid and resourceVersion). `ConflictError` when the name is taken, `InvalidError` when
   * the server rejects the object.
   *
   * @example
   * ```ts
   * const pod = await firstValueFrom(pods.create$({ metadata: { generateName: 'example-pod-' }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } }));
   * ```
   * @since 0.1.0
   */
  create$(object: ObjectInput<T>, options: WriteOptions = {}): Observable<T> {
    const namespace = options.namespace ?? namespaceOf(object);
    const path = collectionPath(this.resource, this.#namespaceFor(namespace, 'create$'));
    return this.#write('POST', path, objectBody(this.resource, object), writeQuery(options));
  }

  /**
   * Replaces an object (`PUT`) with the one given, found by its `metadata.name`. With `metadata.resourceVersion`
   * set, the server refuses (`ConflictError`) if the object changed since: optimistic concurrency.
   * @since 0.1.0
   */
  replace$(object: ObjectInput<T>, options: WriteOptions = {}): Observable<T> {
    const name = nameOf(object, 'replace$');
    const path = this.#itemPath(name, options.namespace ?? namespaceOf(object), 'replace$');
    return this.#write('PUT', path, objectBody(this.resource, object), writeQuery(options));
  }

  /**
   * Patches an object: `type` `merge` (default), `strategic`, `json` (an array of RFC 6902 operations) or `apply`
   * (server-side apply: give `fieldManager`, and `force` to take over conflicting fields). Emits the result.
   *
   * @example
   * ```ts
   * pods.patch$('web-0', { metadata: { labels: { tier: 'frontend' } } }).subscribe();
   * pods.patch$('web-0', [{ op: 'remove', path: '/metadata/labels/tier' }], { type: 'json' }).subscribe();
   * ```
   * @since 0.1.0
   */
  patch$(name: string, patch: unknown, options: PatchOptions = {}): Observable<T> {
    const type = options.type ?? 'merge';
    if (!(type in PATCH_CONTENT_TYPES)) throw new TypeError(`patch$: unknown patch type ${JSON.stringify(type)}`);
    if (type === 'json' && !Array.isArray(patch)) throw new TypeError('patch$: a JSON patch is an array of operations');
    if (type === 'apply' && !options.fieldManager) throw new TypeError('patch$: server-side apply needs a fieldManager');
    if (options.force !== undefined && type !== 'apply') throw new TypeError('patch$: force is for server-side apply only');
    const path = this.#itemPath(name, options.namespace, 'patch$');
    return this.#write('PATCH', path, JSON.stringify(patch), writeQuery(options), PATCH_CONTENT_TYPES[type]);
  }

  /**
   * Deletes an object. Emits what the server answers, then completes: a `Success` Status for most kinds
   * (ConfigMap, Secret, Deployment, custom resources), the object as it was last for those that return it (Pod,
   * Service, Namespace), or the object still there with `metadata.deletionTimestamp` set while finalizers hold it
   * back. {@link isStatus} tells them apart and narrows the type. A missing object is a `NotFoundError`; failed
   * `preconditions` a `ConflictError`. Unsubscribing aborts the request.
   *
   * @example
   * ```ts
   * const result = await firstValueFrom(pods.delete$('web-0'));
   * if (isStatus(result)) console.log('deleted', result.details?.name);
   * else console.log(result.metadata.deletionTimestamp ? 'terminating' : 'deleted', result.metadata.name);
   * ```
   * @since 0.1.0
   */
  delete$(name: string, options: DeleteOptions = {}): Observable<T | Status> {
    this.#checkWritable();
    const path = this.#itemPath(name, options.namespace, 'delete$');
    const body = deleteBody(options);
    const { resource } = this;
    return fromRequest<T | Status>(
      this.client,
      () => ({ method: 'DELETE', path, ...(body !== undefined ? { body } : {}) }),
      async (response, subscriber) => {
        subscriber.next(decodeObjectOrStatus(await response.text(), resource));
        subscriber.complete();
      },
    );
  }

  /**
   * Deletes every object matching the selectors in the namespace (`DELETE` on the collection). Emits the list of
   * deleted objects (or the server's Status: see {@link isStatus}).
   * @since 0.1.0
   */
  deleteCollection$(options: Omit<DeleteOptions, 'preconditions'> & Pick<ListOptions, 'labelSelector' | 'fieldSelector'> & { readonly namespace?: string | null } = {}): Observable<ObjectList<T> | Status> {
    this.#checkWritable();
    const namespace = options.namespace === undefined ? this.namespace : (options.namespace ?? undefined);
    const path = collectionPath(this.resource, this.#namespaceFor(namespace, 'deleteCollection$'));
    const query = listQuery({ labelSelector: options.labelSelector, fieldSelector: options.fieldSelector });
    const body = deleteBody(options);
    const { resource } = this;
    return fromRequest<ObjectList<T> | Status>(
      this.client,
      () => ({ method: 'DELETE', path, query, ...(body !== undefined ? { body } : {}) }),
      async (response, subscriber) => {
        const text = await response.text();
        subscriber.next(decodeListOrStatus(text, resource));
        subscriber.complete();
      },
    );
  }

  #write(method: string, path: string, body: string, query: URLSearchParams, contentType = 'application/json'): Observable<T> {
    this.#checkWritable();
    const { resource } = this;
    return fromRequest<T>(
      this.client,
      () => ({ method, path, query, body, headers: { 'Content-Type': contentType } }),
      async (response, subscriber) => {
        subscriber.next(decodeObject(await response.text(), resource));
        subscriber.complete();
      },
    );
  }

  #checkWritable(): void {
    if (this.#metadataOnly) throw new TypeError('a metadata-only Api (api.metadata()) cannot write; use the Api it came from');
  }

  /** The namespace a call acts in (`undefined` at cluster scope), or a `TypeError` for an impossible one. */
  #namespaceFor(namespace: string | undefined, verb: string): string | undefined {
    if (!this.resource.namespaced) {
      if (namespace !== undefined) throw new TypeError(`${verb}: ${this.resource.kind} is cluster-scoped; no namespace`);
      return undefined;
    }
    const ns = namespace ?? this.namespace;
    if (ns === undefined) throw new TypeError(`${verb}: a namespace is needed (this Api watches all namespaces)`);
    return ns;
  }

  #itemPath(name: string, namespace: string | undefined, verb: string): string {
    if (typeof name !== 'string' || name === '') throw new TypeError(`${verb}: name must be a non-empty string`);
    return itemPath(this.resource, name, this.#namespaceFor(namespace, verb));
  }
}

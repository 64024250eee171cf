/**
 * FakeApiServer: an in-process fake Kubernetes API server over real loopback HTTP, faithful to the watch protocol
 * described in `kubernetes-watch-protocol.md` (cited below as "§n" and "checklist n").
 *
 * This file is the facade: lifecycle, the programmatic API, observation and fault injection. The rules live in
 * modules named after them, as kube-apiserver organises them:
 * - `server-types.ts`: the public options, config, recorded requests, watch info and fault types;
 * - `handler.ts`: the HTTP handler (filter chain order, discovery, dispatch), with `filters.ts` (CORS,
 *   authentication and impersonation), `routing.ts` (path → route, verb, content negotiation) and
 *   `list-options.ts` (query parsing and validation);
 * - `registry.ts`: the served resource types and their per-kind rules;
 * - `reads.ts` (get, list, watch; `exact-list.ts` for `resourceVersionMatch=Exact`) and `writes.ts` (create, update,
 *   patch, delete; with `request-body.ts`, `protobuf.ts`, `write-options.ts`, `name-rules.ts`) over `store.ts`,
 *   which keeps one store per group-resource (`versions.ts`, `hpa-conversion.ts`);
 * - `strategies.ts`: each kind's strategy, composed from `kinds/` (defaulting, validation, printer columns, field
 *   labels), `status-strategies.ts` (status reset and status writes) and `crd/` (CustomResourceDefinitions and the
 *   strategies of their custom resources);
 * - `subresources.ts` (`/status`, `/scale`), `deletion.ts` (propagation, graceful deletion), `namespaces.ts`
 *   (NamespaceLifecycle admission), `review-apis.ts` (access and identity reviews);
 * - `controllers/`: what kube-controller-manager would run (garbage collector, namespace controller, kubelet stand-in);
 *   `crd/crd-controller.ts`: the apiextensions controllers;
 * - `discovery.ts` and `openapi.ts`; `table.ts` and `field-labels.ts`;
 * - `watch.ts`: one watch (events, bookmarks, snapshot, ERROR, eviction, close reasons) and the fan-out;
 * - `responses.ts`: Status, text and fault answers (`HttpError`); `wait-list.ts`: timers and waits.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Resource } from '../resource/define-resource.js';
import { testResources } from './resources.js';
import { internalErrorStatus, makeStatus } from './status.js';
import { FakeStore, recordFor, type JsonObject, type ObjectInput, type StoreResource } from './store.js';
import { FakeAuth } from './auth.js';
import { createTestPki, type TestCertificate, type TestPki } from './pki.js';
import { allKinds } from './all-kinds.js';
import { REVIEW_DISCOVERY } from './review-apis.js';
import type { ObjectValidator } from './writes.js';
import type {
  FakeApiServerConfig,
  FakeApiServerOptions,
  HttpFault,
  RecordedRequest,
  RegisterOptions,
  WatchErrorInput,
  WatchInfo,
} from './server-types.js';
import { timer, WaitList } from './wait-list.js';
import { ResourceRegistry, type Registered } from './registry.js';
import { strategyContext } from './kinds/index.js';
import { groupResourceKey } from './versions.js';
import { OpenWatches, type ServerInternals, type Watch } from './watch.js';
import { ReadHandlers } from './reads.js';
import { RequestHandler } from './handler.js';
import { CRD_RESOURCE, CrdController } from './crd/crd-controller.js';
import { Controllers } from './controllers/index.js';
import { deleteObject } from './deletion.js';
import { NAMESPACES_KEY, SYSTEM_NAMESPACES, assertNamespaceAdmits, systemNamespace, type NamespaceLookup } from './namespaces.js';

// The public types live in server-types.ts; `kubex-rx/testing` exports them from here, as before.
export type * from './server-types.js';

const DEFAULT_WAIT_MS = 5000;
/** Default {@link FakeApiServerOptions.maxWatchQueueBytes}: 64 MiB of unsent live events per watch. */
const DEFAULT_MAX_WATCH_QUEUE_BYTES = 64 * 1024 * 1024;
/** etcd's default request size limit, which kube-apiserver uses as its body limit (`MaxRequestBodyBytes`, 3 MiB). */
const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

/** The TLS material a server runs with. */
interface ServerTls {
  readonly server: TestCertificate;
  readonly ca: string | undefined;
  readonly pki: TestPki | undefined;
}

/**
 * An in-process fake Kubernetes API server on real loopback HTTP, for tests of watch clients.
 *
 * It serves GET list, GET object and GET watch for registered resource types under `/api/v1` and `/apis/G/V`, with
 * one global resourceVersion, a bounded event history (410 on too-old RVs), bookmarks, `sendInitialEvents` with its
 * validation and end bookmark, selectors, timeouts, and fault injection.
 *
 * Writes come over HTTP as on kube-apiserver (POST create, PUT replace, PATCH with JSON merge, JSON, strategic merge
 * and server-side apply patches, DELETE with finalizers and preconditions, deletecollection, `dryRun=All`, validation
 * hooks through {@link FakeApiServer.setValidator}), or programmatically ({@link FakeApiServer.create} and friends).
 * Both go through the same store and reach open watches synchronously.
 *
 * Like a cluster, it has the namespaces `default`, `kube-system`, `kube-public` and `kube-node-lease` from the start
 * and refuses content in any other namespace until it is created (404 `namespaces "x" not found`). A DELETE applies
 * the propagation policy (each kind's default: batch/v1 Jobs and v1 ReplicationControllers orphan) and deletes Pods
 * gracefully; the built-in controllers a cluster always runs (garbage collector, namespace controller, and a
 * stand-in kubelet; see {@link FakeApiServerOptions.controllers}) finish what the DELETE started.
 *
 * @example
 * ```ts
 * const server = await FakeApiServer.start({ bookmarkIntervalMs: 50 });
 * server.create(testResources.Pod, { metadata: { name: 'a', namespace: 'ns' } });
 * const res = await fetch(`${server.url}/api/v1/namespaces/ns/pods?watch=1&allowWatchBookmarks=true`);
 * // ... read lines ...
 * await server.close();
 * ```
 * @since 0.1.0
 */
export class FakeApiServer {
  /** Behaviour switches; change them at any time (they apply to requests and writes that come after). */
  readonly config: FakeApiServerConfig;
  /** Every request received, oldest first. See {@link FakeApiServer.clearRequests}. */
  readonly requests: RecordedRequest[] = [];
  /** Every watch accepted since start (open and closed), oldest first. */
  readonly watchLog: WatchInfo[] = [];

  /**
   * The live authentication settings, with {@link FakeApiServerOptions.auth}; `undefined` without (nothing is
   * authenticated). Change them during a test, e.g. to rotate a token.
   */
  readonly auth: FakeAuth | undefined;

  private readonly http: Server;
  private readonly cors: FakeApiServerOptions['cors'];
  private readonly tlsMaterial: { readonly ca: string | undefined; readonly pki: TestPki | undefined } | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly store: FakeStore;
  private readonly registry: ResourceRegistry;
  private readonly open = new OpenWatches();
  private readonly requestWaiters = new WaitList<RecordedRequest>();
  private readonly openCountWaiters = new WaitList<number>();
  private readonly closeWaiters = new WaitList<WatchInfo>();
  private faults: { remaining: number; fault: HttpFault; match: (r: RecordedRequest) => boolean }[] = [];
  private isStalled = false;
  private closing: Promise<void> | undefined;
  private readonly internals: ServerInternals;
  private baseUrl = '';
  private readonly handler: RequestHandler;
  private readonly validators = new Map<string, ObjectValidator>();
  private readonly controllers: Controllers;
  private readonly namespaceLookup: NamespaceLookup;
  private namespacesSeeded = false;

  private constructor(options: FakeApiServerOptions, tls: ServerTls | undefined) {
    this.config = {
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      bookmarkBeforeDeadlineMs: options.bookmarkBeforeDeadlineMs ?? 2000,
      minRequestTimeoutSeconds: options.minRequestTimeoutSeconds ?? 1800,
      tooLargeResourceVersionWaitMs: options.tooLargeResourceVersionWaitMs ?? 3000,
      watchListDefaulting: options.watchListDefaulting ?? true,
      watchListDisabled: options.watchListDisabled ?? false,
      pre127: options.pre127 ?? false,
      ignoreSendInitialEvents: options.ignoreSendInitialEvents ?? false,
      expiredStyle: options.expiredStyle ?? 'event',
      chunking: options.chunking ?? { mode: 'line' },
      user: options.user ?? 'system:anonymous',
      maxRequestBodyBytes: options.maxRequestBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    };
    // The kinds' strategies share per-server state: Services take their ClusterIPs and node ports from this store.
    this.registry = new ResourceRegistry(strategyContext(() => this.store.objects(groupResourceKey('', 'services'))));
    if (options.registerDefaults ?? true) for (const r of [...Object.values(testResources), CRD_RESOURCE]) this.registry.register(r);
    for (const r of typeof options.resources === 'string' ? [] : (options.resources ?? [])) this.registry.register(r);
    // The system namespaces exist before the first write: they take the RVs just below the initial one, and the
    // history starts at the initial RV as before.
    const initialRV = options.initialResourceVersion ?? 1000;
    const seedBelow = this.registry.byStoreKey(NAMESPACES_KEY) !== undefined && initialRV > SYSTEM_NAMESPACES.length;
    this.store = new FakeStore(seedBelow ? initialRV - SYSTEM_NAMESPACES.length : initialRV, options.historySize ?? 10_000);
    // CRDs written by any path become served resources (lib/testing/crd/crd-controller.ts).
    new CrdController(this.store, this.registry, (basePath, plural) => {
      for (const w of [...this.open]) if (w.resource.basePath === basePath && w.resource.plural === plural) w.end('ended');
    });
    this.controllers = new Controllers(
      {
        store: this.store,
        resources: () => this.registry.all().map((r) => r.store),
        resource: (key) => this.registry.byStoreKey(key)?.store,
      },
      options.controllers,
    );
    this.store.onEvent = (e) => {
      this.open.deliver(e);
      this.controllers.observe(e);
    };
    this.namespaceLookup = { store: this.store, namespaces: () => this.registry.byStoreKey(NAMESPACES_KEY)?.store };
    this.seedNamespaces();
    if (seedBelow) this.store.compact();
    const self = this;
    this.internals = {
      get chunking() {
        return self.config.chunking;
      },
      get stalled() {
        return self.isStalled;
      },
      maxQueueBytes: options.maxWatchQueueBytes ?? DEFAULT_MAX_WATCH_QUEUE_BYTES,
      get currentRV() {
        return self.store.currentRV;
      },
      watchClosed: (w) => this.onWatchClosed(w),
    };
    const reads = new ReadHandlers(this.store, {
      config: this.config,
      internals: this.internals,
      watchOpened: (w) => {
        this.open.add(w);
        this.watchLog.push(w);
        this.openCountWaiters.notify(this.open.size);
      },
    });
    this.handler = new RequestHandler(
      {
        config: this.config,
        get auth() {
          return self.auth;
        },
        get cors() {
          return self.cors;
        },
        get shuttingDown() {
          return self.closing !== undefined;
        },
        received: (r) => {
          this.requests.push(r);
          this.requestWaiters.notify(r);
        },
        takeFault: (r) => this.takeFault(r),
      },
      this.store,
      this.registry,
      reads,
      this.validators,
    );
    this.auth = options.auth ? new FakeAuth(options.auth, tls !== undefined) : undefined;
    this.cors = options.cors;
    this.tlsMaterial = tls ? { ca: tls.ca, pki: tls.pki } : undefined;
    // HTTPS asks for (but does not require) a client certificate and verifies it in the authenticator, as
    // kube-apiserver does (`tls.RequestClientCert`): an unknown CA is a 401, not a handshake failure.
    this.http = tls
      ? (createHttpsServer(
          { cert: tls.server.cert, key: tls.server.key, ...(tls.ca ? { ca: tls.ca } : {}), requestCert: true, rejectUnauthorized: false },
          (req, res) => this.handler.handle(req, res),
        ) as unknown as Server)
      : createServer((req, res) => this.handler.handle(req, res));
    this.http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /**
   * Starts a server listening on `127.0.0.1` and a random port.
   * @since 0.1.0
   */
  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const maxQueue: unknown = options.maxWatchQueueBytes;
    if (maxQueue !== undefined && maxQueue !== false && !(Number.isSafeInteger(maxQueue) && (maxQueue as number) > 0)) {
      throw new TypeError(`FakeApiServer: maxWatchQueueBytes must be a positive integer or false, got ${String(maxQueue)}`);
    }
    const host = options.host ?? '127.0.0.1';
    let tls: ServerTls | undefined;
    if (options.tls === true) {
      const pki = await createTestPki({ commonName: 'fake-apiserver-ca' });
      const names = [...new Set([host, 'localhost', '127.0.0.1', '::1'])];
      tls = { server: await pki.issue({ commonName: 'kube-apiserver', altNames: names, usage: ['server'] }), ca: pki.ca.cert, pki };
    } else if (options.tls) {
      tls = { server: { cert: options.tls.cert, key: options.tls.key }, ca: options.tls.ca, pki: undefined };
    }
    const which = options.resources === 'v1.35-all' ? 'all' : 'default';
    const server = new FakeApiServer(typeof options.resources === 'string' ? { ...options, resources: await allKinds(which) } : options, tls);
    // The v1.35 built-ins include the create-only review APIs (served always, listed in discovery with the built-ins).
    if (typeof options.resources === 'string') server.registry.addDiscovery(REVIEW_DISCOVERY);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(options.port ?? 0, host, () => {
        server.http.off('error', reject);
        resolve();
      });
    });
    const { port } = server.http.address() as AddressInfo;
    server.baseUrl = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return server;
  }

  /** `http://127.0.0.1:PORT` (`https://` with `tls`), no trailing slash. @since 0.1.0 */
  get url(): string {
    return this.baseUrl;
  }

  /**
   * The CA certificate (PEM) clients trust, with `tls` (for `tls: true`, the generated test CA; else the `ca`
   * given, if any). `undefined` for plain HTTP.
   * @since 0.1.0
   */
  get ca(): string | undefined {
    return this.tlsMaterial?.ca;
  }

  /**
   * Issues a client certificate signed by the test CA (with `tls: true` only) for `username` with `groups` as
   * its O entries: the server authenticates it as that user. `validDays` below 0 makes an expired one.
   * @example
   * ```ts
   * const server = await FakeApiServer.start({ tls: true, auth: {} });
   * const { cert, key } = await server.issueClientCertificate('alice', ['dev']);
   * ```
   * @since 0.1.0
   */
  issueClientCertificate(username: string, groups: readonly string[] = [], options: { readonly validDays?: number } = {}): Promise<TestCertificate> {
    const pki = this.tlsMaterial?.pki;
    if (!pki) return Promise.reject(new Error('FakeApiServer.issueClientCertificate: start the server with { tls: true }'));
    return pki.issue({ commonName: username, organizations: groups, usage: ['client'], ...(options.validDays !== undefined ? { validDays: options.validDays } : {}) });
  }

  /**
   * Stops the server: ends open watches cleanly (reason `shutdown`), answers requests still arriving with the
   * shutting-down 429 (§4.4), closes the listener and destroys sockets that are still open. Pending waits reject.
   * Idempotent; never hangs.
   * @since 0.1.0
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.controllers.stop();
      const watches = [...this.open];
      for (const w of watches) w.end('shutdown');
      this.store.cancelWaits();
      const err = new Error('FakeApiServer closed');
      this.requestWaiters.rejectAll(err);
      this.openCountWaiters.rejectAll(err);
      this.closeWaiters.rejectAll(err);
      // Give the final zero-length chunks a moment to leave, then cut whatever is left.
      await Promise.race([Promise.all(watches.map((w) => w.closed)), new Promise((r) => timer(100, () => r(undefined)))]);
      await new Promise<void>((resolve) => {
        this.http.close(() => resolve());
        this.http.closeAllConnections();
        for (const s of this.sockets) s.destroy();
      });
    })();
    return this.closing;
  }

  // ---------------------------------------------------------------- registry

  /**
   * Serves a resource type (its group-version becomes served too). Re-registering the same path replaces the
   * descriptor; a different kind or scope on the same path throws.
   * @since 0.1.0
   */
  register<T>(resource: Resource<T>, options: RegisterOptions = {}): void {
    this.registry.register(resource, options);
    this.seedNamespaces();
  }

  /** Creates the system namespaces once Namespaces are served (`kube-system`, ...: a cluster has them from the start). */
  private seedNamespaces(): void {
    const r = this.registry.byStoreKey(NAMESPACES_KEY)?.store;
    if (this.namespacesSeeded || !r) return;
    this.namespacesSeeded = true;
    for (const name of SYSTEM_NAMESPACES) if (!this.store.get(r, name, undefined)) this.store.create(r, systemNamespace(name));
  }

  private registered<T>(resource: Resource<T>): Registered {
    return this.registry.registered(resource);
  }

  // ---------------------------------------------------------------- programmatic store access

  /**
   * Creates an object (as a POST would) and returns a deep copy of what was stored. Fills `metadata.uid`,
   * `resourceVersion` (the next global RV), `creationTimestamp`, `generation: 1` for kinds whose strategy keeps a
   * generation (Deployments, Pods, custom resources, ...; see `strategies.ts`), a name from `generateName`, and
   * `namespace: "default"` for namespaced kinds when absent. Open watches see an ADDED event. As on a real cluster
   * (`NamespaceLifecycle`), the namespace must exist (`default`, `kube-system`, `kube-public` and `kube-node-lease`
   * exist from the start; create others first with `server.create(testResources.Namespace, ...)`) and not be
   * terminating.
   * @throws FakeStoreError `AlreadyExists`, `NotFound` (no such namespace), `Forbidden` (terminating namespace), or
   * `Invalid` (no name, kind/apiVersion mismatch, namespace on a cluster-scoped kind).
   * @since 0.1.0
   */
  create<T>(resource: Resource<T>, obj: ObjectInput): T {
    const r = this.registered(resource).store;
    if (r.namespaced) {
      const m = (obj.metadata ?? {}) as JsonObject;
      const ns = typeof m['namespace'] === 'string' && m['namespace'] !== '' ? m['namespace'] : 'default';
      assertNamespaceAdmits(this.namespaceLookup, r, ns, obj as JsonObject);
    }
    return this.store.create(r, FakeApiServer.defaulted(r, obj)).copy() as T;
  }

  /** The seeding path defaults as a real server's decoder would (`KindStrategy.defaults`), on a copy. */
  private static defaulted(r: StoreResource, obj: ObjectInput): ObjectInput {
    if (!r.strategy.defaults) return obj;
    const copy = JSON.parse(JSON.stringify(obj)) as JsonObject;
    r.strategy.defaults(copy);
    return copy;
  }

  /**
   * Replaces an existing object (as a PUT would); returns the stored copy. Keeps uid and creationTimestamp, takes the
   * next RV, bumps `generation` (for kinds that keep one) when anything outside metadata/status changed. A
   * `metadata.resourceVersion` that is set must be the current one. Open watches see MODIFIED (or ADDED/DELETED when it
   * enters/leaves their selector). An update that changes nothing is not written, as on a real server (etcd3
   * `GuaranteedUpdate`): the stored object comes back with its resourceVersion, and watches see nothing.
   * @throws FakeStoreError `NotFound`, `Conflict`, `Invalid`.
   * @since 0.1.0
   */
  update<T>(resource: Resource<T>, obj: ObjectInput): T {
    const r = this.registered(resource).store;
    return this.store.update(r, FakeApiServer.defaulted(r, obj)).copy() as T;
  }

  /**
   * Deletes an object (as a DELETE would); returns its last state carrying the deletion RV, which is also what
   * watches get in DELETED (§10). An object with `metadata.finalizers` is only marked (two-phase deletion, §10):
   * `deletionTimestamp` is set, watches see MODIFIED, and the returned state is the marked one; the object goes away
   * (DELETED) when an update removes its last finalizer. `namespace` defaults to `default` for namespaced kinds.
   *
   * This is the storage-level delete, as a test's seeding needs it: no propagation policy is applied and Pods have no
   * grace period (a DELETE over HTTP does both; see `DeleteOptions`). The garbage collector still deletes the
   * dependents of a deleted owner in the background. A Namespace is the exception: it goes through the namespace
   * registry's delete (marked Terminating; the namespace controller empties it, then it goes), so the returned state
   * is the Terminating namespace.
   * @throws FakeStoreError `NotFound`.
   * @since 0.1.0
   */
  delete<T>(resource: Resource<T>, name: string, namespace?: string): T {
    const r = this.registered(resource).store;
    // A Namespace is only marked Terminating; the namespace controller empties it, then it goes.
    if (r.key === NAMESPACES_KEY) return deleteObject(this.store, r, name, undefined, {}).record.copy() as T;
    return this.store.delete(r, name, namespace).copy() as T;
  }

  /**
   * A deep copy of one object, or `undefined`. `namespace` defaults to `default` for namespaced kinds.
   * @since 0.1.0
   */
  get<T>(resource: Resource<T>, name: string, namespace?: string): T | undefined {
    return this.store.get(this.registered(resource).store, name, namespace)?.copy() as T | undefined;
  }

  /**
   * Deep copies of the objects of a kind (one namespace, or all when omitted), sorted by namespace/name.
   * @since 0.1.0
   */
  list<T>(resource: Resource<T>, namespace?: string): T[] {
    const r = this.registered(resource).store;
    return this.store.snapshot(r.key, namespace).map((rec) => recordFor(r, rec).copy() as T);
  }

  /**
   * Advances the global resourceVersion by `n` with no event, as writes to other kinds do, so that watched kinds see
   * gaps (§6, checklist 8). Later bookmarks carry the advanced RV.
   * @since 0.1.0
   */
  burnRevisions(n: number): void {
    this.store.burn(n);
  }

  /** The current global resourceVersion, as a decimal string. @since 0.1.0 */
  get resourceVersion(): string {
    return String(this.store.currentRV);
  }

  /**
   * Drops the whole event history: a watch from any RV below the current one then gets "too old resource version"
   * (410, §4.2). Open watches are not affected.
   * @since 0.1.0
   */
  compact(): void {
    this.store.compact();
  }

  /** Every event with an RV above this is still in the history; a watch from an older RV expires. @since 0.1.0 */
  get oldestResourceVersion(): string {
    return String(this.store.historyBoundaryRV);
  }

  /**
   * Installs (or, with `undefined`, removes) a validation hook for a resource type, run on every HTTP create,
   * update and patch (apply included, dry runs too) after the built-in checks. Field errors it returns make the
   * server answer 422 Invalid with the real body: message `<Kind>[.<group>] "<name>" is invalid: <field>: <body>`,
   * `details: {name, group, kind, causes: [{reason, message, field}]}` (compare `fixtures/status-422-invalid.json`).
   * Programmatic writes ({@link FakeApiServer.create} and friends) are not validated.
   * @example
   * ```ts
   * server.setValidator(testResources.ConfigMap, (cm) =>
   *   (cm as { data?: Record<string, string> }).data?.['key'] ? [] : [{ field: 'data.key', type: 'FieldValueRequired' }]);
   * ```
   * @since 0.1.0
   */
  setValidator<T>(resource: Resource<T>, validator: ObjectValidator | undefined): void {
    const key = this.registered(resource).store.key;
    if (validator) this.validators.set(key, validator);
    else this.validators.delete(key);
  }

  // ---------------------------------------------------------------- observation

  /** Forgets the recorded requests. @since 0.1.0 */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /**
   * Resolves with the next request (received after this call) that satisfies `predicate`.
   * Rejects after `timeoutMs` (default 5000) or when the server closes.
   * @since 0.1.0
   */
  nextRequest(predicate: (r: RecordedRequest) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    return this.requestWaiters.wait(predicate, timeoutMs, 'a matching request');
  }

  /** How many watch responses are open right now. @since 0.1.0 */
  get openWatches(): number {
    return this.open.size;
  }

  /** The watches open right now. @since 0.1.0 */
  get watches(): WatchInfo[] {
    return [...this.open];
  }

  /**
   * Resolves once exactly `n` watches are open (at once if that is already so).
   * Rejects after `timeoutMs` (default 5000) or when the server closes.
   * @since 0.1.0
   */
  waitForOpenWatches(n: number, timeoutMs = DEFAULT_WAIT_MS): Promise<number> {
    if (this.open.size === n) return Promise.resolve(n);
    return this.openCountWaiters.wait((c) => c === n, timeoutMs, `${n} open watches`);
  }

  /**
   * Resolves with the next watch that closes (after this call) and satisfies `predicate`; its `closeReason` says
   * who closed it (`client` proves the server saw the client's socket close). For a race-free check on a known
   * watch, await `watch.closed` from {@link FakeApiServer.watchLog} instead.
   * Rejects after `timeoutMs` (default 5000) or when the server closes.
   * @since 0.1.0
   */
  waitForWatchClosed(predicate: (w: WatchInfo) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<WatchInfo> {
    return this.closeWaiters.wait(predicate, timeoutMs, 'a watch to close');
  }

  // ---------------------------------------------------------------- fault injection

  /**
   * Answers the next `count` requests that satisfy `match` (default: any) with `fault` instead of serving them.
   * Faults queue up in call order; each request consumes at most one.
   * @example
   * ```ts
   * server.failNext(2, { type: 'TooManyRequests', retryAfterSeconds: 1 });
   * ```
   * @since 0.1.0
   */
  failNext(count: number, fault: HttpFault, match: (r: RecordedRequest) => boolean = () => true): void {
    if (count > 0) this.faults.push({ remaining: count, fault, match });
  }

  /** Forgets faults not yet used. @since 0.1.0 */
  clearFaults(): void {
    this.faults = [];
  }

  /**
   * Stops writing to every watch (open now or opened later; headers are still sent): events queue up until
   * {@link FakeApiServer.resumeWatches}. Simulates a stream that goes quiet. The queue bound
   * ({@link FakeApiServerOptions.maxWatchQueueBytes}) still applies: a watch whose held-back live events pass it is
   * evicted (`unresponsive`), as the real cacher would evict a watcher that stops taking events.
   * @since 0.1.0
   */
  stallWatches(): void {
    this.isStalled = true;
  }

  /** Writes everything held by {@link FakeApiServer.stallWatches}, and carries on normally. @since 0.1.0 */
  resumeWatches(): void {
    this.isStalled = false;
    for (const w of this.open) w.output.kick();
  }

  /** Whether watches are stalled. @since 0.1.0 */
  get stalled(): boolean {
    return this.isStalled;
  }

  /**
   * Abruptly destroys the sockets of open watches (not a clean end: no terminating chunk). With `midLine`, each
   * watch first writes the first half of its next line (queued, or the next event to come), then dies.
   * Returns how many watches were hit; their close reason is `dropped`.
   * @since 0.1.0
   */
  dropConnections(options: { readonly midLine?: boolean; readonly match?: (w: WatchInfo) => boolean } = {}): number {
    const hit = [...this.open].filter((w) => options.match?.(w) ?? true);
    for (const w of hit) w.drop(options.midLine ?? false);
    return hit.length;
  }

  /**
   * Ends open watches cleanly at the next line boundary, like the server-side timeout (§5). Returns how many.
   * @since 0.1.0
   */
  endWatches(match: (w: WatchInfo) => boolean = () => true): number {
    const hit = [...this.open].filter(match);
    for (const w of hit) w.end('ended');
    return hit.length;
  }

  /**
   * Evicts open watches as the cacher does a slow consumer (§5, checklist 16), as if their unsent events had passed
   * {@link FakeApiServerOptions.maxWatchQueueBytes}: each is closed cleanly with no ERROR event, lines not yet
   * written are discarded, the body ends at a line boundary, and its close reason is `unresponsive` (set at once).
   * Watches already ending (an ERROR queued, an end or a drop requested) are left alone. Returns how many were
   * evicted. A client should re-watch from its last resourceVersion and miss nothing.
   * @example
   * ```ts
   * server.stallWatches();
   * server.create(testResources.Pod, { metadata: { name: 'a', namespace: 'ns' } }); // queued, never written
   * server.evictWatches((w) => w.resource.plural === 'pods'); // discarded: the client must re-watch to see it
   * server.resumeWatches();
   * ```
   * @since 0.1.0
   */
  evictWatches(match: (w: WatchInfo) => boolean = () => true): number {
    let evicted = 0;
    // evict() leaves a watch that is already ending (ERROR queued, end or drop requested) alone and says so.
    for (const w of [...this.open]) if (match(w) && w.evict()) evicted++;
    return evicted;
  }

  /**
   * Sends one in-stream ERROR event to open watches, then closes them cleanly (§4.5, checklist 19). Lines already
   * queued go out first. Default: 500 InternalError. Returns how many watches were hit.
   * @example
   * ```ts
   * server.injectWatchError({ code: 410, reason: 'Expired', message: 'too old resource version: 5 (10)' });
   * server.injectWatchError({ code: 429, reason: 'TooManyRequests', retryAfterSeconds: 2 });
   * ```
   * @since 0.1.0
   */
  injectWatchError(error: WatchErrorInput = { code: 500 }, match: (w: WatchInfo) => boolean = () => true): number {
    const status =
      'kind' in error
        ? error
        : error.code === 500 && !error.reason && !error.message && !error.details
          ? internalErrorStatus('injected watch error', error.retryAfterSeconds)
          : makeStatus({
              code: error.code,
              reason: error.reason,
              message: error.message,
              details:
                error.retryAfterSeconds !== undefined ? { ...error.details, retryAfterSeconds: error.retryAfterSeconds } : error.details,
            });
    const hit = [...this.open].filter((w) => !w.output.terminal && match(w));
    for (const w of hit) w.fail(status);
    return hit.length;
  }

  /**
   * Writes raw text to open watches as the next "line", exactly as given: what a broken server or proxy might
   * send (malformed JSON, an unknown event type, an object of the wrong shape). Add the trailing `\n` yourself
   * to end the line. Returns how many watches were hit. Real servers never do this; use it to test clients'
   * handling of bad input.
   * @example
   * ```ts
   * server.injectRawLine('{"type":"ADDED","object":\n'); // truncated JSON
   * ```
   * @since 0.1.0
   */
  injectRawLine(text: string, match: (w: WatchInfo) => boolean = () => true): number {
    const hit = [...this.open].filter((w) => !w.output.terminal && match(w));
    for (const w of hit) w.output.push(text);
    return hit.length;
  }

  /**
   * Sends a (non-annotated) bookmark now to every live watch with `allowWatchBookmarks=true` whose last sent RV is
   * below the global RV, as the periodic timer does (§3.2).
   * @since 0.1.0
   */
  sendBookmarks(): void {
    for (const w of this.open) w.maybeBookmark();
  }

  // ---------------------------------------------------------------- HTTP

  private onWatchClosed(w: Watch): void {
    this.open.delete(w);
    this.openCountWaiters.notify(this.open.size);
    this.closeWaiters.notify(w);
  }

  // ---------------------------------------------------------------- responses

  private takeFault(r: RecordedRequest): HttpFault | undefined {
    const i = this.faults.findIndex((f) => f.match(r));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    if (--f.remaining <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

}


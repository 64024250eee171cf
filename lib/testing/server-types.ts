/**
 * The public types of the FakeApiServer's API: its options and live config, what it records of requests and
 * watches, and the faults it can inject. Public: re-exported by `fake-api-server.ts` and `kubex-rx/testing`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Resource } from '../resource/define-resource.js';
import type { StatusBody, StatusDetailsBody } from './status.js';
import type { FakeAuthOptions, RequestAuth } from './auth.js';
import type { ChunkingMode } from './watch-output.js';
import type { NameRule } from './name-rules.js';

/**
 * How the server answers a watch whose resourceVersion is older than its history (§4.2, checklist 13):
 * - `event`: HTTP 200, one ERROR `{code: 410, reason: "Expired"}`, clean close (kube-apiserver today);
 * - `event-gone`: the same with `reason: "Gone"` (servers up to 1.17);
 * - `http`: an HTTP 410 Status response, before any 200;
 * - `empty`: HTTP 200 then an immediate clean close with no event (the Events quirk, kubernetes#104171).
 *
 * @since 0.1.0
 */
export type ExpiredStyle = 'event' | 'event-gone' | 'http' | 'empty';

/**
 * Server behaviour that tests may change at any time through {@link FakeApiServer.config}.
 * @since 0.1.0
 */
export interface FakeApiServerConfig {
  /** Period of the periodic bookmarks sent to watches with `allowWatchBookmarks=true` (§3.2; real: 60 000). Default 60 000 ms; `0` disables. */
  bookmarkIntervalMs: number;
  /** How long before a watch's deadline its last bookmark goes out (§3.2; real: about 2 s). Default 2000 ms. */
  bookmarkBeforeDeadlineMs: number;
  /** `--min-request-timeout`: a watch without `timeoutSeconds` lives a random time in [min, 2·min) (§5). Default 1800 s. */
  minRequestTimeoutSeconds: number;
  /** How long a `sendInitialEvents` watch from a future RV waits before the in-stream 504 (§4.3; real: 3 s). Default 3000 ms. */
  tooLargeResourceVersionWaitMs: number;
  /**
   * The server-side defaulting step (§1.3, checklist 5): with WatchList on, a watch with RV `""`/`"0"` and neither
   * `sendInitialEvents` nor `resourceVersionMatch` is served as `sendInitialEvents=true`, so with bookmarks allowed
   * its initial events end with the annotated bookmark. Default `true` (kube-apiserver 1.32, 1.34+).
   */
  watchListDefaulting: boolean;
  /** The `WatchList` gate is off: any `sendInitialEvents` on a watch gets 422 (§1.3 rule 2; checklist 4). Default `false`. */
  watchListDisabled: boolean;
  /** Behave like a server older than 1.27: 422 on any `resourceVersionMatch` on a watch, `sendInitialEvents` ignored (§1.3). */
  pre127: boolean;
  /**
   * A broken server (checklist 10, §7.5 pitfall): accepts `sendInitialEvents`/`resourceVersionMatch` with 200 but
   * ignores them, serving a legacy watch, so the initial-events-end bookmark never comes. Default `false`.
   */
  ignoreSendInitialEvents: boolean;
  /** How a too-old RV is answered. Default `event`. */
  expiredStyle: ExpiredStyle;
  /** How watch lines are cut into writes (checklist 7). Default `{ mode: 'line' }`. */
  chunking: ChunkingMode;
  /** The user named in injected 403 messages. Default `system:anonymous`. */
  user: string;
  /** Request bodies above this many bytes get 413 RequestEntityTooLarge. Default 3 MiB (3 145 728), kube-apiserver's. */
  maxRequestBodyBytes: number;
}

/**
 * Which built-in controllers run ({@link FakeApiServerOptions.controllers}); each defaults to `true`.
 * @example
 * ```ts
 * // Watch a Job stay Terminating with its `orphan` finalizer: no garbage collector removes it.
 * const server = await FakeApiServer.start({ controllers: { garbageCollector: false } });
 * ```
 * @since 0.3.0
 */
export interface BuiltInControllers {
  /**
   * kube-controller-manager's garbage collector: deletes dependents whose owners (`metadata.ownerReferences`) are
   * gone, finishes `propagationPolicy: Foreground` (deletes the dependents, then removes the owner's
   * `foregroundDeletion` finalizer) and `Orphan` (removes the references to the owner, then its `orphan` finalizer).
   */
  readonly garbageCollector?: boolean;
  /**
   * kube-controller-manager's namespace controller: a deleted (Terminating) namespace is emptied of every namespaced
   * object, then its `kubernetes` finalizer is removed and it goes.
   */
  readonly namespaceLifecycle?: boolean;
  /**
   * A stand-in kubelet: a Pod deleted gracefully (bound to a node, grace period above 0) is deleted for good when its
   * grace period ends, as the kubelet does once its containers have stopped. Off: such pods stay Terminating until a
   * DELETE with `gracePeriodSeconds: 0`.
   */
  readonly kubelet?: boolean;
}

/**
 * Options of {@link FakeApiServer.start}: any {@link FakeApiServerConfig} field, plus start-time settings.
 * @since 0.1.0
 */
export interface FakeApiServerOptions extends Partial<FakeApiServerConfig> {
  /** Interface to bind. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port. Default `0` (random). */
  readonly port?: number;
  /** The global resourceVersion before the first write; history starts here. Default 1000. */
  readonly initialResourceVersion?: number;
  /** How many events (all kinds together) the history keeps for watches resuming from an RV. Default 10 000. */
  readonly historySize?: number;
  /**
   * The built-in controllers, all on by default since a cluster always runs them: the garbage collector, the
   * namespace controller and a stand-in kubelet that finishes graceful pod deletion (see {@link BuiltInControllers}).
   * `false` turns them all off; an object turns single ones off. Namespace *existence* is checked whatever this says
   * (it is the API server's `NamespaceLifecycle` admission).
   * @since 0.3.0
   */
  readonly controllers?: BuiltInControllers | false;
  /**
   * Register {@link testResources} (Pod, ConfigMap, Secret, Service, Namespace, Node, Deployment) and
   * `apiextensions.k8s.io/v1` CustomResourceDefinition (a CRD written to the server gets Established and its resource
   * served). Default `true`.
   */
  readonly registerDefaults?: boolean;
  /**
   * More resource types to serve; `'v1.35'`: every built-in kind that a default kube-apiserver v1.35 serves (its
   * GA group-versions; no alpha or beta version is on by default), from the generated v1.35 models
   * ({@link allKinds}, loaded on demand), so discovery lists what a real cluster lists and `kubectl` can address any
   * of them; `'v1.35-all'`: every generated kind, alpha and beta versions included (as `--runtime-config=api/all=true`).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any codec type
  readonly resources?: readonly Resource<any>[] | 'v1.35' | 'v1.35-all';
  /**
   * Serve HTTPS. `true`: a new test CA and a server certificate for the host, `localhost`, `127.0.0.1` and `::1`
   * are made at start (needs the node-forge package); clients trust {@link FakeApiServer.ca} and get client
   * certificates from {@link FakeApiServer.issueClientCertificate}. Or bring your own PEM `cert`/`key`, with the
   * `ca` that signs accepted client certificates. Default: plain HTTP.
   */
  readonly tls?: boolean | FakeTlsOptions;
  /**
   * Authenticate requests (bearer tokens, basic auth, client certificates, anonymous) and authorize them, as
   * kube-apiserver does: 401 for missing or wrong credentials, 403 when `authorize` says no. Impersonation headers
   * are honoured and recorded ({@link RecordedRequest.auth}). Default: no authentication, everything is served.
   */
  readonly auth?: FakeAuthOptions;
  /**
   * Answer cross-origin requests, as kube-apiserver does with `--cors-allowed-origins` (its `WithCORS` filter), so a
   * page in a browser can watch this server: `true` allows any origin; or list the allowed origins (exact strings or
   * patterns). Preflight `OPTIONS` requests are answered 204 before authentication and are not recorded.
   * Default: no CORS headers (browsers then refuse cross-origin calls, as they do with a default kube-apiserver).
   */
  readonly cors?:
    | boolean
    | {
        /** The allowed `Origin` values: exact strings, or regular expressions the `Origin` header is tested with. */
        readonly origins: readonly (string | RegExp)[];
      };
  /**
   * Bound on each watch's unsent queue, in UTF-8 bytes of live event lines written by the server but not yet
   * handed to the socket (a client that does not read, or reads slower than events come, makes it grow).
   * Like the cacher, whose per-watcher buffer is bounded and which closes a watcher that stays full ("Forcing ...
   * watcher close due to unresponsiveness", protocol sheet §5 and checklist 16): when queuing one more event would
   * pass the bound, the watch is closed cleanly, with no ERROR event. Lines not yet written are discarded, the body
   * ends at a line boundary after what was already written, and {@link WatchInfo.closeReason} is `unresponsive`
   * (set at once, even while the client still has bytes to read). The client sees EOF and re-watches from its
   * last resourceVersion, getting the discarded events again from the history.
   *
   * Only live events count. The initial events and the history replay a watch starts with are not counted (the
   * real watcher pulls those from its cache), and a periodic bookmark that would pass the bound is skipped rather
   * than evicting (the cacher offers bookmarks without blocking). A single event larger than the bound is still
   * accepted when nothing else is queued. The bound also applies while {@link FakeApiServer.stallWatches} holds
   * writes back: a stalled stream is an unresponsive one to the real cacher. To evict on demand, see
   * {@link FakeApiServer.evictWatches}.
   *
   * A positive integer, or `false` for no bound (queues grow without limit). Anything else makes
   * {@link FakeApiServer.start} reject with a `TypeError`. Default 64 MiB (67 108 864).
   * @since 0.1.0
   */
  readonly maxWatchQueueBytes?: number | false;
}

/**
 * Bring-your-own TLS material for {@link FakeApiServerOptions.tls}.
 * @since 0.1.0
 */
export interface FakeTlsOptions {
  /** The server certificate (PEM). */
  readonly cert: string;
  /** Its private key (PEM). */
  readonly key: string;
  /** The CA (PEM) that signs client certificates the server accepts. */
  readonly ca?: string;
}

/**
 * Options of {@link FakeApiServer.register}.
 * @since 0.1.0
 */
export interface RegisterOptions {
  /**
   * Extra zero-valued fields of a BOOKMARK object for this kind (§3.1), e.g. `{ spec: { containers: null }, status: {} }`
   * for Pod. Default: the built-in skeleton for known kinds, none for others (like unstructured CRDs).
   */
  readonly bookmarkSkeleton?: Readonly<Record<string, unknown>>;
  /**
   * What a DELETE that removes the object answers: `object` (the last state, like Pod, Service, Namespace, whose
   * registries set `ReturnDeletedObject`) or `status` (a `Success` Status with `details.{name, group, kind, uid}`,
   * like ConfigMap, Secret, Deployment, Node and custom resources). Default: `object` for pods, services and
   * namespaces, `status` for everything else.
   */
  readonly deleteResponse?: 'object' | 'status';
  /**
   * Whether PATCH accepts `application/strategic-merge-patch+json`. Default: `true` for built-in groups (no dot, or
   * ending in `.k8s.io`), `false` for others, which the real server serves as custom resources (415 on strategic merge).
   */
  readonly strategicMergePatch?: boolean;
  /** The built-in `metadata.name` rule on create. Default: `label` for namespaces, `label1035` for services, else `subdomain`. */
  readonly nameRule?: NameRule;
  /**
   * The subresources of a custom resource, as its CRD version's `subresources` declares them: with `status`, create
   * and main-resource updates keep `status` out (the stored one stays) and `/status` writes only `status`; with
   * `scale`, `/scale` serves an `autoscaling/v1` Scale over the given JSON paths (e.g. `.spec.replicas`). Built-in
   * kinds have theirs already. Default: none.
   * @example
   * ```ts
   * server.register(Widget, { subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } } });
   * ```
   * @since 0.3.0
   */
  readonly subresources?: {
    /** The `/status` subresource: status is written only through it. */
    readonly status?: boolean;
    /** The `/scale` subresource, over these JSON paths of the custom resource (as a CRD's `subresources.scale`). */
    readonly scale?: {
      /** Where the desired replicas are, e.g. `.spec.replicas`. */
      readonly specReplicasPath: string;
      /** Where the observed replicas are, e.g. `.status.replicas`. */
      readonly statusReplicasPath: string;
      /** Where the label selector (as a string) is, e.g. `.status.selector`; optional. */
      readonly labelSelectorPath?: string;
    };
  };
}

/**
 * A resource type as the server reports it (a `Resource` without its codec).
 * @since 0.1.0
 */
export type ResourceRef = Omit<Resource<unknown>, 'codec'>;

/**
 * One request as the server received it.
 * @since 0.1.0
 */
export interface RecordedRequest {
  /** The HTTP method, e.g. `GET`. */
  readonly method: string;
  /** Path and query string as sent. */
  readonly url: string;
  /** The path, without the query string. */
  readonly path: string;
  /** The parsed query string. */
  readonly query: URLSearchParams;
  /** The request headers, as Node parsed them (lower-cased names). */
  readonly headers: IncomingHttpHeaders;
  /** `Date.now()` at arrival. */
  readonly at: number;
  /**
   * The request body as UTF-8 text, for methods other than GET and HEAD (read before the request is recorded);
   * `undefined` for GET/HEAD and for bodies over {@link FakeApiServerConfig.maxRequestBodyBytes}.
   */
  readonly body?: string;
  /**
   * With {@link FakeApiServerOptions.auth}: how the request was authenticated and who it acts as (impersonation
   * applied). `undefined` without `auth`, and for requests answered 401.
   */
  readonly auth?: RequestAuth;
}

/**
 * How a watch stream ended:
 * `client` (the client closed the socket), `timeout` (timeoutSeconds or the server default, §5), `ended`
 * ({@link FakeApiServer.endWatches}), `error` (after an ERROR event, or an expired/empty close), `dropped`
 * ({@link FakeApiServer.dropConnections}), `shutdown` ({@link FakeApiServer.close}), `unresponsive` (a slow
 * consumer evicted, cleanly and with no ERROR event, because its unsent events passed
 * {@link FakeApiServerOptions.maxWatchQueueBytes}, or by {@link FakeApiServer.evictWatches}; the cacher's
 * "Forcing ... watcher close due to unresponsiveness", §5).
 * @since 0.1.0
 */
export type WatchCloseReason = 'client' | 'timeout' | 'ended' | 'error' | 'dropped' | 'shutdown' | 'unresponsive';

/**
 * A watch the server accepted (HTTP 200 sent).
 * @since 0.1.0
 */
export interface WatchInfo {
  /** Increasing per server, from 1. */
  readonly id: number;
  /** The watch request as recorded. */
  readonly request: RecordedRequest;
  /** The resource type being watched. */
  readonly resource: ResourceRef;
  /** The namespace of the path; `undefined` for all namespaces and cluster-scoped kinds. */
  readonly namespace: string | undefined;
  /** The stream's lifetime in ms (timeoutSeconds, or the random server default). */
  readonly timeoutMs: number;
  /** `undefined` while open. */
  readonly closeReason: WatchCloseReason | undefined;
  /**
   * Settles with the close reason when the server sees the stream end (`res` 'close'), or, for `unresponsive`, when
   * the watch is evicted (the client may still be reading what was written before). Never rejects.
   */
  readonly closed: Promise<WatchCloseReason>;
}

/**
 * An HTTP error to answer instead of serving a request; see {@link FakeApiServer.failNext}. Bodies follow §4.4–§4.5
 * byte for byte (Status key order, trailing newline).
 *
 * - `TooManyRequests`: 429 JSON Status `Too many requests: <message>` with `details.retryAfterSeconds` and `Retry-After` (watch cache unready).
 * - `TooManyRequestsText`: 429 text/plain `Too many requests, please try again later.` with `Retry-After` (priority and fairness).
 * - `ShuttingDown`: 429 text/plain, `Retry-After: 5`, `Connection: close`.
 * - `Unauthorized`: 401; `Forbidden`: 403 with the "User ... cannot watch resource ..." message.
 * - `NotFound`: 404 Status with `details: {}`; `NotFoundText`: text/plain `404 page not found`.
 * - `NotAcceptable`: 406; `InternalError`: 500 `Internal error occurred: <message>`.
 * - `Gone`: HTTP 410 Status (reason `Expired` by default).
 * - `Status`: any Status you describe; `Reset`: destroy the socket without a response.
 *
 * @since 0.1.0
 */
export type HttpFault =
  | {
      /** 429 JSON Status (watch cache not ready). */
      readonly type: 'TooManyRequests';
      /** `details.retryAfterSeconds` and the `Retry-After` header. Default 1. */
      readonly retryAfterSeconds?: number;
      /** Text after `Too many requests: `. Default `storage is (re)initializing`. */
      readonly message?: string;
    }
  | {
      /** 429 text/plain (priority and fairness). */
      readonly type: 'TooManyRequestsText';
      /** The `Retry-After` header. Default 1. */
      readonly retryAfterSeconds?: number;
    }
  | {
      /** 429 text/plain, `Retry-After: 5`, `Connection: close`. */
      readonly type: 'ShuttingDown';
    }
  | {
      /** 401 Status. */
      readonly type: 'Unauthorized';
    }
  | {
      /** 403 Status for the request's verb and resource. */
      readonly type: 'Forbidden';
      /** The user named in the message. Default {@link FakeApiServerConfig.user}. */
      readonly user?: string;
    }
  | {
      /** 404 Status with `details: {}`. */
      readonly type: 'NotFound';
    }
  | {
      /** 404 text/plain `404 page not found`. */
      readonly type: 'NotFoundText';
    }
  | {
      /** 406 Status. */
      readonly type: 'NotAcceptable';
    }
  | {
      /** 500 Status `Internal error occurred: <message>`. */
      readonly type: 'InternalError';
      /** The error text. Default `injected fault`. */
      readonly message?: string;
    }
  | {
      /** HTTP 410 Status. */
      readonly type: 'Gone';
      /** The Status reason. Default `Expired`. */
      readonly reason?: 'Expired' | 'Gone';
      /** The Status message. Default `The resourceVersion for the provided watch is too old.` */
      readonly message?: string;
    }
  | {
      /** A Status built by {@link makeStatus} from the fields below. */
      readonly type: 'Status';
      /** The HTTP status code, also the Status `code`. */
      readonly code: number;
      /** The Status `reason`. */
      readonly reason?: string;
      /** The Status `message`. */
      readonly message?: string;
      /** The Status `details`; a positive `retryAfterSeconds` also sets `Retry-After`. */
      readonly details?: StatusDetailsBody;
      /** Extra response headers (they override `Retry-After`). */
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      /** Destroy the socket without a response. */
      readonly type: 'Reset';
    };

/**
 * What {@link FakeApiServer.injectWatchError} sends: a full Status, or the parts of one. Default: 500 InternalError.
 * @since 0.1.0
 */
export type WatchErrorInput =
  | StatusBody
  | {
      /** The Status `code`. `500` alone (no reason, message or details) gives the InternalError `injected watch error`. */
      readonly code: number;
      /** The Status `reason`. */
      readonly reason?: string;
      /** The Status `message`. */
      readonly message?: string;
      /** The Status `details`. */
      readonly details?: StatusDetailsBody;
      /** Shortcut for `details.retryAfterSeconds`. */
      readonly retryAfterSeconds?: number;
    };


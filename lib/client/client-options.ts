/**
 * The options of {@link createClient}, in their own module so that `create-client.ts` and the Node-only
 * `resolve-config.ts` (which `createClient` loads lazily) both import them without importing each other.
 */
import type { ExecPluginConfig } from './exec-plugin.js';
import type { FetchLike } from './fetch.js';
import type { Logger } from './logger.js';
import type { ReconnectBudget, ReconnectBudgetOptions } from './reconnect-budget.js';

/**
 * Whom requests act as (`kubectl --as`, `--as-group`, `--as-uid`, a kubeconfig user's `as`, `as-groups`, `as-uid`,
 * `as-user-extra`): sent as `Impersonate-*` headers, one header line per group and per extra value.
 * See https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation.
 * @since 0.1.0
 */
export interface Impersonation {
  /** The user name to act as (`Impersonate-User`). */
  readonly user?: string;
  /** The user's UID (`Impersonate-Uid`). */
  readonly uid?: string;
  /** The groups to act as (one `Impersonate-Group` line each). */
  readonly groups?: readonly string[];
  /** Extra user attributes (`Impersonate-Extra-<key>`, the key percent-encoded, one line per value). */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Where {@link createClient} looks for configuration. Every field defaults to the process's; tests and sandboxes
 * point them elsewhere (the kubeconfig and in-cluster paths are then fully under their control).
 * @since 0.1.0
 */
export interface ConfigEnvironment {
  /**
   * Environment variables: `KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST`/`_PORT`, `POD_NAMESPACE`, the proxy
   * variables (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` and their lowercase forms); also the base environment of
   * exec plugins. Default `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The home directory holding `.kube/config`. Default `$HOME`, else `os.homedir()`. */
  readonly homeDir?: string;
  /** The service-account directory with `token`, `ca.crt` and `namespace`. Default `/var/run/secrets/kubernetes.io/serviceaccount`. */
  readonly serviceAccountDir?: string;
}

/**
 * Options of {@link createClient}. Explicit options win over any kubeconfig or in-cluster configuration, as
 * kubectl's flags do.
 * @since 0.1.0
 */
export interface ClientOptions {
  /** The API server's base URL, e.g. `https://127.0.0.1:6443` or `http://127.0.0.1:8001` (kubectl proxy). */
  readonly server?: string | URL;
  /** A bearer token, sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The namespace of `Api`s that name none. Default: the kubeconfig context's, the pod's in a cluster, else `default`. */
  readonly namespace?: string;
  /** The transport. Default: node-fetch in Node, the global `fetch` elsewhere (browsers). */
  readonly fetch?: FetchLike;
  /** Extra headers sent with every request (e.g. for an authenticating proxy). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Who the API server sees: the `User-Agent` of every request, e.g. `my-controller/1.4.0`. The API server takes
   * the part before the first `/` as the field manager of writes that name none (k8s.io/apiserver
   * `pkg/endpoints/handlers/create.go`, `prefixFromUserAgent`), and writes it to its audit log.
   *
   * Default in Node: `kubex-rx/<version> (<platform>/<arch>) node/<version>`, so `managedFields` say `kubex-rx`
   * (not `node-fetch`). In a browser no default is sent: the browser's own applies (Chromium ignores one set
   * through `fetch`, and elsewhere it would need a CORS preflight that kube-apiserver does not allow by default);
   * give writes a `fieldManager` there.
   * @since 0.2.0
   */
  readonly userAgent?: string;
  /** A kubeconfig file to use instead of `KUBECONFIG` / `~/.kube/config` (like `kubectl --kubeconfig`); it must exist. */
  readonly kubeconfig?: string;
  /** The kubeconfig context to use instead of its `current-context` (like `kubectl --context`). */
  readonly context?: string;
  /** A file holding a bearer token, re-read every minute and after a 401 (projected, rotated tokens). */
  readonly tokenFile?: string;
  /** Basic-auth user name (with `password`). */
  readonly username?: string;
  /** Basic-auth password (with `username`). */
  readonly password?: string;
  /** An exec credential plugin, as a kubeconfig's `users[].user.exec`. */
  readonly exec?: ExecPluginConfig;
  /** The CA certificates (PEM) that sign the server's certificate; then the only ones trusted. */
  readonly ca?: string;
  /** The client certificate (PEM), with `clientKey`. */
  readonly clientCertificate?: string;
  /** The client certificate's private key (PEM), with `clientCertificate`. */
  readonly clientKey?: string;
  /** Do not verify the server's certificate (a warning says so). Default `false`. */
  readonly insecureSkipTlsVerify?: boolean;
  /** The server name for SNI and certificate verification, when the URL's host is not in the certificate. */
  readonly tlsServerName?: string;
  /** Act as another user (impersonation headers). */
  readonly impersonate?: Impersonation;
  /**
   * An HTTP(S) proxy, e.g. `http://proxy:3128` (user info becomes `Proxy-Authorization`): a CONNECT tunnel to an
   * `https:` server, plain proxy requests to an `http:` one. Wins over a kubeconfig cluster's `proxy-url`, which wins over the environment. With
   * neither, the environment decides as for kubectl: `HTTPS_PROXY` (for an `https:` server) or `HTTP_PROXY` (for
   * `http:`), uppercase before lowercase, except for `localhost`, loopback addresses and hosts matching `NO_PROXY`.
   */
  readonly proxyUrl?: string | URL;
  /** Where configuration is looked for; defaults are the process's. */
  readonly environment?: ConfigEnvironment;
  /**
   * Where configuration warnings go (`insecure-skip-tls-verify`, an unreadable in-cluster CA). Default: the
   * logger's `warn`.
   */
  readonly onWarning?: (message: string) => void;
  /**
   * Where the client logs: each request at `debug` (method, URL, status, time), credential refreshes at `info`,
   * the API server's `Warning` headers (each distinct text once per client), backoffs and stalled watches at
   * `warn`, informers that stop at `error`; never a credential. `console`, a pino logger and NestJS's `Logger`
   * fit (see {@link Logger}).
   *
   * Default: the console (stderr in Node) at the level named by the environment variable `KUBEX_LOG` (`debug`,
   * `info`, `warn`, `error` or `off`; read from `environment.env`), `warn` when unset. With a logger, `KUBEX_LOG`
   * is ignored: the logger's own level applies.
   * @since 0.2.0
   */
  readonly logger?: Logger;
  /**
   * One budget for the watch requests of this client (every informer and `watch$` it serves): a token bucket of
   * `burst` requests at once, refilled at `perSecond`, with jitter (see {@link ReconnectBudget}). When an API server
   * restart drops every watch at once, they reconnect at a bounded rate instead of in one burst. A watch that had
   * to wait says so in the log at `debug`.
   *
   * Default `{ perSecond: 10, burst: 20 }`, which never delays one informer's reconnections (nor 20 starting
   * together). A {@link ReconnectBudget} instance may be shared by several clients; `false` turns the budget off.
   * @since 0.3.0
   */
  readonly reconnectBudget?: ReconnectBudgetOptions | ReconnectBudget | false;
}

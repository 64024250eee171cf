import { ConfigError } from '../errors/config-errors.js';
import { defaultFetch } from './fetch.js';
import { KubeClient } from './kube-client.js';
import { createLog } from './log.js';
import { nodeProcess } from './node-process.js';
import { parseServerUrl } from './server-url.js';
import { proxyFromEnvironment } from './proxy-env.js';
import { ReconnectBudget } from './reconnect-budget.js';
import type { ClientOptions } from './client-options.js';

export { ConfigError } from '../errors/config-errors.js';
export type { Impersonation, ConfigEnvironment, ClientOptions } from './client-options.js';

/** The Node-only configuration module, relative to this one. */
const RESOLVE_CONFIG = './resolve-config.js';

/** Options that need the Node configuration path (files, TLS agent, plugins). */
const NODE_OPTIONS = [
  'kubeconfig', 'context', 'tokenFile', 'username', 'password', 'exec', 'ca', 'clientCertificate', 'clientKey',
  'insecureSkipTlsVerify', 'tlsServerName', 'impersonate', 'proxyUrl',
] as const satisfies readonly (keyof ClientOptions)[];

/**
 * Creates a {@link KubeClient}, connecting the way kubectl does.
 *
 * Resolution order (client-go `tools/clientcmd`): explicit options; else a kubeconfig: `options.kubeconfig`,
 * or the files of `KUBECONFIG` merged (for each cluster, user and context the first file to define it wins;
 * `current-context` from the first file that sets it), or `~/.kube/config`; else, when no kubeconfig exists,
 * in-cluster configuration (`KUBERNETES_SERVICE_HOST`/`_PORT`, the service account's token, `ca.crt` and
 * `namespace`). With `server` and neither `kubeconfig` nor `context`, no file is read.
 *
 * Proxies: `proxyUrl`, else the kubeconfig cluster's `proxy-url`, else, as kubectl does (Go's
 * `http.ProxyFromEnvironment`), the environment: `HTTPS_PROXY`/`https_proxy` for an `https:` server,
 * `HTTP_PROXY`/`http_proxy` for an `http:` one (a value without a scheme is `http://`), except for `localhost`,
 * loopback addresses, and hosts that `NO_PROXY`/`no_proxy` lists (names, `.suffixes`, IP addresses, CIDR blocks,
 * optional `:port`, `*` for all). This holds for in-cluster configuration and for `{ server, token }` in Node
 * too. As Go's Transport does, an `https:` server is reached through a CONNECT tunnel and an `http:` server with
 * plain proxy requests (the full URL on the request line). Only `http:` and `https:` proxies are supported; the
 * proxy's user info is sent as `Proxy-Authorization: Basic`.
 *
 * Credentials: bearer `token`, `tokenFile` (re-read as it rotates; the in-cluster token too), client
 * certificates, basic auth, impersonation, and exec plugins (`client.authentication.k8s.io/v1` and `v1beta1`,
 * cached until they expire). On a 401 the client refreshes (re-reads the token file, re-runs the plugin) and
 * sends the request once more. In Node the transport is node-fetch with a keep-alive agent carrying the CA,
 * client certificate and proxy; an injected `fetch` gets that agent as `init.agent` and may ignore it (a
 * browser's does: TLS is then the platform's business). TLS verification is on unless
 * `insecure-skip-tls-verify` is set, which warns.
 *
 * Identity and diagnostics: every request carries `User-Agent: kubex-rx/<version> (<platform>/<arch>)
 * node/<version>` in Node (the `userAgent` option replaces it), which API servers take as the field manager of
 * writes that name none; requests, credential refreshes and the API server's `Warning` headers go to `logger`
 * (default: the console at the `KUBEX_LOG` level, `warn` when unset), never with a credential.
 *
 * Watch requests share the client's reconnect budget (`reconnectBudget`, default 20 at once then 10 per second,
 * see {@link ReconnectBudget}), so that every watch dropped at once by an API server restart does not come back in
 * one burst.
 *
 * Rejects with a {@link ConfigError}: a {@link KubeconfigError} for a missing or invalid kubeconfig, an unknown
 * context, cluster or user; a plain `ConfigError` for an invalid option, or for a proxy variable that applies but
 * is not an `http:`/`https:` URL (the message names the variable, never its value); an {@link ExecPluginError}
 * for an exec plugin configuration that cannot work (a plugin that fails when run makes the request reject with
 * it).
 *
 * @example
 * ```ts
 * const client = await createClient();                               // kubeconfig, else in-cluster
 * const staging = await createClient({ context: 'staging' });        // another context
 * const local = await createClient({ server: 'http://127.0.0.1:8001' }); // kubectl proxy
 * const traced = await createClient({ userAgent: 'my-controller/1.4.0', logger: console }); // manager, logging
 * const pods = new Api(Pod, { client });                              // the context's namespace
 * ```
 * @since 0.1.0
 */
export async function createClient(options: ClientOptions = {}): Promise<KubeClient> {
  const needsNode = options.server === undefined || NODE_OPTIONS.some((k) => options[k] !== undefined);
  if (!needsNode) return explicitClient(options);
  if (nodeProcess() === undefined) {
    throw new ConfigError('createClient: kubeconfig, in-cluster configuration and TLS options need Node.js; in a browser pass { server, token, fetch }');
  }
  // A specifier that bundlers cannot follow: resolve-config.js imports node:fs, node:https, node:child_process,
  // which a browser bundle must never contain (browsers never reach this line).
  const { resolveConfig } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ RESOLVE_CONFIG)) as typeof import('./resolve-config.js');
  const log = createLog(options.logger, nodeEnvironment(options));
  const resolved = await resolveConfig(options, log);
  const fetch = options.fetch ?? (await defaultFetch());
  return new KubeClient({
    logger: log,
    server: resolved.server,
    namespace: resolved.namespace,
    fetch,
    ...(resolved.auth ? { auth: resolved.auth } : {}),
    agent: resolved.agent,
    source: resolved.source,
    headers: options.headers,
    userAgent: options.userAgent,
    ...budgetOf(options),
  });
}

/**
 * `{ server, token?, namespace?, fetch?, headers?, userAgent? }`: no file, no agent, browser-safe (the 0.1.0 behaviour); in
 * Node, an agent through the proxy the environment names for `server`, if any.
 */
async function explicitClient(options: ClientOptions): Promise<KubeClient> {
  const server = parseServerUrl(options.server!, 'createClient');
  const env = nodeEnvironment(options);
  let agent: unknown;
  const proxy = env ? proxyFromEnvironment(server, env) : undefined;
  if (proxy) {
    const { proxyAgent } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ RESOLVE_CONFIG)) as typeof import('./resolve-config.js');
    agent = proxyAgent(server, proxy);
  }
  const fetch = options.fetch ?? (await defaultFetch());
  const token = options.token;
  const authorization: Readonly<Record<string, string>> = token ? { Authorization: `Bearer ${token}` } : {};
  return new KubeClient({
    logger: createLog(options.logger, env),
    server,
    namespace: options.namespace ?? 'default',
    fetch,
    credentials: () => authorization,
    ...(agent !== undefined ? { agent } : {}),
    headers: options.headers,
    userAgent: options.userAgent,
    ...budgetOf(options),
  });
}

/** The client's reconnect budget: the one given, a new one from the options (defaults when omitted), or none. */
function budgetOf(options: ClientOptions): { reconnectBudget?: ReconnectBudget } {
  const option = options.reconnectBudget;
  if (option === false) return {};
  if (option instanceof ReconnectBudget) return { reconnectBudget: option };
  if (option !== undefined && (typeof option !== 'object' || option === null)) {
    throw new ConfigError('createClient: reconnectBudget must be { perSecond, burst }, a ReconnectBudget, or false');
  }
  try {
    return { reconnectBudget: new ReconnectBudget(option ?? {}) };
  } catch (error) {
    throw new ConfigError(`createClient: ${(error as Error).message}`);
  }
}

/** The environment variables in Node (`options.environment.env`, else `process.env`); `undefined` elsewhere. */
function nodeEnvironment(options: ClientOptions): Readonly<Record<string, string | undefined>> | undefined {
  const proc = nodeProcess();
  if (proc === undefined) return undefined;
  return options.environment?.env ?? proc.env;
}

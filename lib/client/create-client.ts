import { KubexError } from '../errors/kubex-error.js';
import { defaultFetch, type FetchLike } from './fetch.js';
import { KubeClient } from './kube-client.js';

/**
 * The client's configuration could not be used: no server, a malformed URL, an unreadable file.
 * @since 0.1.0
 */
export class ConfigError extends KubexError {
  override readonly name: string = 'ConfigError';
}

/**
 * Options of {@link createClient}. Explicit options win over any kubeconfig or in-cluster configuration.
 * @since 0.1.0
 */
export interface ClientOptions {
  /** The API server's base URL, e.g. `https://127.0.0.1:6443` or `http://127.0.0.1:8001` (kubectl proxy). */
  readonly server?: string | URL;
  /** A bearer token, sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The namespace of `Api`s that name none. Default: `default`. */
  readonly namespace?: string;
  /** The transport. Default: node-fetch in Node, the global `fetch` elsewhere (browsers). */
  readonly fetch?: FetchLike;
  /** Extra headers sent with every request (e.g. for an authenticating proxy). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Creates a {@link KubeClient}.
 *
 * This release needs an explicit `server` (plus, optionally, a `token` and a `fetch`); kubeconfig and
 * in-cluster configuration resolve when it is omitted in a later release. Rejects with a {@link ConfigError}
 * when the options cannot be used.
 *
 * @example
 * ```ts
 * const client = await createClient({ server: 'http://127.0.0.1:8001' }); // kubectl proxy
 * const pods = new Api(Pod, { client, namespace: 'default' });
 * ```
 * @since 0.1.0
 */
export async function createClient(options: ClientOptions = {}): Promise<KubeClient> {
  if (options.server === undefined) {
    throw new ConfigError('createClient: no server given (pass { server }; kubeconfig and in-cluster configuration are not supported yet)');
  }
  let server: URL;
  try {
    server = new URL(String(options.server));
  } catch {
    throw new ConfigError(`createClient: server is not a valid URL`);
  }
  if (server.protocol !== 'http:' && server.protocol !== 'https:') {
    throw new ConfigError(`createClient: server must be an http(s) URL, got ${server.protocol}`);
  }
  if (server.username || server.password) {
    throw new ConfigError('createClient: credentials in the server URL are not supported; pass { token }');
  }
  const fetch = options.fetch ?? (await defaultFetch());
  const token = options.token;
  const authorization: Readonly<Record<string, string>> = token ? { Authorization: `Bearer ${token}` } : {};
  return new KubeClient({
    server,
    namespace: options.namespace ?? 'default',
    fetch,
    credentials: () => authorization,
    headers: options.headers,
  });
}

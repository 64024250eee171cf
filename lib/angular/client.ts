import { ConfigError, KubeClient, type FetchLike } from '../index.js';
import { parseServerUrl } from '../client/server-url.js';

/**
 * Options of {@link provideKubex} (and {@link kubeClientOf}) that describe the cluster: where it is and who we
 * are. In a browser this is normally `kubectl proxy` or an authenticating proxy on the app's own origin.
 * @since 0.1.0
 */
export interface KubexClientOptions {
  /**
   * The API server's (or proxy's) base URL, e.g. `http://127.0.0.1:8001` (`kubectl proxy`) or
   * `https://dashboard.example.com/k8s` (an authenticating proxy). Relative URLs are resolved against
   * `document.baseURI` in a browser.
   */
  readonly server: string | URL;
  /**
   * A bearer token, or a function returning the current one (called for every request, so a token refreshed by
   * your OIDC library applies to the next request). Omit when the proxy authenticates (cookies, mTLS).
   */
  readonly token?: string | (() => string | null | undefined | Promise<string | null | undefined>);
  /** The namespace of `Api`s that name none. Default `default`. */
  readonly namespace?: string;
  /** Extra headers sent with every request (e.g. an XSRF header your proxy wants). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The transport. Default: the global `fetch`, looked up at each request (so a `fetch` patched or mocked after
   * startup is used). Its response body must be a WHATWG `ReadableStream`, as the browser's is.
   */
  readonly fetch?: FetchLike;
}

/**
 * Builds a {@link KubeClient} synchronously from {@link KubexClientOptions}, for DI: Angular providers are
 * synchronous while `createClient` is async (in Node it may load node-fetch, kubeconfig files, exec plugins).
 * The same validation as `createClient` applies; a browser needs none of its asynchronous steps.
 *
 * @throws ConfigError for a missing or malformed server URL, a non-http(s) scheme, or credentials in the URL.
 * @example
 * ```ts
 * const client = kubeClientOf({ server: 'http://127.0.0.1:8001' });
 * ```
 * @since 0.1.0
 */
export function kubeClientOf(options: KubexClientOptions): KubeClient {
  if (options?.server === undefined || options.server === '') throw new ConfigError('provideKubex: no server given (pass { server })');
  const server = parseServerUrl(options.server, 'provideKubex', baseUri());
  const token = options.token;
  const fetch: FetchLike = options.fetch ?? globalFetch;
  return new KubeClient({
    server,
    namespace: options.namespace ?? 'default',
    fetch,
    credentials: async (): Promise<Readonly<Record<string, string>>> => {
      const value = typeof token === 'function' ? await token() : token;
      return value ? { Authorization: `Bearer ${value}` } : {};
    },
    headers: options.headers,
  });
}

/** The global fetch, looked up per request (zone.js and test doubles may replace it after startup). */
const globalFetch: FetchLike = (url, init) => {
  const fetch = (globalThis as { fetch?: FetchLike }).fetch;
  if (typeof fetch !== 'function') return Promise.reject(new TypeError('no global fetch: pass provideKubex({ fetch })'));
  return fetch.call(globalThis, url, init);
};

function baseUri(): string | undefined {
  const document = (globalThis as { document?: { baseURI?: string } }).document;
  return typeof document?.baseURI === 'string' ? document.baseURI : undefined;
}

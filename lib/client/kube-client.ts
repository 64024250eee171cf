import { TransportError } from '../errors/kubex-error.js';
import type { FetchLike, FetchResponseLike } from './fetch.js';

/** One request, relative to the client's server. @since 0.1.0 */
export interface KubeRequest {
  /** `GET` when omitted. */
  readonly method?: string;
  /** An absolute path on the server, e.g. `/api/v1/namespaces/default/pods`. */
  readonly path: string;
  readonly query?: URLSearchParams;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborts the request, and the body stream once the response has arrived. */
  readonly signal?: AbortSignal;
}

/** What {@link KubeClient} is built from; see `createClient` for the user-facing options. @since 0.1.0 */
export interface KubeClientInit {
  readonly server: URL;
  readonly namespace: string;
  readonly fetch: FetchLike;
  /** Returns the `Authorization` (and other credential) headers; called for every request so rotated credentials apply. */
  readonly credentials?: () => Promise<Readonly<Record<string, string>>> | Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly agent?: unknown;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The URL without user info, query or fragment: what may appear in messages. */
export function redactUrl(url: URL | string): string {
  try {
    const u = new URL(String(url));
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

/**
 * Where the API server is and who we are: the server URL, the default namespace, the credentials and the
 * transport. Made by `createClient`; shared by every `Api`. Credentials are private fields and never
 * appear in `String(client)`, `util.inspect(client)` or JSON.
 *
 * @since 0.1.0
 */
export class KubeClient {
  /** The API server's base URL. */
  readonly server: URL;
  /** The namespace an `Api` uses when it names none (the kubeconfig context's, else `default`). */
  readonly namespace: string;
  readonly #fetch: FetchLike;
  readonly #credentials: KubeClientInit['credentials'];
  readonly #headers: Readonly<Record<string, string>>;
  readonly #agent: unknown;

  constructor(init: KubeClientInit) {
    this.server = new URL(init.server.href.replace(/\/+$/, ''));
    this.namespace = init.namespace;
    this.#fetch = init.fetch;
    this.#credentials = init.credentials;
    this.#headers = init.headers ?? {};
    this.#agent = init.agent;
  }

  /**
   * Sends one request. Resolves with the response whatever its HTTP status (the caller decides what an error
   * is); rejects with a {@link TransportError} when no response arrives, or with the abort reason when aborted.
   *
   * @since 0.1.0
   */
  async request(request: KubeRequest): Promise<FetchResponseLike> {
    const base = this.server.pathname === '/' ? '' : this.server.pathname;
    const query = request.query?.toString();
    const url = `${this.server.origin}${base}${request.path}${query ? `?${query}` : ''}`;
    const credentials = this.#credentials ? await this.#credentials() : {};
    const headers: Record<string, string> = { Accept: 'application/json', ...this.#headers, ...request.headers, ...credentials };
    if (request.body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/json';
    try {
      return await this.#fetch(url, {
        method: request.method ?? 'GET',
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(this.#agent !== undefined ? { agent: this.#agent } : {}),
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      throw toTransportError(error, url);
    }
  }

  /** `KubeClient(https://host:port)`: never credentials. */
  toString(): string {
    return `KubeClient(${redactUrl(this.server)})`;
  }

  /** Keeps `JSON.stringify(client)` free of credentials. */
  toJSON(): { server: string; namespace: string } {
    return { server: redactUrl(this.server), namespace: this.namespace };
  }

  /** What `util.inspect` (and `console.log`) shows: never credentials. */
  [INSPECT](): string {
    return `KubeClient { server: '${redactUrl(this.server)}', namespace: '${this.namespace}' }`;
  }
}

/**
 * Wraps a network failure (or a body stream that broke off) in a {@link TransportError} whose message names
 * the URL without credentials. A `KubexError` passes through unchanged.
 *
 * @since 0.1.0
 */
export function toTransportError(error: unknown, url?: string, context?: string): TransportError {
  if (error instanceof TransportError) return error;
  const e = error as { message?: unknown; code?: unknown; cause?: { message?: unknown; code?: unknown } } | undefined;
  // undici's fetch says only "fetch failed" and keeps the system error (ECONNREFUSED, ...) as its cause.
  const codeOf = (x: { code?: unknown } | undefined): string | undefined => (typeof x?.code === 'string' ? x.code : undefined);
  const code = codeOf(e) ?? codeOf(e?.cause);
  const causeMessage = typeof e?.cause?.message === 'string' && e.cause.message !== e.message ? `: ${e.cause.message}` : '';
  const what = `${typeof e?.message === 'string' ? e.message : String(error)}${causeMessage}`;
  // node-fetch puts the full URL in its messages; keep only scheme, host and path.
  const clean = what.replace(/https?:\/\/[^\s]+/g, (u) => redactUrl(u));
  return new TransportError(`${context ? `${context}: ` : ''}${url ? `request to ${redactUrl(url)} failed: ` : ''}${clean}${code && !clean.includes(code) ? ` (${code})` : ''}`, { cause: error });
}

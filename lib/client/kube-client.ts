import type { FetchLike, FetchResponseLike } from './fetch.js';
import { appendHeader, hasHeader, headersForFetch, mergeHeaders, type HeaderInit } from './headers.js';
import { createLog, processEnv, type Log } from './log.js';
import type { Logger } from './logger.js';
import { redactUrl } from './redact-url.js';
import { describeRequest, failureReason, toTransportError } from './transport-error.js';
import { defaultUserAgent } from './user-agent.js';
import { newWarnings } from './warnings.js';
import type { ReconnectBudget } from './reconnect-budget.js';

export type { HeaderInit } from './headers.js';

/** One request, relative to the client's server. @since 0.1.0 */
export interface KubeRequest {
  /** `GET` when omitted. */
  readonly method?: string;
  /** An absolute path on the server, e.g. `/api/v1/namespaces/default/pods`. */
  readonly path: string;
  /** The query string parameters, if any. */
  readonly query?: URLSearchParams;
  /** Headers of this request, over the client's (credential headers still win). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The request body; `Content-Type: application/json` is added unless a header sets one. */
  readonly body?: string;
  /** Aborts the request, and the body stream once the response has arrived. */
  readonly signal?: AbortSignal;
}

/**
 * The credentials of one request, from a {@link CredentialProvider}.
 * @since 0.1.0
 */
export interface RequestCredentials {
  /** Sent with the request, over any other header of the same name (`Authorization`, `Impersonate-*`). */
  readonly headers?: HeaderInit;
  /** node-fetch's `agent` for this request (a client certificate from an exec plugin); else the client's agent. */
  readonly agent?: unknown;
}

/**
 * Where a client's credentials come from: asked before every request, so rotated tokens and renewed exec
 * credentials apply to the next request (and to the next watch connection).
 * @since 0.1.0
 */
export interface CredentialProvider {
  /** The credentials for the next request. May reject (e.g. with an `ExecPluginError`): the request then rejects with it. */
  credentials(): Promise<RequestCredentials> | RequestCredentials;
  /**
   * The server answered 401 to a request sent with `used`: re-read the token file, re-run the exec plugin. When
   * {@link CredentialProvider.credentials} then gives something else, the request is sent once more with it.
   */
  refresh?(used: RequestCredentials): Promise<void> | void;
}

/** What {@link KubeClient} is built from; see `createClient` for the user-facing options. @since 0.1.0 */
export interface KubeClientInit {
  /** The API server's base URL (a trailing `/` is dropped). */
  readonly server: URL;
  /** The namespace of `Api`s that name none. */
  readonly namespace: string;
  /** Where the configuration came from, for people: `kubeconfig context "kind-kind"`, `in-cluster`; default `options`. */
  readonly source?: string;
  /** The transport every request goes through. */
  readonly fetch: FetchLike;
  /** Returns the `Authorization` (and other credential) headers; called for every request so rotated credentials apply. */
  readonly credentials?: () => Promise<Readonly<Record<string, string>>> | Readonly<Record<string, string>>;
  /** A refreshable credential source; takes precedence over `credentials`. */
  readonly auth?: CredentialProvider;
  /** Extra headers sent with every request (a request's own and credential headers win). */
  readonly headers?: Readonly<Record<string, string>>;
  /** node-fetch's `agent` (keep-alive, CA, client certificate, proxy); other `fetch`es ignore it. */
  readonly agent?: unknown;
  /**
   * The `User-Agent` of every request. Default in Node: `kubex-rx/<version> (<platform>/<arch>) node/<version>`;
   * elsewhere none (the browser's own). See `ClientOptions.userAgent`.
   * @since 0.2.0
   */
  readonly userAgent?: string;
  /**
   * Where requests, server warnings and credential refreshes are logged. Default: the console at the level of the
   * `KUBEX_LOG` environment variable (`warn` when unset). See `ClientOptions.logger`.
   * @since 0.2.0
   */
  readonly logger?: Logger;
  /**
   * The budget every watch request of this client takes a token from (see {@link ReconnectBudget}); none: watches
   * are never delayed. `createClient` gives every client one unless `reconnectBudget: false`.
   * @since 0.3.0
   */
  readonly reconnectBudget?: ReconnectBudget;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

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
  /**
   * Where this client's configuration came from, to tell people which cluster they are about to act on:
   * `kubeconfig context "kind-kind"`, `in-cluster`, or `options` (a server given in code). Holds no credential.
   * @since 0.2.0
   */
  readonly source: string;
  /**
   * The budget shared by every watch request of this client (`createClient({ reconnectBudget })`), or `undefined`
   * when watches are not gated.
   * @since 0.3.0
   */
  readonly reconnectBudget: ReconnectBudget | undefined;
  readonly #fetch: FetchLike;
  readonly #auth: CredentialProvider | undefined;
  readonly #defaults: Readonly<Record<string, string>>;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #agent: unknown;
  readonly #log: Log;
  /** The texts of the server warnings already logged (each once per client, as kubectl). */
  readonly #warned = new Set<string>();

  constructor(init: KubeClientInit) {
    this.server = new URL(init.server.href.replace(/\/+$/, ''));
    this.namespace = init.namespace;
    this.source = init.source ?? 'options';
    this.reconnectBudget = init.reconnectBudget;
    this.#fetch = init.fetch;
    const credentials = init.credentials;
    this.#auth = init.auth ?? (credentials ? { credentials: async () => ({ headers: await credentials() }) } : undefined);
    const userAgent = init.userAgent ?? defaultUserAgent();
    // A source of their own, before the client's headers: a `User-Agent` or `Accept` among those wins, whatever its case.
    this.#defaults = { Accept: 'application/json', ...(userAgent !== undefined ? { 'User-Agent': userAgent } : {}) };
    this.#headers = init.headers ?? {};
    this.#agent = init.agent;
    this.#log = createLog(init.logger, processEnv());
  }

  /**
   * The log this client reports to, for the layers above it (the informer).
   * @internal
   */
  get log(): Log {
    return this.#log;
  }

  /**
   * Sends one request. Resolves with the response whatever its HTTP status (the caller decides what an error
   * is); rejects with a {@link TransportError} when no response arrives, or with the abort reason when aborted.
   *
   * @since 0.1.0
   */
  async request(request: KubeRequest): Promise<FetchResponseLike> {
    const url = this.url(request);
    const used = this.#auth ? await this.#auth.credentials() : {};
    const response = await this.#send(url, request, used);
    const auth = this.#auth;
    if (response.status !== 401 || !auth?.refresh || request.signal?.aborted) return response;
    // 401: the token may have rotated or the exec credential expired early. Refresh once and, if that gave
    // different credentials, send the request again (client-go's exec authenticator refreshes on 401 too,
    // plugin/pkg/client/auth/exec). The body is a string, so the request can be replayed.
    const what = describeRequest(request.method ?? 'GET', url);
    let next: RequestCredentials;
    try {
      await auth.refresh(used);
      next = await auth.credentials();
    } catch (error) {
      await discard(response);
      throw error;
    }
    if (sameCredentials(used, next)) {
      this.#log.info(`${what}: 401 Unauthorized; refreshing the credentials gave the same ones, not retrying`);
      return response;
    }
    this.#log.info(`${what}: 401 Unauthorized; credentials refreshed, sending it again`);
    await discard(response);
    return this.#send(url, request, next);
  }

  async #send(url: string, request: KubeRequest, credentials: RequestCredentials): Promise<FetchResponseLike> {
    const method = request.method ?? 'GET';
    const headers = mergeHeaders([this.#defaults, this.#headers, request.headers ?? {}, credentials.headers ?? {}]);
    if (request.body !== undefined && !hasHeader(headers, 'content-type')) appendHeader(headers, 'Content-Type', 'application/json');
    const agent = credentials.agent ?? this.#agent;
    // As logged: the query kept (selectors, resourceVersion: what one debugs with), never user info.
    const logged = `${method} ${redactUrl(url)}${queryOf(url)}`;
    const start = Date.now();
    let response: FetchResponseLike;
    try {
      response = await this.#fetch(url, {
        method,
        headers: headersForFetch(headers),
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(agent !== undefined ? { agent } : {}),
      });
    } catch (error) {
      if (request.signal?.aborted) {
        this.#log.debug(`${logged} aborted after ${Date.now() - start} ms`);
        throw error;
      }
      this.#log.debug(`${logged} failed after ${Date.now() - start} ms: ${failureReason(error)}`);
      throw toTransportError(error, describeRequest(method, url));
    }
    // For a watch the body goes on streaming: this is the time to the response headers.
    this.#log.debug(`${logged} ${response.status}${response.statusText ? ` ${response.statusText}` : ''} in ${Date.now() - start} ms`);
    for (const text of newWarnings(response.headers.get('warning'), this.#warned)) this.#log.warn(`the API server warns: ${text}`);
    return response;
  }

  /**
   * The absolute URL of a request: the server's, its path and its query.
   * @internal
   */
  url(request: Pick<KubeRequest, 'path' | 'query'>): string {
    const base = this.server.pathname === '/' ? '' : this.server.pathname;
    const query = request.query?.toString();
    return `${this.server.origin}${base}${request.path}${query ? `?${query}` : ''}`;
  }

  /**
   * Closes the client's idle keep-alive connections (its Node `http(s).Agent`, when it has one). Requests in
   * flight are not interrupted; unsubscribe from them for that. Safe to call more than once, and a no-op for an
   * injected `fetch`. NestJS's `KubexModule` calls it at shutdown for the clients it created.
   * @since 0.1.0
   */
  async close(): Promise<void> {
    const agent = this.#agent as { destroy?: () => void } | undefined;
    if (typeof agent?.destroy === 'function') agent.destroy();
  }

  /** `KubeClient(https://host:port)`: never credentials. */
  toString(): string {
    return `KubeClient(${redactUrl(this.server)})`;
  }

  /** Keeps `JSON.stringify(client)` free of credentials. */
  toJSON(): {
    /** The server URL without user info, query or fragment. */
    server: string;
    /** The client's default namespace. */
    namespace: string;
  } {
    return { server: redactUrl(this.server), namespace: this.namespace };
  }

  /** What `util.inspect` (and `console.log`) shows: never credentials. */
  [INSPECT](): string {
    return `KubeClient { server: '${redactUrl(this.server)}', namespace: '${this.namespace}' }`;
  }
}

/** The `?query` part of a URL, or `''`. */
function queryOf(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i);
}

function sameCredentials(a: RequestCredentials, b: RequestCredentials): boolean {
  const flat = (c: RequestCredentials): string => JSON.stringify([...mergeHeaders([c.headers ?? {}]).entries()]);
  return a.agent === b.agent && flat(a) === flat(b);
}

/** Reads and drops a response body, so its connection can be reused. */
async function discard(response: FetchResponseLike): Promise<void> {
  await response.text().catch(() => undefined);
}

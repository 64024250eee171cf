/**
 * The Node transport's `agent`: keep-alive connections carrying the TLS settings of the configuration (CA,
 * client certificate, server name, verification), optionally tunnelled through an HTTP(S) proxy with CONNECT
 * (client-go's `proxy-url`). Node only; imported lazily by `createClient`.
 */
import { Agent as HttpAgent, request as httpRequest, type AgentOptions, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions as HttpsAgentOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { redactUrl } from './redact-url.js';

/**
 * TLS settings of a connection to the API server (PEM strings).
 * @since 0.1.0
 */
export interface TlsSettings {
  /** Trusted CA certificates; when set, the only ones trusted (client-go builds its root pool from them alone). */
  readonly ca?: string;
  /** The client certificate (chain). */
  readonly cert?: string;
  readonly key?: string;
  /** Skip server certificate verification (`insecure-skip-tls-verify`). */
  readonly insecureSkipTlsVerify?: boolean;
  /** The name used for SNI and checked against the server certificate (`tls-server-name`). */
  readonly serverName?: string;
}

/** How long an idle keep-alive connection is kept (client-go's transport: 90 s idle timeout). */
const KEEP_ALIVE_MSECS = 30_000;

function tlsOptions(tls: TlsSettings): HttpsAgentOptions {
  return {
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    ...(tls.serverName ? { servername: tls.serverName } : {}),
    // Verification is on unless explicitly skipped.
    rejectUnauthorized: tls.insecureSkipTlsVerify !== true,
  };
}

/** Opens a tunnel to `host:port` through an HTTP(S) proxy with CONNECT; `Proxy-Authorization` from the proxy URL's user info. */
function connectViaProxy(proxy: URL, host: string, port: number, callback: (error: Error | null, socket?: Socket) => void): void {
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { Host: target };
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  }
  const options = {
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: target,
    headers,
    agent: false as const,
  };
  const req: ClientRequest = proxy.protocol === 'https:' ? httpsRequest(options) : httpRequest(options);
  let done = false;
  const finish = (error: Error | null, socket?: Socket): void => {
    if (done) return;
    done = true;
    callback(error, socket);
  };
  req.once('connect', (res, socket, head) => {
    if (res.statusCode !== 200) {
      socket.destroy();
      finish(new Error(`proxy ${redactUrl(proxy)} answered ${res.statusCode ?? '?'} to CONNECT ${target}`));
      return;
    }
    if (head.length > 0) socket.unshift(head);
    finish(null, socket);
  });
  req.once('error', (error) => finish(new Error(`proxy ${redactUrl(proxy)}: ${error.message}`, { cause: error })));
  req.end();
}

type ConnectCallback = (error: Error | null, stream: Duplex) => void;

/** An HTTPS agent whose connections go through a CONNECT tunnel; TLS to the API server runs inside it. */
class TunnellingHttpsAgent extends HttpsAgent {
  readonly #proxy: URL;
  constructor(proxy: URL, options: HttpsAgentOptions) {
    super(options);
    this.#proxy = proxy;
  }
  // Node's Agent accepts a connection delivered later through the callback (`createConnection(options, oncreate)`).
  override createConnection(options: HttpsAgentOptions & { host?: string | null; port?: number | string | null }, callback?: ConnectCallback): Duplex | undefined {
    connectViaProxy(this.#proxy, options.host ?? 'localhost', Number(options.port ?? 443), (error, socket) => {
      if (error || !socket) return callback?.(error ?? new Error('no socket'), undefined as unknown as Duplex);
      const secure = tlsConnect({ ...(options as ConnectionOptions), socket });
      callback?.(null, secure);
    });
    return undefined;
  }
}

/** A plain-HTTP agent whose connections go through a CONNECT tunnel. */
class TunnellingHttpAgent extends HttpAgent {
  readonly #proxy: URL;
  constructor(proxy: URL, options: AgentOptions) {
    super(options);
    this.#proxy = proxy;
  }
  override createConnection(options: { host?: string | null; port?: number | string | null }, callback?: ConnectCallback): Duplex | undefined {
    connectViaProxy(this.#proxy, options.host ?? 'localhost', Number(options.port ?? 80), (error, socket) => {
      if (error || !socket) return callback?.(error ?? new Error('no socket'), undefined as unknown as Duplex);
      callback?.(null, socket);
    });
    return undefined;
  }
}

/**
 * A keep-alive agent for `server`: HTTPS with `tls`, or plain HTTP; through `proxy` (an `http:` or `https:` URL)
 * when given. Idle sockets do not keep the process alive (Node unrefs them).
 * @since 0.1.0
 */
export function createAgent(server: URL, tls: TlsSettings, proxy?: URL): HttpAgent {
  const base = { keepAlive: true, keepAliveMsecs: KEEP_ALIVE_MSECS };
  if (server.protocol === 'https:') {
    const options = { ...base, ...tlsOptions(tls) };
    return proxy ? new TunnellingHttpsAgent(proxy, options) : new HttpsAgent(options);
  }
  return proxy ? new TunnellingHttpAgent(proxy, base) : new HttpAgent(base);
}

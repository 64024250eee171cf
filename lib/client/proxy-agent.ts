/**
 * The Node agents that send requests through an HTTP(S) proxy the way Go's `net/http` Transport does for
 * client-go (`transport.go`, `connectMethod`): an `https:` API server through a CONNECT tunnel, TLS to the server
 * running inside it; an `http:` API server as plain proxy requests (the absolute URL on the request line, the
 * proxy credentials in `Proxy-Authorization`), with no tunnel. The wire protocol is https-proxy-agent's and
 * http-proxy-agent's; this module adds what node-fetch cannot pass per request (the API server's TLS settings)
 * and messages that name the proxy (never its credentials). Node only.
 */
import type { AgentOptions, ClientRequest, IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { redactUrl } from './redact-url.js';

/** What the agents' `connect` is given: the request's host and port (agent-base's `AgentConnectOpts`). */
type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/** The status line of the proxy's answer to CONNECT, as https-proxy-agent emits it on the request. */
interface ProxyConnectAnswer {
  readonly statusCode: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
}

/** A failure reaching or using the proxy: names the proxy without user info, keeps the system error's code. */
function proxyError(proxy: URL, error: unknown): Error {
  const e = error as { message?: unknown; code?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return Object.assign(new Error(`proxy ${redactUrl(proxy)}: ${message}`, { cause: error }), typeof e?.code === 'string' ? { code: e.code } : {});
}

/**
 * An agent for an `https:` API server behind a proxy: CONNECT, then TLS with the server's CA, client certificate
 * and server name. Node's `Agent` merges its own options into each request's, but https-proxy-agent keeps its
 * constructor options for the proxy connection only, and node-fetch passes no TLS options per request: hence
 * `connect` adds them.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  readonly #tls: ConnectionOptions;

  constructor(proxy: URL, tls: ConnectionOptions, options: AgentOptions) {
    super(proxy, options);
    this.#tls = tls;
  }

  override async connect(req: ClientRequest, options: ConnectOptions): Promise<Socket> {
    let answer: ProxyConnectAnswer | undefined;
    req.once('proxyConnect', (a: ProxyConnectAnswer) => (answer = a));
    let socket: Socket;
    try {
      socket = await super.connect(req, { ...options, ...this.#tls } as ConnectOptions);
    } catch (error) {
      throw proxyError(this.proxy, error);
    }
    if (answer !== undefined && answer.statusCode !== 200) {
      // https-proxy-agent would replay the proxy's answer as if the API server had sent it (a 407 would read as
      // the cluster refusing us). Go's Transport fails the request instead ("proxyconnect" errors): so do we.
      socket.destroy();
      const target = `${options.host ?? ''}:${options.port ?? ''}`;
      throw proxyError(this.proxy, new Error(`CONNECT ${target} answered ${answer.statusCode}${answer.statusText ? ` ${answer.statusText}` : ''}`));
    }
    return socket;
  }
}

/** An agent for an `http:` API server behind a proxy: plain proxy requests, as Go sends them for `http:` URLs. */
class ForwardAgent extends HttpProxyAgent<string> {
  override async connect(req: Parameters<HttpProxyAgent<string>['connect']>[0], options: ConnectOptions): Promise<Socket> {
    try {
      return await super.connect(req, options);
    } catch (error) {
      throw proxyError(this.proxy, error);
    }
  }
}

/**
 * A keep-alive agent that reaches `server` through `proxy` (`http:` or `https:`; its user info becomes
 * `Proxy-Authorization: Basic`). `tls` applies to the API server only; an `https:` proxy is verified with the
 * system's CAs.
 */
export function createProxyAgent(server: URL, proxy: URL, tls: ConnectionOptions, options: AgentOptions): TunnelAgent | ForwardAgent {
  return server.protocol === 'https:' ? new TunnelAgent(proxy, tls, options) : new ForwardAgent(proxy, options);
}

/**
 * The Node transport's `agent`: keep-alive connections carrying the TLS settings of the configuration (CA,
 * client certificate, server name, verification), optionally through an HTTP(S) proxy (client-go's `proxy-url`,
 * or the proxy environment variables). Node only; imported lazily by `createClient`.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
import { createProxyAgent } from './proxy-agent.js';

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

/**
 * A keep-alive agent for `server`: HTTPS with `tls`, or plain HTTP; through `proxy` (an `http:` or `https:` URL)
 * when given. Idle sockets do not keep the process alive (Node unrefs them).
 * @since 0.1.0
 */
export function createAgent(server: URL, tls: TlsSettings, proxy?: URL): HttpAgent {
  const base = { keepAlive: true, keepAliveMsecs: KEEP_ALIVE_MSECS };
  if (proxy) return createProxyAgent(server, proxy, tlsOptions(tls), base);
  return server.protocol === 'https:' ? new HttpsAgent({ ...base, ...tlsOptions(tls) }) : new HttpAgent(base);
}

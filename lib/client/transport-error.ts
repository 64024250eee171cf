/**
 * Transport failures as {@link TransportError}s whose message states each fact once: which request (method and
 * URL without credentials or query), then why, in the platform's words without the URL it repeats.
 */
import { TransportError } from '../errors/kubex-error.js';
import { redactUrl } from './redact-url.js';

/** `GET https://host:6443/api/v1/pods`: a request as messages name it (no user info, query or fragment). */
export function describeRequest(method: string, url: string): string {
  return `${method} ${redactUrl(url)}`;
}

/**
 * The prefixes with which node-fetch repeats the URL in front of the system error's own message
 * (node-fetch `src/index.js` and `src/body.js`).
 */
const NODE_FETCH_PREFIXES = [/^request to \S+ failed, reason: /, /^Invalid response body while trying to fetch \S+: /];

type ErrorLike = { message?: unknown; code?: unknown; cause?: unknown; errors?: unknown } | undefined;

const messageOf = (e: ErrorLike): string => (typeof e?.message === 'string' ? e.message : '');
const codeOf = (e: ErrorLike): string | undefined => (typeof e?.code === 'string' ? e.code : undefined);

/** Why a request failed, without the URL, and the system error code if any. */
function reasonOf(error: unknown): { readonly reason: string; readonly code: string | undefined } {
  const e = error as ErrorLike;
  let reason = messageOf(e) || String(error);
  for (const prefix of NODE_FETCH_PREFIXES) reason = reason.replace(prefix, '');
  // undici (Node's global fetch) says only "fetch failed" or "terminated" and keeps the system error as its cause;
  // with both address families refused, that cause is an AggregateError whose message may be empty.
  const cause = e?.cause as ErrorLike;
  const nested = Array.isArray(cause?.errors) ? (cause.errors as ErrorLike[]).map(messageOf).filter(Boolean).join('; ') : '';
  const causeMessage = messageOf(cause) || nested;
  if (causeMessage && causeMessage !== reason) reason = reason === 'fetch failed' ? causeMessage : `${reason}: ${causeMessage}`;
  // Whatever URL remains (a proxy's, a redirect's) loses its user info and query.
  reason = reason.replace(/https?:\/\/[^\s,;]+/g, (u) => redactUrl(u));
  const code = codeOf(e) ?? codeOf(cause);
  return { reason, code };
}

/** Why a request failed, in the platform's words without the URL they repeat, with the system error code. */
export function failureReason(error: unknown): string {
  const { reason, code } = reasonOf(error);
  // The code is part of Node's system messages ("connect ECONNREFUSED ..."); say it only where they did not.
  return code && !reason.includes(code) ? `${reason} (${code})` : reason;
}

/**
 * Wraps a network failure in a {@link TransportError}: `GET https://host/path failed: connect ECONNREFUSED
 * 127.0.0.1:6443`, or, for a body that broke off (`phase: 'body'`), `GET https://host/path: the response broke
 * off: ...`. `request` is {@link describeRequest}'s text; without it the message is the reason alone. A
 * `TransportError` passes through unchanged.
 */
export function toTransportError(error: unknown, request?: string, phase?: 'body'): TransportError {
  if (error instanceof TransportError) return error;
  const { code } = reasonOf(error);
  const reason = failureReason(error);
  const message = request === undefined ? reason : phase === 'body' ? `${request}: the response broke off: ${reason}` : `${request} failed: ${reason}`;
  return new TransportError(message, { cause: error, ...(code !== undefined ? { code } : {}) });
}

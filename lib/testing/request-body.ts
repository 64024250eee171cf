/**
 * What the FakeApiServer's write handlers need to read a request body as kube-apiserver does: the media type of
 * `Content-Type` and the pieces of Go's decode error messages.
 * @internal
 */
import type { IncomingHttpHeaders } from 'node:http';

/** `Content-Type` without parameters, lower case; empty means JSON (AS:`negotiation.NegotiateInputSerializer`). */
export function mediaType(headers: IncomingHttpHeaders): string {
  const ct = headers['content-type'] ?? '';
  const i = ct.indexOf(';');
  const t = (i >= 0 ? ct.slice(0, i) : ct).trim().toLowerCase();
  return t === '' ? 'application/json' : t;
}

/** AS:`handlers/rest.go` `summarizeData`: the start of a body for decode error messages. */
export function summarize(body: string): string {
  if (body.length === 0) return '<empty>';
  if (body.startsWith('{')) return body.length > 30 ? `${body.slice(0, 30)} ...` : body;
  const hex = Buffer.from(body.slice(0, 30), 'utf8').toString('hex');
  return body.length > 30 ? `${hex} ...` : hex;
}

/** The Go type of `runtime.TypeMeta` decoding, as it shows in JSON decode errors. */
export const GO_TYPEMETA = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** The JSON type name Go's decoder prints for a value. */
export function goJsonType(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
}

/**
 * How the FakeApiServer writes answers: Status bodies (with `Retry-After`), Go's `http.Error` text, raw bodies,
 * and the responses of injected faults ({@link HttpFault}).
 * @internal
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { parseFieldSelector } from './field-selector.js';
import { forbiddenStatus, internalErrorStatus, makeStatus, resourceNotFoundStatus, tooManyRequestsStatus, unauthorizedStatus, type StatusBody } from './status.js';
import { notAcceptable, verbOf, type Route } from './routing.js';
import type { HttpFault, RecordedRequest } from './server-types.js';

/**
 * An error answered as a Status response.
 * @internal
 */
export class HttpError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message);
  }
}

/** A Status response: compact JSON plus `\n`; `Retry-After` copied from `details.retryAfterSeconds` (§4.3). @internal */
export function writeStatus(res: ServerResponse, status: StatusBody, headers: Readonly<Record<string, string>> = {}): void {
  const retry = status.details?.retryAfterSeconds;
  writeRaw(res, status.code ?? 500, 'application/json', `${JSON.stringify(status)}\n`, {
    ...(retry && retry > 0 ? { 'Retry-After': String(retry) } : {}),
    ...headers,
  });
}

/** A text/plain answer as Go's `http.Error` writes it: `nosniff`, trailing newline. @internal */
export function writeText(res: ServerResponse, code: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  writeRaw(res, code, 'text/plain; charset=utf-8', `${text}\n`, { 'X-Content-Type-Options': 'nosniff', ...headers });
}

/**
 * AS:`endpoints/handlers/responsewriters/writers.go` `defaultGzipThresholdBytes`: a response body larger than this
 * is gzip-compressed for a client that accepts gzip (feature APIResponseCompression, on by default).
 * @internal
 */
export const GZIP_THRESHOLD_BYTES = 128 * 1024;

/**
 * AS:`writers.go` `negotiateContentEncoding`: `gzip` when one comma-separated token of `Accept-Encoding`, trimmed, is
 * exactly `gzip` (a token with parameters such as `gzip;q=1` does not count).
 * @internal
 */
export function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  const value = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  return value.split(',').some((token) => token.trim() === 'gzip');
}

/**
 * A body as is, unless the response is already answered or gone. As kube-apiserver's `deferredResponseWriter`
 * does for every serialized object (not for watch streams, which have their own writer): a body of more than
 * {@link GZIP_THRESHOLD_BYTES} to a request accepting gzip goes out gzip-compressed with `Content-Encoding: gzip`
 * and `Vary: Accept-Encoding` added.
 * @internal
 */
export function writeRaw(res: ServerResponse, code: number, contentType: string, body: string, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length > GZIP_THRESHOLD_BYTES && acceptsGzip((res as ServerResponse & { req?: IncomingMessage }).req?.headers['accept-encoding'])) {
    const zipped = gzipSync(bytes);
    const vary = res.getHeader('Vary');
    res.setHeader('Vary', vary === undefined || vary === '' ? 'Accept-Encoding' : `${String(vary)}, Accept-Encoding`);
    // Go streams the compressed body chunked (no Content-Length).
    res.writeHead(code, { 'Content-Type': contentType, 'Content-Encoding': 'gzip', ...headers });
    res.end(zipped);
    return;
  }
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

/** Answers a request with an injected fault; `user` is who a Forbidden names when the fault does not say. @internal */
export function writeFault(req: IncomingMessage, res: ServerResponse, fault: HttpFault, route: Route | undefined, r: RecordedRequest, user: string): void {
  switch (fault.type) {
    case 'TooManyRequests':
      return writeStatus(res, tooManyRequestsStatus(fault.message ?? 'storage is (re)initializing', fault.retryAfterSeconds ?? 1));
    case 'TooManyRequestsText':
      return writeText(res, 429, 'Too many requests, please try again later.', { 'Retry-After': String(fault.retryAfterSeconds ?? 1) });
    case 'ShuttingDown':
      return writeText(res, 429, 'The apiserver is shutting down, please try again later.', { 'Retry-After': '5', Connection: 'close' });
    case 'Unauthorized':
      return writeStatus(res, unauthorizedStatus());
    case 'Forbidden': {
      let name = route?.name;
      try {
        name ??= parseFieldSelector(r.query.get('fieldSelector') ?? '').equalityValues('metadata.name')[0];
      } catch {
        // an unparsable selector names nothing
      }
      const status = forbiddenStatus({
        user: fault.user ?? user,
        verb: verbOf(r, route),
        plural: route?.plural ?? '',
        group: route?.group ?? '',
        namespace: route?.namespace,
        name,
      });
      return writeStatus(res, status, { 'X-Content-Type-Options': 'nosniff' });
    }
    case 'NotFound':
      return writeStatus(res, resourceNotFoundStatus());
    case 'NotFoundText':
      return writeText(res, 404, '404 page not found');
    case 'NotAcceptable':
      return writeStatus(res, notAcceptable());
    case 'InternalError':
      return writeStatus(res, internalErrorStatus(fault.message ?? 'injected fault'));
    case 'Gone':
      return writeStatus(
        res,
        makeStatus({ code: 410, reason: fault.reason ?? 'Expired', message: fault.message ?? 'The resourceVersion for the provided watch is too old.' }),
      );
    case 'Status':
      return writeStatus(res, makeStatus(fault), fault.headers);
    case 'Reset':
      req.socket.destroy();
      return;
  }
}

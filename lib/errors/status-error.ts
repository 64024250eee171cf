import type { Status, StatusDetails } from '../watch/codecs.js';
import { KubexError } from './kubex-error.js';

/**
 * The server refused a request or ended a watch with a Kubernetes `Status`: an HTTP error response, or an
 * in-stream `ERROR` event. Subclasses exist per status code ({@link GoneError}, {@link NotFoundError}, ...);
 * {@link statusErrorFrom} picks the right one.
 *
 * @since 0.1.0
 */
export class StatusError extends KubexError {
  /** The class name, `StatusError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'StatusError';
  /** The HTTP-style status code (`Status.code`, or the HTTP status when the body had none). */
  readonly code: number;
  /** The machine-readable reason (`Expired`, `NotFound`, ...); `''` when the server gave none (Unknown). */
  readonly reason: string;
  /** `Failure` (or `Success` for a successful delete answered with a Status). */
  readonly status: string;
  /** Extra data: name, group, kind, causes, retryAfterSeconds. */
  readonly details: StatusDetails | undefined;

  constructor(status: Pick<Status, 'code' | 'reason' | 'status' | 'message' | 'details'> & { code: number }) {
    super(status.message || `${status.code} ${status.reason ?? ''}`.trim());
    this.code = status.code;
    this.reason = status.reason ?? '';
    this.status = status.status ?? 'Failure';
    this.details = status.details;
  }

  /** `details.retryAfterSeconds`, or the `Retry-After` header of the response, if either was given. */
  get retryAfterSeconds(): number | undefined {
    return this.details?.retryAfterSeconds;
  }
}

/** 400 BadRequest: a malformed request, e.g. a label selector that does not parse. @since 0.1.0 */
export class BadRequestError extends StatusError {
  /** The class name, `BadRequestError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'BadRequestError';
}
/** 401 Unauthorized: missing or invalid credentials. @since 0.1.0 */
export class UnauthorizedError extends StatusError {
  /** The class name, `UnauthorizedError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'UnauthorizedError';
}
/** 403 Forbidden: authenticated, but RBAC denies the verb. @since 0.1.0 */
export class ForbiddenError extends StatusError {
  /** The class name, `ForbiddenError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'ForbiddenError';
}
/** 404 NotFound: no such object, resource type or API group. @since 0.1.0 */
export class NotFoundError extends StatusError {
  /** The class name, `NotFoundError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'NotFoundError';
}
/** 405 MethodNotAllowed: the resource does not support the verb. @since 0.1.0 */
export class MethodNotAllowedError extends StatusError {
  /** The class name, `MethodNotAllowedError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'MethodNotAllowedError';
}
/** 406 NotAcceptable: no serializer for the requested media type. @since 0.1.0 */
export class NotAcceptableError extends StatusError {
  /** The class name, `NotAcceptableError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'NotAcceptableError';
}
/** 409 Conflict or AlreadyExists: a resourceVersion precondition failed, or the name is taken. @since 0.1.0 */
export class ConflictError extends StatusError {
  /** The class name, `ConflictError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'ConflictError';
}
/**
 * 410 Gone (reason `Expired` or `Gone`): the requested resourceVersion is older than the server's history.
 * Arrives as an in-stream ERROR event (the usual form) or an HTTP 410; both become this class.
 * The remedy is to start over without the resourceVersion (see `retryOnGone`).
 *
 * @since 0.1.0
 */
export class GoneError extends StatusError {
  /** The class name, `GoneError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'GoneError';
}
/** 415 UnsupportedMediaType: e.g. a patch type the resource does not accept. @since 0.1.0 */
export class UnsupportedMediaTypeError extends StatusError {
  /** The class name, `UnsupportedMediaTypeError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'UnsupportedMediaTypeError';
}
/** 422 Invalid: the object or the query parameters failed validation; `details.causes` says where. @since 0.1.0 */
export class InvalidError extends StatusError {
  /** The class name, `InvalidError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'InvalidError';
}
/**
 * 429 TooManyRequests: the server (priority and fairness, an unready watch cache, shutdown) asks to come back
 * later. `retryAfterSeconds` is taken from `details.retryAfterSeconds` or the `Retry-After` header.
 *
 * @since 0.1.0
 */
export class TooManyRequestsError extends StatusError {
  /** The class name, `TooManyRequestsError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'TooManyRequestsError';
}
/** 500 InternalError (or any 500): the server failed. Transient as a rule. @since 0.1.0 */
export class InternalError extends StatusError {
  /** The class name, `InternalError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'InternalError';
}
/** 503 ServiceUnavailable: the server is not ready. Transient. @since 0.1.0 */
export class ServiceUnavailableError extends StatusError {
  /** The class name, `ServiceUnavailableError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'ServiceUnavailableError';
}
/**
 * 504 Timeout: the server gave up waiting, e.g. "Too large resource version" when a watch-list asks for a
 * resourceVersion its cache has not reached (see {@link isTooLargeResourceVersion}). Transient.
 *
 * @since 0.1.0
 */
export class GatewayTimeoutError extends StatusError {
  /** The class name, `GatewayTimeoutError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'GatewayTimeoutError';
}

type StatusErrorClass = new (status: ConstructorParameters<typeof StatusError>[0]) => StatusError;

const BY_CODE: ReadonlyMap<number, StatusErrorClass> = new Map<number, StatusErrorClass>([
  [400, BadRequestError],
  [401, UnauthorizedError],
  [403, ForbiddenError],
  [404, NotFoundError],
  [405, MethodNotAllowedError],
  [406, NotAcceptableError],
  [409, ConflictError],
  [410, GoneError],
  [415, UnsupportedMediaTypeError],
  [422, InvalidError],
  [429, TooManyRequestsError],
  [500, InternalError],
  [503, ServiceUnavailableError],
  [504, GatewayTimeoutError],
]);

/** Reasons that fix the class even when the code is missing or odd (e.g. an ERROR event without `code`). */
const BY_REASON: ReadonlyMap<string, StatusErrorClass> = new Map<string, StatusErrorClass>([
  ['BadRequest', BadRequestError],
  ['Unauthorized', UnauthorizedError],
  ['Forbidden', ForbiddenError],
  ['NotFound', NotFoundError],
  ['MethodNotAllowed', MethodNotAllowedError],
  ['NotAcceptable', NotAcceptableError],
  ['AlreadyExists', ConflictError],
  ['Conflict', ConflictError],
  ['Gone', GoneError],
  ['Expired', GoneError],
  ['UnsupportedMediaType', UnsupportedMediaTypeError],
  ['Invalid', InvalidError],
  ['TooManyRequests', TooManyRequestsError],
  ['InternalError', InternalError],
  ['ServiceUnavailable', ServiceUnavailableError],
  ['Timeout', GatewayTimeoutError],
]);

/**
 * Builds the {@link StatusError} subclass that fits a Status: by `code` first, then by `reason`
 * (`Expired`/`Gone` are {@link GoneError} whatever the code says), else a plain {@link StatusError}.
 *
 * @param status the decoded Status (or the parts of it that are known)
 * @param fallbackCode the HTTP status, used when the Status has no `code`
 * @since 0.1.0
 */
export function statusErrorFrom(
  status: Pick<Status, 'code' | 'reason' | 'status' | 'message' | 'details'>,
  fallbackCode = 500,
): StatusError {
  const code = typeof status.code === 'number' && status.code > 0 ? status.code : fallbackCode;
  const reason = status.reason ?? '';
  const Class =
    (reason === 'Expired' || reason === 'Gone' ? GoneError : undefined) ??
    BY_CODE.get(code) ??
    BY_REASON.get(reason) ??
    (code >= 500 ? InternalError : StatusError);
  return new Class({ ...status, code });
}

/**
 * Whether an error is the "Too large resource version" timeout (504, cause `ResourceVersionTooLarge`, or the
 * message of servers 1.17.0–1.18.5 that had no cause), as client-go's reflector recognises it.
 *
 * @since 0.1.0
 */
export function isTooLargeResourceVersion(error: unknown): boolean {
  if (!(error instanceof StatusError)) return false;
  if (error.details?.causes?.some((c) => c.reason === 'ResourceVersionTooLarge')) return true;
  return error.code === 504 && /Too large resource version/i.test(error.message);
}

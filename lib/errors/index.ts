export { KubexError, TransportError, DecodeError } from './kubex-error.js';
export {
  StatusError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  MethodNotAllowedError,
  NotAcceptableError,
  ConflictError,
  GoneError,
  UnsupportedMediaTypeError,
  InvalidError,
  TooManyRequestsError,
  InternalError,
  ServiceUnavailableError,
  GatewayTimeoutError,
  statusErrorFrom,
  isTooLargeResourceVersion,
} from './status-error.js';
export { statusErrorFromBody, statusErrorFromResponse, parseRetryAfter, type ErrorResponseLike } from './from-response.js';
export { WatchEndedTooSoonError, IdleTimeoutError } from './resilience-errors.js';

import { Status } from '../watch/codecs.js';
import { statusErrorFrom, type StatusError } from './status-error.js';

/** The parts of a fetch `Response` needed to turn an error answer into a typed error. */
export interface ErrorResponseLike {
  /** The HTTP status code (e.g. `404`). */
  readonly status: number;
  /** The HTTP reason phrase (e.g. `Not Found`), used in the message when the body is empty. */
  readonly statusText?: string;
  /** The response headers; only `Retry-After` is read. */
  readonly headers: {
    /** The value of a header (case-insensitive name), or `null` when absent. */
    get(name: string): string | null;
  };
  /** Reads the whole body as text (a JSON `Status`, or any other error page). */
  text(): Promise<string>;
}

/** Error bodies longer than this are cut: a proxy's HTML page must not end up whole in a message. */
const MAX_MESSAGE_CHARS = 2048;

/**
 * Parses a `Retry-After` header: delay-seconds, or an HTTP date (converted to seconds from `now`).
 * Returns `undefined` when absent or unparseable.
 *
 * @since 0.1.0
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Builds the typed error for a Status object or an error body's text, as received with an HTTP status.
 * A JSON `Status` body gives its code, reason, message and details; any other body (priority-and-fairness's
 * text/plain 429, a proxy's HTML) still gives the class of the HTTP status, with the text as message.
 * A `Retry-After` header fills `details.retryAfterSeconds` when the body did not.
 *
 * @since 0.1.0
 */
export function statusErrorFromBody(httpStatus: number, body: string, retryAfterHeader?: string | null, statusText = ''): StatusError {
  let decoded: Status | undefined;
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const result = Status.decode(JSON.parse(trimmed));
      if (result._tag === 'Right') decoded = result.right;
    } catch {
      // Not JSON after all: fall through to the text form.
    }
  }
  const retryAfter = parseRetryAfter(retryAfterHeader);
  if (decoded !== undefined) {
    const details =
      retryAfter !== undefined && decoded.details?.retryAfterSeconds === undefined
        ? { ...decoded.details, retryAfterSeconds: retryAfter }
        : decoded.details;
    return statusErrorFrom({ ...decoded, details }, httpStatus);
  }
  const text = trimmed.length > MAX_MESSAGE_CHARS ? `${trimmed.slice(0, MAX_MESSAGE_CHARS)}…` : trimmed;
  return statusErrorFrom(
    {
      code: httpStatus,
      status: 'Failure',
      message: text || `HTTP ${httpStatus}${statusText ? ` ${statusText}` : ''}`,
      details: retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : undefined,
    },
    httpStatus,
  );
}

/**
 * Reads an error response's body and builds the typed error for it (see {@link statusErrorFromBody}).
 *
 * @since 0.1.0
 */
export async function statusErrorFromResponse(response: ErrorResponseLike): Promise<StatusError> {
  let body = '';
  try {
    body = await response.text();
  } catch {
    // The body broke off; the status code alone still tells the class.
  }
  return statusErrorFromBody(response.status, body, response.headers.get('retry-after'), response.statusText);
}

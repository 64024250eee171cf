import type * as t from 'io-ts';
import { DecodeError } from '../errors/kubex-error.js';
import { statusErrorFrom } from '../errors/status-error.js';
import { Bookmark, Status } from './codecs.js';
import type { WatchEvent } from './watch-event.js';
import { rejectedObject, type RejectedObject } from './rejected-object.js';

/** Renders one io-ts validation error as `path: expected Type, got value`. */
function formatValidationError(error: t.ValidationError): string {
  // Intersection and union members append a context entry with the member's index but the same value:
  // those are not part of the data path, so skip entries whose value is the parent's.
  const keys: string[] = [];
  for (let i = 1; i < error.context.length; i++) {
    const entry = error.context[i]!;
    if (entry.actual === error.context[i - 1]!.actual && /^\d+$/.test(entry.key)) continue;
    keys.push(entry.key);
  }
  const expected = error.context[error.context.length - 1]?.type.name ?? 'value';
  let got: string;
  try {
    got = error.value === undefined ? 'undefined' : JSON.stringify(error.value);
  } catch {
    got = String(error.value);
  }
  if (got.length > 80) got = `${got.slice(0, 80)}…`;
  return `${keys.join('.') || '<root>'}: expected ${expected}, got ${got}`;
}

/**
 * Formats io-ts validation errors as one message per path.
 * @since 0.1.0
 */
export function formatValidationErrors(errors: t.Errors): string[] {
  return errors.map(formatValidationError);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Decodes one line of a watch stream into a typed event.
 *
 * - `ADDED`/`MODIFIED`/`DELETED` objects go through `codec`; `BOOKMARK` objects through the {@link Bookmark}
 *   codec only (a bookmark is a skeleton of the watched kind and would fail a strict codec).
 * - `ERROR` throws the {@link StatusError} subclass for its Status (410 Expired/Gone is a `GoneError`).
 * - Anything else throws a {@link DecodeError} carrying the line: not JSON, not `{type, object}`, an unknown
 *   event type, an object the codec rejects.
 *
 * @since 0.1.0
 */
export function decodeWatchEvent<T>(line: string, codec: t.Decoder<unknown, T>): WatchEvent<T>;
/**
 * {@link decodeWatchEvent}, except that an ADDED/MODIFIED/DELETED object the codec rejects is reported to
 * `onRejected` and gives `undefined` (the line itself was a well-formed event: only its object is left out).
 * @internal
 */
export function decodeWatchEvent<T>(line: string, codec: t.Decoder<unknown, T>, onRejected: (rejected: RejectedObject) => void): WatchEvent<T> | undefined;
export function decodeWatchEvent<T>(line: string, codec: t.Decoder<unknown, T>, onRejected?: (rejected: RejectedObject) => void): WatchEvent<T> | undefined {
  let wire: unknown;
  try {
    wire = JSON.parse(line);
  } catch (error) {
    throw new DecodeError(`watch line is not valid JSON (${(error as Error).message})`, line);
  }
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) {
    throw new DecodeError(`watch line is not a {type, object} document (got ${describe(wire)})`, line);
  }
  const { type, object } = wire as { type?: unknown; object?: unknown };
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new DecodeError(`watch event has no object (got ${describe(object)})`, line);
  }
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED': {
      const result = codec.decode(object);
      if (result._tag === 'Left') {
        const error = new DecodeError(`${type} event object does not match ${(codec as { name?: string }).name ?? 'its codec'}`, line, formatValidationErrors(result.left));
        if (onRejected === undefined) throw error;
        onRejected(rejectedObject(type, object, error));
        return undefined;
      }
      return { type, object: result.right };
    }
    case 'BOOKMARK': {
      const result = Bookmark.decode(object);
      if (result._tag === 'Left') {
        throw new DecodeError('BOOKMARK event object has no metadata.resourceVersion', line, formatValidationErrors(result.left));
      }
      return { type, object: result.right };
    }
    case 'ERROR': {
      const result = Status.decode(object);
      if (result._tag === 'Left') {
        // An ERROR whose object is not a Status: still an error from the server, reported as a 500.
        const message = typeof (object as { message?: unknown }).message === 'string' ? (object as { message: string }).message : `ERROR event without a Status: ${line.slice(0, 200)}`;
        throw statusErrorFrom({ code: 500, message }, 500);
      }
      throw statusErrorFrom(result.right, 500);
    }
    default:
      throw new DecodeError(`unknown watch event type ${JSON.stringify(type)}`, line);
  }
}

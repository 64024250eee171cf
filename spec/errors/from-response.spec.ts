import { describe, expect, it } from '@jest/globals';
import { KubexError } from '../../lib/errors/kubex-error.js';
import { parseRetryAfter, statusErrorFromBody } from '../../lib/errors/from-response.js';
import {
  BadRequestError, ConflictError, ForbiddenError, GatewayTimeoutError, GoneError, InternalError, InvalidError, NotFoundError,
  ServiceUnavailableError, StatusError, TooManyRequestsError, UnauthorizedError, statusErrorFrom,
} from '../../lib/errors/status-error.js';
import { readFixture } from '../../vendor/index.js';

const status = (code: number, reason: string, message: string, extra: object = {}): string =>
  `${JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...extra, code })}\n`;

describe('statusErrorFromBody', () => {
  it.each([
    [400, 'BadRequest', BadRequestError],
    [401, 'Unauthorized', UnauthorizedError],
    [403, 'Forbidden', ForbiddenError],
    [404, 'NotFound', NotFoundError],
    [409, 'AlreadyExists', ConflictError],
    [409, 'Conflict', ConflictError],
    [410, 'Expired', GoneError],
    [410, 'Gone', GoneError],
    [422, 'Invalid', InvalidError],
    [429, 'TooManyRequests', TooManyRequestsError],
    [500, 'InternalError', InternalError],
    [503, 'ServiceUnavailable', ServiceUnavailableError],
    [504, 'Timeout', GatewayTimeoutError],
  ])('HTTP %i %s Status -> its class, under StatusError and KubexError', (code, reason, Class) => {
    const error = statusErrorFromBody(code, status(code, reason, `m ${reason}`));
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(StatusError);
    expect(error).toBeInstanceOf(KubexError);
    expect(error).toMatchObject({ code, reason, message: `m ${reason}`, status: 'Failure', name: Class.name });
  });

  it('decodes the recorded 422 with its causes', () => {
    const fixture = readFixture('status-422-invalid.json');
    const error = statusErrorFromBody(422, JSON.stringify(fixture));
    expect(error).toBeInstanceOf(InvalidError);
    expect(error.details?.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.prop2' }]);
    expect(error.message).toBe(fixture['message']);
  });

  it('takes the class from the HTTP status for a text/plain 429 and keeps Retry-After', () => {
    const error = statusErrorFromBody(429, 'Too many requests, please try again later.\n', '3');
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error.message).toBe('Too many requests, please try again later.');
    expect(error.retryAfterSeconds).toBe(3);
  });

  it('prefers details.retryAfterSeconds over the header, and fills it from the header when absent', () => {
    expect(statusErrorFromBody(429, status(429, 'TooManyRequests', 'x', { details: { retryAfterSeconds: 9 } }), '2').retryAfterSeconds).toBe(9);
    expect(statusErrorFromBody(429, status(429, 'TooManyRequests', 'x'), '2').retryAfterSeconds).toBe(2);
    expect(statusErrorFromBody(429, status(429, 'TooManyRequests', 'x')).retryAfterSeconds).toBeUndefined();
  });

  it('gives a proxy HTML page the class of its status, with a bounded message', () => {
    const html = `<html><body>${'x'.repeat(10_000)}</body></html>`;
    const error = statusErrorFromBody(502, html);
    expect(error).toBeInstanceOf(InternalError);
    expect(error.code).toBe(502);
    expect(error.message.length).toBeLessThan(2100);
  });

  it('uses the HTTP status line when the body is empty', () => {
    const error = statusErrorFromBody(404, '', null, 'Not Found');
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('HTTP 404 Not Found');
  });

  it('treats JSON that is not a Status as text', () => {
    const error = statusErrorFromBody(403, '{"error":"nope"}');
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toBe('{"error":"nope"}');
  });

  it('keeps an unknown 4xx as a plain StatusError', () => {
    const error = statusErrorFromBody(418, "I'm a teapot");
    expect(error.constructor).toBe(StatusError);
    expect(error.name).toBe('StatusError');
  });
});

describe('statusErrorFrom', () => {
  it('makes Expired a GoneError whatever the code says, and uses the fallback code when none is given', () => {
    expect(statusErrorFrom({ reason: 'Expired', code: 500 })).toBeInstanceOf(GoneError);
    const e = statusErrorFrom({ reason: 'NotFound' }, 404);
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.code).toBe(404);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

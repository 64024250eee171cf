import { describe, expect, it } from '@jest/globals';
import * as t from 'io-ts';
import { DecodeError } from '../../lib/errors/kubex-error.js';
import { GoneError, InternalError, StatusError, TooManyRequestsError, GatewayTimeoutError, isTooLargeResourceVersion } from '../../lib/errors/status-error.js';
import { KubernetesObject } from '../../lib/watch/codecs.js';
import { decodeWatchEvent } from '../../lib/watch/decode-event.js';
import { isInitialEventsEnd } from '../../lib/watch/watch-event.js';
import { readFixture } from '../../vendor/index.js';

const pod = readFixture('pod.json');
const line = (type: string, object: unknown): string => JSON.stringify({ type, object });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('decodeWatchEvent', () => {
  it.each(['ADDED', 'MODIFIED', 'DELETED'])('decodes %s with the resource codec', (type) => {
    const event = decodeWatchEvent(line(type, pod), KubernetesObject);
    expect(event.type).toBe(type);
    expect(event.object).toEqual(pod);
  });

  it('decodes a BOOKMARK with the Bookmark codec, never the resource codec', () => {
    const strict = t.type({ apiVersion: t.string, kind: t.string, metadata: t.type({ name: t.string }), spec: t.type({ containers: t.array(t.unknown) }) });
    const bookmark = { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '12746' }, spec: { containers: null }, status: {} };
    const event = decodeWatchEvent(line('BOOKMARK', bookmark), strict);
    expect(event).toEqual({ type: 'BOOKMARK', object: bookmark });
    expect(isInitialEventsEnd(event)).toBe(false);
  });

  it('recognises the initial-events-end bookmark by its annotation only', () => {
    const end = decodeWatchEvent(line('BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '7', annotations: { 'k8s.io/initial-events-end': 'true' } } }), KubernetesObject);
    expect(isInitialEventsEnd(end)).toBe(true);
    const notTrue = decodeWatchEvent(line('BOOKMARK', { metadata: { resourceVersion: '7', annotations: { 'k8s.io/initial-events-end': 'false' } } }), KubernetesObject);
    expect(isInitialEventsEnd(notTrue)).toBe(false);
    expect(isInitialEventsEnd({ type: 'ADDED', object: pod })).toBe(false);
  });

  it('turns an in-stream 410 Expired into a GoneError with the server message', () => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (3171407)', reason: 'Expired', code: 410 };
    const error = thrown(() => decodeWatchEvent(line('ERROR', status), KubernetesObject));
    expect(error).toBeInstanceOf(GoneError);
    expect(error).toMatchObject({ name: 'GoneError', code: 410, reason: 'Expired', message: 'too old resource version: 1 (3171407)' });
  });

  it('treats reason Gone (servers up to 1.17) as a GoneError too', () => {
    const error = thrown(() => decodeWatchEvent(line('ERROR', { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Gone', code: 410, message: 'gone' }), KubernetesObject));
    expect(error).toBeInstanceOf(GoneError);
  });

  it('turns the 504 "Too large resource version" into a GatewayTimeoutError with retryAfterSeconds', () => {
    const status = {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Timeout: Too large resource version: 99, current: 12', reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 }, code: 504,
    };
    const error = thrown(() => decodeWatchEvent(line('ERROR', status), KubernetesObject)) as StatusError;
    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect(error.retryAfterSeconds).toBe(1);
    expect(isTooLargeResourceVersion(error)).toBe(true);
  });

  it('turns an in-stream 500 and a 429 into their classes', () => {
    expect(thrown(() => decodeWatchEvent(line('ERROR', { kind: 'Status', code: 500, reason: 'InternalError', message: 'boom' }), KubernetesObject))).toBeInstanceOf(InternalError);
    const tooMany = thrown(() => decodeWatchEvent(line('ERROR', { kind: 'Status', code: 429, reason: 'TooManyRequests', message: 'slow down', details: { retryAfterSeconds: 7 } }), KubernetesObject));
    expect(tooMany).toBeInstanceOf(TooManyRequestsError);
    expect((tooMany as StatusError).retryAfterSeconds).toBe(7);
  });

  it('reports an ERROR whose object is not a Status as an InternalError, and an odd code by its class', () => {
    expect(thrown(() => decodeWatchEvent(line('ERROR', { message: 'weird' }), KubernetesObject))).toBeInstanceOf(InternalError);
    const odd = thrown(() => decodeWatchEvent(line('ERROR', { kind: 'Status', code: 418, message: 'teapot' }), KubernetesObject)) as StatusError;
    expect(odd.constructor).toBe(StatusError);
    expect(odd.code).toBe(418);
    const noCode = thrown(() => decodeWatchEvent(line('ERROR', { kind: 'Status', message: 'no code' }), KubernetesObject)) as StatusError;
    expect(noCode).toBeInstanceOf(InternalError);
    expect(noCode.code).toBe(500);
  });

  it.each([
    ['not JSON', '{"type":"ADDED","object":{', /not valid JSON/],
    ['an array', '[1,2]', /not a \{type, object\} document \(got array\)/],
    ['a string', '"x"', /got string/],
    ['no object', '{"type":"ADDED"}', /no object \(got undefined\)/],
    ['a null object', '{"type":"ADDED","object":null}', /no object \(got null\)/],
    ['an unknown type', '{"type":"SYNC","object":{}}', /unknown watch event type "SYNC"/],
    ['a missing type', '{"object":{}}', /unknown watch event type undefined/],
  ])('rejects %s with a DecodeError carrying the line', (_what, input, message) => {
    const error = thrown(() => decodeWatchEvent(input, KubernetesObject)) as DecodeError;
    expect(error).toBeInstanceOf(DecodeError);
    expect(error.message).toMatch(message);
    expect(error.line).toBe(input);
  });

  it('names the failing paths of an object its codec rejects', () => {
    const bad = { ...pod, metadata: { ...(pod['metadata'] as object), labels: { app: 42 } } };
    const error = thrown(() => decodeWatchEvent(line('MODIFIED', bad), KubernetesObject)) as DecodeError;
    expect(error).toBeInstanceOf(DecodeError);
    expect(error.errors).toEqual(['metadata.labels.app: expected string, got 42']);
    expect(error.message).toContain('metadata.labels.app: expected string, got 42');
  });

  it('truncates a huge offending line in the error', () => {
    const huge = `{"type":"ADDED","object":{"x":"${'a'.repeat(100_000)}"`;
    const error = thrown(() => decodeWatchEvent(huge, KubernetesObject)) as DecodeError;
    expect(error.line.length).toBeLessThanOrEqual(DecodeError.MAX_LINE_IN_ERROR + 1);
  });

  it('with onRejected, reports an object its codec rejects and gives undefined; a malformed line still throws', () => {
    const reports: unknown[] = [];
    const bad = line('MODIFIED', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', resourceVersion: '42', labels: { app: 7 } } });
    expect(decodeWatchEvent(bad, KubernetesObject, (r) => reports.push(r))).toBeUndefined();
    expect(reports).toEqual([expect.objectContaining({ key: 'default/web', resourceVersion: '42', source: 'MODIFIED', errors: ['metadata.labels.app: expected string, got 7'] })]);
    expect(decodeWatchEvent(line('ADDED', pod), KubernetesObject, () => undefined)).toMatchObject({ type: 'ADDED' });
    expect(() => decodeWatchEvent('{"type":"ADDED"', KubernetesObject, () => undefined)).toThrow(DecodeError);
    expect(() => decodeWatchEvent(line('BOOKMARK', { metadata: {} }), KubernetesObject, () => undefined)).toThrow(DecodeError);
  });
});

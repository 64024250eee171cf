import { describe, expect, it } from '@jest/globals';
import * as t from 'io-ts';
import { decodeObjectOrStatus } from '../../lib/api/crud.js';
import { isStatus } from '../../lib/api/is-status.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import type { Status } from '../../lib/watch/codecs.js';
import type { ConfigMap, Pod } from '../../lib/k8s/v1_35/core/v1.js';

describe('isStatus', () => {
  it('is true for a meta/v1 Status only: kind Status and apiVersion v1', () => {
    expect(isStatus({ kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name: 'a', kind: 'configmaps' } })).toBe(true);
    expect(isStatus({ kind: 'Status', apiVersion: 'v1' })).toBe(true);
    // A custom resource named Status, an object without apiVersion, other objects and non-objects.
    for (const other of [{ kind: 'Status', apiVersion: 'example.com/v1' }, { kind: 'Status' }, { kind: 'Pod', apiVersion: 'v1' }, null, undefined, 'Status', 42, []]) {
      expect(isStatus(other)).toBe(false);
    }
  });

  it('narrows what delete$ emits: a Status in one branch, the object in the other (checked by the compiler)', () => {
    const outcomes: (Pod | Status)[] = [
      { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name: 'web-0', kind: 'pods' } },
      { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web-0', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['example.com/cleanup'] } },
    ];
    const seen: string[] = [];
    for (const result of outcomes) {
      if (isStatus(result)) {
        const status: Status = result;
        seen.push(`status ${status.status ?? ''} ${result.details?.name ?? ''}`);
      } else {
        const pod: Pod = result;
        seen.push(`pod ${pod.metadata?.name ?? ''} ${result.metadata?.deletionTimestamp ?? ''} ${result.metadata?.finalizers?.join(',') ?? ''}`);
      }
    }
    expect(seen).toEqual(['status Success web-0', 'pod web-0 2026-01-01T00:00:00Z example.com/cleanup']);
    // Also for a kind without a `status` field of its own, which a Status could otherwise pass for.
    const cm: ConfigMap | Status = { kind: 'ConfigMap', apiVersion: 'v1', data: { a: '1' } };
    const data = isStatus(cm) ? undefined : cm.data;
    expect(data).toEqual({ a: '1' });
  });
});

describe('decodeObjectOrStatus (what delete$ decodes)', () => {
  it('a custom resource of kind Status in its own group is the object, not a meta/v1 Status', () => {
    // A codec that marks what it decoded, to see which decoder the body went through.
    const codec = new t.Type<Record<string, unknown>, unknown, unknown>(
      'StatusResource',
      (u): u is Record<string, unknown> => typeof u === 'object' && u !== null,
      (u, c) => (typeof u === 'object' && u !== null ? t.success({ ...u, decodedAs: 'StatusResource' }) : t.failure(u, c)),
      (a) => a,
    );
    const Statuses = defineResource({ apiVersion: 'example.com/v1', kind: 'Status', plural: 'statuses', namespaced: true, codec });
    const body = { apiVersion: 'example.com/v1', kind: 'Status', metadata: { name: 'mine' }, status: 'Ready' };
    const result = decodeObjectOrStatus(JSON.stringify(body), Statuses);
    expect(isStatus(result)).toBe(false);
    expect(result).toEqual({ ...body, decodedAs: 'StatusResource' });
    const success = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', details: { name: 'mine', group: 'example.com', kind: 'statuses' } };
    expect(decodeObjectOrStatus(JSON.stringify(success), Statuses)).toEqual(success);
  });
});

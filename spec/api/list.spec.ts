import { describe, expect, it } from '@jest/globals';
import { decodeList, listQuery, validateListOptions } from '../../lib/api/list.js';
import { DecodeError } from '../../lib/errors/kubex-error.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { readFixture } from '../../vendor/index.js';

const Pod = defineResource({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true });
const Deployment = defineResource({ apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true });

describe('decodeList', () => {
  it.each([
    ['pod-list.json', Pod],
    ['deployment-list.json', Deployment],
  ] as const)('decodes the recorded %s, filling apiVersion/kind into items', (file, resource) => {
    const fixture = readFixture(file);
    const list = decodeList(JSON.stringify(fixture), resource);
    const items = fixture['items'] as Array<Record<string, unknown>>;
    expect(list.items).toHaveLength(items.length);
    expect(list.metadata.resourceVersion).toBe((fixture['metadata'] as { resourceVersion: string }).resourceVersion);
    expect(list.items[0]).toEqual({ apiVersion: resource.apiVersion, kind: resource.kind, ...items[0] });
  });

  it('rejects bodies that are not lists, and items the codec rejects', () => {
    expect(() => decodeList('nope', Pod)).toThrow(DecodeError);
    expect(() => decodeList('{"items":[]}', Pod)).toThrow(/metadata.resourceVersion/);
    expect(() => decodeList('{"metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":5}}]}', Pod)).toThrow(/list item 0.*metadata\.name: expected string, got 5/);
  });

  it('with onRejected, leaves out the items the codec rejects and reports each (the informer\'s decodeErrors: skip)', () => {
    const rejected: unknown[] = [];
    const body = '{"metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a","namespace":"ns"}},{"metadata":{"name":"b","namespace":"ns","resourceVersion":"7","labels":{"x":5}}}]}';
    const list = decodeList(body, Pod, (r) => rejected.push(r));
    expect(list.items.map((p) => p.metadata.name)).toEqual(['a']);
    expect(rejected).toEqual([expect.objectContaining({ key: 'ns/b', resourceVersion: '7', source: 'LIST', errors: ['metadata.labels.x: expected string, got 5'] })]);
    // A body that is not a list is not one object: it still throws.
    expect(() => decodeList('{"items":[]}', Pod, () => undefined)).toThrow(DecodeError);
  });
});

describe('listQuery and validateListOptions', () => {
  it('sends the options as the API names them', () => {
    expect(listQuery({ resourceVersion: '0', resourceVersionMatch: 'NotOlderThan', labelSelector: 'a=b', limit: 500, continue: 'tok' }).toString()).toBe(
      'resourceVersion=0&resourceVersionMatch=NotOlderThan&labelSelector=a%3Db&limit=500&continue=tok',
    );
    expect(listQuery({}).toString()).toBe('');
  });

  it('throws for impossible options', () => {
    expect(() => validateListOptions({ namespace: 'x' }, false)).toThrow(/cluster-scoped/);
    expect(() => validateListOptions({ limit: 0 }, true)).toThrow(/limit/);
    expect(() => validateListOptions({ resourceVersionMatch: 'Exact' }, true)).toThrow(/needs a resourceVersion/);
  });
});

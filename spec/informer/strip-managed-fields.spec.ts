import { describe, expect, it } from '@jest/globals';
import { stripManagedFields } from '../../lib/index.js';

describe('stripManagedFields', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'default',
      resourceVersion: '7',
      labels: { app: 'web' },
      managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
    },
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
  };

  it('drops metadata.managedFields and keeps everything else', () => {
    const stripped = stripManagedFields(pod);
    expect(stripped.metadata).toEqual({ name: 'web', namespace: 'default', resourceVersion: '7', labels: { app: 'web' } });
    expect('managedFields' in stripped.metadata).toBe(false);
    expect(stripped.spec).toBe(pod.spec);
  });

  it('leaves its input unchanged', () => {
    stripManagedFields(pod);
    expect(pod.metadata.managedFields).toHaveLength(1);
  });

  it('returns an object without managedFields (or without metadata) as it is', () => {
    const plain = { metadata: { name: 'a' } };
    expect(stripManagedFields(plain)).toBe(plain);
    const bare = {};
    expect(stripManagedFields(bare)).toBe(bare);
  });
});

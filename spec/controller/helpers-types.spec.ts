/** The helpers accept the generated models (exactOptionalPropertyTypes, readonly metadata) without casts. */
import { describe, expect, it } from '@jest/globals';
import type { Api } from '../../lib/api/api.js';
import type { ConfigMap, Namespace } from '../../lib/k8s/v1_35/core/v1.js';
import { controllerKeyOf, controllerOf, finalizer, ownedBy } from '../../lib/controller/index.js';

describe('helpers with generated models', () => {
  it('type-checks ownedBy, controllerOf and finalizer on generated types', () => {
    const owner: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', uid: 'u' } };
    const child: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team-a' }, data: { a: '1' } };
    const owned: ConfigMap = ownedBy(owner, child);
    expect(controllerOf(owned)?.name).toBe('team-a');
    expect(controllerKeyOf(owned, { apiVersion: 'v1', kind: 'Namespace' }, { ownerNamespaced: false })).toBe('team-a');
    const make = (api: Api<ConfigMap>) => finalizer(api, 'example.com/x', { apply: (cm) => cm.data, cleanup: async () => ({ requeueAfter: 1 }) });
    expect(typeof make).toBe('function');
  });
});

/**
 * Controller owner references: the pure helpers (unit), and over loopback HTTP a child written by server-side apply
 * with the reference, then collected by the FakeApiServer's garbage collector when its owner is deleted.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { AlreadyOwnedError, controllerKeyOf, controllerOf, controllerReference, ownedBy } from '../../lib/controller/owner-reference.js';
import { until } from '../testing/server-harness.js';

const owner = { apiVersion: 'example.com/v1', kind: 'Replicate', metadata: { name: 'settings', namespace: 'team-a', uid: 'u-1' } };
const child = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-a' }, data: { a: '1' } };
const REF = { apiVersion: 'example.com/v1', kind: 'Replicate', name: 'settings', uid: 'u-1', controller: true, blockOwnerDeletion: true };

describe('controllerReference / ownedBy / controllerOf / controllerKeyOf', () => {
  it('builds the controller reference, and refuses an owner without uid', () => {
    expect(controllerReference(owner)).toEqual(REF);
    expect(() => controllerReference({ ...owner, metadata: { name: 'x' } })).toThrow(/uid/);
  });

  it('merges the reference into a copy, keeping other (non-controller) references and replacing its own', () => {
    const other = { apiVersion: 'v1', kind: 'Secret', name: 's', uid: 'u-9' };
    const stale = { ...REF, apiVersion: 'example.com/v1beta1', uid: 'old' };
    const input = { ...child, metadata: { ...child.metadata, ownerReferences: [other, stale] } };
    const out = ownedBy(owner, input);
    expect(out.metadata.ownerReferences).toEqual([other, REF]);
    expect(input.metadata.ownerReferences).toEqual([other, stale]);
    expect(out.data).toEqual({ a: '1' });
  });

  it('refuses a child controlled by another owner (controller-runtime AlreadyOwnedError)', () => {
    const taken = { ...child, metadata: { ...child.metadata, ownerReferences: [{ ...REF, name: 'someone-else', uid: 'u-2' }] } };
    expect(() => ownedBy(owner, taken)).toThrow(AlreadyOwnedError);
    expect(() => ownedBy(owner, taken)).toThrow('ConfigMap team-a/settings is already owned by another Replicate controller someone-else');
  });

  it('refuses cross-namespace owners and namespaced owners of cluster-scoped children', () => {
    expect(() => ownedBy(owner, { ...child, metadata: { name: 'x', namespace: 'team-b' } })).toThrow(/cross-namespace/);
    expect(() => ownedBy(owner, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, { namespaced: false })).toThrow(/cluster-scoped/);
    const clusterOwner = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', uid: 'u-ns' } };
    expect(controllerOf(ownedBy(clusterOwner, child))?.kind).toBe('Namespace');
  });

  it('maps a child back to its controller key, by group and kind (any version)', () => {
    const owned = ownedBy(owner, child);
    expect(controllerOf(owned)).toEqual(REF);
    expect(controllerOf(child)).toBeUndefined();
    expect(controllerOf({ metadata: { ownerReferences: [{ ...REF, controller: false }, 'junk'] } })).toBeUndefined();
    expect(controllerKeyOf(owned, { apiVersion: 'example.com/v2', kind: 'Replicate' })).toBe('team-a/settings');
    expect(controllerKeyOf(owned, { apiVersion: 'other.com/v1', kind: 'Replicate' })).toBeUndefined();
    expect(controllerKeyOf(owned, { apiVersion: 'example.com/v1', kind: 'Other' })).toBeUndefined();
    expect(controllerKeyOf(owned, { apiVersion: 'example.com/v1', kind: 'Replicate' }, { ownerNamespaced: false })).toBe('settings');
  });
});

describe('a child applied with the controller reference over HTTP', () => {
  let server: FakeApiServer;
  let configMaps: Api<KubernetesObject>;
  beforeEach(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 0 });
    configMaps = new Api(testResources.ConfigMap, { client: await createClient({ server: server.url }), namespace: 'default' });
  });
  afterEach(async () => {
    await server.close();
  });

  it('is written by server-side apply with the reference and deleted by the garbage collector with its owner', async () => {
    const parent = await firstValueFrom(configMaps.create$({ metadata: { name: 'parent' } }));
    const desired = ownedBy(parent, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'copy', namespace: 'default' }, data: { a: '1' } });
    const applied = await firstValueFrom(configMaps.patch$('copy', desired, { type: 'apply', fieldManager: 'example.com/replicator' }));
    expect(controllerOf(applied)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'parent', uid: parent.metadata.uid, controller: true, blockOwnerDeletion: true });
    expect(controllerKeyOf(applied, { apiVersion: 'v1', kind: 'ConfigMap' })).toBe('default/parent');
    // Applying again with the same manager is a no-op for the reference (no duplicate, no AlreadyOwnedError).
    const again = await firstValueFrom(configMaps.patch$('copy', ownedBy(parent, desired), { type: 'apply', fieldManager: 'example.com/replicator' }));
    expect(again.metadata.ownerReferences).toHaveLength(1);

    await firstValueFrom(configMaps.delete$('parent'));
    await until(() => server.get(testResources.ConfigMap, 'copy', 'default') === undefined);
  });
});

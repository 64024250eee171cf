import { describe, expect, it } from '@jest/globals';
import { collectionPath, defineResource, itemPath } from '../../lib/resource/define-resource.js';
import { KubernetesObject } from '../../lib/watch/codecs.js';

describe('defineResource', () => {
  it('puts the core group under /api/v1 and named groups under /apis/G/V', () => {
    const pods = defineResource({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true });
    expect(pods).toMatchObject({ group: '', version: 'v1', basePath: '/api/v1', codec: KubernetesObject });
    const deployments = defineResource({ apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true });
    expect(deployments).toMatchObject({ group: 'apps', version: 'v1', basePath: '/apis/apps/v1' });
    expect(Object.isFrozen(deployments)).toBe(true);
  });

  it('builds namespaced, all-namespaces and item paths, escaping names', () => {
    const foo = defineResource({ apiVersion: 'example.com/v1alpha1', kind: 'Foo', plural: 'foos', namespaced: true });
    expect(collectionPath(foo, 'ns-1')).toBe('/apis/example.com/v1alpha1/namespaces/ns-1/foos');
    expect(collectionPath(foo)).toBe('/apis/example.com/v1alpha1/foos');
    expect(itemPath(foo, 'a b', 'ns')).toBe('/apis/example.com/v1alpha1/namespaces/ns/foos/a%20b');
  });

  it.each([
    [{ apiVersion: '', kind: 'X', plural: 'xs', namespaced: true }, /apiVersion/],
    [{ apiVersion: 'a/b/c', kind: 'X', plural: 'xs', namespaced: true }, /apiVersion/],
    [{ apiVersion: 'v1', kind: '', plural: 'xs', namespaced: true }, /kind/],
    [{ apiVersion: 'v1', kind: 'X', plural: 'Xs', namespaced: true }, /plural/],
    [{ apiVersion: 'v1', kind: 'X', plural: 'xs', namespaced: 'yes' }, /namespaced/],
  ])('rejects a malformed descriptor %#', (options, message) => {
    expect(() => defineResource(options as never)).toThrow(message);
  });
});

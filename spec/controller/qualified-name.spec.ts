/** apimachinery's IsQualifiedName, as finalizer names and reportingController must be. */
import { describe, expect, it } from '@jest/globals';
import { isQualifiedName } from '../../lib/controller/qualified-name.js';

describe('isQualifiedName', () => {
  it('accepts [dns-subdomain/]name', () => {
    for (const ok of ['cleanup', 'example.com/cleanup', 'a/b', 'kubernetes.io/kubelet', 'x.y_z-1', 'A9']) expect([ok, isQualifiedName(ok)]).toEqual([ok, true]);
  });
  it('refuses empty parts, bad characters, upper-case prefixes, too long names and two slashes', () => {
    for (const bad of ['', '/x', 'example.com/', 'Example.com/x', 'a/b/c', '-x', 'x-', 'has space', 'x'.repeat(64), `${'a'.repeat(254)}/x`]) {
      expect([bad, isQualifiedName(bad)]).toEqual([bad, false]);
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import { isRight } from 'fp-ts/lib/Either.js';
import { Bookmark, KubernetesObject, ObjectMeta, Status } from '../../lib/watch/codecs.js';
import { fixtureFiles, readFixture } from '../../vendor/index.js';

/** The objects a fixture holds: a list's items (which carry no apiVersion/kind), or the object itself. */
function objectsOf(fixture: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(fixture['items']) ? (fixture['items'] as Record<string, unknown>[]) : [fixture];
}

describe('codecs against vendor/fixtures', () => {
  const files = fixtureFiles();

  it('finds the recorded fixtures', () => {
    expect(files).toEqual(expect.arrayContaining(['pod.json', 'pod-list.json', 'node.json', 'status-422-invalid.json']));
  });

  it.each(files)('%s: every object decodes, unchanged (the codecs are open)', (file) => {
    const fixture = readFixture(file);
    if (fixture['kind'] === 'Status') {
      const result = Status.decode(fixture);
      expect(isRight(result)).toBe(true);
      if (isRight(result)) expect(result.right).toEqual(fixture);
      return;
    }
    for (const item of objectsOf(fixture)) {
      // List items lack apiVersion/kind, as real servers send them; the object codec needs them (watch events
      // and single GETs always carry them), so fill them from the list as a client does.
      const object =
        item === fixture ? item : { apiVersion: fixture['apiVersion'], kind: String(fixture['kind']).replace(/List$/, ''), ...item };
      const result = KubernetesObject.decode(object);
      expect(isRight(result)).toBe(true);
      if (isRight(result)) {
        expect(result.right).toEqual(object);
        // io-ts t.type returns its input when nothing changed: no copy of the object on the hot path.
        expect(result.right).toBe(object);
      }
      expect(isRight(ObjectMeta.decode(item['metadata']))).toBe(true);
    }
  });
});

describe('Bookmark', () => {
  it('accepts a real Pod bookmark skeleton (spec.containers: null), before and after 1.34', () => {
    const pre134 = { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '3845', creationTimestamp: null }, spec: { containers: null }, status: {} };
    const post134 = { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '3845' }, spec: { containers: null }, status: {} };
    expect(isRight(Bookmark.decode(pre134))).toBe(true);
    expect(isRight(Bookmark.decode(post134))).toBe(true);
  });

  it('keeps the initial-events-end annotation', () => {
    const result = Bookmark.decode({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '10245', annotations: { 'k8s.io/initial-events-end': 'true' } } });
    expect(isRight(result) && result.right.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('rejects a bookmark without resourceVersion', () => {
    expect(isRight(Bookmark.decode({ kind: 'Pod', apiVersion: 'v1', metadata: {} }))).toBe(false);
    expect(isRight(Bookmark.decode({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: 12 } }))).toBe(false);
  });
});

describe('KubernetesObject', () => {
  it('rejects objects without apiVersion, kind or metadata, or with mistyped metadata', () => {
    expect(isRight(KubernetesObject.decode({ kind: 'Pod', metadata: {} }))).toBe(false);
    expect(isRight(KubernetesObject.decode({ apiVersion: 'v1', metadata: {} }))).toBe(false);
    expect(isRight(KubernetesObject.decode({ apiVersion: 'v1', kind: 'Pod' }))).toBe(false);
    expect(isRight(KubernetesObject.decode({ apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: 1 } } }))).toBe(false);
    expect(isRight(KubernetesObject.decode({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, anything: [1] }))).toBe(true);
  });
});

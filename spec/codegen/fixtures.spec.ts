/**
 * Every recorded object in `vendor/fixtures` decodes with its generated codec, in both generated versions,
 * and round-trips: `encode(decode(x))` deep-equals `x` (and decoding returns the very input object, the io-ts
 * open-codec property the hot path relies on).
 */
import { describe, expect, it } from '@jest/globals';
import type * as t from 'io-ts';
import * as apiextensions35 from '../../lib/k8s/v1_35/apiextensions.k8s.io/v1.js';
import * as apps35 from '../../lib/k8s/v1_35/apps/v1.js';
import * as core35 from '../../lib/k8s/v1_35/core/v1.js';
import * as meta35 from '../../lib/k8s/v1_35/meta/v1.js';
import * as rbac35 from '../../lib/k8s/v1_35/rbac.authorization.k8s.io/v1.js';
import * as apiextensions36 from '../../lib/k8s/v1_36/apiextensions.k8s.io/v1.js';
import * as apps36 from '../../lib/k8s/v1_36/apps/v1.js';
import * as core36 from '../../lib/k8s/v1_36/core/v1.js';
import * as meta36 from '../../lib/k8s/v1_36/meta/v1.js';
import { formatValidationErrors } from '../../lib/watch/decode-event.js';
import { fixtureFiles, readFixture } from '../../vendor/index.js';

type Codecs = Readonly<Record<string, unknown>>;

const versions: Array<[string, Readonly<Record<string, Codecs>>, Codecs]> = [
  ['v1_35', { v1: core35, 'apps/v1': apps35, 'apiextensions.k8s.io/v1': apiextensions35 }, meta35],
  ['v1_36', { v1: core36, 'apps/v1': apps36, 'apiextensions.k8s.io/v1': apiextensions36 }, meta36],
];

function isCodec(value: unknown): value is t.Type<unknown, unknown, unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { decode?: unknown }).decode === 'function';
}

/** The codec of an object, by its apiVersion and kind: the group-version's module, else `meta/v1` (`Status`). */
function codecFor(modules: Readonly<Record<string, Codecs>>, meta: Codecs, apiVersion: unknown, kind: unknown): t.Type<unknown, unknown, unknown> {
  const candidate = (modules[String(apiVersion)] ?? {})[String(kind)] ?? meta[String(kind)];
  if (!isCodec(candidate)) throw new Error(`no generated codec for ${String(apiVersion)} ${String(kind)}: add its module to this spec`);
  return candidate;
}

function expectDecodesUnchanged(codec: t.Type<unknown, unknown, unknown>, value: unknown): void {
  const result = codec.decode(value);
  if (result._tag === 'Left') {
    throw new Error(`${codec.name} rejected a fixture: ${result.left.map((e) => e.context.map((c) => c.key).join('.')).slice(0, 5).join(', ')}`);
  }
  expect(result.right).toBe(value); // not a copy
  expect(codec.encode(result.right)).toEqual(value);
  expect(codec.is(value)).toBe(true);
}

describe.each(versions)('generated models %s', (_version, modules, meta) => {
  const files = fixtureFiles();

  it('sees the fixtures', () => {
    expect(files).toEqual(expect.arrayContaining(['pod.json', 'pod-list.json', 'customresourcedefinition.json', 'status-422-invalid.json']));
  });

  it.each(files)('%s decodes and round-trips', (file) => {
    const object = readFixture(file);
    expectDecodesUnchanged(codecFor(modules, meta, object['apiVersion'], object['kind']), object);
    const kind = String(object['kind']);
    if (kind.endsWith('List')) {
      // List items come without apiVersion/kind, as the API sends them; the item codec takes them as they are.
      const itemCodec = codecFor(modules, meta, object['apiVersion'], kind.slice(0, -'List'.length));
      const items = object['items'] as Array<Record<string, unknown>>;
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        expect(item).not.toHaveProperty('kind');
        expectDecodesUnchanged(itemCodec, item);
      }
    }
  });
});

describe('generated codecs reject what does not fit', () => {
  const pod = readFixture('pod.json');

  it.each<[string, (p: Record<string, any>) => void, string]>([
    ['a spec that is no object', (p) => (p['spec'] = 'x'), 'spec'],
    ['a container without a name', (p) => delete p['spec'].containers[0].name, 'spec.containers.0.name'],
    ['a port that is a string', (p) => (p['spec'].containers[0].ports[0].containerPort = '53'), 'spec.containers.0.ports.0.containerPort'],
    ['labels that are not strings', (p) => (p['metadata'].labels = { a: 1 }), 'metadata.labels.a'],
    ['containers: null (a bookmark skeleton; bookmarks use the Bookmark codec)', (p) => (p['spec'].containers = null), 'spec.containers'],
    ['a null name (scalars are never null)', (p) => (p['metadata'].name = null), 'metadata.name'],
  ])('rejects %s', (_what, mutate, path) => {
    const broken = structuredClone(pod) as Record<string, any>;
    mutate(broken);
    const result = core35.Pod.decode(broken);
    expect(result._tag).toBe('Left');
    if (result._tag === 'Left') expect(formatValidationErrors(result.left).map((m) => m.slice(0, m.indexOf(':')))).toContain(path);
  });

  it('accepts null where Go writes it: Time values and optional arrays and maps, keeping the nulls', () => {
    const conditions = [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: null }];
    const withNulls = { ...pod, metadata: { name: 'x', creationTimestamp: null, finalizers: null, labels: null }, status: { conditions } };
    const result = core35.Pod.decode(withNulls);
    expect(result).toEqual({ _tag: 'Right', right: withNulls });
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'admin' }, rules: null };
    expect(rbac35.ClusterRole.decode(role)).toEqual({ _tag: 'Right', right: role });
  });

  it('keeps unknown fields (open codecs)', () => {
    const future = { ...pod, spec: { ...(pod['spec'] as object), aFieldFromTheFuture: { x: 1 } } };
    expect(core35.Pod.decode(future)).toEqual({ _tag: 'Right', right: future });
  });

  it('decodes a Quantity and an IntOrString in both forms', () => {
    expect(meta35.Quantity.decode('100m')._tag).toBe('Right');
    expect(meta35.Quantity.decode(1)._tag).toBe('Left');
    expect(meta35.IntOrString.decode(8080)._tag).toBe('Right');
    expect(meta35.IntOrString.decode('http')._tag).toBe('Right');
    expect(meta35.IntOrString.decode(true)._tag).toBe('Left');
  });
});

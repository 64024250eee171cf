/**
 * `lib/k8s/runtime.ts`, the hand-written helpers every generated module imports (specified here, beside the
 * generator, because the generated code is what exercises them).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as t from 'io-ts';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listTsFiles } from '../../lib/codegen/index.js';
import { defineKind, EnumType, intOrString, nullable, ObjectType, objectType, recordOf } from '../../lib/k8s/runtime.js';
import { formatValidationErrors } from '../../lib/watch/decode-event.js';
import { fixtureFiles, readFixture, REPO_ROOT } from '../../vendor/index.js';
import { TARGETS } from '../../scripts/codegen/targets.js';

const messages = (result: t.Validation<unknown>): string[] => (result._tag === 'Left' ? formatValidationErrors(result.left).sort() : []);
/** The data paths of the errors (io-ts' intersection reports one error per member where we report one). */
const paths = (result: t.Validation<unknown>): string[] => [...new Set(messages(result).map((m) => m.slice(0, m.indexOf(':'))))];

/** Decodes a string of digits to a number: a codec that changes values, to drive the copy-on-write paths. */
const NumberFromString = new t.Type<number, string, unknown>(
  'NumberFromString',
  (u): u is number => typeof u === 'number',
  (u, c) => (typeof u === 'string' && /^\d+$/.test(u) ? t.success(Number(u)) : t.failure(u, c)),
  (n) => String(n),
);

describe('objectType', () => {
  const Inner = objectType('Inner', { port: t.number }, { name: t.string });
  const Outer = objectType('Outer', { id: t.string, inner: Inner }, { tags: t.array(t.string), labels: recordOf(t.string), extra: Inner });
  /** The io-ts combinators the generator used to emit for the same shape. */
  const InnerIo = t.intersection([t.type({ port: t.number }), t.partial({ name: t.string })], 'Inner');
  const OuterIo = t.intersection(
    [t.type({ id: t.string, inner: InnerIo }), t.partial({ tags: t.array(t.string), labels: t.record(t.string, t.string), extra: InnerIo })],
    'Outer',
  );

  const valid = { id: 'a', inner: { port: 1, future: true }, tags: ['x'], labels: { app: 'web' }, unknownField: { kept: 1 } };

  it('returns the very input when it is valid, unknown fields included', () => {
    const result = Outer.decode(valid);
    expect(result._tag === 'Right' && result.right).toBe(valid);
    expect(Outer.is(valid)).toBe(true);
    expect(Outer.encode).toBe(t.identity);
  });

  it.each<[string, unknown]>([
    ['valid', valid],
    ['no object', 'x'],
    ['null', null],
    ['an array', [valid]],
    ['a missing required property', { inner: { port: 1 } }],
    ['a nested error', { id: 'a', inner: { port: '1' } }],
    ['several errors', { id: 1, inner: null, tags: ['x', 2], labels: { a: 1, b: 'ok' }, extra: {} }],
    ['an explicit undefined optional', { id: 'a', inner: { port: 1 }, tags: undefined }],
    ['null in an optional property', { id: 'a', inner: { port: 1 }, tags: null }],
  ])('accepts and rejects as t.intersection([t.type, t.partial]) does, at the same paths: %s', (_what, input) => {
    const ours = Outer.decode(input);
    const theirs = OuterIo.decode(input);
    expect(ours._tag).toBe(theirs._tag);
    expect(paths(ours)).toEqual(paths(theirs));
    expect(Outer.is(input)).toBe(OuterIo.is(input));
  });

  it('with a specialised check (what the generator emits), accepts and rejects as the generic loop does', () => {
    const Fast = objectType('Outer', { id: t.string, inner: Inner }, { tags: t.array(t.string), labels: recordOf(t.string), extra: Inner }, (u, r, o) => {
      let v: unknown;
      v = u.id; if (typeof v !== 'string') return false;
      v = u.inner; if (!Inner.is(v)) return false;
      v = u.tags; if (v !== undefined && !o.tags.is(v)) return false;
      v = u.labels; if (v !== undefined && !o.labels.is(v)) return false;
      v = u.extra; if (v !== undefined && !Inner.is(v)) return false;
      return r.id === t.string;
    });
    for (const input of [valid, 'x', null, [valid], { inner: { port: 1 } }, { id: 'a', inner: { port: '1' } }, { id: 'a', inner: { port: 1 }, tags: undefined }, { id: 'a', inner: { port: 1 }, tags: null }]) {
      expect(Fast.is(input)).toBe(Outer.is(input));
      expect(messages(Fast.decode(input))).toEqual(messages(Outer.decode(input)));
    }
    expect((Fast.decode(valid) as { right: unknown }).right).toBe(valid);
    expect(Fast.encode).toBe(t.identity);
  });

  it('copies on write when a property codec changes its value, and encodes back', () => {
    const Counted = objectType('Counted', { count: NumberFromString }, { more: NumberFromString, byName: recordOf(NumberFromString) });
    const input = { count: '3', byName: { a: '1' }, other: true };
    const result = Counted.decode(input);
    expect(result).toEqual({ _tag: 'Right', right: { count: 3, byName: { a: 1 }, other: true } });
    expect(input).toEqual({ count: '3', byName: { a: '1' }, other: true }); // the input is untouched
    expect(Counted.encode({ count: 3, byName: { a: 1 } })).toEqual({ count: '3', byName: { a: '1' } });
    expect(Counted.encode).not.toBe(t.identity);
  });
});

describe('recordOf, nullable, intOrString', () => {
  it('recordOf returns its input, reports keys, and keeps identity encode', () => {
    const Labels = recordOf(t.string);
    const labels = { a: 'x', b: 'y' };
    expect(Labels.decode(labels)).toEqual({ _tag: 'Right', right: labels });
    expect((Labels.decode(labels) as { right: unknown }).right).toBe(labels);
    expect(messages(Labels.decode({ a: 1 }))).toEqual(['a: expected string, got 1']);
    expect(messages(Labels.decode([]))).toHaveLength(1);
    expect(Labels.encode).toBe(t.identity);
  });

  it('nullable accepts null and the inner type only, and keeps identity encode', () => {
    const Time = nullable(t.string, 'Time');
    expect(Time.decode(null)).toEqual({ _tag: 'Right', right: null });
    expect(Time.decode('2026-01-01T00:00:00Z')._tag).toBe('Right');
    expect(Time.decode(undefined)._tag).toBe('Left');
    expect(Time.is(null) && Time.is('x') && !Time.is(1)).toBe(true);
    expect(Time.encode).toBe(t.identity);
    expect(nullable(NumberFromString).encode(null)).toBeNull();
    expect(nullable(NumberFromString).encode(2)).toBe('2');
  });

  it('intOrString takes numbers and strings, with one error otherwise', () => {
    expect(intOrString.decode(80)._tag).toBe('Right');
    expect(intOrString.decode('25%')._tag).toBe('Right');
    expect(messages(intOrString.decode(true))).toEqual(['<root>: expected IntOrString, got true']);
  });
});

describe('defineKind', () => {
  const Widget = objectType('Widget', {}, { kind: t.string, spec: objectType('WidgetSpec', { size: t.number }, {}) });

  it('is a frozen Resource whose codec methods come from the codec', () => {
    const kind = defineKind(Widget, { apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: false });
    expect(kind).toMatchObject({ apiVersion: 'example.com/v1', group: 'example.com', version: 'v1', plural: 'widgets', namespaced: false, basePath: '/apis/example.com/v1' });
    expect(kind.codec).toBe(Widget);
    expect(Object.getPrototypeOf(kind)).toBe(Widget);
    expect(Object.isFrozen(kind)).toBe(true);
    expect(kind.name).toBe('Widget');
    expect(kind.decode({ spec: { size: 1 } })._tag).toBe('Right');
    expect(messages(kind.decode({ spec: {} }))).toEqual(['spec.size: expected number, got undefined']);
    expect(kind.encode).toBe(t.identity);
  });

  it('validates the descriptor as defineResource does', () => {
    expect(() => defineKind(Widget, { apiVersion: 'example.com/v1', kind: 'Widget', plural: 'Widgets', namespaced: false })).toThrow(TypeError);
  });
});

/**
 * The generated codecs pass `objectType` a straight-line check (one line per property, literal names). Each must
 * accept exactly what the generic loop accepts: every generated object codec is compared with its generic twin
 * (`objectType(name, required, optional)`, same property codecs), property by property, and the fixtures' codecs
 * are compared on the fixtures and on every single-value mutation of them.
 */
describe('generated object checks agree with the generic loop', () => {
  type Codec = t.Type<unknown, unknown, unknown>;
  const codecs = new Map<string, ObjectType<unknown>>(); // `dir file Name` → codec
  const v135 = new Map<string, ObjectType<unknown>>(); // v1_35 `file Name` → codec

  const asObject = (value: unknown): ObjectType<unknown> | undefined =>
    value instanceof ObjectType ? (value as ObjectType<unknown>) : value instanceof t.RecursiveType ? asObject((value as t.RecursiveType<t.Mixed>).type) : undefined;
  const generic = (codec: ObjectType<unknown>): ObjectType<unknown> => new ObjectType<unknown>(codec.name, codec.required, codec.optional);

  beforeAll(async () => {
    const dirs = TARGETS.map((target) => join(REPO_ROOT, target.out));
    for (const dir of dirs) {
      for (const file of listTsFiles(dir)) {
        const module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
        for (const [name, value] of Object.entries(module)) {
          const codec = asObject(value);
          if (codec === undefined) continue;
          codecs.set(`${dir} ${file} ${name}`, codec);
          if (dir === dirs[0]) v135.set(`${file} ${name}`, codec);
        }
      }
    }
  });

  const CANDIDATES: unknown[] = ['x', 1, true, null, [], {}, ['x'], [1], [null], [{}], { a: 'x' }, { a: 1 }];
  /** A value `codec` accepts, built from the candidates (objects: their required properties), if one is found. */
  const sample = (codec: Codec, depth = 0): unknown => {
    const object = asObject(codec);
    if (object !== undefined) {
      if (depth > 6) return undefined;
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(object.required)) out[key] = sample(inner, depth + 1);
      return object.is(out) ? out : undefined;
    }
    // A closed enum (CRD modules) takes none of the candidates: its first value.
    return codec instanceof EnumType ? (codec as EnumType<string>).values[0] : CANDIDATES.find((c) => codec.is(c));
  };

  it('finds the generated codecs', () => {
    expect(codecs.size).toBeGreaterThan(1000);
  });

  it('every property of every generated object codec: the same verdict on each candidate value', () => {
    const mismatches: string[] = [];
    let probes = 0;
    for (const [where, codec] of codecs) {
      const twin = generic(codec);
      for (const input of [null, 'x', 1, [], [{}], undefined]) if (codec.is(input) !== twin.is(input)) mismatches.push(`${where}: ${JSON.stringify(input)}`);
      const base = sample(codec);
      if (base === undefined) {
        mismatches.push(`${where}: no sample`);
        continue;
      }
      const props: Record<string, Codec> = { ...codec.required, ...codec.optional };
      for (const [key, inner] of Object.entries(props)) {
        for (const value of [...CANDIDATES, undefined, sample(inner)]) {
          const input = { ...(base as object), [key]: value };
          probes++;
          if (codec.is(input) !== twin.is(input)) mismatches.push(`${where}.${key} = ${JSON.stringify(value)}: ${codec.is(input)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(probes).toBeGreaterThan(10000);
  });

  it.each(fixtureFiles())('%s and its single-value mutations: the same verdict, errors and result', (file) => {
    const fixture = readFixture(file);
    // The codec of the fixture's kind: its group-version's module (`v1` is `core/v1`), else `meta/v1` (`Status`).
    const apiVersion = String(fixture['apiVersion']);
    const kind = String(fixture['kind']);
    const codec = v135.get(`${apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`}.ts ${kind}`) ?? v135.get(`meta/v1.ts ${kind}`);
    expect(codec).toBeDefined();
    const twin = generic(codec!);
    const mismatches: string[] = [];
    const compare = (input: unknown, label: string): void => {
      const ours = codec!.decode(input);
      const theirs = twin.decode(input);
      const is = codec!.is(input);
      if (is !== twin.is(input) || ours._tag !== theirs._tag) mismatches.push(`${label}: is ${is}, decode ${ours._tag} (generic: ${theirs._tag})`);
      // `is` and the error walk agree: what the check rejects fails validation, with the generic loop's errors.
      else if (is !== (ours._tag === 'Right')) mismatches.push(`${label}: is ${is}, decode ${ours._tag}`);
      else if (ours._tag === 'Left' && messages(ours).join('\n') !== messages(theirs).join('\n')) mismatches.push(`${label}: ${messages(ours).join(', ')}`);
    };
    compare(fixture, '<fixture>');
    let mutations = 0;
    const walk = (node: unknown, path: string, set?: (value: unknown) => void): void => {
      if (set !== undefined) {
        for (const value of [null, 1, 'x', true, [], {}, undefined]) {
          set(value);
          compare(fixture, `${path} = ${JSON.stringify(value)}`);
          mutations++;
        }
        set(node);
      }
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      // A list's items are alike: mutating the first two keeps the run short (each mutation decodes the whole list).
      for (const key of Array.isArray(record) ? Object.keys(record).slice(0, 2) : Object.keys(record)) {
        const original = record[key];
        walk(original, `${path}.${key}`, (value) => {
          if (value === undefined && !Array.isArray(record)) delete record[key];
          else record[key] = value;
        });
        record[key] = original;
      }
    };
    walk(fixture, '');
    expect(mismatches).toEqual([]);
    expect(mutations).toBeGreaterThan(50);
  });
});

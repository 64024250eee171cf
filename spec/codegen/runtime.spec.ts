/**
 * `lib/k8s/runtime.ts`, the hand-written helpers every generated module imports (specified here, beside the
 * generator, because the generated code is what exercises them).
 */
import { describe, expect, it } from '@jest/globals';
import * as t from 'io-ts';
import { defineKind, intOrString, nullable, objectType, recordOf } from '../../lib/k8s/runtime.js';
import { formatValidationErrors } from '../../lib/watch/decode-event.js';

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

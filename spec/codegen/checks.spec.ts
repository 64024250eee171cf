/**
 * The value checks of codecs generated from a CRD: the module of `fixtures/widgets.crd.yaml` (committed under
 * `generated/widgets`, kept fresh by the drift spec) accepts what its schema allows and rejects the rest, each
 * error at the value's path and naming the broken rule; the runtime helpers behind it (`lib/k8s/checks.ts`).
 */
import { describe, expect, it } from '@jest/globals';
import * as t from 'io-ts';
import { arrayWith, enumOf, EnumType, integer, integerWith, numberWith, stringWith } from '../../lib/k8s/checks.js';
import { nullable, objectType } from '../../lib/k8s/runtime.js';
import { formatValidationErrors } from '../../lib/watch/decode-event.js';
import { Widget, WidgetSpec, WidgetStatus, type WidgetSpec as WidgetSpecType } from './generated/widgets/example.com/v1.js';

const messages = (result: t.Validation<unknown>): string[] => (result._tag === 'Left' ? formatValidationErrors(result.left) : []);

const spec: WidgetSpecType = { mode: 'Fast', size: 3 };
const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec, status: { phase: 'Ready', observedGeneration: 1 } };

/** The messages of decoding a Widget whose spec has `field` set to `value`. */
const specErrors = (field: string, value: unknown): string[] => messages(Widget.decode({ ...widget, spec: { ...spec, [field]: value } }));

/** Per field: values the CRD's schema allows, and values it forbids with the message each gives. */
const CASES: Array<[field: string, valid: unknown[], invalid: Array<[value: unknown, message: string | string[]]>]> = [
  // enum
  ['mode', ['Fast', 'Slow'], [['Medium', 'expected "Fast" | "Slow" (enum), got "Medium"'], ['fast', 'expected "Fast" | "Slow" (enum), got "fast"'], [null, 'expected "Fast" | "Slow" (enum), got null']]],
  ['fallbackMode', ['Slow', null], [['Medium', 'expected "Fast" | "Slow" (enum) | null, got "Medium"']]], // nullable: true
  ['priority', [1, 3], [[4, 'expected 1 | 2 | 3 (enum), got 4'], ['1', 'expected 1 | 2 | 3 (enum), got "1"']]],
  // type: integer, format: int32, minimum, maximum
  ['size', [1, 10], [[0, 'expected integer (minimum 1), got 0'], [11, 'expected integer (maximum 10), got 11'], [2.5, 'expected integer (format int32, minimum 1, maximum 10), got 2.5']]],
  ['count', [0, -7, 2 ** 53], [[1.5, 'expected integer, got 1.5'], ['1', 'expected integer, got "1"']]],
  ['offset', [-(2 ** 63), 2 ** 63, 2 ** 31], [[2 ** 64, `expected integer (format int64), got ${2 ** 64}`]]],
  // type: number, exclusive bounds
  ['ratio', [0.5, 1e-9], [[0, 'expected number (exclusiveMinimum 0), got 0'], [1, 'expected number (exclusiveMaximum 1), got 1'], [-1, 'expected number (exclusiveMinimum 0), got -1']]],
  // minLength, maxLength, pattern
  ['name', ['a', 'web-1', 'x'.repeat(63)], [['', ['expected string (minLength 1), got ""', 'expected string (pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$), got ""']], ['x'.repeat(64), `expected string (maxLength 63), got "${'x'.repeat(64)}"`], ['Web', 'expected string (pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$), got "Web"'], ['-a', 'expected string (pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$), got "-a"']]],
  // patterns left to the API server: any string
  ['word', ['UPPER', '123'], [[1, 'expected string, got 1']]],
  ['letters', ['123', ''], []],
  // formats
  ['startAfter', ['2026-06-15T04:15:58Z', '2026-06-15T04:15:58.123456+02:00', null], [['2026-06-15', 'expected string (format date-time), got "2026-06-15"'], ['2026-02-30T00:00:00Z', 'expected string (format date-time), got "2026-02-30T00:00:00Z"']]],
  ['day', ['2024-02-29'], [['2023-02-29', 'expected string (format date), got "2023-02-29"']]],
  ['caBundle', ['aGVsbG8=', ''], [['hello!', 'expected string (format byte), got "hello!"']]],
  ['id', ['0f0e6b3a-7d7c-4f5e-9a3b-2c1d0e9f8a7b', '0F0E6B3A7D7C4F5E9A3B2C1D0E9F8A7B'], [['not-a-uuid', 'expected string (format uuid), got "not-a-uuid"']]],
  ['host', ['example.com', 'x-y'], [['-bad.example.com', 'expected string (format hostname), got "-bad.example.com"']]],
  ['address', ['10.0.0.1'], [['10.0.0.256', 'expected string (format ipv4), got "10.0.0.256"'], ['::1', 'expected string (format ipv4), got "::1"']]],
  ['address6', ['fe80::1', '::ffff:10.0.0.1'], [['10.0.0.1', 'expected string (format ipv6), got "10.0.0.1"']]],
  ['network', ['10.0.0.0/8', '2001:db8::/32'], [['10.0.0.0/33', 'expected string (format cidr), got "10.0.0.0/33"']]],
  ['mac', ['00:00:5e:00:53:01', '00-00-5E-00-53-01', '0000.5e00.5301'], [['00:00:5e:00:53', 'expected string (format mac), got "00:00:5e:00:53"']]],
  ['contact', ['not an email: left to the API server'], []],
  // minItems, maxItems, and the items' own rules at their index
  ['tags', [['a'], ['a', 'b', 'c']], [[[], 'expected Array<string (maxLength 8)> (minItems 1), got []'], [['a', 'b', 'c', 'd'], 'expected Array<string (maxLength 8)> (maxItems 3), got ["a","b","c","d"]']]],
  ['modes', [[], ['Slow', 'Fast']], [[['Fast', 'Turbo'], 'expected "Fast" | "Slow" (enum), got "Turbo"']]],
];

describe('a module generated from a CRD checks its value rules', () => {
  it.each(CASES)('spec.%s', (field, valid, invalid) => {
    for (const value of valid) {
      expect([value, specErrors(field, value)]).toEqual([value, []]);
      expect(WidgetSpec.is({ ...spec, [field]: value })).toBe(true);
    }
    for (const [value, message] of invalid) {
      const path = field === 'modes' ? 'spec.modes.1' : `spec.${field}`;
      expect(specErrors(field, value)).toEqual([message].flat().map((m) => `${path}: ${m}`));
      expect(WidgetSpec.is({ ...spec, [field]: value })).toBe(false);
    }
  });

  it('reports every broken rule, each at its path: items, map values, the status', () => {
    const result = Widget.decode({ ...widget, spec: { mode: 'Turbo', size: 0, tags: ['ok', 'much-too-long'], labels: { a: 'x'.repeat(17) } }, status: { phase: 'Gone' } });
    expect(messages(result)).toEqual([
      'spec.mode: expected "Fast" | "Slow" (enum), got "Turbo"',
      'spec.size: expected integer (minimum 1), got 0',
      `spec.labels.a: expected string (maxLength 16), got "${'x'.repeat(17)}"`,
      'spec.tags.1: expected string (maxLength 8), got "much-too-long"',
      'status.phase: expected "Pending" | "Ready" (enum), got "Gone"',
    ]);
  });

  it('decodes a valid object to the very same object, and encodes with the identity', () => {
    const full = { ...widget, spec: { ...spec, ratio: 0.5, tags: ['a'], labels: { a: 'b' }, modes: ['Slow'], startAfter: null, future: 'kept' } };
    const result = Widget.decode(full);
    expect(result._tag === 'Right' && result.right).toBe(full);
    expect(Widget.encode).toBe(t.identity);
    expect(WidgetStatus.encode).toBe(t.identity);
  });

  it('types enums as literal unions, other checked fields as their plain type', () => {
    const typeChecks = (): void => {
      const mode: WidgetSpecType['mode'] = 'Slow';
      // @ts-expect-error not a value of the enum
      const wrong: WidgetSpecType['mode'] = 'Medium';
      const priority: WidgetSpecType['priority'] = 2;
      // @ts-expect-error not a value of the enum
      const badPriority: WidgetSpecType['priority'] = 4;
      const size: WidgetSpecType['size'] = 1.5; // the range is a run-time check: the type stays number
      const modes: WidgetSpecType['modes'] = ['Fast'];
      void [mode, wrong, priority, badPriority, size, modes];
    };
    void typeChecks;
    expect(Object.keys(WidgetSpec)).toBeDefined();
  });
});

describe('the runtime checks (lib/k8s/checks.ts)', () => {
  it('name the rule and keep the path at the root too', () => {
    expect(messages(stringWith({ maxLength: 2 }).decode('abc'))).toEqual(['<root>: expected string (maxLength 2), got "abc"']);
    expect(messages(integer.decode('1'))).toEqual(['<root>: expected integer, got "1"']);
  });

  it('report each broken rule once, and the type alone when the value is not of the type', () => {
    const Name = stringWith({ minLength: 3, pattern: '^[a-z]+$' });
    expect(messages(Name.decode('A'))).toEqual(['<root>: expected string (minLength 3), got "A"', '<root>: expected string (pattern ^[a-z]+$), got "A"']);
    expect(messages(Name.decode(3))).toEqual(['<root>: expected string (minLength 3, pattern ^[a-z]+$), got 3']);
    expect(Name.name).toBe('string (minLength 3, pattern ^[a-z]+$)');
  });

  it('count lengths in code points, as the API server counts runes', () => {
    const Short = stringWith({ minLength: 2, maxLength: 2 });
    expect(Short.is('😀😀')).toBe(true); // four UTF-16 units, two code points
    expect(Short.is('😀')).toBe(false);
    expect(Short.is('😀😀😀')).toBe(false);
    expect(Short.is('ab')).toBe(true);
  });

  it('skip a pattern this engine cannot compile instead of failing to load', () => {
    const Word = stringWith({ pattern: '(?i)^[a-z]+$' });
    expect(Word.is('ANY thing')).toBe(true);
    expect(Word).toBe(t.string); // no rule left: the plain codec
  });

  it('compile the pattern once, with the u flag (\\p{..} classes work), and match anywhere unless anchored', () => {
    const Letters = stringWith({ pattern: '^\\p{L}+$' });
    expect([Letters.is('héllo'), Letters.is('h3llo')]).toEqual([true, false]);
    expect(stringWith({ pattern: 'b' }).is('abc')).toBe(true);
  });

  it('check inclusive and exclusive bounds, on integers and numbers', () => {
    expect([0, 1, 2].map((n) => integerWith({ minimum: 1 }).is(n))).toEqual([false, true, true]);
    expect([0, 1, 2].map((n) => integerWith({ minimum: 1, exclusiveMinimum: true }).is(n))).toEqual([false, false, true]);
    expect([1, 2, 3].map((n) => numberWith({ maximum: 2 }).is(n))).toEqual([true, true, false]);
    expect([1, 2, 3].map((n) => numberWith({ maximum: 2, exclusiveMaximum: true }).is(n))).toEqual([true, false, false]);
    expect([2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1].map((n) => integerWith({ format: 'int32' }).is(n))).toEqual([true, false, true, false]);
  });

  it('check item counts, and the items through their own codec', () => {
    const Hosts = arrayWith(stringWith({ format: 'hostname' }), { minItems: 1, maxItems: 2 });
    expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c'], ['-a']].map((a) => Hosts.is(a))).toEqual([false, true, true, false, false]);
    expect(messages(Hosts.decode(['a', '-b']))).toEqual(['1: expected string (format hostname), got "-b"']);
    expect(Hosts.encode).toBe(t.identity);
  });

  it('keep the values of an enum, and accept nothing else (no coercion)', () => {
    const Mode = enumOf(['Fast', 'Slow']);
    expect(Mode).toBeInstanceOf(EnumType);
    expect(Mode.values).toEqual(['Fast', 'Slow']);
    expect([Mode.is('Fast'), Mode.is('fast'), Mode.is(undefined), Mode.is(['Fast'])]).toEqual([true, false, false, false]);
    expect(enumOf([true]).is(true)).toBe(true);
  });

  it('compose with nullable and objectType: null where nullable, the rule named at the property', () => {
    const Obj = objectType('Obj', {}, { mode: nullable(enumOf(['A'])), n: integerWith({ maximum: 1 }) });
    expect(Obj.is({ mode: null })).toBe(true);
    expect(messages(Obj.decode({ mode: 'B', n: 2 }))).toEqual(['mode: expected "A" (enum) | null, got "B"', 'n: expected integer (maximum 1), got 2']);
  });
});

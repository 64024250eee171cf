import { describe, it, expect } from '@jest/globals';
import { parseLabelSelector, LabelSelectorError } from '../../lib/testing/label-selector.js';
import { parseFieldSelector, FieldSelectorError } from '../../lib/testing/field-selector.js';

describe('parseLabelSelector', () => {
  it('matches everything when empty or blank', () => {
    for (const s of ['', '   ']) {
      const sel = parseLabelSelector(s);
      expect(sel.empty).toBe(true);
      expect(sel.matches(undefined)).toBe(true);
      expect(sel.matches({ a: 'b' })).toBe(true);
    }
  });

  it('parses equality operators', () => {
    expect(parseLabelSelector('a=b').requirements).toEqual([{ key: 'a', operator: 'equals', values: ['b'] }]);
    expect(parseLabelSelector('a==b').requirements).toEqual([{ key: 'a', operator: 'equals', values: ['b'] }]);
    expect(parseLabelSelector('a!=b').requirements).toEqual([{ key: 'a', operator: 'notEquals', values: ['b'] }]);
    expect(parseLabelSelector(' a = b , c != d ').requirements).toEqual([
      { key: 'a', operator: 'equals', values: ['b'] },
      { key: 'c', operator: 'notEquals', values: ['d'] },
    ]);
  });

  it('accepts an empty value after = (matches the empty label value)', () => {
    const sel = parseLabelSelector('a=');
    expect(sel.requirements).toEqual([{ key: 'a', operator: 'equals', values: [''] }]);
    expect(sel.matches({ a: '' })).toBe(true);
    expect(sel.matches({ a: 'x' })).toBe(false);
    expect(sel.matches({})).toBe(false);
  });

  it('parses set-based requirements', () => {
    expect(parseLabelSelector('env in (prod, dev),tier notin (fe),app,!canary').requirements).toEqual([
      { key: 'env', operator: 'in', values: ['prod', 'dev'] },
      { key: 'tier', operator: 'notIn', values: ['fe'] },
      { key: 'app', operator: 'exists', values: [] },
      { key: 'canary', operator: 'doesNotExist', values: [] },
    ]);
  });

  it('accepts prefixed keys and values with dots, dashes, underscores', () => {
    const sel = parseLabelSelector('app.kubernetes.io/name=my_app-1.2');
    expect(sel.matches({ 'app.kubernetes.io/name': 'my_app-1.2' })).toBe(true);
  });

  it('matches with Kubernetes semantics (!= and notin match a missing label)', () => {
    const cases: [string, Record<string, string> | undefined, boolean][] = [
      ['a=b', { a: 'b' }, true],
      ['a=b', { a: 'c' }, false],
      ['a=b', {}, false],
      ['a!=b', {}, true],
      ['a!=b', { a: 'b' }, false],
      ['a!=b', { a: 'c' }, true],
      ['a in (x,y)', { a: 'y' }, true],
      ['a in (x,y)', {}, false],
      ['a notin (x,y)', {}, true],
      ['a notin (x,y)', { a: 'x' }, false],
      ['a', { a: '' }, true],
      ['a', undefined, false],
      ['!a', undefined, true],
      ['!a', { a: 'v' }, false],
      ['a=b,c', { a: 'b' }, false],
      ['a=b,c', { a: 'b', c: '1' }, true],
      ['n>5', { n: '6' }, true],
      ['n>5', { n: '5' }, false],
      ['n<5', { n: 'x' }, false],
      ['n<5', {}, false],
    ];
    for (const [text, labels, expected] of cases) {
      expect([text, labels, parseLabelSelector(text).matches(labels)]).toEqual([text, labels, expected]);
    }
  });

  it.each([
    ['a=b,'],
    [','],
    ['a in ()'],
    ['a in (x'],
    ['a in x'],
    ['!'],
    ['a=b=c'],
    ['a b'],
    ['=b'],
    ['-a=b'],
    ['a=b c'],
    ['a>x'],
    ['a=' + 'x'.repeat(64)],
    ['UPPER.case/x=1'],
    ['a=(b)'],
  ])('rejects %j', (text) => {
    expect(() => parseLabelSelector(text)).toThrow(LabelSelectorError);
  });
});

describe('parseFieldSelector', () => {
  it('parses =, == and != terms', () => {
    expect(parseFieldSelector('metadata.name=a,metadata.namespace==b,metadata.name!=c').requirements).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'metadata.namespace', operator: '=', value: 'b' },
      { field: 'metadata.name', operator: '!=', value: 'c' },
    ]);
  });

  it('matches, treating a missing field as ""', () => {
    const sel = parseFieldSelector('metadata.name=a,metadata.namespace!=kube-system');
    expect(sel.matches({ 'metadata.name': 'a', 'metadata.namespace': 'default' })).toBe(true);
    expect(sel.matches({ 'metadata.name': 'a', 'metadata.namespace': 'kube-system' })).toBe(false);
    expect(sel.matches({ 'metadata.name': 'b' })).toBe(false);
    expect(parseFieldSelector('metadata.namespace=').matches({ 'metadata.name': 'n' })).toBe(true);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    expect(parseFieldSelector('metadata.name=a\\,b\\=c\\\\d').requirements[0]?.value).toBe('a,b=c\\d');
  });

  it('rejects a term without operator with the apimachinery message', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(
      new FieldSelectorError("invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
    );
  });

  it('reports unknown field labels with the default conversion message', () => {
    const sel = parseFieldSelector('spec.nodeName=n1');
    expect(() => sel.requireKnownFields(['metadata.name', 'metadata.namespace'])).toThrow(
      '"spec.nodeName" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  it('lists the names an equality term requires', () => {
    expect(parseFieldSelector('metadata.name=a,metadata.name!=b').equalityValues('metadata.name')).toEqual(['a']);
  });
});

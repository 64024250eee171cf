/** `Warning` headers parsed as apimachinery's `ParseWarningHeaders` (pkg/util/net/http.go) and its tests do. */
import { describe, expect, it } from '@jest/globals';
import { MAX_REMEMBERED_WARNINGS, newWarnings, parseWarningHeader } from '../../lib/client/warnings.js';

describe('parseWarningHeader', () => {
  it('reads code, agent and quoted text, with backslash escapes, an optional date and comma-separated entries', () => {
    expect(parseWarningHeader('299 - "v1 ComponentStatus is deprecated in v1.19+"')).toEqual([{ code: 299, agent: '-', text: 'v1 ComponentStatus is deprecated in v1.19+' }]);
    expect(parseWarningHeader('299 - "quoted \\"x\\" and \\\\ backslash"')).toEqual([{ code: 299, agent: '-', text: 'quoted "x" and \\ backslash' }]);
    expect(parseWarningHeader(' 299 agent "a" "Wed, 21 Oct 2015 07:28:00 GMT", 199 - "b",299 - "c" ')).toEqual([
      { code: 299, agent: 'agent', text: 'a' },
      { code: 199, agent: '-', text: 'b' },
      { code: 299, agent: '-', text: 'c' },
    ]);
  });

  it('stops at the first malformed entry, keeping those before it (Go skips the rest of that header)', () => {
    for (const bad of ['', '299', '299 -', '29 - "x"', '2999 - "x"', '299 - x', '299 - "unterminated', '299 - "x" trailing', '299 - "x" "unterminated date', '299 - "bell\u0007"']) {
      expect(parseWarningHeader(bad)).toEqual([]);
    }
    expect(parseWarningHeader('299 - "ok", garbage, 299 - "lost"')).toEqual([{ code: 299, agent: '-', text: 'ok' }]);
  });
});

describe('newWarnings', () => {
  it('code 299 with a text, each distinct text once while remembered (kubectl deduplicates the same way)', () => {
    const seen = new Set<string>();
    expect(newWarnings('299 - "a", 199 - "other code", 299 - "", 299 - "a", 299 - "b"', seen)).toEqual(['a', 'b']);
    expect(newWarnings('299 - "b", 299 - "c"', seen)).toEqual(['c']);
    expect(newWarnings(null, seen)).toEqual([]);
  });

  it(`remembers at most ${MAX_REMEMBERED_WARNINGS} texts, forgetting the oldest first`, () => {
    const seen = new Set<string>();
    for (let i = 0; i <= MAX_REMEMBERED_WARNINGS; i++) newWarnings(`299 - "w${i}"`, seen);
    expect(seen.size).toBe(MAX_REMEMBERED_WARNINGS);
    expect(newWarnings('299 - "w1"', seen)).toEqual([]);
    expect(newWarnings('299 - "w0"', seen)).toEqual(['w0']);
  });
});

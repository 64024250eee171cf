import { describe, expect, it } from '@jest/globals';
import { validateWatchOptions, watchQuery, type WatchOptions } from '../../lib/api/watch-options.js';
import { WatchCursor } from '../../lib/watch/watch-cursor.js';

const q = (options: WatchOptions): string => watchQuery(options).toString();

describe('watchQuery', () => {
  it('sends only watch=true when nothing is set (three-state booleans send nothing when unset)', () => {
    expect(q({})).toBe('watch=true');
  });

  it('sends each option as the API names it, in a stable order', () => {
    expect(q({ resourceVersion: '42', allowBookmarks: false, labelSelector: 'app=web,tier in (a,b)', fieldSelector: 'metadata.name=x', timeoutSeconds: 290 })).toBe(
      'watch=true&resourceVersion=42&allowWatchBookmarks=false&labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29&fieldSelector=metadata.name%3Dx&timeoutSeconds=290',
    );
  });

  it('adds resourceVersionMatch=NotOlderThan and bookmarks to sendInitialEvents=true', () => {
    expect(q({ sendInitialEvents: true })).toBe('watch=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&sendInitialEvents=true');
    expect(q({ sendInitialEvents: true, allowBookmarks: true, resourceVersion: '7' })).toBe(
      'watch=true&resourceVersion=7&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&sendInitialEvents=true',
    );
  });

  it('sends sendInitialEvents=false with NotOlderThan too (the server requires it whenever the parameter is present)', () => {
    expect(q({ sendInitialEvents: false, resourceVersion: '7' })).toBe('watch=true&resourceVersion=7&resourceVersionMatch=NotOlderThan&sendInitialEvents=false');
  });

  it('reads the cursor each time it is called', () => {
    const cursor = new WatchCursor();
    const options = { cursor, allowBookmarks: true };
    expect(q(options)).toBe('watch=true&allowWatchBookmarks=true');
    cursor.resourceVersion = '100';
    expect(q(options)).toBe('watch=true&resourceVersion=100&allowWatchBookmarks=true');
  });

  it('never overrides an explicit allowBookmarks: false or sendInitialEvents: false after a 410 (refuses instead)', () => {
    const cursor = new WatchCursor({ resourceVersion: '5' });
    cursor.initialEventsRequired = true;
    expect(() => q({ cursor, allowBookmarks: false })).toThrow(TypeError);
    expect(() => q({ cursor, sendInitialEvents: false })).toThrow(TypeError);
  });

  it('asks for initial events without the stale resourceVersion when the cursor says so', () => {
    const cursor = new WatchCursor({ resourceVersion: '5' });
    cursor.initialEventsRequired = true;
    expect(q({ cursor })).toBe('watch=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&sendInitialEvents=true');
  });
});

describe('validateWatchOptions', () => {
  it.each<[string, WatchOptions, boolean, RegExp]>([
    ['a namespace for a cluster-scoped kind', { namespace: 'default' }, false, /cluster-scoped/],
    ['an empty namespace', { namespace: '' }, true, /non-empty string/],
    ['sendInitialEvents without bookmarks', { sendInitialEvents: true, allowBookmarks: false }, true, /needs bookmarks/],
    ['a negative timeout', { timeoutSeconds: -1 }, true, /non-negative integer/],
    ['a fractional timeout', { timeoutSeconds: 1.5 }, true, /non-negative integer/],
    ['a zero maxLineBytes', { maxLineBytes: 0 }, true, /positive integer/],
    ['cursor and resourceVersion together', { cursor: new WatchCursor(), resourceVersion: '1' }, true, /either cursor or resourceVersion/],
    // #14: after a 410 the cursor's watch-list silently sent allowWatchBookmarks=true despite allowBookmarks: false.
    ['a cursor with allowBookmarks: false', { cursor: new WatchCursor(), allowBookmarks: false }, true, /cursor cannot be combined with allowBookmarks: false/],
    ['a cursor with sendInitialEvents: false', { cursor: new WatchCursor(), sendInitialEvents: false }, true, /cursor cannot be combined with sendInitialEvents: false/],
    ['a non-string selector', { labelSelector: 5 as unknown as string }, true, /labelSelector must be a string/],
    ['a non-boolean flag', { allowBookmarks: 'yes' as unknown as boolean }, true, /allowBookmarks must be a boolean/],
  ])('throws a TypeError for %s', (_what, options, namespaced, message) => {
    expect(() => validateWatchOptions(options, namespaced)).toThrow(TypeError);
    expect(() => validateWatchOptions(options, namespaced)).toThrow(message);
  });

  it.each<[string, WatchOptions, boolean]>([
    ['all namespaces of a cluster-scoped kind', { namespace: null }, false],
    ['sendInitialEvents=false without bookmarks', { sendInitialEvents: false, allowBookmarks: false }, true],
    ['timeoutSeconds 0 (server default)', { timeoutSeconds: 0 }, true],
  ])('accepts %s', (_what, options, namespaced) => {
    expect(() => validateWatchOptions(options, namespaced)).not.toThrow();
  });
});

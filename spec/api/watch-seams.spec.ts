/**
 * The public seams of a custom watch source, in isolation: `WatchCursor.read()` (the position, and a counted read
 * for retryOnGone) and the validation of `onConnected`. The real watch$ using them is in
 * watch-on-connected.integration.spec.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { validateWatchOptions, watchQuery } from '../../lib/api/watch-options.js';
import { cursorReads, WatchCursor } from '../../lib/watch/watch-cursor.js';

describe('WatchCursor.read()', () => {
  it('returns the position (a copy) and counts one read per call', () => {
    const cursor = new WatchCursor({ resourceVersion: '7' });
    const position = cursor.read();
    expect(position).toEqual({ resourceVersion: '7', initialEventsRequired: false });
    cursor.resourceVersion = '8';
    cursor.initialEventsRequired = true;
    expect(position).toEqual({ resourceVersion: '7', initialEventsRequired: false }); // a snapshot, not a view
    expect(cursor.read()).toEqual({ resourceVersion: '8', initialEventsRequired: true });
    expect(cursorReads(cursor)).toBe(2);
  });

  it('is how the request is built: watchQuery reads the cursor once, and reading the fields directly counts nothing', () => {
    const cursor = new WatchCursor({ resourceVersion: '7' });
    expect(cursor.resourceVersion).toBe('7');
    expect(cursorReads(cursor)).toBe(0);
    expect(watchQuery({ cursor }).get('resourceVersion')).toBe('7');
    expect(cursorReads(cursor)).toBe(1);
  });
});

describe('WatchOptions.onConnected', () => {
  it('must be a function', () => {
    expect(() => validateWatchOptions({ onConnected: () => undefined }, true)).not.toThrow();
    expect(() => validateWatchOptions({ onConnected: 'yes' as unknown as () => void }, true)).toThrow(new TypeError('watch$: onConnected must be a function'));
  });
});

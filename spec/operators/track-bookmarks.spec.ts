import { describe, expect, it } from '@jest/globals';
import { retry, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { TransportError } from '../../lib/errors/kubex-error.js';
import { trackBookmarks } from '../../lib/operators/track-bookmarks.js';
import { WatchCursor } from '../../lib/watch/watch-cursor.js';
import { added, bookmark, deleted, initialEventsEnd, modified, recordingSource, snapshot, type PodEvent, type CursorSnapshot } from './watch-events.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Records the cursor as seen by the next operator, i.e. right after trackBookmarks handled each event. */
function recordCursor(cursor: WatchCursor, log: (string | undefined)[]) {
  return tap<PodEvent>(() => log.push(cursor.resourceVersion));
}

describe('trackBookmarks', () => {
  it('passes a never source through and leaves the cursor alone', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-');
      expectObservable(source.pipe(trackBookmarks(cursor))).toBe('-');
      expectSubscriptions(source.subscriptions).toBe('^');
    });
    expect(snapshot(cursor)).toEqual({ resourceVersion: '100', initialEventsRequired: false });
  });

  it('completes with an empty source', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('|');
      expectObservable(source.pipe(trackBookmarks(cursor))).toBe('|');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
    expect(cursor.resourceVersion).toBe('100');
  });

  it('moves the cursor with every live event, BOOKMARKs included, before emitting it', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    const values = { a: added('web-2', '101'), m: modified('web-0', '102'), b: bookmark('150'), d: deleted('web-1', '151') };
    const seenDownstream: (string | undefined)[] = [];
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('a-m 60s b-d|', values);
      expectObservable(source.pipe(trackBookmarks(cursor), recordCursor(cursor, seenDownstream))).toBe('a-m 60s b-d|', values);
      expectSubscriptions(source.subscriptions).toBe('^-- 60s ---!');
    });
    // A live ADDED (a new pod) moves it too: the subscription started at a known position.
    expect(seenDownstream).toEqual(['101', '102', '150', '151']);
    expect(snapshot(cursor)).toEqual({ resourceVersion: '151', initialEventsRequired: false });
  });

  it('keeps the cursor still during initial synthetic ADDED events, until the initial-events-end bookmark', () => {
    // The docs' example (protocol sheet §6): foo at 8467, then bar at 5726, then the bookmark at 10245.
    const cursor = new WatchCursor();
    const values = { f: added('foo', '8467'), b: added('bar', '5726'), e: initialEventsEnd('10245'), n: added('new', '10250') };
    const seenDownstream: (string | undefined)[] = [];
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('fbe--n-', values);
      expectObservable(source.pipe(trackBookmarks(cursor), recordCursor(cursor, seenDownstream))).toBe('fbe--n-', values);
      expectSubscriptions(source.subscriptions).toBe('^');
    });
    expect(seenDownstream).toEqual([undefined, undefined, '10245', '10250']);
    expect(cursor.resourceVersion).toBe('10250');
  });

  it('after a 410 (initialEventsRequired) ignores the stale RV, and the first MODIFIED ends the initial phase', () => {
    const cursor = new WatchCursor({ resourceVersion: '500' });
    cursor.initialEventsRequired = true;
    const values = { a: added('web-0', '900'), b: added('web-1', '400'), m: modified('web-0', '1200'), c: added('web-2', '1201') };
    const seenDownstream: (string | undefined)[] = [];
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold<PodEvent>('ab-m-c', values);
      expectObservable(source.pipe(trackBookmarks(cursor), recordCursor(cursor, seenDownstream))).toBe('ab-m-c', values);
    });
    expect(seenDownstream).toEqual(['500', '500', '1200', '1201']);
    expect(snapshot(cursor)).toEqual({ resourceVersion: '1201', initialEventsRequired: false });
  });

  it('ends the initial phase at any bookmark and at a DELETED too', () => {
    const byBookmark = new WatchCursor();
    const byDelete = new WatchCursor();
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { a: added('web-0', '900'), b: bookmark('1000'), d: deleted('web-0', '1001'), c: added('web-1', '1002') };
      expectObservable(cold<PodEvent>('abc', values).pipe(trackBookmarks(byBookmark))).toBe('abc', values);
      expectObservable(cold<PodEvent>('adc', values).pipe(trackBookmarks(byDelete))).toBe('adc', values);
    });
    expect(snapshot(byBookmark)).toEqual({ resourceVersion: '1002', initialEventsRequired: false });
    expect(snapshot(byDelete)).toEqual({ resourceVersion: '1002', initialEventsRequired: false });
  });

  it('keeps initialEventsRequired while no event has ended the initial phase', () => {
    const cursor = new WatchCursor();
    cursor.initialEventsRequired = true;
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { a: added('web-0', '900'), b: added('web-1', '901') };
      expectObservable(cold<PodEvent>('ab|', values).pipe(trackBookmarks(cursor))).toBe('ab|', values);
    });
    expect(snapshot(cursor)).toEqual({ resourceVersion: undefined, initialEventsRequired: true });
  });

  it('ignores events without a resourceVersion', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    const noRv: PodEvent = { type: 'MODIFIED', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0' } } };
    const emptyRv: PodEvent = { type: 'MODIFIED', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', resourceVersion: '' } } };
    newScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<PodEvent>('ab|', { a: noRv, b: emptyRv }).pipe(trackBookmarks(cursor))).toBe('ab|', { a: noRv, b: emptyRv });
    });
    expect(cursor.resourceVersion).toBe('100');
  });

  it('passes an error through, keeping the position of the events before it', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    const error = new TransportError('socket hang up');
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('-m-#', { m: modified('web-0', '101') }, error);
      expectObservable(source.pipe(trackBookmarks(cursor))).toBe('-m-#', { m: modified('web-0', '101') }, error);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    expect(cursor.resourceVersion).toBe('101');
  });

  it('follows an endless source until unsubscribed', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    const values = { a: bookmark('160'), b: bookmark('220'), c: bookmark('280'), d: bookmark('340') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('1m a 59999ms b 59999ms c 59999ms d 59999ms -', values);
      expectObservable(source.pipe(trackBookmarks(cursor)), '^ 3m !').toBe('1m a 59999ms b 59999ms c', values);
      expectSubscriptions(source.subscriptions).toBe('^ 3m !');
    });
    expect(cursor.resourceVersion).toBe('280');
  });

  it('on early unsubscribe, stops before later events touch the cursor', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<PodEvent>('--m|', { m: modified('web-0', '200') });
      expectObservable(source.pipe(trackBookmarks(cursor)), '-!').toBe('--');
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
    expect(cursor.resourceVersion).toBe('100');
  });

  it('decides the initial phase when subscribed, not when the operator is applied', () => {
    const cursor = new WatchCursor({ resourceVersion: '100' });
    newScheduler().run(({ cold, expectObservable }) => {
      const values = { a: added('web-0', '50') };
      const tracked = cold<PodEvent>('a|', values).pipe(trackBookmarks(cursor));
      cursor.initialEventsRequired = true; // e.g. a 410 between pipe() and subscribe()
      expectObservable(tracked).toBe('a|', values);
    });
    expect(snapshot(cursor)).toEqual({ resourceVersion: '100', initialEventsRequired: true });
  });

  it('gives every resubscription its own phase, read from the updated cursor', () => {
    const cursor = new WatchCursor();
    const values = { f: added('foo', '8467'), b: added('bar', '5726'), e: initialEventsEnd('10245'), n: added('new', '10250'), m: modified('foo', '10260') };
    const error = new TransportError('connection reset');
    let seen: CursorSnapshot[] = [];
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<PodEvent>('fbe-#', values, error); // relist, then the connection breaks
      const second = cold<PodEvent>('-n-m-', values); // resumed at 10245: a live ADDED moves the cursor
      const recorded = recordingSource(cursor, [first, second]);
      seen = recorded.seen;
      expectObservable(recorded.source.pipe(trackBookmarks(cursor), retry(1))).toBe('fbe--n-m-', values);
      expectSubscriptions(first.subscriptions).toBe('^---!');
      expectSubscriptions(second.subscriptions).toBe('----^');
    });
    expect(seen).toEqual([
      { resourceVersion: undefined, initialEventsRequired: false },
      { resourceVersion: '10245', initialEventsRequired: false },
    ]);
    expect(cursor.resourceVersion).toBe('10260');
  });

  it('keeps independent phases for concurrent subscribers', () => {
    const cursor = new WatchCursor();
    const values = { a: added('web-0', '900'), e: initialEventsEnd('1000'), x: added('web-1', '50') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const early = cold<PodEvent>('ae--', values);
      const late = cold<PodEvent>('--x-', values);
      expectObservable(early.pipe(trackBookmarks(cursor))).toBe('ae--', values);
      // Still in its own initial phase (it subscribed at frame 0, with no position): its ADDED must not move the
      // cursor, although the other subscription's phase ended at frame 1.
      expectObservable(late.pipe(trackBookmarks(cursor))).toBe('--x-', values);
      expectSubscriptions(early.subscriptions).toBe('^');
      expectSubscriptions(late.subscriptions).toBe('^');
    });
    expect(cursor.resourceVersion).toBe('1000');
  });
});

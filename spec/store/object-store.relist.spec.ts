/** ObjectStore.endRelist and ObjectStore.restore (issue #14): the informer's origins and the checkpoint seam. */
import { describe, expect, it } from '@jest/globals';
import { ObjectStore } from '../../lib/store/object-store.js';
import { added, deleted, initialEventsEnd, modified, pod, type Pod } from '../operators/watch-events.js';

describe('ObjectStore.endRelist', () => {
  it('ends the relist in progress, returning the synthetic DELETED of what it did not re-announce', () => {
    const store = new ObjectStore<Pod>();
    store.beginRelist();
    store.apply(added('a', '1'));
    store.apply(added('b', '2'));
    store.apply(initialEventsEnd('10'));
    store.beginRelist();
    store.apply(added('a', '1'));
    expect(store.endRelist()).toEqual([deleted('b', '2')]);
    expect([store.relisting, store.synced, store.size]).toEqual([false, true, 1]);
    // The live change that ended it is then applied as live.
    expect(store.apply(modified('a', '11'))).toEqual([modified('a', '11')]);
  });

  it('does nothing without a relist in progress', () => {
    const store = new ObjectStore<Pod>();
    store.apply(initialEventsEnd('10'));
    expect(store.endRelist()).toEqual([]);
  });
});

describe('ObjectStore.restore', () => {
  it('holds the restored objects in sync at their resourceVersion; a later relist removes what vanished', () => {
    const store = new ObjectStore<Pod>();
    store.restore([pod('a', '1'), pod('b', '2')], '50');
    expect([store.synced, store.relisting, store.resourceVersion, [...store.snapshot().keys()]]).toEqual([true, false, '50', ['default/a', 'default/b']]);
    store.beginRelist();
    expect(store.apply(added('a', '1'))).toEqual([]);
    expect(store.apply(initialEventsEnd('60'))).toEqual([deleted('b', '2')]);
  });
});

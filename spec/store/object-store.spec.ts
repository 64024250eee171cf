import { describe, expect, it } from '@jest/globals';
import { ObjectStore, objectKey } from '../../lib/store/object-store.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';

interface Obj {
  readonly metadata: { name: string; namespace?: string; resourceVersion: string };
  readonly v?: number;
}
const obj = (name: string, rv: string, v = 0, namespace = 'ns'): Obj => ({ metadata: { name, namespace, resourceVersion: rv }, v });
const added = (o: Obj): WatchEvent<Obj> => ({ type: 'ADDED', object: o });
const modified = (o: Obj): WatchEvent<Obj> => ({ type: 'MODIFIED', object: o });
const deleted = (o: Obj): WatchEvent<Obj> => ({ type: 'DELETED', object: o });
const bookmark = (rv: string, end = false): WatchEvent<Obj> => ({
  type: 'BOOKMARK',
  object: { metadata: { resourceVersion: rv, ...(end ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) } },
});
const describeChanges = (changes: Array<{ type: string; object: Obj }>): string[] => changes.map((c) => `${c.type} ${objectKey(c.object)}@${c.object.metadata.resourceVersion}`);

describe('objectKey', () => {
  it('is namespace/name, or name at cluster scope', () => {
    expect(objectKey({ metadata: { name: 'a', namespace: 'ns' } })).toBe('ns/a');
    expect(objectKey({ metadata: { name: 'node-1' } })).toBe('node-1');
  });
});

describe('ObjectStore', () => {
  it('is not synced until the initial state ends, then holds it', () => {
    const store = new ObjectStore<Obj>();
    expect(store.relisting).toBe(true);
    expect(describeChanges(store.apply(added(obj('b', '5'))))).toEqual(['ADDED ns/b@5']);
    store.apply(added(obj('a', '3')));
    expect(store.synced).toBe(false);
    expect(store.resourceVersion).toBeUndefined(); // initial ADDED RVs are not a position
    expect(store.apply(bookmark('10', true))).toEqual([]);
    expect(store.synced).toBe(true);
    expect(store.relisting).toBe(false);
    expect(store.resourceVersion).toBe('10');
    expect([...store.snapshot().keys()]).toEqual(['ns/b', 'ns/a']);
  });

  it('applies live events, reporting a MODIFIED of an unknown object as ADDED and ignoring a DELETED of one', () => {
    const store = new ObjectStore<Obj>();
    store.apply(bookmark('1', true));
    expect(describeChanges(store.apply(added(obj('a', '2'))))).toEqual(['ADDED ns/a@2']);
    expect(describeChanges(store.apply(modified(obj('a', '3', 1))))).toEqual(['MODIFIED ns/a@3']);
    expect(describeChanges(store.apply(modified(obj('b', '4'))))).toEqual(['ADDED ns/b@4']);
    expect(describeChanges(store.apply(deleted(obj('a', '5'))))).toEqual(['DELETED ns/a@5']);
    expect(store.apply(deleted(obj('zz', '6')))).toEqual([]);
    expect(store.resourceVersion).toBe('6');
    expect([...store.snapshot().keys()]).toEqual(['ns/b']);
  });

  it('after a relist, removes what vanished during the gap and reports it as DELETED with its last state', () => {
    const store = new ObjectStore<Obj>();
    for (const name of ['a', 'b', 'c']) store.apply(added(obj(name, '1')));
    store.apply(bookmark('10', true));
    store.apply(modified(obj('b', '11', 1)));
    // Disconnected; meanwhile b was deleted, c changed, d was created. The relist announces a, c, d.
    store.beginRelist();
    const changes = [added(obj('a', '1')), added(obj('c', '14', 2)), added(obj('d', '15')), bookmark('16', true)].flatMap((e) => describeChanges(store.apply(e)));
    expect(changes).toEqual(['MODIFIED ns/c@14', 'ADDED ns/d@15', 'DELETED ns/b@11']);
    expect([...store.snapshot().keys()].sort()).toEqual(['ns/a', 'ns/c', 'ns/d']);
  });

  it('ends the relist of a legacy watch at its first MODIFIED or DELETED', () => {
    const store = new ObjectStore<Obj>();
    store.apply(added(obj('a', '1')));
    store.apply(added(obj('b', '1')));
    store.apply(bookmark('5'));
    store.beginRelist();
    store.apply(added(obj('a', '1')));
    expect(describeChanges(store.apply(modified(obj('a', '7', 1))))).toEqual(['DELETED ns/b@1', 'MODIFIED ns/a@7']);
    expect(store.relisting).toBe(false);
  });

  it('snapshots are immutable copies', () => {
    const store = new ObjectStore<Obj>();
    store.apply(bookmark('1', true));
    store.apply(added(obj('a', '2')));
    const before = store.snapshot();
    store.apply(deleted(obj('a', '3')));
    expect(before.size).toBe(1);
    expect(store.snapshot().size).toBe(0);
  });

  it('knows which event ends a relist', () => {
    const store = new ObjectStore<Obj>();
    expect(store.endsRelist(added(obj('a', '1')))).toBe(false);
    expect(store.endsRelist(bookmark('2', true))).toBe(true);
    store.apply(bookmark('2', true));
    expect(store.endsRelist(modified(obj('a', '3')))).toBe(false);
  });
});

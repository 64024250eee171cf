import { describe, expect, it } from '@jest/globals';
import { map, type OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { reflect } from '../../lib/operators/reflect.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';

interface Obj {
  readonly metadata: { name: string; namespace: string; resourceVersion: string };
}
const obj = (name: string, rv: string): Obj => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });
const events: Record<string, WatchEvent<Obj>> = {
  a: { type: 'ADDED', object: obj('a', '1') },
  b: { type: 'ADDED', object: obj('b', '2') },
  e: { type: 'BOOKMARK', object: { metadata: { resourceVersion: '3', annotations: { 'k8s.io/initial-events-end': 'true' } } } },
  k: { type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } },
  m: { type: 'MODIFIED', object: obj('a', '4') },
  d: { type: 'DELETED', object: obj('b', '5') },
  x: { type: 'DELETED', object: obj('zz', '6') },
};
/** Store snapshots as `name@rv` lists, for readable marbles. */
const names = (store: ReadonlyMap<string, Obj>): string => [...store.values()].map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).join(',');

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('reflect', () => {
  it('emits the store once the initial state is complete, then after every change', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-e-k-m-d-x-|', events);
      const result = source.pipe(reflect<Obj>());
      expectObservable(result.pipe(mapNames())).toBe('----e---m-d---|', { e: 'a@1,b@2', m: 'a@4,b@2', d: 'a@4' });
      expectSubscriptions(source.subscriptions).toBe('^-------------!');
    });
  });

  it('never emits for never, and completes without a value for empty', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<WatchEvent<Obj>>('-').pipe(reflect(), mapNames())).toBe('-');
      expectObservable(cold<WatchEvent<Obj>>('|').pipe(reflect(), mapNames())).toBe('|');
    });
  });

  it('passes errors through after the snapshots before them', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-e-m-#', events, new Error('boom'));
      expectObservable(source.pipe(reflect<Obj>(), mapNames())).toBe('--e-m-#', { e: 'a@1', m: 'a@4' }, new Error('boom'));
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('handles an endless source and an early unsubscribe', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-e-m---------', events);
      expectObservable(source.pipe(reflect<Obj>(), mapNames()), '^-----!').toBe('--e-m-', { e: 'a@1', m: 'a@4' });
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('gives every subscription its own store', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-e-d|', events);
      const stores = source.pipe(reflect<Obj>(), mapNames());
      expectObservable(stores).toBe('----e-d|', { e: 'a@1,b@2', d: 'a@1' });
      expectObservable(stores).toBe('----e-d|', { e: 'a@1,b@2', d: 'a@1' });
      expectSubscriptions(source.subscriptions).toBe(['^------!', '^------!']);
    });
  });
});

function mapNames(): OperatorFunction<ReadonlyMap<string, Obj>, string> {
  return map((store: ReadonlyMap<string, Obj>) => names(store));
}

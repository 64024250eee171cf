import { describe, expect, it } from '@jest/globals';
import { TestScheduler } from 'rxjs/testing';
import { Informer } from '../../lib/informer/informer.js';
import { testResources } from '../../lib/testing/resources.js';
import { added, initialEventsEnd, modified, type Pod } from '../operators/watch-events.js';
import { StubSource } from './stub-source.js';

describe('Informer.get', () => {
  it('reads one object of the store by key, synchronously; undefined without a session', () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    let informer!: Informer<Pod>;
    const seen: (string | undefined)[] = [];
    scheduler.run(({ cold }) => {
      const api = new StubSource<Pod>(testResources.Pod, scheduler, [cold('ae-m', { a: added('web-0', '1'), e: initialEventsEnd('1'), m: modified('web-0', '2') })]);
      informer = new Informer<Pod>(api, { scheduler, random: () => 0, idleTimeout: false });
      const sub = informer.store$.subscribe(() => seen.push(informer.get('default/web-0')?.metadata?.resourceVersion));
      scheduler.schedule(() => sub.unsubscribe(), 10);
    });
    expect(seen).toEqual(['1', '2']);
    expect(informer.get('default/web-0')).toBeUndefined();
  });
});

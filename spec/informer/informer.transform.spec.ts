/**
 * The informer's `transform` option (issue #14; client-go's SharedIndexInformer.SetTransform), in virtual time:
 * applied to every object of a watch-list, a list and a watch before the store and events$ see it; a transform that
 * throws, or changes the object's key or resourceVersion, fails for that object only and follows `decodeErrors`.
 */
import { describe, expect, it } from '@jest/globals';
import { filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ObjectList } from '../../lib/api/list.js';
import { InvalidError } from '../../lib/errors/status-error.js';
import { Informer, type InformerOptions, type InformerState } from '../../lib/informer/informer.js';
import { stripManagedFields, TransformError } from '../../lib/informer/index.js';
import { testResources } from '../../lib/testing/resources.js';
import type { RejectedObject } from '../../lib/watch/rejected-object.js';
import { added, initialEventsEnd, modified, pod, type Pod, type PodEvent } from '../operators/watch-events.js';
import { withoutOrigin } from './origin-helpers.js';
import { accepted, podList, StubSource } from './stub-source.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const watchListRejected = (): InvalidError =>
  new InvalidError({ code: 422, reason: 'Invalid', status: 'Failure', message: 'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled' });

/** The test transform: drops spec and status, keeps the metadata. */
const slim = (object: Pod): Pod => ({ apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata });
const slimEvent = (event: PodEvent): PodEvent => (event.type === 'BOOKMARK' ? event : { type: event.type, object: slim(event.object) });

/** A transform that throws on web-1 (a bug in user code, say). */
const throwsOnWeb1 = (object: Pod): Pod => {
  if (object.metadata.name === 'web-1') throw new Error('no image');
  return slim(object);
};

const web0 = added('web-0', '101') as { type: 'ADDED'; object: Pod };
const web1 = added('web-1', '102') as { type: 'ADDED'; object: Pod };
const end110 = initialEventsEnd('110');

const phase = (state: InformerState): string => (state.phase === 'backingOff' || state.phase === 'failed' ? `${state.phase} ${(state.error as Error).name}` : state.phase);
const report = (r: RejectedObject): string => `${r.source} ${r.key}@${r.resourceVersion ?? ''} ${r.error.name}: ${r.errors.join('; ')}`;

function setup(scheduler: TestScheduler, watches: readonly Observable<PodEvent>[], lists: readonly Observable<ObjectList<Pod>>[], options: InformerOptions<Pod>) {
  const api = new StubSource<Pod>(testResources.Pod, scheduler, watches, lists);
  const informer = new Informer<Pod>(api, { scheduler, random: () => 0, ...options });
  return {
    api,
    informer,
    events$: informer.events$.pipe(map(withoutOrigin)),
    store$: informer.store$.pipe(map((store) => [...store.values()])),
    states$: informer.state$.pipe(filter((s) => s.phase !== 'idle'), map(phase)), // idle: when state$ subscribes first
    rejected$: informer.rejected$.pipe(map(report)),
  };
}

describe('Informer transform', () => {
  it('transforms every object of a watch-list and of the watch after it, before the store and events$; bookmarks pass as they are', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: web0, b: web1, e: end110, m: modified('web-0', '120') };
      const t = setup(scheduler, [cold<PodEvent>('abe 1s m', values)], [], { transform: slim });
      expectObservable(t.events$, '^ 1m !').toBe('abe 1s m', { a: slimEvent(web0), b: slimEvent(web1), e: end110, m: slimEvent(values.m) });
      expectObservable(t.store$, '^ 1m !').toBe('--s 1s t', { s: [slim(web0.object), slim(web1.object)], t: [slim(pod('web-0', '120')), slim(web1.object)] });
    });
  });

  it('transforms the items of a list (list + watch)', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const refused = cold<PodEvent>('5ms #', undefined, watchListRejected());
      const list = cold<ObjectList<Pod>>('(l|)', { l: podList('200', [pod('web-0', '101')]) });
      const watch = accepted(cold<PodEvent>('1s m', { m: modified('web-0', '210') }));
      const t = setup(scheduler, [refused, watch], [list], { transform: slim });
      expectObservable(t.store$, '^ 1m !').toBe('5ms s 999ms t', { s: [slim(pod('web-0', '101'))], t: [slim(pod('web-0', '210'))] });
    });
  });

  it('accepts stripManagedFields', () => {
    const scheduler = newScheduler();
    const managed = { ...pod('web-0', '101'), metadata: { ...pod('web-0', '101').metadata, managedFields: [{ manager: 'kubectl', operation: 'Apply' }] } } as Pod;
    scheduler.run(({ cold, expectObservable }) => {
      const t = setup(scheduler, [cold<PodEvent>('ae', { a: { type: 'ADDED', object: managed }, e: end110 })], [], { transform: stripManagedFields });
      expectObservable(t.store$, '^ 1m !').toBe('-s', { s: [pod('web-0', '101')] });
    });
  });

  it("leaves out an object whose transform throws, reports it on rejected$ (decodeErrors 'skip', the default), and neither relists nor loops", () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const watch = cold<PodEvent>('abe 1s m', { a: web0, b: web1, e: end110, m: modified('web-1', '120') });
      t = setup(scheduler, [watch], [], { transform: throwsOnWeb1 });
      expectObservable(t.store$, '^ 1m !').toBe('--s', { s: [slim(web0.object)] });
      expectObservable(t.states$, '^ 1m !').toBe('s-w', { s: 'syncing', w: 'watching' });
      expectObservable(t.rejected$, '^ 1m !').toBe('-r 1001ms R', {
        r: 'ADDED default/web-1@102 TransformError: transform: no image',
        R: 'MODIFIED default/web-1@120 TransformError: transform: no image',
      });
    });
    expect(t.api.watchCalls).toHaveLength(1);
    const [rejected] = t.informer.rejected.values();
    expect(rejected).toBeUndefined(); // nobody subscribed any more
  });

  it('rejects a result that changes the name, namespace or resourceVersion, naming the fields', () => {
    const scheduler = newScheduler();
    const rename = (object: Pod): Pod => ({ ...object, metadata: { ...object.metadata, name: `${object.metadata.name}-x`, resourceVersion: '1' } });
    scheduler.run(({ cold, expectObservable }) => {
      const t = setup(scheduler, [cold<PodEvent>('ae', { a: web0, e: end110 })], [], { transform: rename });
      expectObservable(t.store$, '^ 1m !').toBe('-s', { s: [] });
      expectObservable(t.rejected$, '^ 1m !').toBe('r', {
        r: 'ADDED default/web-0@101 TransformError: metadata.name: must be kept by a transform; metadata.resourceVersion: must be kept by a transform',
      });
    });
  });

  it("reports a list item whose transform throws as LIST", () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const refused = cold<PodEvent>('5ms #', undefined, watchListRejected());
      const list = cold<ObjectList<Pod>>('(l|)', { l: podList('200', [pod('web-0', '101'), pod('web-1', '102')]) });
      const t = setup(scheduler, [refused, accepted(cold<PodEvent>('-'))], [list], { transform: throwsOnWeb1 });
      expectObservable(t.store$, '^ 1m !').toBe('5ms s', { s: [slim(web0.object)] });
      expectObservable(t.rejected$, '^ 1m !').toBe('5ms r', { r: 'LIST default/web-1@102 TransformError: transform: no image' });
    });
  });

  it("ends the informer with the TransformError under decodeErrors 'fail'", () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const t = setup(scheduler, [cold<PodEvent>('ab', { a: web0, b: web1 })], [], { transform: throwsOnWeb1, decodeErrors: 'fail' });
      expectObservable(t.states$, '^ 1m !').toBe('s(f|)', { s: 'syncing', f: 'failed TransformError' });
    });
  });

  it("backs off and relists under decodeErrors 'relist'", () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const first = cold<PodEvent>('abe', { a: web0, b: web1, e: end110 });
      const second = cold<PodEvent>('ae', { a: web0, e: initialEventsEnd('200') });
      t = setup(scheduler, [first, second], [], { transform: throwsOnWeb1, decodeErrors: 'relist' });
      expectObservable(t.states$, '^ 1m !').toBe('sb 799ms sw', { s: 'syncing', b: 'backingOff TransformError', w: 'watching' });
    });
    expect(t.api.watchCalls.map((c) => c.cursor?.initialEventsRequired)).toEqual([true, true]);
  });

  it('refuses a transform that is not a function', () => {
    const api = new StubSource<Pod>(testResources.Pod, newScheduler(), []);
    expect(() => new Informer<Pod>(api, { transform: 'strip' as unknown as (p: Pod) => Pod })).toThrow(new TypeError('informer: transform must be a function'));
  });

  it('is a DecodeError, so code that handles those handles it', () => {
    expect(new TransformError('transform threw', '{}', ['transform: boom'])).toMatchObject({ name: 'TransformError', message: 'transform threw: transform: boom' });
  });
});

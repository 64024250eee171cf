/**
 * The informer's checkpointing in virtual time: a stub source plays the watches, an in-memory (synchronous)
 * CheckpointStore records every save with its virtual time. Restore before the first connection, resume from the
 * saved resourceVersion, the save cadence, the shutdown save, a 410 after a restore, a load that never ends.
 */
import { describe, expect, it } from '@jest/globals';
import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { KubeClient } from '../../lib/client/kube-client.js';
import type { Log } from '../../lib/client/log.js';
import { GoneError } from '../../lib/errors/status-error.js';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointIdentity, type CheckpointStore } from '../../lib/informer/checkpoint.js';
import { Informer, type InformerOptions } from '../../lib/informer/informer.js';
import { testResources } from '../../lib/testing/resources.js';
import { INITIAL_EVENTS_END_ANNOTATION, KubernetesObject } from '../../lib/watch/codecs.js';
import { added, bookmark, deleted, initialEventsEnd, modified, pod, type Pod, type PodEvent } from '../operators/watch-events.js';
import { StubSource } from './stub-source.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const identity: CheckpointIdentity = { server: 'https://cluster.test/', apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespace: 'default', labelSelector: null, fieldSelector: null };
const restored = (event: PodEvent) => ({ ...event, origin: 'restored' as const });
const live = (event: PodEvent) => ({ ...event, origin: 'live' as const });
const relisted = (event: PodEvent) => ({ ...event, origin: 'relist' as const });
/** The marker closing a restored state: the informer's own initial-events-end BOOKMARK (no kind: it is not the server's). */
const restoredEnd = (resourceVersion: string) => ({
  type: 'BOOKMARK' as const,
  object: { metadata: { resourceVersion, annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' } } },
  origin: 'restored' as const,
});
const keys = (store: ReadonlyMap<string, Pod>): string => [...store.keys()].sort().join(' ');
const gone = (): GoneError => new GoneError({ code: 410, reason: 'Expired', status: 'Failure', message: 'too old resource version: 110 (250)' });

/** One save as the test reads it: when, where the store was, which objects. */
interface Save {
  readonly at: number;
  readonly rv: string;
  readonly names: string;
}

/** A synchronous CheckpointStore in memory that records its saves (decoded, so a save is checked to be valid). */
class MemoryCheckpoint implements CheckpointStore {
  readonly saves: Save[] = [];
  readonly description = 'memory';
  constructor(
    private readonly scheduler: TestScheduler,
    public text?: string,
  ) {}
  load(): string | undefined {
    return this.text;
  }
  save(text: string): void {
    this.text = text;
    const { resourceVersion, objects } = decodeCheckpoint(text, identity, KubernetesObject);
    this.saves.push({ at: this.scheduler.now(), rv: resourceVersion, names: objects.map((o) => o.metadata?.name).join(' ') });
  }
}

/** A stub source over default's Pods whose "client" log records what the informer says. */
function setup(scheduler: TestScheduler, watches: readonly Observable<PodEvent>[], checkpoint: CheckpointStore, options: InformerOptions = {}) {
  const lines: string[] = [];
  const log: Log = { debug: () => undefined, info: (m) => void lines.push(`info ${m}`), warn: (m) => void lines.push(`warn ${m}`), error: (m) => void lines.push(`error ${m}`) };
  const api = Object.assign(new StubSource<Pod>(testResources.Pod, scheduler, watches), { client: { log, server: new URL('https://cluster.test') } as unknown as KubeClient, namespace: 'default' });
  const informer = new Informer<Pod>(api, { scheduler, random: () => 0, idleTimeout: false, checkpoint, ...options });
  return { api, informer, lines, keys$: informer.store$.pipe(map(keys)) };
}

describe('Informer checkpoint', () => {
  it('restores the store before connecting (origin restored), then watches from the saved resourceVersion without initial events', () => {
    const scheduler = newScheduler();
    const memory = new MemoryCheckpoint(scheduler, encodeCheckpoint(identity, '110', [pod('web-0', '101'), pod('web-1', '102')]));
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const watch = cold<PodEvent>('-----m', { m: modified('web-1', '120') });
      t = setup(scheduler, [watch], memory);
      const unsub = '^ 1m !';
      expectObservable(t.informer.events$, unsub).toBe('(abe)m', {
        a: restored(added('web-0', '101')),
        b: restored(added('web-1', '102')),
        e: restoredEnd('110'),
        m: live(modified('web-1', '120')),
      });
      expectObservable(t.keys$, unsub).toBe('s 4ms s', { s: 'default/web-0 default/web-1' });
    });
    expect(t.api.watchCalls).toHaveLength(1);
    expect(t.api.watchCalls[0]).toMatchObject({ at: 0, cursor: { resourceVersion: '110', initialEventsRequired: false } });
    expect(t.api.watchCalls[0]!.options.sendInitialEvents).toBeUndefined();
    expect(t.lines).toContainEqual(expect.stringMatching(/checkpoint memory: restored 2 objects at resourceVersion 110 .*resuming the watch/));
    // The restored state is not saved again; the change is, an interval after the restore.
    expect(memory.saves).toEqual([{ at: 10_000, rv: '120', names: 'web-0 web-1' }]);
  });

  it('saves at most every checkpointInterval: at once after the first sync, then one save per interval with the latest state', () => {
    const scheduler = newScheduler();
    const memory = new MemoryCheckpoint(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      // sync at 1 ms; changes at 2 s, 3 s, 5 s; a bookmark at 15 s; nothing after.
      const watch = cold<PodEvent>('ae 1998ms b 999ms c 1999ms d 9999ms k', {
        a: added('web-0', '101'),
        e: initialEventsEnd('110'),
        b: added('web-1', '120'),
        c: modified('web-0', '130'),
        d: deleted('web-1', '140'),
        k: bookmark('150'),
      });
      const t = setup(scheduler, [watch], memory, { checkpointInterval: 10_000 });
      expectObservable(t.keys$, '^ 30s !').toBe('-a 1998ms b 999ms c 1999ms d', { a: 'default/web-0', b: 'default/web-0 default/web-1', c: 'default/web-0 default/web-1', d: 'default/web-0' });
    });
    expect(memory.saves).toEqual([
      { at: 1, rv: '110', names: 'web-0' }, // the first complete state, at once
      { at: 10_001, rv: '140', names: 'web-0' }, // the three changes, one save, an interval later
      { at: 20_001, rv: '150', names: 'web-0' }, // the bookmark moved the resume point
      // nothing changed since: no save at the unsubscribe (30 s)
    ]);
  });

  it('saves at the last unsubscribe what changed since the last save, and flushCheckpoint resolves', async () => {
    const scheduler = newScheduler();
    const memory = new MemoryCheckpoint(scheduler);
    let informer!: Informer<Pod>;
    scheduler.run(({ cold, expectObservable }) => {
      const watch = cold<PodEvent>('ae 98ms b', { a: added('web-0', '101'), e: initialEventsEnd('110'), b: added('web-1', '120') });
      const t = setup(scheduler, [watch], memory);
      informer = t.informer;
      expectObservable(t.keys$, '^ 499ms !').toBe('-a 98ms b', { a: 'default/web-0', b: 'default/web-0 default/web-1' });
    });
    expect(memory.saves).toEqual([
      { at: 1, rv: '110', names: 'web-0' },
      { at: 500, rv: '120', names: 'web-0 web-1' }, // not 10 s later: at the shutdown
    ]);
    await expect(informer.flushCheckpoint()).resolves.toBeUndefined();
  });

  it('does not save a restored state unchanged, and a second session restores what the first saved', () => {
    const scheduler = newScheduler();
    const memory = new MemoryCheckpoint(scheduler, encodeCheckpoint(identity, '110', [pod('web-0', '101')]));
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const first = cold<PodEvent>('-');
      const second = cold<PodEvent>('----b', { b: added('web-1', '120') });
      const third = cold<PodEvent>('-');
      t = setup(scheduler, [first, second, third], memory);
      expectObservable(t.informer.events$, '^ 9ms !').toBe('(ae)', { a: restored(added('web-0', '101')), e: restoredEnd('110') });
      expectObservable(t.informer.events$, '20ms ^ 9ms !').toBe('20ms (ae)b', { a: restored(added('web-0', '101')), e: restoredEnd('110'), b: live(added('web-1', '120')) });
      expectObservable(t.informer.events$, '40ms ^ 9ms !').toBe('40ms (abe)', {
        a: restored(added('web-0', '101')),
        b: restored(added('web-1', '120')),
        e: restoredEnd('120'),
      });
    });
    expect(memory.saves).toEqual([
      { at: 30, rv: '120', names: 'web-0 web-1' }, // the second session's shutdown; the first saved nothing: nothing had changed
      // the third session saved nothing either
    ]);
    expect(t.api.watchCalls.map((c) => c.cursor)).toEqual([
      { resourceVersion: '110', initialEventsRequired: false },
      { resourceVersion: '110', initialEventsRequired: false },
      { resourceVersion: '120', initialEventsRequired: false },
    ]);
  });

  it('relists after a 410 on the resumed watch: the synthetic DELETED covers what vanished while down', () => {
    const scheduler = newScheduler();
    const memory = new MemoryCheckpoint(scheduler, encodeCheckpoint(identity, '110', [pod('web-0', '101'), pod('web-1', '102')]));
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const resumed = cold<PodEvent>('-----#', {}, gone());
      const relist = cold<PodEvent>('-bce', { b: added('web-1', '102'), c: added('web-2', '300'), e: initialEventsEnd('310') });
      t = setup(scheduler, [resumed, relist], memory);
      expectObservable(t.informer.events$, '^ 1s !').toBe('(abe)--c(dz)', {
        a: restored(added('web-0', '101')),
        b: restored(added('web-1', '102')),
        e: restoredEnd('110'),
        c: relisted(added('web-2', '300')),
        d: relisted(deleted('web-0', '101')), // deleted while the process was down
        z: relisted(initialEventsEnd('310')),
      });
    });
    expect(t.api.watchCalls.map((c) => c.cursor)).toEqual([
      { resourceVersion: '110', initialEventsRequired: false },
      { resourceVersion: undefined, initialEventsRequired: true }, // a watch-list from the current state
    ]);
    expect(memory.saves).toEqual([{ at: 1001, rv: '310', names: 'web-1 web-2' }]); // the shutdown save
  });

  it('starts fresh, with a warning, when the checkpoint does not load within checkpointLoadTimeout', () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    scheduler.run(({ cold, expectObservable }) => {
      const watch = cold<PodEvent>('ae', { a: added('web-0', '101'), e: initialEventsEnd('110') });
      t = setup(scheduler, [watch], { load: () => new Promise<string>(() => undefined), save: () => undefined, description: 'hung' }, { checkpointLoadTimeout: 5000 });
      expectObservable(t.keys$, '^ 9s !').toBe('5001ms a', { a: 'default/web-0' });
    });
    expect(t.api.watchCalls.map((c) => [c.at, c.cursor])).toEqual([[5000, { resourceVersion: undefined, initialEventsRequired: true }]]);
    expect(t.lines).toContainEqual(expect.stringMatching(/checkpoint hung: not loaded after 5000 ms; starting without it/));
  });

  it('starts fresh, with a warning, when the store throws; logs a failed save and reports it from flushCheckpoint', async () => {
    const scheduler = newScheduler();
    let t!: ReturnType<typeof setup>;
    const failing: CheckpointStore = {
      load: () => {
        throw new Error('EACCES: permission denied');
      },
      save: () => {
        throw new Error('ENOSPC: no space left on device');
      },
    };
    scheduler.run(({ cold, expectObservable }) => {
      const watch = cold<PodEvent>('ae', { a: added('web-0', '101'), e: initialEventsEnd('110') });
      t = setup(scheduler, [watch], failing);
      expectObservable(t.keys$, '^ 9ms !').toBe('-a', { a: 'default/web-0' });
    });
    expect(t.lines.filter((l) => l.startsWith('warn'))).toEqual([
      expect.stringMatching(/checkpoint: could not be loaded \(Error: EACCES.*starting without it/),
      expect.stringMatching(/checkpoint: save failed \(Error: ENOSPC/),
      expect.stringMatching(/checkpoint: save failed \(Error: ENOSPC/), // retried at the shutdown
    ]);
    await expect(t.informer.flushCheckpoint()).rejects.toThrow(/ENOSPC/);
  });

  it('refuses bad options at construction', () => {
    const scheduler = newScheduler();
    const memory = new MemoryCheckpoint(scheduler);
    expect(() => setup(scheduler, [], memory, { checkpointInterval: -1 })).toThrow(/checkpointInterval/);
    expect(() => setup(scheduler, [], memory, { checkpointLoadTimeout: 0 })).toThrow(/checkpointLoadTimeout/);
    expect(() => setup(scheduler, [], { load: 1 } as unknown as CheckpointStore)).toThrow(/CheckpointStore/);
    // One resourceVersion per checkpoint (format 1): not one per namespace.
    expect(() => setup(scheduler, [], memory, { namespace: undefined, namespaces: ['a', 'b'] })).toThrow(/checkpoint is not supported with namespaces/);
  });
});

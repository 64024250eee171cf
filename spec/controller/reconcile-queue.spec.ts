import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { reconcileQueue, type KeyTrigger } from '../../lib/controller/index.js';
import { brief, newScheduler, scripted, triggers, type StartLog } from './queue-harness.js';

describe('reconcileQueue: dedup and one run per key (guarantees 1, 2)', () => {
  it('runs a key once for many triggers while it waits for the gate', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('aaaba', triggers('ab'));
      const ready = h.hot('10ms g');
      const worker = scripted(ts, () => ({ duration: 5 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { ready, scheduler: ts }), brief)).toBe('15ms a 4ms b', {
        a: 'a:success:1',
        b: 'b:success:1',
      });
    });
    expect(log).toEqual(['a@10#1', 'b@15#1']);
  });

  it('runs a key once for many triggers while it waits behind another key', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('xaaa', triggers('xa'));
      const worker = scripted(ts, () => ({ duration: 10 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief)).toBe('10ms x 9ms a', {
        x: 'x:success:1',
        a: 'a:success:1',
      });
    });
    expect(log).toEqual(['x@0#1', 'a@10#1']);
  });

  it('never runs a key twice at once; triggers during a run give exactly one more run after it', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a-a-a', triggers('a'));
      const worker = scripted(ts, () => ({ duration: 10 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { concurrency: 2, scheduler: ts }), brief)).toBe('10ms a 9ms a', {
        a: 'a:success:1',
      });
    });
    expect(log).toEqual(['a@0#1', 'a@10#1']);
  });
});

describe('reconcileQueue: requeueAfter and delayed triggers (guarantee 3)', () => {
  it('runs at the earliest requested time: an earlier request advances, a later one does not postpone', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot<KeyTrigger>('a 19ms b 9ms c', { a: { key: 'a' }, b: { key: 'a', after: 30 }, c: { key: 'a', after: 200 } });
      const worker = scripted(ts, (_c, now) => (now === 0 ? { requeueAfter: 100 } : {}), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief), '^ 300ms !').toBe('a 49ms a', {
        a: 'a:success:1',
      });
    });
    // requeueAfter asked for 100; the trigger at 20 for 50; the one at 30 for 230: 50 wins
    expect(log).toEqual(['a@0#1', 'a@50#1']);
  });

  it('runs at once on a plain trigger before the requeue time, and that run replaces the requeue', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a 39ms a', triggers('a'));
      const worker = scripted(ts, (_c, now) => (now === 0 ? { requeueAfter: 100 } : {}), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief), '^ 300ms !').toBe('a 39ms a', {
        a: 'a:success:1',
      });
    });
    expect(log).toEqual(['a@0#1', 'a@40#1']);
  });

  it('reruns at once after a run that asks for requeueAfter when a trigger came during it: the request does not postpone the event', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      // The run takes 10 ms and asks for a rerun in 100 ms; a change arrives 5 ms into it.
      const input = h.hot('a 4ms a', triggers('a'));
      const worker = scripted(ts, (_c, now) => (now === 0 ? { duration: 10, requeueAfter: 100 } : {}), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief), '^ 300ms !').toBe('10ms (aa)', {
        a: 'a:success:1',
      });
    });
    expect(log).toEqual(['a@0#1', 'a@10#1']);
  });

  it('requeues `requeueAfter` ms after each run ends', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a', triggers('a'));
      const worker = scripted(ts, () => ({ duration: 5, requeueAfter: 20 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief), '^ 60ms !').toBe('5ms a 24ms a 24ms a', {
        a: 'a:success:1',
      });
    });
    expect(log).toEqual(['a@0#1', 'a@25#1', 'a@50#1']);
  });
});

describe('reconcileQueue: concurrency (guarantee 5)', () => {
  it('runs one key at a time by default', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('abc', triggers('abc'));
      const worker = scripted(ts, () => ({ duration: 10 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief)).toBe('10ms a 9ms b 9ms c', {
        a: 'a:success:1',
        b: 'b:success:1',
        c: 'c:success:1',
      });
    });
    expect(log).toEqual(['a@0#1', 'b@10#1', 'c@20#1']);
  });

  it('runs at most `concurrency` keys at once', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('abc', triggers('abc'));
      const worker = scripted(ts, () => ({ duration: 10 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { concurrency: 2, scheduler: ts }), brief)).toBe('10ms a b 8ms c', {
        a: 'a:success:1',
        b: 'b:success:1',
        c: 'c:success:1',
      });
    });
    expect(log).toEqual(['a@0#1', 'b@1#1', 'c@10#1']);
  });

  it('rejects a concurrency that is not an integer >= 1, at call time', () => {
    expect(() => reconcileQueue(() => undefined, { concurrency: 0 })).toThrow(TypeError);
    expect(() => reconcileQueue(() => undefined, { concurrency: 1.5 })).toThrow(TypeError);
    expect(() => reconcileQueue(() => undefined, { timeout: 0 })).toThrow(TypeError);
  });
});

describe('reconcileQueue: priorities and the ready gate (guarantee 6)', () => {
  it('runs nothing before the gate opens, then high keys before low ones; a high trigger raises a waiting low key', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('ABcDb', triggers('ABcDb'));
      const ready = h.hot('10ms g');
      const worker = scripted(ts, () => ({ duration: 1 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { ready, scheduler: ts }), brief), '^ 30ms !').toBe('11ms cbad', {
        a: 'a:success:1',
        b: 'b:success:1',
        c: 'c:success:1',
        d: 'd:success:1',
      });
    });
    expect(log).toEqual(['c@10#1', 'b@11#1', 'a@12#1', 'd@13#1']);
  });

  it('lets a live change overtake a replay of the initial state', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('ABC 1ms x', triggers('ABCx'));
      const worker = scripted(ts, () => ({ duration: 10 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts })).pipe(brief), '^ 50ms !').toBe('10ms a 9ms x 9ms b 9ms c', {
        a: 'a:success:1',
        b: 'b:success:1',
        c: 'c:success:1',
        x: 'x:success:1',
      });
    });
    expect(log).toEqual(['a@0#1', 'x@10#1', 'b@20#1', 'c@30#1']);
  });

  it('queues triggers while the gate is closed and runs them once it opens', () => {
    const results: string[] = [];
    const input = new Subject<KeyTrigger>();
    const ready = new Subject<void>();
    const subscription = input.pipe(reconcileQueue(({ key }) => void results.push(key), { ready })).subscribe();
    input.next({ key: 'a' });
    input.next({ key: 'b' });
    expect(results).toEqual([]);
    ready.next();
    expect(results).toEqual(['a', 'b']);
    subscription.unsubscribe();
  });
});

import { describe, expect, it } from '@jest/globals';
import { reconcileQueue, ReconcileTimeoutError, type KeyTrigger } from '../../lib/controller/index.js';
import { brief, newScheduler, scripted, triggers, type StartLog } from './queue-harness.js';

/** A dependency that fails until `until` (virtual ms): every run before then fails at once. */
const outageUntil = (until: number) => (_c: unknown, now: number) => ({ fail: now < until });

describe('reconcileQueue: error backoff (guarantee 4)', () => {
  it("backs a failing key off 5, 10, 20, 40 ms (client-go's defaults) and resets the count on success", () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a 99ms a', triggers('a'));
      const worker = scripted(ts, outageUntil(70), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief)).toBe('1 4ms 2 9ms 3 19ms 4 39ms 5 24ms 6', {
        1: 'a:error:1+5',
        2: 'a:error:2+10',
        3: 'a:error:3+20',
        4: 'a:error:4+40',
        5: 'a:success:5',
        6: 'a:success:1',
      });
    });
    expect(log).toEqual(['a@0#1', 'a@5#2', 'a@15#3', 'a@35#4', 'a@75#5', 'a@100#1']);
  });

  it('does not let a stream of triggers bypass or compound the backoff (kubernetes/kubernetes#132805)', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      // a trigger every ms for 69 ms, as the Ready/Unready pod events of the issue
      const input = h.hot('a'.repeat(70), triggers('a'));
      const worker = scripted(ts, outageUntil(70), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief)).toBe('1 4ms 2 9ms 3 19ms 4 39ms 5', {
        1: 'a:error:1+5',
        2: 'a:error:2+10',
        3: 'a:error:3+20',
        4: 'a:error:4+40',
        5: 'a:success:5',
      });
    });
    // The same runs as without the triggers: one per backoff step, and the exponent counts runs, not events.
    expect(log).toEqual(['a@0#1', 'a@5#2', 'a@15#3', 'a@35#4', 'a@75#5']);
  });

  it('lets a trigger with resetBackoff run at once, as attempt 1', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot<KeyTrigger>('a 31ms r', { a: { key: 'a' }, r: { key: 'a', resetBackoff: true } });
      const worker = scripted(ts, outageUntil(30), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief), '^ 100ms !').toBe('1 4ms 2 9ms 3 16ms 4', {
        1: 'a:error:1+5',
        2: 'a:error:2+10',
        3: 'a:error:3+20',
        4: 'a:success:1',
      });
    });
    expect(log).toEqual(['a@0#1', 'a@5#2', 'a@15#3', 'a@32#1']);
  });

  it('keeps the backoff as a floor for delayed triggers, and backs keys off independently', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot<KeyTrigger>('ab c', { a: { key: 'a' }, b: { key: 'b' }, c: { key: 'a', after: 1 } });
      const worker = scripted(ts, (c, now) => ({ fail: c.key === 'a' && now < 100 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { backoff: { baseDelay: 10, maxDelay: 15 }, scheduler: ts }), brief), '^ 50ms !').toBe(
        '1b 8ms 2 14ms 3 14ms 4',
        { 1: 'a:error:1+10', b: 'b:success:1', 2: 'a:error:2+15', 3: 'a:error:3+15', 4: 'a:error:4+15' },
      );
    });
    expect(log).toEqual(['a@0#1', 'b@1#1', 'a@10#2', 'a@25#3', 'a@40#4']);
  });

  it('waits out the backoff after a run that fails asynchronously (a planted bug that retries at once shows as extra runs, not a hang)', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a', triggers('a'));
      const worker = scripted(ts, () => ({ duration: 1, fail: true }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { scheduler: ts }), brief), '^ 30ms !').toBe('1ms 1 5ms 2 10ms 3', {
        1: 'a:error:1+5',
        2: 'a:error:2+10',
        3: 'a:error:3+20',
      });
    });
    expect(log).toEqual(['a@0#1', 'a@6#2', 'a@17#3']);
  });

  it('accepts a backoff function', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a', triggers('a'));
      const worker = scripted(ts, outageUntil(20), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { backoff: (n) => n * 7, scheduler: ts }), brief)).toBe('1 6ms 2 13ms 3', {
        1: 'a:error:1+7',
        2: 'a:error:2+14',
        3: 'a:success:3',
      });
    });
    expect(log).toEqual(['a@0#1', 'a@7#2', 'a@21#3']);
  });
});

describe('reconcileQueue: runs that never end (guarantee 9)', () => {
  it('holds one slot only: other keys run beside it', () => {
    const log: StartLog = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('sbc', triggers('sbc'));
      const worker = scripted(ts, (c) => ({ duration: c.key === 's' ? Infinity : 10 }), log);
      h.expectObservable(input.pipe(reconcileQueue(worker, { concurrency: 2, scheduler: ts }), brief), '^ 100ms !').toBe('11ms b 9ms c', {
        b: 'b:success:1',
        c: 'c:success:1',
      });
    });
    expect(log).toEqual(['s@0#1', 'b@1#1', 'c@11#1']);
  });

  it('aborts a run at the timeout: its signal aborts, it counts as a failure and backs off, its slot frees', () => {
    const log: StartLog = [];
    const signals: AbortSignal[] = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('sb', triggers('sb'));
      const worker = scripted(ts, (c) => ({ duration: c.key === 's' ? Infinity : 20 }), log, signals);
      h.expectObservable(input.pipe(reconcileQueue(worker, { timeout: 50, scheduler: ts }), brief), '^ 190ms !').toBe('50ms t 19ms b 49ms u 59ms v', {
        t: 's:timeout:1+5',
        b: 'b:success:1',
        u: 's:timeout:2+10',
        v: 's:timeout:3+20',
      });
    });
    // b waited for the only slot until s timed out; s's retry (due at 55) then waited for b's slot.
    expect(log).toEqual(['s@0#1', 'b@50#1', 's@70#2', 's@130#3']);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(ReconcileTimeoutError);
    expect(signals[1]?.aborted).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import { take } from 'rxjs';
import { QueueMetrics, reconcileQueue, type QueueMetricsSnapshot } from '../../lib/controller/index.js';
import { newScheduler, scripted, triggers } from './queue-harness.js';

type Picked = Omit<QueueMetricsSnapshot, 'keyFailures'> & { keyFailures: Record<string, number> };
const pick = (m: QueueMetricsSnapshot): Picked => ({ ...m, keyFailures: Object.fromEntries(m.keyFailures) });

describe('QueueMetrics', () => {
  it('is all zeros before any queue runs', () => {
    expect(pick(new QueueMetrics().snapshot())).toEqual({
      depth: 0,
      depthLow: 0,
      delayed: 0,
      running: 0,
      adds: 0,
      coalesced: 0,
      retries: 0,
      runs: 0,
      failures: 0,
      durationSum: 0,
      longestRunning: 0,
      unfinishedWork: 0,
      keyFailures: {},
    });
  });

  it('counts adds, coalesced triggers, depth, runs in progress, retries and per-key failures', () => {
    const metrics = new QueueMetrics();
    const seen: Record<number, Picked> = {};
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('aBa 6ms c', triggers('aBac'));
      const ready = h.hot('5ms g');
      // a fails in 10 ms, b takes 20 ms, c 1 ms
      const worker = scripted(ts, (c) => ({ duration: { a: 10, b: 20, c: 1 }[c.key] ?? 1, fail: c.key === 'a' }));
      h.expectObservable(input.pipe(reconcileQueue(worker, { concurrency: 2, ready, metrics, scheduler: ts })), '^ 40ms !');
      for (const at of [4, 12, 16]) ts.schedule(() => (seen[at] = pick(metrics.snapshot())), at);
    });
    expect(seen[4]).toMatchObject({ depth: 2, depthLow: 1, delayed: 0, running: 0, adds: 2, coalesced: 1, runs: 0 });
    // a and b started at 5; at 12 c waits for a slot
    expect(seen[12]).toMatchObject({ depth: 1, running: 2, adds: 3, longestRunning: 7, unfinishedWork: 14, runs: 0 });
    // a failed at 15 (retry due at 20), c runs from 15
    expect(seen[16]).toMatchObject({ depth: 0, delayed: 1, running: 2, retries: 1, failures: 1, runs: 1, durationSum: 10, keyFailures: { a: 1 } });
    // a failed again at 30 and was running (#3) at the unsubscription: aborted, not a failure. Gauges are zero
    // after the subscription, counters stay.
    expect(pick(metrics.snapshot())).toMatchObject({ depth: 0, delayed: 0, running: 0, adds: 3, retries: 2, failures: 2 });
  });

  it('emits a snapshot at subscription and every period', () => {
    const metrics = new QueueMetrics();
    const ts = newScheduler();
    ts.run((h) => {
      h.expectObservable(metrics.snapshots$(10, ts).pipe(take(3))).toBe('x 9ms x 9ms (x|)', { x: metrics.snapshot() });
    });
  });
});

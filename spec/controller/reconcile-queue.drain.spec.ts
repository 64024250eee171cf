import { describe, expect, it } from '@jest/globals';
import { delay, fromEvent, map, mergeMap, take, throwError, timer, type Observable } from 'rxjs';
import { QueueDrainingError, reconcileQueue, type DrainInfo, type ReconcileContext } from '../../lib/controller/index.js';
import { brief, endless, newScheduler, triggers } from './queue-harness.js';
import type { TestScheduler } from 'rxjs/testing';

/** A worker that runs until its signal aborts, then fails `after` ms later with the signal's reason. */
const untilAborted =
  (ts: TestScheduler, after: number, starts: string[]) =>
  ({ key, signal }: ReconcileContext): Observable<never> => {
    starts.push(`${key}@${ts.now()}`);
    return fromEvent(signal, 'abort').pipe(
      take(1),
      delay(after, ts),
      mergeMap(() => throwError(() => signal.reason)),
    );
  };

describe('reconcileQueue: drain (guarantee 8)', () => {
  it('on unsubscribe: starts nothing new, aborts the running runs and reports when they have ended', () => {
    const starts: string[] = [];
    const drained: (DrainInfo & { at: number })[] = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('ab', triggers('ab'));
      const queue = reconcileQueue(untilAborted(ts, 5, starts), { scheduler: ts, onDrained: (info) => drained.push({ ...info, at: ts.now() }) });
      h.expectObservable(input.pipe(queue, brief), '^ 19ms !').toBe('-');
    });
    expect(starts).toEqual(['a@0']);
    expect(drained).toEqual([{ settled: 1, abandoned: [], at: 25 }]);
  });

  it('on unsubscribe: stops waiting for a run that ignores its signal at the drain deadline', () => {
    const unsubscribed: number[] = [];
    const drained: (DrainInfo & { at: number })[] = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a', triggers('a'));
      const queue = reconcileQueue(() => endless(() => unsubscribed.push(ts.now())), {
        drainTimeout: 100,
        scheduler: ts,
        onDrained: (info) => drained.push({ ...info, at: ts.now() }),
      });
      h.expectObservable(input.pipe(queue, brief), '^ 19ms !').toBe('-');
    });
    expect(drained).toEqual([{ settled: 0, abandoned: ['a'], at: 120 }]);
    expect(unsubscribed).toEqual([120]);
  });

  it('when the triggers complete: aborts the running runs, emits their results, then completes', () => {
    const starts: string[] = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('ab 8ms |', triggers('ab'));
      const results = input.pipe(reconcileQueue(untilAborted(ts, 5, starts), { scheduler: ts }));
      h.expectObservable(results.pipe(brief)).toBe('15ms (x|)', { x: 'a:aborted:1' });
      h.expectObservable(results.pipe(mergeMap((r) => [r.error]))).toBe('15ms (e|)', { e: new QueueDrainingError() });
    });
    expect(starts).toEqual(['a@0', 'a@0']);
  });

  it('reports a run that ends well after its signal aborted as a success', () => {
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a 4ms |', triggers('a'));
      const results = input.pipe(reconcileQueue(() => timer(10, ts).pipe(map(() => undefined)), { scheduler: ts }));
      h.expectObservable(results.pipe(brief)).toBe('10ms (s|)', { s: 'a:success:1' });
    });
  });

  it('completes at once when the triggers complete with nothing running, dropping waiting and delayed keys', () => {
    const starts: string[] = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a 9ms |', triggers('a'));
      const ready = h.hot('20ms g');
      const results = input.pipe(
        reconcileQueue(({ key }) => void starts.push(key), { ready, scheduler: ts }),
        brief,
      );
      h.expectObservable(results).toBe('10ms |');
    });
    expect(starts).toEqual([]);
  });

  it('errors when the triggers error, and drains the running runs', () => {
    const starts: string[] = [];
    const drained: number[] = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a 9ms #', triggers('a'), new Error('informer died'));
      const queue = reconcileQueue(untilAborted(ts, 5, starts), { scheduler: ts, onDrained: () => drained.push(ts.now()) });
      h.expectObservable(input.pipe(queue, brief)).toBe('10ms #', undefined, new Error('informer died'));
    });
    expect(drained).toEqual([15]);
  });

  it('gives an aborted signal to a worker that reads it only after the abort', () => {
    const contexts: ReconcileContext[] = [];
    const ts = newScheduler();
    ts.run((h) => {
      const input = h.hot('a', triggers('a'));
      const queue = reconcileQueue((context) => (contexts.push(context), endless(() => undefined)), { drainTimeout: 10, scheduler: ts });
      h.expectObservable(input.pipe(queue, brief), '^ 4ms !').toBe('-');
    });
    expect(contexts[0]?.signal.aborted).toBe(true);
    expect(contexts[0]?.signal.reason).toBeInstanceOf(QueueDrainingError);
  });
});

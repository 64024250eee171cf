/** The queue with real time and Promise workers (what users write), beside the virtual-time marble specs. */
import { describe, expect, it } from '@jest/globals';
import { Subject, type Subscription } from 'rxjs';
import { reconcileQueue, type KeyTrigger, type ReconcileResult } from '../../lib/controller/index.js';
import { waitUntil } from '../informer/wait-until.js';

describe('reconcileQueue with Promise workers', () => {
  it('is cold: no worker runs before subscribe', () => {
    const input = new Subject<KeyTrigger>();
    let calls = 0;
    const results$ = input.pipe(reconcileQueue(() => void (calls += 1)));
    input.next({ key: 'a' });
    expect(calls).toBe(0);
    const subscription = results$.subscribe();
    input.next({ key: 'a' });
    expect(calls).toBe(1);
    subscription.unsubscribe();
  });

  it('runs async workers, retries a rejection with backoff, and gives key, attempt and signal', async () => {
    const input = new Subject<KeyTrigger>();
    const results: ReconcileResult[] = [];
    const contexts: string[] = [];
    const subscription: Subscription = input
      .pipe(
        reconcileQueue(async ({ key, attempt, signal }) => {
          contexts.push(`${key}#${attempt}:${signal.aborted}`);
          await Promise.resolve();
          if (key === 'b' && attempt < 3) throw new Error('not yet');
          return key === 'a' ? { requeueAfter: 60_000 } : undefined;
        }, { concurrency: 2 }),
      )
      .subscribe((r) => results.push(r));
    input.next({ key: 'a' });
    input.next({ key: 'b' });
    await waitUntil(() => results.length === 4, 'four results');
    subscription.unsubscribe();
    expect(contexts).toEqual(['a#1:false', 'b#1:false', 'b#2:false', 'b#3:false']);
    expect(results.map((r) => `${r.key}:${r.outcome}:${r.attempt}`)).toEqual(['a:success:1', 'b:error:1', 'b:error:2', 'b:success:3']);
    expect(results[0]?.requeueAfter).toBe(60_000);
    expect(results[1]?.error).toEqual(new Error('not yet'));
    expect(results[1]?.backoff).toBe(5);
  });

  it('records a worker that throws synchronously as an error', () => {
    const input = new Subject<KeyTrigger>();
    const results: ReconcileResult[] = [];
    const subscription = input
      .pipe(
        reconcileQueue(() => {
          throw new Error('boom');
        }),
      )
      .subscribe((r) => results.push(r));
    input.next({ key: 'a' });
    subscription.unsubscribe();
    expect(results.map((r) => r.outcome)).toEqual(['error']);
  });

  it('yields to the event loop between runs of a synchronous worker that requeues after 0 ms', async () => {
    const input = new Subject<KeyTrigger>();
    let runs = 0;
    const subscription = input.pipe(reconcileQueue(() => ((runs += 1), { requeueAfter: 0 }))).subscribe();
    input.next({ key: 'a' });
    expect(runs).toBe(1); // the rerun waits for the scheduler: this line would not be reached if it spun
    await waitUntil(() => runs >= 3, 'three runs');
    subscription.unsubscribe();
  });
});

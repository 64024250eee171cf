import { describe, expect, it } from '@jest/globals';
import { of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { withBudget } from '../../lib/client/reconnect-budget.js';
import { ReconnectBudget } from '../../lib/index.js';
import { createClient, ConfigError, KubeClient } from '../../lib/client/index.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('ReconnectBudget', () => {
  it('lets the burst through at once, then one every 1/perSecond (no jitter)', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const budget = new ReconnectBudget({ perSecond: 10, burst: 2, jitter: 0, scheduler });
      // Four requests at 0 ms: two at once, then at 100 ms and 200 ms.
      expectObservable(budget.take$()).toBe('(a|)', { a: 0 });
      expectObservable(budget.take$()).toBe('(a|)', { a: 0 });
      expectObservable(budget.take$()).toBe('100ms (a|)', { a: 100 });
      expectObservable(budget.take$()).toBe('200ms (a|)', { a: 200 });
    });
  });

  it('is cold: nothing is reserved before subscription', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const budget = new ReconnectBudget({ perSecond: 10, burst: 1, jitter: 0, scheduler });
      const waits = [budget.take$(), budget.take$(), budget.take$()];
      expect(budget.available).toBe(1);
      expectObservable(waits[2]!).toBe('(a|)', { a: 0 });
    });
  });

  it('refills over time, never above the burst', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const budget = new ReconnectBudget({ perSecond: 10, burst: 3, jitter: 0, scheduler });
      // Idle for 10 s: the bucket holds 3 (not 100). Four requests at 10 s: three at once, the fourth 100 ms later.
      expectObservable(budget.take$(), '10s ^').toBe('10s (a|)', { a: 0 });
      expectObservable(budget.take$(), '10s ^').toBe('10s (a|)', { a: 0 });
      expectObservable(budget.take$(), '10s ^').toBe('10s (a|)', { a: 0 });
      expectObservable(budget.take$(), '10s ^').toBe('10100ms (a|)', { a: 100 });
    });
  });

  it('unsubscribing while waiting gives the place back: the next request takes it', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const budget = new ReconnectBudget({ perSecond: 10, burst: 1, jitter: 0, scheduler });
      expectObservable(budget.take$()).toBe('(a|)', { a: 0 });
      // Waits for 100 ms, but is abandoned at 50 ms: it takes no token.
      expectObservable(budget.take$(), '^ 49ms !').toBe('');
      // Subscribed at 60 ms: its turn is the abandoned one's, at 100 ms.
      expectObservable(budget.take$(), '60ms ^').toBe('60ms 40ms (a|)', { a: 40 });
      // And the next one at 200 ms: the abandoned reservation took nothing.
      expectObservable(budget.take$(), '70ms ^').toBe('70ms 130ms (a|)', { a: 130 });
    });
  });

  it('jitter spreads the waiters, paid from the budget so the bound still holds', () => {
    const scheduler = newScheduler();
    const randoms = [0.9, 0.1, 0.5];
    scheduler.run(({ expectObservable }) => {
      const budget = new ReconnectBudget({ perSecond: 10, burst: 1, jitter: 1, scheduler, random: () => randoms.shift()! });
      expectObservable(budget.take$()).toBe('(a|)', { a: 0 }); // the burst: no jitter
      expectObservable(budget.take$()).toBe('190ms (a|)', { a: 190 }); // 1.9 tokens
      expectObservable(budget.take$()).toBe('300ms (a|)', { a: 300 }); // + 1.1
      expectObservable(budget.take$()).toBe('450ms (a|)', { a: 450 }); // + 1.5
    });
  });

  it('never starts more than burst + perSecond · t in any window (200 requests at once, with jitter)', () => {
    const scheduler = newScheduler();
    const starts: number[] = [];
    scheduler.run(({ flush }) => {
      const budget = new ReconnectBudget({ perSecond: 20, burst: 10, scheduler });
      for (let i = 0; i < 200; i++) budget.take$().subscribe(() => starts.push(scheduler.now()));
      flush();
    });
    expect(starts).toHaveLength(200);
    expect(starts.filter((t) => t === 0)).toHaveLength(10);
    for (const from of starts) {
      for (const span of [1, 100, 1000, 5000]) {
        const n = starts.filter((t) => t >= from && t < from + span).length;
        expect(n).toBeLessThanOrEqual(10 + (20 * span) / 1000);
      }
    }
    // Jitter slows the sustained rate to ~perSecond / (1 + jitter / 2): 190 waiters at ~16/s.
    expect(starts.at(-1)!).toBeGreaterThan(190 * 50);
    expect(starts.at(-1)!).toBeLessThan(190 * 75);
  });

  it('refuses impossible options', () => {
    expect(() => new ReconnectBudget({ perSecond: 0 })).toThrow(/perSecond/);
    expect(() => new ReconnectBudget({ burst: 0.5 })).toThrow(/burst/);
    expect(() => new ReconnectBudget({ jitter: 2 })).toThrow(/jitter/);
  });
});

describe('withBudget', () => {
  it('subscribes to the source once a token is there, and not at all when abandoned while waiting', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const budget = new ReconnectBudget({ perSecond: 10, burst: 1, jitter: 0, scheduler });
      const waits: number[] = [];
      const first = cold('a|');
      const second = cold('b|');
      const third = cold('c|');
      expectObservable(withBudget(budget, first, (ms) => waits.push(ms))).toBe('a|');
      expectObservable(withBudget(budget, second, (ms) => waits.push(ms))).toBe('100ms b|');
      expectObservable(withBudget(budget, third, (ms) => waits.push(ms)), '^ 150ms !').toBe('');
      expectSubscriptions(first.subscriptions).toBe('^!');
      expectSubscriptions(second.subscriptions).toBe('100ms ^!');
      expectSubscriptions(third.subscriptions).toBe([]);
      scheduler.flush();
      expect(waits).toEqual([100]);
    });
  });

  it('is the source itself without a budget', () => {
    const source = of(1);
    expect(withBudget(undefined, source, () => undefined)).toBe(source);
  });
});

describe('createClient({ reconnectBudget })', () => {
  it('gives every client a budget by default (20 at once, 10 per second), a shared one, or none', async () => {
    const server = 'http://127.0.0.1:1';
    const client = await createClient({ server });
    expect(client.reconnectBudget).toMatchObject({ perSecond: 10, burst: 20 });
    expect((await createClient({ server, reconnectBudget: { perSecond: 50, burst: 5 } })).reconnectBudget).toMatchObject({ perSecond: 50, burst: 5 });
    const shared = new ReconnectBudget();
    expect((await createClient({ server, reconnectBudget: shared })).reconnectBudget).toBe(shared);
    expect((await createClient({ server, reconnectBudget: false })).reconnectBudget).toBeUndefined();
    expect(new KubeClient({ server: new URL(server), namespace: 'default', fetch: () => Promise.reject(new Error('no')) }).reconnectBudget).toBeUndefined();
    await expect(createClient({ server, reconnectBudget: { perSecond: -1 } })).rejects.toThrow(ConfigError);
  });
});

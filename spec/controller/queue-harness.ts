/** Shared helpers of the reconcile queue specs: a scripted worker in virtual time and readable results. */
import { expect } from '@jest/globals';
import { map, NEVER, Observable, of, throwError, timer, type OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { KeyTrigger, ReconcileAction, ReconcileContext, ReconcileResult, ReconcileWorker } from '../../lib/controller/index.js';

export function newScheduler(): TestScheduler {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  return scheduler;
}

/** What one run of a key does: how long it takes (`Infinity`: never ends), whether it fails, what it returns. */
export interface Script {
  readonly duration?: number;
  readonly fail?: boolean;
  readonly requeueAfter?: number;
}

/** A start of a run, as `key@time#attempt`. */
export type StartLog = string[];

/**
 * A worker whose runs follow `script(context, now)`: a run of duration 0 returns (or throws) synchronously, a
 * longer one is a timer on the test scheduler, an endless one is `NEVER`. Every start is logged.
 */
export function scripted(
  scheduler: TestScheduler,
  script: (context: ReconcileContext, now: number) => Script,
  log: StartLog = [],
  signals: AbortSignal[] = [],
): ReconcileWorker {
  return (context) => {
    const now = scheduler.now();
    log.push(`${context.key}@${now}#${context.attempt}`);
    signals.push(context.signal);
    const { duration = 0, fail = false, requeueAfter } = script(context, now);
    const value: ReconcileAction | undefined = requeueAfter === undefined ? undefined : { requeueAfter };
    if (duration === 0) {
      if (fail) throw new Error(`${context.key} failed`);
      return value;
    }
    if (duration === Infinity) return NEVER;
    return timer(duration, scheduler).pipe(
      map(() => {
        if (fail) throw new Error(`${context.key} failed`);
        return value;
      }),
    );
  };
}

/** A result as `key:outcome:attempt` (plus `+backoff` when there is one), for marbles. */
export const brief: OperatorFunction<ReconcileResult, string> = map(
  (r) => `${r.key}:${r.outcome}:${r.attempt}${r.backoff === undefined ? '' : `+${r.backoff}`}`,
);

/** Trigger values for hot marbles: lowercase letters are high-priority triggers of that key, uppercase low ones. */
export function triggers(keys: string): Record<string, KeyTrigger> {
  const values: Record<string, KeyTrigger> = {};
  for (const c of keys) values[c] = c === c.toLowerCase() ? { key: c } : { key: c.toLowerCase(), priority: 'low' };
  return values;
}

/** An Observable that never emits, but reports its unsubscription (for workers that ignore their signal). */
export function endless(onUnsubscribe: () => void): Observable<never> {
  return new Observable<never>(() => onUnsubscribe);
}

export const failing = (error: unknown) => throwError(() => error);
export const done = of(undefined);

/**
 * Small utilities of the FakeApiServer: unref'd timers, and the lists of promises its `waitFor...` and
 * `nextRequest` methods hand out.
 * @internal
 */

/** @internal */
export function timer(ms: number, fn: () => void): NodeJS.Timeout {
  const t = setTimeout(fn, Math.max(0, ms));
  t.unref();
  return t;
}

/** @internal */
export const noop = (): void => undefined;

/** A list of promises waiting for a value that passes a test. @internal */
export class WaitList<T> {
  private readonly items = new Set<{ test: (v: T) => boolean; resolve: (v: T) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  wait(test: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const p = new Promise<T>((resolve, reject) => {
      const item = {
        test,
        resolve,
        reject,
        timer: timer(timeoutMs, () => {
          this.items.delete(item);
          reject(new Error(`FakeApiServer: timed out after ${timeoutMs} ms waiting for ${what}`));
        }),
      };
      this.items.add(item);
    });
    // Marked handled so a promise nobody awaits cannot fail a test run; awaiting it still sees the rejection.
    p.catch(noop);
    return p;
  }

  notify(v: T): void {
    for (const item of [...this.items]) {
      if (item.test(v)) {
        this.items.delete(item);
        clearTimeout(item.timer);
        item.resolve(v);
      }
    }
  }

  rejectAll(err: Error): void {
    for (const item of this.items) {
      clearTimeout(item.timer);
      item.reject(err);
    }
    this.items.clear();
  }
}

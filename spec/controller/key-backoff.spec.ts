import { describe, expect, it } from '@jest/globals';
import { keyBackoff } from '../../lib/controller/index.js';

describe('keyBackoff', () => {
  it("has client-go's defaults: 5 ms, doubling, capped at 1000 s", () => {
    const backoff = keyBackoff();
    expect([1, 2, 3, 4].map(backoff)).toEqual([5, 10, 20, 40]);
    expect(backoff(18)).toBe(655_360);
    expect(backoff(19)).toBe(1_000_000);
    expect(backoff(5000)).toBe(1_000_000); // overflow to Infinity is capped, not NaN
  });

  it('follows its options', () => {
    const backoff = keyBackoff({ baseDelay: 100, factor: 3, maxDelay: 1000 });
    expect([1, 2, 3, 4].map(backoff)).toEqual([100, 300, 900, 1000]);
    expect(keyBackoff({ factor: 1 })(10)).toBe(5);
  });

  it('rejects invalid options at call time', () => {
    expect(() => keyBackoff({ baseDelay: -1 })).toThrow(TypeError);
    expect(() => keyBackoff({ factor: 0.5 })).toThrow(TypeError);
    expect(() => keyBackoff({ maxDelay: Number.NaN })).toThrow(TypeError);
  });
});

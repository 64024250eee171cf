/**
 * Config checks shared by the operators. A bad config is a programmer error: it throws a `TypeError` when the
 * operator is created, before any subscription, like `watch$`'s option checks.
 */

/** A finite number >= 0 (milliseconds, a factor...). */
export function checkNonNegative(operator: string, name: string, value: unknown): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new TypeError(`${operator}: ${name} must be a finite number >= 0`);
  }
}

/** A finite number > 0. */
export function checkPositive(operator: string, name: string, value: unknown): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new TypeError(`${operator}: ${name} must be a finite number > 0`);
  }
}

/** A count: a non-negative integer, or `Infinity`. */
export function checkCount(operator: string, name: string, value: unknown): void {
  if (value !== undefined && !(typeof value === 'number' && (value === Infinity || (Number.isInteger(value) && value >= 0)))) {
    throw new TypeError(`${operator}: ${name} must be a non-negative integer or Infinity`);
  }
}

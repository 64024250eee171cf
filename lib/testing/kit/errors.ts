/**
 * Errors a stub watch stream ends with (`#` in a marble), as the real `watch$` raises them.
 */
import { statusErrorFrom, type GoneError } from '../../errors/status-error.js';

/**
 * The `GoneError` the real `watch$` raises when the resourceVersion it resumes from is older than the server's
 * history: the in-stream `ERROR` event `410 Expired` ("too old resource version"), what `retryOnGone` and the
 * informer recover from by asking for the current state again.
 *
 * @param requested - the resourceVersion the watch asked for (only in the message).
 * @param oldest - the oldest resourceVersion the server still has, minus one (only in the message).
 * @example
 * ```ts
 * cold('a--#', { a: added(widget('a', '5')) }, goneError('5'));
 * ```
 * @since 0.3.0
 */
export function goneError(requested: string = '1', oldest: number = Number(requested) + 1000 || 1000): GoneError {
  // The Status a real server sends (k8s.io/apiserver storage errors: NewTooOldResourceVersionError), as
  // tooOldResourceVersionStatus builds it for the FakeApiServer.
  return statusErrorFrom({ status: 'Failure', code: 410, reason: 'Expired', message: `too old resource version: ${requested} (${oldest})` }) as GoneError;
}

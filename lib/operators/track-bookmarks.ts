import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { WatchCursor } from '../watch/watch-cursor.js';
import type { WatchEvent } from '../watch/watch-event.js';

/** The event's `object.metadata.resourceVersion`, if it is a non-empty string (any `T`: read defensively). */
function resourceVersionOf(event: WatchEvent<unknown>): string | undefined {
  const metadata = (event.object as { metadata?: unknown } | null | undefined)?.metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const rv = (metadata as { resourceVersion?: unknown }).resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

/**
 * Moves a {@link WatchCursor} forward with every event that passes, BOOKMARKs included, so that a
 * resubscription (by `retry`, `repeat`, {@link retryOnGone}, {@link reconnectOnTimeout}) resumes where the stream
 * got to instead of starting over.
 *
 * Rules (client-go `tools/cache/reflector.go`, kubernetes-watch-protocol.md §3.1 and §6):
 * - The cursor takes each event's `object.metadata.resourceVersion` as is. RVs are opaque strings, never compared
 *   (Kubernetes docs, "Resource versions"): the server delivers live events in RV order, so "the latest event" is
 *   "the furthest position". Events without a resourceVersion leave the cursor alone.
 * - A bookmark means "every change up to this RV has been sent" (`k8s.io/apimachinery` `watch.Bookmark`), so it
 *   moves the cursor like any event, even when no object of the watched kind changed (RVs are global).
 * - Never back in time across a relist. When a subscription starts without a position
 *   (`cursor.resourceVersion === undefined`) or after a 410 (`cursor.initialEventsRequired`), the stream begins
 *   with synthetic ADDED events carrying each object's own, unordered RV, all older than the snapshot. Those do not
 *   move the cursor (client-go: `propagateRVFromStart` / `eventReceivedBesidesAdded`). The initial phase ends at
 *   the first BOOKMARK (the `k8s.io/initial-events-end` one, or any bookmark: each carries the server's current RV)
 *   or the first MODIFIED/DELETED (a live event); that event moves the cursor and clears
 *   `cursor.initialEventsRequired`. The phase is decided per subscription, when it starts.
 *
 * The cursor is updated before the event is emitted, so code downstream sees the position of the event it handles.
 *
 * Emits every source event unchanged; completes and errors when the source does; unsubscribing unsubscribes the
 * source. Cold: nothing is read or written before subscription, and each subscription keeps its own phase.
 *
 * @param cursor - the position shared with `watch$({ cursor })`, which reads it at every subscription.
 * @example
 * ```ts
 * const cursor = new WatchCursor();
 * pods.watch$({ cursor, allowBookmarks: true, timeoutSeconds: 290 })
 *   .pipe(trackBookmarks(cursor), retryOnGone(cursor), reconnectOnTimeout())
 *   .subscribe((e) => console.log(e.type, cursor.resourceVersion));
 * ```
 * @since 0.1.0
 */
export function trackBookmarks<T>(cursor: WatchCursor): MonoTypeOperatorFunction<WatchEvent<T>> {
  return (source) =>
    defer(() => {
      // Decided at subscription time: this is the request watch$ is about to make with the same cursor.
      let initialPhase = cursor.resourceVersion === undefined || cursor.initialEventsRequired;
      return source.pipe(
        tap((event) => {
          if (initialPhase && event.type === 'ADDED') return; // synthetic initial state: RVs out of order
          const rv = resourceVersionOf(event);
          if (rv === undefined) return;
          cursor.resourceVersion = rv;
          if (initialPhase) {
            initialPhase = false;
            cursor.initialEventsRequired = false;
          }
        }),
      );
    });
}

import { map, type OperatorFunction } from 'rxjs';
import type { Bookmark } from '../watch/codecs.js';
import type { WatchEvent } from '../watch/watch-event.js';

/**
 * A watch event as a server-sent event (the shape of Nest's `MessageEvent`): the SSE event name is the watch event
 * type, the data is the object (Nest serializes it as JSON).
 *
 * On the wire: `event: ADDED` / `data: {"kind":"Pod",...}`. A browser `EventSource` delivers named events to
 * `addEventListener('ADDED', ...)` (not to `onmessage`).
 * @since 0.1.0
 */
export type WatchMessageEvent<T> =
  | {
      /** The watch event type, sent as the SSE event name. */
      readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
      /** The object, sent as the SSE data. */
      readonly data: T;
    }
  | {
      /** `BOOKMARK`, sent as the SSE event name. */
      readonly type: 'BOOKMARK';
      /** The bookmark object (its metadata carries the resourceVersion), sent as the SSE data. */
      readonly data: Bookmark;
    };

/**
 * One watch event as a {@link WatchMessageEvent}.
 *
 * @example
 * ```ts
 * toMessageEvent({ type: 'ADDED', object: pod }); // { type: 'ADDED', data: pod }
 * ```
 * @since 0.1.0
 */
export function toMessageEvent<T>(event: WatchEvent<T>): WatchMessageEvent<T> {
  return event.type === 'BOOKMARK' ? { type: event.type, data: event.object } : { type: event.type, data: event.object };
}

/**
 * Maps watch events to server-sent events for a Nest `@Sse()` handler. The handler returns the Observable as is:
 * Nest subscribes when the client connects and unsubscribes when it disconnects, which aborts the watch request.
 * Filter BOOKMARKs out first if your clients have no use for them.
 *
 * @example
 * ```ts
 * @Sse('pods/events')
 * events(): Observable<WatchMessageEvent<Pod>> {
 *   return this.pods.watch$({ namespace: null }).pipe(toServerSentEvents());
 * }
 * ```
 * @since 0.1.0
 */
export function toServerSentEvents<T>(): OperatorFunction<WatchEvent<T>, WatchMessageEvent<T>> {
  return map(toMessageEvent);
}

import type { WatchEvent } from '../watch/watch-event.js';

/**
 * Where an informer's event comes from:
 *
 * - `initial`: the first complete state of this informer (its first list or watch-list, or the store's contents
 *   replayed to a late subscriber) and the initial-events-end BOOKMARK that closes it.
 * - `relist`: a resync after a 410 Gone, a bad line or a gap: changes a relist found (an object it re-announces with
 *   a new resourceVersion arrives as MODIFIED), the synthetic DELETED events of objects that vanished meanwhile, and
 *   the BOOKMARK that closes it.
 * - `live`: a change the watch saw as it happened, and periodic BOOKMARKs.
 * - `restored`: the state loaded from a checkpoint when the informer starts, before any connection.
 *
 * client-go's handlers cannot tell these apart (`OnAdd(obj, isInInitialList)` says only the first); an event
 * forwarder that must not re-send what it already sent before a restart needs all four.
 * @since 0.3.0
 */
export type EventOrigin = 'initial' | 'relist' | 'live' | 'restored';

/**
 * An event of {@link Informer.events$}: a {@link WatchEvent} (unchanged union, so `switch (event.type)` narrows as
 * before) with the read-only {@link EventOrigin} of the event.
 * @since 0.3.0
 */
export type InformerEvent<T> = WatchEvent<T> & {
  /** Where the event comes from (see {@link EventOrigin}). */
  readonly origin: EventOrigin;
};

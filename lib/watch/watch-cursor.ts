/**
 * Where a watch resumes: the last resourceVersion seen, and whether the next connection must ask for the
 * initial state again (after a 410 Gone). `watch$({ cursor })` reads it at every subscription, so `retry` and
 * `repeat` reconnect from the current position while the Observable stays cold.
 *
 * The resourceVersion is opaque: it is stored and sent back, never compared.
 *
 * @example
 * ```ts
 * const cursor = new WatchCursor();
 * pods.watch$({ cursor, allowBookmarks: true }).pipe(trackBookmarks(cursor), retryOnGone(cursor), reconnectOnTimeout());
 * ```
 * @since 0.1.0
 */
export class WatchCursor {
  /** The resourceVersion to resume from; `undefined` starts from the current state. */
  resourceVersion: string | undefined;
  /**
   * When true, the next watch asks for the full state (`sendInitialEvents=true` without a resourceVersion).
   * Set by `retryOnGone` after a 410 Gone or "Too large resource version"; cleared by `trackBookmarks` when the
   * new stream's initial state ends (its first BOOKMARK, MODIFIED or DELETED, which also sets `resourceVersion`).
   */
  initialEventsRequired = false;

  constructor(init: { resourceVersion?: string } = {}) {
    this.resourceVersion = init.resourceVersion;
  }

  /**
   * Reads the position a new watch request must start from, and records the read. `watch$({ cursor })` calls it
   * once per request, at subscription time; so must any other watch source that takes a cursor (a proxy, a cache,
   * a test stub): `retryOnGone` counts these reads to tell a source that follows the cursor from one that
   * would repeat the same stale request after a 410 (it then errors instead of looping). Reading the fields
   * directly is fine anywhere else (logging, assertions): only a request's read needs to be counted.
   *
   * What to send: with `initialEventsRequired`, no resourceVersion and `sendInitialEvents=true` (a watch-list,
   * with bookmarks and `resourceVersionMatch=NotOlderThan`); otherwise `resourceVersion` when it is set.
   *
   * @example
   * ```ts
   * const { resourceVersion, initialEventsRequired } = cursor.read();
   * ```
   * @since 0.3.0
   */
  read(): CursorPosition {
    noteCursorRead(this);
    return { resourceVersion: this.resourceVersion, initialEventsRequired: this.initialEventsRequired };
  }
}

/**
 * A {@link WatchCursor}'s position at one moment, as {@link WatchCursor.read} returns it.
 * @since 0.3.0
 */
export interface CursorPosition {
  /** The resourceVersion to resume from; `undefined` starts from the current state. */
  readonly resourceVersion: string | undefined;
  /** Whether the request must ask for the full state again (`sendInitialEvents=true`, no resourceVersion). */
  readonly initialEventsRequired: boolean;
}

/** How many times each cursor was read for a watch request (see {@link noteCursorRead}). */
const requestReads = new WeakMap<WatchCursor, number>();

/**
 * Internal: records that a watch request is being built from this cursor ({@link WatchCursor.read} calls it). `retryOnGone`
 * compares the count before and after a resubscription to detect a source that never reads the cursor, which
 * would repeat the same stale request forever.
 * @internal
 */
export function noteCursorRead(cursor: WatchCursor): void {
  requestReads.set(cursor, (requestReads.get(cursor) ?? 0) + 1);
}

/**
 * Internal: how many watch requests were built from this cursor so far.
 * @internal
 */
export function cursorReads(cursor: WatchCursor): number {
  return requestReads.get(cursor) ?? 0;
}

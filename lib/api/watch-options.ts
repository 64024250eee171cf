import type { WatchCursor } from '../watch/watch-cursor.js';
import type { ON_REJECTED_OBJECT, RejectedObject } from '../watch/rejected-object.js';

/**
 * Options of `Api.watch$`. Booleans are three-state: left out, nothing is sent and the server's default
 * applies; `true` or `false` is sent as such.
 *
 * @since 0.1.0
 */
export interface WatchOptions {
  /**
   * The namespace to watch. Omitted: the Api's namespace. `null`: all namespaces. Must be omitted (or
   * `null`) for cluster-scoped kinds.
   */
  readonly namespace?: string | null;
  /** A label selector (`app=web,tier in (a,b),!legacy`), evaluated by the server. */
  readonly labelSelector?: string;
  /** A field selector (`metadata.name=web-0`), evaluated by the server. */
  readonly fieldSelector?: string;
  /** Ask for BOOKMARK events (`allowWatchBookmarks`). Implied by `sendInitialEvents: true`. */
  readonly allowBookmarks?: boolean;
  /**
   * Ask for the current state as ADDED events followed by a BOOKMARK annotated `k8s.io/initial-events-end`
   * (a watch-list, KEP-3157). Also sends `resourceVersionMatch=NotOlderThan`, without which a real server
   * answers 422, and `allowWatchBookmarks=true` (the end marker is a bookmark). `false` is sent too (a watch
   * that starts at `resourceVersion` without initial state).
   */
  readonly sendInitialEvents?: boolean;
  /** How long the server keeps the stream open, in seconds; it then ends it cleanly. Omitted: 30–60 min. */
  readonly timeoutSeconds?: number;
  /**
   * Where to start. Omitted: the current state as ADDED events, then changes. `"0"`: any state (possibly
   * stale). Any other value: changes after that version, no initial state (410 Gone when too old).
   */
  readonly resourceVersion?: string;
  /**
   * A resume position read at every subscription, so a `retry`/`repeat` reconnects from where the stream got
   * to. See `WatchCursor`. Not with `resourceVersion`, `allowBookmarks: false` or `sendInitialEvents: false`
   * (after a 410 the cursor asks for a watch-list, which needs both): those combinations throw a `TypeError`.
   */
  readonly cursor?: WatchCursor;
  /** The longest line accepted from the server, in bytes (default 32 MiB); a longer one is a `LineTooLongError`. */
  readonly maxLineBytes?: number;
  /**
   * Called when the server accepted the watch (HTTP 200, response headers received), before any event: once per
   * request, so again at each resubscription (`retry`, `repeat`). A quiet watch can be healthy for minutes without
   * an event; this is how to tell "connected and waiting" from "still connecting". The informer passes it to turn
   * its state to `watching` on a quiet cluster, so a custom `InformerSource` (a proxy, a test stub) must
   * call it too, or forward it to the `watch$` it wraps. Not called for a request that fails before its headers.
   * @since 0.3.0
   */
  readonly onConnected?: () => void;
  /** @internal */
  readonly [ON_REJECTED_OBJECT]?: (rejected: RejectedObject) => void;
}


function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function checkString(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') throw new TypeError(`watch$: ${name} must be a string`);
}

function checkBoolean(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') throw new TypeError(`watch$: ${name} must be a boolean`);
}

/**
 * Checks a watch's options for combinations that can never work, throwing a `TypeError` (a programmer error)
 * before any request is made.
 */
export function validateWatchOptions(options: WatchOptions, namespaced: boolean): void {
  checkString('labelSelector', options.labelSelector);
  checkString('fieldSelector', options.fieldSelector);
  checkString('resourceVersion', options.resourceVersion);
  checkBoolean('allowBookmarks', options.allowBookmarks);
  checkBoolean('sendInitialEvents', options.sendInitialEvents);
  if (options.onConnected !== undefined && typeof options.onConnected !== 'function') throw new TypeError('watch$: onConnected must be a function');
  if (options.namespace !== undefined && options.namespace !== null) {
    if (typeof options.namespace !== 'string' || options.namespace === '') {
      throw new TypeError('watch$: namespace must be a non-empty string, or null for all namespaces');
    }
    if (!namespaced) throw new TypeError('watch$: a namespace was given for a cluster-scoped resource');
  }
  if (options.sendInitialEvents === true && options.allowBookmarks === false) {
    // The end of the initial events is a bookmark; without bookmarks it can never be recognised.
    throw new TypeError('watch$: sendInitialEvents needs bookmarks (the initial-events-end marker is a BOOKMARK); drop allowBookmarks: false');
  }
  if (options.timeoutSeconds !== undefined && !(options.timeoutSeconds === 0 || isPositiveInteger(options.timeoutSeconds))) {
    throw new TypeError('watch$: timeoutSeconds must be a non-negative integer');
  }
  if (options.maxLineBytes !== undefined && !isPositiveInteger(options.maxLineBytes)) {
    throw new TypeError('watch$: maxLineBytes must be a positive integer');
  }
  if (options.cursor !== undefined && options.resourceVersion !== undefined) {
    throw new TypeError('watch$: give either cursor or resourceVersion, not both (the cursor holds the resourceVersion)');
  }
  if (options.cursor !== undefined && (options.allowBookmarks === false || options.sendInitialEvents === false)) {
    // After a 410 (retryOnGone) the cursor asks for a watch-list: sendInitialEvents=true, which a real server
    // refuses without allowWatchBookmarks=true (apimachinery ValidateListOptions) and whose end marker is a
    // BOOKMARK. Honouring `false` would leave no way to relist; overriding it would ignore an explicit option.
    const option = options.allowBookmarks === false ? 'allowBookmarks' : 'sendInitialEvents';
    throw new TypeError(
      `watch$: a cursor cannot be combined with ${option}: false (after a 410 Gone the cursor relists as a watch-list, ` +
        `which needs sendInitialEvents=true and bookmarks); leave ${option} out, or pass resourceVersion instead of cursor`,
    );
  }
}

/**
 * The query string of a watch request, in a stable order. Reads the cursor, so call it at subscription time.
 */
export function watchQuery(options: WatchOptions): URLSearchParams {
  const query = new URLSearchParams();
  query.set('watch', 'true');
  // cursor.read() counts the read: retryOnGone checks that its source reads the cursor.
  const cursor = options.cursor?.read();
  const initialEventsRequired = cursor?.initialEventsRequired === true;
  if (initialEventsRequired && (options.allowBookmarks === false || options.sendInitialEvents === false)) {
    // validateWatchOptions refuses this at call time; never override an explicit option silently.
    throw new TypeError('watch$: the cursor needs a watch-list (after a 410 Gone) but bookmarks or initial events were turned off');
  }
  const sendInitialEvents = initialEventsRequired ? true : options.sendInitialEvents;
  // After a 410 the old resourceVersion is useless: ask for the current state instead (KEP-3157).
  const resourceVersion = initialEventsRequired ? undefined : (cursor?.resourceVersion ?? options.resourceVersion);
  if (resourceVersion !== undefined) query.set('resourceVersion', resourceVersion);
  if (sendInitialEvents !== undefined) query.set('resourceVersionMatch', 'NotOlderThan');
  // The initial-events-end marker is a bookmark, so a watch-list always asks for bookmarks.
  const allowBookmarks = sendInitialEvents === true ? true : options.allowBookmarks;
  if (allowBookmarks !== undefined) query.set('allowWatchBookmarks', String(allowBookmarks));
  if (sendInitialEvents !== undefined) query.set('sendInitialEvents', String(sendInitialEvents));
  if (options.labelSelector !== undefined) query.set('labelSelector', options.labelSelector);
  if (options.fieldSelector !== undefined) query.set('fieldSelector', options.fieldSelector);
  if (options.timeoutSeconds !== undefined) query.set('timeoutSeconds', String(options.timeoutSeconds));
  return query;
}

import { INITIAL_EVENTS_END_ANNOTATION, type Bookmark } from './codecs.js';

/**
 * The watch event types, as constants. `ERROR` is a wire type only: kubex-rx turns it into a typed error
 * (`StatusError` and subclasses), so a {@link WatchEvent} never has it.
 *
 * @since 0.1.0
 */
export const EventType = {
  /** An object was created, or entered the watched selection. */
  ADDED: 'ADDED',
  /** An object was changed. */
  MODIFIED: 'MODIFIED',
  /** An object was deleted, or left the watched selection. */
  DELETED: 'DELETED',
  /** A progress marker carrying only a resourceVersion (see {@link BookmarkEvent}). */
  BOOKMARK: 'BOOKMARK',
  /** Wire type only: the server sent a `Status` error; kubex-rx raises it as a typed error instead. */
  ERROR: 'ERROR',
} as const;
/** One of the {@link EventType} values. @since 0.1.0 */
export type EventType = (typeof EventType)[keyof typeof EventType];

/**
 * An object was added, modified or deleted. A DELETED event carries the object's last state with the
 * deletion's resourceVersion; an object leaving a selector also arrives as DELETED, one entering it as ADDED.
 *
 * @since 0.1.0
 */
export interface ObjectEvent<T> {
  /** What happened to the object. */
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The decoded object: its new state, or for DELETED its last state. */
  readonly object: T;
}

/**
 * Every change up to `object.metadata.resourceVersion` has been sent. Carries no object state: only the
 * resourceVersion, and the `k8s.io/initial-events-end` annotation on the bookmark that ends a watch-list's
 * initial events (see {@link isInitialEventsEnd}).
 *
 * @since 0.1.0
 */
export interface BookmarkEvent {
  /** Always `BOOKMARK`. */
  readonly type: 'BOOKMARK';
  /** Only `metadata.resourceVersion` and, possibly, the initial-events-end annotation. */
  readonly object: Bookmark;
}

/**
 * One event of a watch: a discriminated union on `type`.
 *
 * @example
 * ```ts
 * pods.watch$().subscribe((e) => {
 *   if (e.type === EventType.BOOKMARK) console.log('at', e.object.metadata.resourceVersion);
 *   else console.log(e.type, e.object.metadata.name);
 * });
 * ```
 * @since 0.1.0
 */
export type WatchEvent<T> = ObjectEvent<T> | BookmarkEvent;

/**
 * Whether an event is the BOOKMARK that ends the initial events of a `sendInitialEvents` watch (annotated
 * `k8s.io/initial-events-end: "true"`). Never "the first bookmark": only the annotation counts.
 *
 * @since 0.1.0
 */
export function isInitialEventsEnd(event: WatchEvent<unknown>): event is BookmarkEvent {
  return event.type === 'BOOKMARK' && event.object.metadata.annotations?.[INITIAL_EVENTS_END_ANNOTATION] === 'true';
}

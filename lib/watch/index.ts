export {
  ObjectMeta,
  KubernetesObject,
  PartialObjectMetadata,
  Bookmark,
  Status,
  StatusCause,
  StatusDetails,
  StringMap,
  WireEvent,
  INITIAL_EVENTS_END_ANNOTATION,
} from './codecs.js';
export { EventType, isInitialEventsEnd, type WatchEvent, type ObjectEvent, type BookmarkEvent } from './watch-event.js';
export { decodeWatchEvent, formatValidationErrors } from './decode-event.js';
export type { RejectedObject } from './rejected-object.js';
export { WatchCursor, type CursorPosition } from './watch-cursor.js';

/** The states of an {@link Informer} (split out of informer.ts), and the BOOKMARK that marks a complete state. */
import { INITIAL_EVENTS_END_ANNOTATION } from '../watch/codecs.js';
import type { BookmarkEvent } from '../watch/watch-event.js';

/**
 * Where an informer is. Every state says whether the store has held the complete state at least once (`synced`).
 *
 * - `idle`: nobody is subscribed; no connection.
 * - `connecting`: a watch (or list) request is on its way.
 * - `syncing`: the initial state is arriving (first connection, or a relist after 410 Gone).
 * - `watching`: in sync, following live changes.
 * - `backingOff`: a transient failure; the next attempt comes after `delay` ms.
 * - `stalled`: the connection went silent (no event or bookmark for the idle timeout); reconnecting after `delay`.
 * - `failed`: an unrecoverable error (401, 403, 404, a decode error with `decodeErrors: 'fail'`); the informer
 *   stopped and its Observables errored. With `namespaces`, a 403 fails the informer only when every namespace
 *   answers it; a forbidden namespace is named in `forbidden` and retries.
 *
 * @since 0.1.0
 */
export type InformerState = (
  | {
      /** Nobody is subscribed; no connection. */
      readonly phase: 'idle';
      /** Whether the store has held the complete state at least once. */
      readonly synced: false;
    }
  | {
      /** A request is on its way (`connecting`), or the initial state is arriving (`syncing`). */
      readonly phase: 'connecting' | 'syncing';
      /** Whether the store has held the complete state at least once. */
      readonly synced: boolean;
    }
  | {
      /** In sync, following live changes. */
      readonly phase: 'watching';
      /** Always true while watching. */
      readonly synced: true;
      /** The resourceVersion the store is at (opaque). */
      readonly resourceVersion: string | undefined;
      /**
       * The bookmark interval the server is measured to keep, in ms (the largest of the last few), from which the
       * idle window is set; absent until two periodic bookmarks have arrived on one connection, and with a fixed
       * `idleTimeout`. A new `watching` state is emitted when it changes. With `namespaces`, each namespace's own
       * state (in `namespaces`) carries its own.
       * @since 0.3.0
       */
      readonly bookmarkInterval?: number;
    }
  | {
      /** Waiting before the next attempt after a transient failure (`backingOff`) or a silent connection (`stalled`). */
      readonly phase: 'backingOff' | 'stalled';
      /** Whether the store has held the complete state at least once. */
      readonly synced: boolean;
      /** 1 for the first retry after a failure, then 2, 3... until the backoff resets. */
      readonly attempt: number;
      /** Milliseconds until the next attempt. */
      readonly delay: number;
      /** What went wrong. */
      readonly error: unknown;
    }
  | {
      /** Stopped by an unrecoverable error; the informer's Observables errored with it. */
      readonly phase: 'failed';
      /** Whether the store had held the complete state at least once. */
      readonly synced: boolean;
      /** The error that ended it. */
      readonly error: unknown;
    }
) & {
  /**
   * With the `namespaces` option (since 0.3.0): the state of each namespace's connection, by namespace. The
   * informer's own phase is `watching` when every namespace not forbidden is watching, else that of the first
   * one that is not; its `resourceVersion` is then `undefined` (each namespace has its own).
   */
  readonly namespaces?: Readonly<Record<string, InformerState>>;
  /**
   * With the `namespaces` option (since 0.3.0): the namespaces whose last attempt was answered 403 Forbidden. They
   * retry with backoff and are left out of `synced` until they answer.
   */
  readonly forbidden?: readonly string[];
};

/** The state of an informer nobody subscribes to. */
export const IDLE: InformerState = { phase: 'idle', synced: false };

/** The BOOKMARK that marks a complete state (the watch-list's initial-events-end marker). */
export function endBookmark(resourceVersion: string | undefined): BookmarkEvent {
  return {
    type: 'BOOKMARK',
    object: { metadata: { resourceVersion: resourceVersion ?? '', annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' } } },
  };
}

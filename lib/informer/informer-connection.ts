/**
 * The connection of an informer: one Observable of watch events that survives everything recoverable (split out of
 * informer.ts). It drives the store's relist framing and the informer's state; applying the events to the store is
 * the informer's part.
 */
import { Observable, asyncScheduler, catchError, concat, defer, from, mergeMap, of, tap, throwError } from 'rxjs';
import type { Log } from '../client/log.js';
import type { ObjectList } from '../api/list.js';
import { DecodeError } from '../errors/kubex-error.js';
import { IdleTimeoutError } from '../errors/resilience-errors.js';
import { GoneError, InvalidError } from '../errors/status-error.js';
import { idleTimeout } from '../operators/idle-timeout.js';
import { reconnectOnTimeout } from '../operators/reconnect-on-timeout.js';
import { retryOnGone } from '../operators/retry-on-gone.js';
import { isTransientError, retryWithBackoff } from '../operators/retry-with-backoff.js';
import { trackBookmarks } from '../operators/track-bookmarks.js';
import type { ObjectStore } from '../store/object-store.js';
import { LineTooLongError } from '../stream/line-too-long-error.js';
import { InvalidUtf8Error } from '../stream/invalid-utf8-error.js';
import { ON_REJECTED_OBJECT, type RejectedObject } from '../watch/rejected-object.js';
import { WatchCursor } from '../watch/watch-cursor.js';
import type { WatchEvent } from '../watch/watch-event.js';
import { expectInitialEventsEnd } from './expect-initial-events-end.js';
import { errorText } from './informer-log.js';
import type { InformerOptions } from './informer-options.js';
import type { InformerObject, InformerSource } from './informer-source.js';
import { transformEvents, transformList } from './transform-events.js';
import { endBookmark, type InformerState } from './informer-state.js';
import { bookmarkIntervalOf, type BookmarkCadence } from './bookmark-cadence.js';

/** What a connection reads and tells of the informer it feeds. */
export interface ConnectionContext<T extends InformerObject> {
  /** The store the events go to: read for its relist framing and position; `beginRelist` is called through {@link beginRelist}. */
  readonly store: ObjectStore<T>;
  /** The namespace this connection watches (`undefined`: the options' or the Api's). */
  readonly namespace?: string | undefined;
  readonly log: Log;
  /** A new state of this connection. */
  setState(state: InformerState): void;
  /** A relist begins: frame it in the store and forget what it rejected. */
  beginRelist(): void;
  /** An object the codec rejected (`decodeErrors: 'skip'`); the cursor is the connection's. */
  reject(cursor: WatchCursor, rejected: RejectedObject): void;
  /** Whether an error, not transient by itself, is retried with backoff (a 403 on one of several namespaces). */
  readonly alsoRetry?: (error: unknown) => boolean;
  /** Where the first connection resumes (a restored checkpoint); `undefined`: it asks for the whole state. */
  readonly resumeFrom?: string | undefined;
  /** Measures the server's bookmark cadence; the idle window follows it. `undefined`: `options.idleTimeout` (fixed or off). */
  readonly cadence?: BookmarkCadence | undefined;
}

/**
 * The connection: a watch-list (`sendInitialEvents`, bookmarks on, random `timeoutSeconds`), {@link trackBookmarks}
 * into a fresh {@link WatchCursor}, {@link idleTimeout}, {@link retryOnGone}, {@link reconnectOnTimeout} and
 * {@link retryWithBackoff}; list + watch for servers that refuse or ignore watch-lists.
 */
export function informerConnection<T extends InformerObject>(api: InformerSource<T>, options: InformerOptions<T>, context: ConnectionContext<T>): Observable<WatchEvent<T>> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const random = options.random ?? Math.random;
  const { store, log } = context;
  const cursor = new WatchCursor(context.resumeFrom === undefined ? {} : { resourceVersion: context.resumeFrom });
  // The first connection asks for the state as a watch-list, unless it resumes a restored state.
  cursor.initialEventsRequired = context.resumeFrom === undefined;
  /** `watchList` until the server shows it cannot serve one (422, or ignoring sendInitialEvents). */
  let mode: 'watchList' | 'listWatch' = 'watchList';
  /** When (scheduler time) the informer fell back to list + watch; the next relist after the interval re-probes. */
  let fellBackAt = 0;
  const reprobeInterval = options.watchListReprobeInterval ?? 600_000;
  /** Watch-lists in a row the server closed before their end marker (errors do not count: they say nothing). */
  let unfinishedWatchLists = 0;
  const decodeErrors = options.decodeErrors ?? 'skip';
  const relistOnDecodeError = decodeErrors !== 'fail';
  const onRejected = decodeErrors === 'skip' ? (rejected: RejectedObject) => context.reject(cursor, rejected) : undefined;
  const rejectedHook = onRejected === undefined ? {} : { [ON_REJECTED_OBJECT]: onRejected };
  // The transform (if any) runs on what the codec accepted, before trackBookmarks and the store see it.
  const { transform } = options;
  const transformed = transform === undefined ? (source: Observable<WatchEvent<T>>) => source : transformEvents(transform, onRejected);
  const transformedList = transform === undefined ? (source: Observable<ObjectList<T>>) => source : transformList(transform, onRejected);
  const beginRelist = (): void => context.beginRelist();
  const timeoutSeconds = (): number => options.timeoutSeconds ?? 300 + Math.floor(random() * 300);
  const namespace = context.namespace ?? options.namespace;
  const selection = { namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, ...rejectedHook };

  // Connected and in sync (not relisting): the informer is watching even if no event comes for a while.
  const { cadence } = context;
  const watchingState = (): InformerState => ({ phase: 'watching', synced: true, resourceVersion: store.resourceVersion, ...bookmarkIntervalOf(cadence) });
  const connected = (): void => {
    if (!store.relisting) context.setState(watchingState());
  };
  const measured = (interval: number): void => {
    log.debug(`the server sends a bookmark every ${interval} ms or so: idle window ${cadence!.idleWindow} ms`);
    if (!store.relisting && store.synced) context.setState(watchingState());
  };
  const watch = (seconds: number): Observable<WatchEvent<T>> =>
    api
      .watch$({ ...selection, cursor, allowBookmarks: true, timeoutSeconds: seconds, maxLineBytes: options.maxLineBytes, onConnected: connected })
      // Each subscription is one connection: the cadence is measured per connection.
      .pipe(cadence ? cadence.measure<T>(measured) : (source) => source, transformed);

  // LIST, then WATCH from the list's resourceVersion (the fallback for servers without WatchList).
  const listThenWatch = (seconds: number): Observable<WatchEvent<T>> =>
    api.list$(selection).pipe(
      transformedList,
      mergeMap((list) => {
        const rv = list.metadata.resourceVersion;
        const added = list.items.map((object): WatchEvent<T> => ({ type: 'ADDED', object }));
        return concat(
          from(added),
          // The end of the listed state, in the watch-list's own terms; trackBookmarks moves the cursor to it.
          of(endBookmark(rv)),
          defer(() => watch(seconds)),
        );
      }),
    );

  /** From now on, (re)list by list + watch; `why` is logged once. */
  const useListWatch = (why: string): void => {
    if (mode === 'listWatch') return;
    mode = 'listWatch';
    fellBackAt = scheduler.now();
    log.info(`${why}; listing then watching${Number.isFinite(reprobeInterval) ? ` (trying a watch-list again after ${reprobeInterval} ms)` : ' from now on'}`);
  };

  const connect = defer((): Observable<WatchEvent<T>> => {
    const relist = cursor.resourceVersion === undefined || cursor.initialEventsRequired;
    context.setState({ phase: relist ? 'syncing' : 'connecting', synced: store.synced });
    const seconds = timeoutSeconds();
    if (!relist) {
      log.debug(`watching from resourceVersion ${cursor.resourceVersion ?? '""'} for ${seconds} s`);
      return watch(seconds);
    }
    beginRelist();
    // A server may have been upgraded (or its WatchList gate turned on) since the fallback: try again now and then.
    if (mode === 'listWatch' && scheduler.now() - fellBackAt >= reprobeInterval) {
      mode = 'watchList';
      unfinishedWatchLists = 0;
      log.info(`trying a watch-list again (${scheduler.now() - fellBackAt} ms after falling back to list + watch)`);
    }
    // Two watch-lists in a row that the server closed before their end marker (a server ignoring
    // sendInitialEvents whose timeout is shorter than initialSyncTimeout): list + watch gets a complete state.
    // Errors (500, network, 429) do not count: a transient failure says nothing about watch-list support.
    if (unfinishedWatchLists >= 2) useListWatch('two watch-lists in a row ended before their initial-events-end bookmark');
    log.debug(mode === 'listWatch' ? 'listing, then watching' : 'watch-list: the current state, then changes');
    if (mode === 'listWatch') return listThenWatch(seconds);
    let ended = false;
    return watch(seconds).pipe(
      tap({
        next: (event) => {
          if (event.type !== 'ADDED') {
            ended = true; // the initial state ended (marker, or live event)
            unfinishedWatchLists = 0;
          }
        },
        complete: () => {
          if (!ended) unfinishedWatchLists++;
        },
      }),
      expectInitialEventsEnd(options.initialSyncTimeout ?? 30_000, scheduler, () => {
        useListWatch(`no initial-events-end bookmark after ${options.initialSyncTimeout ?? 30_000} ms: the server ignores sendInitialEvents`);
        beginRelist();
        return listThenWatch(seconds);
      }, () => {
        // Live events before the marker: the server ignored sendInitialEvents but the legacy watch's initial
        // state is complete; carry on, and relist by list + watch from now on.
        useListWatch('live events before the initial-events-end bookmark: the server ignores sendInitialEvents');
      }),
      catchError((error: unknown) => {
        // 422 on sendInitialEvents or resourceVersionMatch: WatchList disabled, or a server before 1.27 (§1.3).
        if (error instanceof InvalidError && mode === 'watchList') {
          useListWatch(`the server refuses watch-lists (${errorText(error)})`);
          return listThenWatch(seconds);
        }
        return throwError(() => error);
      }),
    );
  });

  const idle = cadence ? () => cadence.idleWindow : (options.idleTimeout ?? false);
  const isDecodeFailure = (error: unknown): boolean => error instanceof DecodeError || error instanceof LineTooLongError || error instanceof InvalidUtf8Error;
  const alsoRetry = context.alsoRetry ?? (() => false);

  return connect.pipe(
    trackBookmarks(cursor),
    idle === false ? (source) => source : idleTimeout<WatchEvent<T>>({ timeout: idle, scheduler }),
    tap({ error: (error: unknown) => error instanceof GoneError && log.info(`${errorText(error)}; relisting`) }),
    // A relist right away; should the server answer 410 again and again, the backoff below paces it.
    retryOnGone(cursor, { scheduler, count: 3 }),
    tap({ complete: () => log.debug('the server ended the watch; reconnecting') }),
    reconnectOnTimeout({ scheduler }),
    retryWithBackoff({
      ...options.backoff,
      scheduler,
      random,
      isRetryable: (error) =>
        isTransientError(error) || error instanceof GoneError || (relistOnDecodeError && isDecodeFailure(error)) || alsoRetry(error),
      onRetry: ({ attempt, delay, error }) => {
        // After a bad line the resume position is untrustworthy: relist, as client-go does on decode errors.
        if (isDecodeFailure(error)) cursor.initialEventsRequired = true;
        log.warn(`${errorText(error)}; ${error instanceof IdleTimeoutError ? 'reconnecting' : 'retrying'} in ${delay} ms (attempt ${attempt})`);
        context.setState({ phase: error instanceof IdleTimeoutError ? 'stalled' : 'backingOff', synced: store.synced, attempt, delay, error });
      },
    }),
  );
}

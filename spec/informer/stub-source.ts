/**
 * The informer specs' stand-in for an `Api`: the public {@link StubApi} of `kubex-rx/testing` (marble-driven
 * `watch$`/`list$` that record each request), under the names and constructor these specs have always used.
 */
import { startWith, type Observable, type SchedulerLike } from 'rxjs';
import type { ObjectList } from '../../lib/api/list.js';
import { connected, objectList, rejected as rejectedEvent, StubApi, type StubWatchStream } from '../../lib/testing/index.js';
import type { Resource } from '../../lib/resource/define-resource.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';
import { pods } from '../operators/watch-events.js';

export type { WatchCall, ListCall } from '../../lib/testing/index.js';

/** Streams whose server "answered 200" at once. */
const answered = new WeakSet<Observable<unknown>>();

/**
 * Marks a watch stream as accepted by the server (HTTP 200 with headers) at subscription, before any event: the
 * stub plays it after the kit's `connected()` marker. Returns the stream itself, so a spec can still assert on its
 * subscriptions.
 */
export function accepted<S extends Observable<unknown>>(stream: S): S {
  answered.add(stream);
  return stream;
}

export class StubSource<T> extends StubApi<T> {
  /**
   * @param watches - the stream each `watch$` subscription plays, in order; one past the end errors.
   * @param lists - the answer each `list$` subscription plays, in order.
   */
  constructor(resource: Resource<T>, scheduler: SchedulerLike, watches: readonly StubWatchStream<T>[], lists: readonly Observable<ObjectList<T>>[] = []) {
    super({ resource, scheduler, watches: watches.map((w) => (answered.has(w) ? w.pipe(startWith(connected())) : w)), lists });
  }
}

/** A list answer, as `list$` emits it. */
export function podList<T>(resourceVersion: string, items: readonly T[]): ObjectList<T> {
  return objectList(resourceVersion, items, pods);
}

/** A watch event whose object the codec "rejects", with `errors` as its io-ts messages (see `rejected` of the kit). */
export function rejected<E extends WatchEvent<unknown>>(event: E, errors: readonly string[] = ['spec.replicas: expected number, got "3"']): E {
  return rejectedEvent(event, errors);
}

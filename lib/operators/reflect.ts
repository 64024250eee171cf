import { Observable, type OperatorFunction } from 'rxjs';
import { ObjectStore } from '../store/object-store.js';
import type { ObjectMeta } from '../watch/codecs.js';
import type { WatchEvent } from '../watch/watch-event.js';

/**
 * Folds a watch into a store: emits an immutable `ReadonlyMap` of the objects keyed by `namespace/name`, first when
 * the initial state is complete (the BOOKMARK annotated `k8s.io/initial-events-end`, or the first
 * MODIFIED/DELETED/BOOKMARK of a legacy watch), then after every event that changed it.
 *
 * The subscription starts a relist: objects the store held that are not re-announced by the time the initial
 * state ends are removed (objects deleted while disconnected). Completes and errors with the source; unsubscribing
 * unsubscribes the source. Each subscription has its own store.
 *
 * For a store that survives reconnections and relists of a resilient watch, use the informer (`api.informer()`),
 * whose store$ is this fold over the whole life of the watch.
 *
 * @example
 * ```ts
 * pods.watch$({ sendInitialEvents: true }).pipe(reflect()).subscribe((store) => console.log(store.size, 'pods'));
 * ```
 * @since 0.1.0
 */
export function reflect<
  T extends {
    /** The name and namespace give the object's store key (see `objectKey`). */
    readonly metadata?: Pick<ObjectMeta, 'name' | 'namespace'> | undefined;
  },
>(): OperatorFunction<
  WatchEvent<T>,
  ReadonlyMap<string, T>
> {
  return (source) =>
    new Observable<ReadonlyMap<string, T>>((subscriber) => {
      const store = new ObjectStore<T>();
      store.beginRelist();
      return source.subscribe({
        next: (event) => {
          const wasRelisting = store.relisting;
          const changes = store.apply(event);
          // Nothing is emitted while a relist is in progress: a half-filled store would mislead.
          if (store.relisting) return;
          if (wasRelisting || changes.length > 0) subscriber.next(store.snapshot());
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

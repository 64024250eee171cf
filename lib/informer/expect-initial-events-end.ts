import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { isInitialEventsEnd, type WatchEvent } from '../watch/watch-event.js';

/**
 * Watches a watch-list for its initial-events-end marker. If no event arrives for `timeout` ms before the marker,
 * the server is taken to ignore `sendInitialEvents`: the source is dropped for `fallback()`. If a live event
 * (MODIFIED, DELETED, or an unannotated BOOKMARK) comes before the marker, the server ignored it too, but its
 * legacy initial state is complete: `onIgnored()` is told and the stream goes on. (The informer's, split out of
 * informer.ts; marble-tested through spec/informer/informer.spec.ts.)
 * @internal
 */
export function expectInitialEventsEnd<T>(
  timeout: number,
  scheduler: SchedulerLike,
  fallback: () => Observable<WatchEvent<T>>,
  onIgnored: () => void,
): MonoTypeOperatorFunction<WatchEvent<T>> {
  return (source) =>
    new Observable<WatchEvent<T>>((subscriber) => {
      let waiting = true;
      let timer: Subscription | undefined;
      let sourceSubscription: Subscription | undefined;
      const arm = (): void => {
        timer?.unsubscribe();
        timer = scheduler.schedule(() => {
          if (!waiting) return;
          waiting = false;
          sourceSubscription?.unsubscribe();
          subscriber.add(fallback().subscribe(subscriber));
        }, timeout);
      };
      arm();
      sourceSubscription = source.subscribe({
        next: (event) => {
          if (waiting) {
            if (isInitialEventsEnd(event)) {
              waiting = false;
              timer?.unsubscribe();
            } else if (event.type !== 'ADDED') {
              waiting = false;
              timer?.unsubscribe();
              onIgnored();
            } else {
              arm();
            }
          }
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        timer?.unsubscribe();
        sourceSubscription?.unsubscribe();
      };
    });
}

import { NgZone, inject } from '@angular/core';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Subscribes to the source outside the Angular zone and delivers its notifications inside it.
 *
 * A watch never ends: read inside the zone, each chunk of its body, each idle/backoff timer of an informer would
 * be a zone task, so zone.js apps would run change detection for every chunk and never become stable
 * (`ApplicationRef.isStable`, which hydration, service workers and end-to-end tests wait for). Outside the zone
 * the connection, the body reads and the timers are invisible to Angular; every value, error and completion is
 * re-entered with `NgZone.run`, so bindings (async pipe, `toSignal`) update as usual. No `PendingTasks` are held.
 * In zoneless apps `NgZone` is a no-op and this operator changes nothing, so it is safe to use everywhere.
 *
 * Emits what the source emits; completes and errors with it; unsubscribing unsubscribes from the source (for a
 * watch: aborts the request).
 *
 * @param zone - the zone; default `inject(NgZone)`, which needs an injection context (a constructor, a field
 *   initializer, a provider factory, `runInInjectionContext`).
 * @example
 * ```ts
 * readonly events = toSignal(injectApi(Pod).watch$().pipe(outsideZone()));
 * ```
 * @since 0.1.0
 */
export function outsideZone<T>(zone: NgZone = inject(NgZone)): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const subscription = zone.runOutsideAngular(() =>
        source.subscribe({
          next: (value) => zone.run(() => subscriber.next(value)),
          error: (error: unknown) => zone.run(() => subscriber.error(error)),
          complete: () => zone.run(() => subscriber.complete()),
        }),
      );
      // Teardown (aborting a fetch, clearing timers) needs no change detection either.
      return () => zone.runOutsideAngular(() => subscription.unsubscribe());
    });
}

/** Helpers of the informer specs for event origins (this branch's own; stub-source.ts stays as it is). */
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';

/** The event without its origin: the specs written before origins compare plain watch events. */
export function withoutOrigin<T>(event: InformerEvent<T>): WatchEvent<T> {
  const { origin: _origin, ...rest } = event;
  return rest as WatchEvent<T>;
}

/** The event with an origin, as the informer emits it. */
export function from<T>(origin: InformerEvent<T>['origin'], event: WatchEvent<T>): InformerEvent<T> {
  return { ...event, origin } as InformerEvent<T>;
}

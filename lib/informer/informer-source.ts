/**
 * The types an informer shares with its source. Their own module so that `api/api.ts` (whose `api.informer()`
 * builds an {@link Informer}) and `informer/informer.ts` (which lists and watches through an Api) do not import
 * each other: an {@link InformerSource} is written out here rather than picked from `Api`.
 */
import type { Observable } from 'rxjs';
import type { ListOptions, ObjectList } from '../api/list.js';
import type { WatchOptions } from '../api/watch-options.js';
import type { KubeClient } from '../client/kube-client.js';
import type { Resource } from '../resource/define-resource.js';
import type { ObjectMeta } from '../watch/codecs.js';
import type { WatchEvent } from '../watch/watch-event.js';

/** What an informer needs of its objects: their metadata. */
export type InformerObject = {
  /** Name and namespace key the object in the store; its resourceVersion tells a relist whether it changed. */
  readonly metadata?: Pick<ObjectMeta, 'name' | 'namespace' | 'resourceVersion'> | undefined;
};

/**
 * What an informer watches and lists through: an {@link Api} (or anything with its `resource`, `watch$` and
 * `list$`, e.g. a stub in a marble test). With the Api's `client` (and `namespace`), the informer reports its
 * reconnections, relists and backoffs to the client's logger (since 0.2.0).
 * @since 0.1.0
 */
export interface InformerSource<T> {
  /** The resource type watched and listed. */
  readonly resource: Resource<T>;
  /** Watches the resource, as {@link Api.watch$}. */
  watch$(options?: WatchOptions): Observable<WatchEvent<T>>;
  /** Lists one page of the resource, as {@link Api.list$}. */
  list$(options?: ListOptions): Observable<ObjectList<T>>;
  /** The client whose logger the informer reports to; without it the informer logs nothing. */
  readonly client?: KubeClient;
  /** The default namespace, as {@link Api.namespace}: named in the informer's log lines. */
  readonly namespace?: string | undefined;
}

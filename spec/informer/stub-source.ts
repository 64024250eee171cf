/**
 * A stand-in for an `Api` in the informer's marble tests: `watch$` and `list$` play cold marble Observables from the
 * TestScheduler, one per call, and record what each call was asked (the options, what the cursor said at call time,
 * and the virtual time of the call). No HTTP, no fetch: the informer's pipeline alone, in virtual time.
 */
import { defer, filter, type Observable, type SchedulerLike } from 'rxjs';
import { DecodeError } from '../../lib/errors/kubex-error.js';
import { ON_REJECTED_OBJECT, rejectedObject } from '../../lib/watch/rejected-object.js';
import type { ListOptions, ObjectList } from '../../lib/api/list.js';
import { ON_WATCH_CONNECTED, type WatchOptions } from '../../lib/api/watch-options.js';
import type { InformerSource } from '../../lib/informer/informer.js';
import type { Resource } from '../../lib/resource/define-resource.js';
import { noteCursorRead } from '../../lib/watch/watch-cursor.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';
import { snapshot, type CursorSnapshot } from '../operators/watch-events.js';

/** One `watch$` call. */
export interface WatchCall {
  /** Virtual time of the call (the informer calls `watch$` inside `defer`: at each (re)connection). */
  readonly at: number;
  /** What `options.cursor` said at call time (what the real `watch$` would put in the query). */
  readonly cursor: CursorSnapshot | undefined;
  readonly options: WatchOptions;
}

/** One `list$` call. */
export interface ListCall {
  readonly at: number;
  readonly options: ListOptions;
}

/** Streams whose server "answered 200" at once: the stub tells the informer (as the real `watch$` does on headers). */
const answered = new WeakSet<Observable<unknown>>();

/** Marks a watch stream as accepted by the server (HTTP 200 with headers) at subscription, before any event. */
export function accepted<S extends Observable<unknown>>(stream: S): S {
  answered.add(stream);
  return stream;
}

export class StubSource<T> implements InformerSource<T> {
  readonly watchCalls: WatchCall[] = [];
  readonly listCalls: ListCall[] = [];

  /**
   * @param watches - the stream each `watch$` call plays, in call order; a call past the end is a test bug and
   *   errors (so the informer fails, visibly in the marbles).
   * @param lists - the answer each `list$` call plays, in call order.
   */
  constructor(
    readonly resource: Resource<T>,
    private readonly scheduler: SchedulerLike,
    private readonly watches: readonly Observable<WatchEvent<T>>[],
    private readonly lists: readonly Observable<ObjectList<T>>[] = [],
  ) {}

  watch$(options: WatchOptions = {}): Observable<WatchEvent<T>> {
    const n = this.watchCalls.length;
    if (options.cursor !== undefined) noteCursorRead(options.cursor); // as watchQuery does (retryOnGone checks it)
    this.watchCalls.push({ at: this.scheduler.now(), cursor: options.cursor && snapshot(options.cursor), options });
    const stream = this.watches[n];
    if (stream === undefined) throw new Error(`stub: unexpected watch$ call #${n + 1} at ${this.scheduler.now()} ms`);
    return defer(() => {
      if (answered.has(stream)) options[ON_WATCH_CONNECTED]?.();
      const onRejected = options[ON_REJECTED_OBJECT];
      // A rejected() event: what the real watch$ does with an object its codec rejects (report it, or fail).
      return stream.pipe(
        filter((event) => {
          const error = rejections.get(event as object);
          if (error === undefined) return true;
          if (onRejected === undefined) throw error;
          onRejected(rejectedObject(event.type as 'ADDED' | 'MODIFIED' | 'DELETED', event.object, error));
          return false;
        }),
      );
    });
  }

  list$(options: ListOptions = {}): Observable<ObjectList<T>> {
    const n = this.listCalls.length;
    this.listCalls.push({ at: this.scheduler.now(), options });
    const answer = this.lists[n];
    if (answer === undefined) throw new Error(`stub: unexpected list$ call #${n + 1} at ${this.scheduler.now()} ms`);
    return answer;
  }
}

/** A list answer, as `list$` emits it. */
export function podList<T>(resourceVersion: string, items: readonly T[]): ObjectList<T> {
  return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion }, items };
}

const rejections = new WeakMap<object, DecodeError>();

/**
 * A watch event whose object the codec "rejects": the stub reports it through the informer's hook (as the real
 * `watch$` does with `decodeErrors: 'skip'`) or fails with a `DecodeError`, carrying `errors` as its io-ts messages.
 */
export function rejected<E extends WatchEvent<unknown>>(event: E, errors: readonly string[] = ['spec.replicas: expected number, got "3"']): E {
  const copy = { ...event };
  rejections.set(copy, new DecodeError(`${event.type} event object does not match Pod`, JSON.stringify(event), errors));
  return copy;
}

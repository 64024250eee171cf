/**
 * Realistic watch events for the operator marble tests: Pods as the API server sends them, bookmarks as the
 * cacher builds them (a skeleton of the watched kind, kubernetes-watch-protocol.md §3.1), and a recording source
 * that logs what the cursor said at each subscription.
 */
import { defer, type Observable } from 'rxjs';
import { INITIAL_EVENTS_END_ANNOTATION, type Bookmark, type KubernetesObject } from '../../lib/watch/codecs.js';
import { noteCursorRead, type WatchCursor } from '../../lib/watch/watch-cursor.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';

export type Pod = KubernetesObject;
export type PodEvent = WatchEvent<Pod>;

export function pod(name: string, resourceVersion: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion, creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    status: { phase: 'Running' },
  };
}

export const added = (name: string, rv: string): PodEvent => ({ type: 'ADDED', object: pod(name, rv) });
export const modified = (name: string, rv: string): PodEvent => ({ type: 'MODIFIED', object: pod(name, rv) });
export const deleted = (name: string, rv: string): PodEvent => ({ type: 'DELETED', object: pod(name, rv) });

/** A periodic BOOKMARK: a Pod skeleton with only the resourceVersion (and the zero-valued fields a real one has). */
export function bookmark(rv: string): PodEvent {
  const object = { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: rv }, spec: { containers: null }, status: {} };
  return { type: 'BOOKMARK', object: object as Bookmark };
}

/** The BOOKMARK annotated `k8s.io/initial-events-end: "true"` that ends a watch-list's initial events (KEP-3157). */
export function initialEventsEnd(rv: string): PodEvent {
  const object = { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: rv, annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' } }, spec: { containers: null }, status: {} };
  return { type: 'BOOKMARK', object: object as Bookmark };
}

export interface CursorSnapshot {
  readonly resourceVersion: string | undefined;
  readonly initialEventsRequired: boolean;
}

export const snapshot = (cursor: WatchCursor): CursorSnapshot => ({
  resourceVersion: cursor.resourceVersion,
  initialEventsRequired: cursor.initialEventsRequired,
});

/**
 * Stands in for `watch$({ cursor })`: reads the cursor at each subscription (as `watchQuery` does), records it in
 * `seen`, and plays the next of `streams` (the last one again when they run out).
 */
export function recordingSource<T>(cursor: WatchCursor, streams: readonly Observable<T>[]): { source: Observable<T>; seen: CursorSnapshot[] } {
  const seen: CursorSnapshot[] = [];
  const source = defer(() => {
    noteCursorRead(cursor); // as watchQuery does: retryOnGone checks that the source reads the cursor
    seen.push(snapshot(cursor));
    const stream = streams[Math.min(seen.length, streams.length) - 1];
    if (stream === undefined) throw new Error('recordingSource needs at least one stream');
    return stream;
  });
  return { source, seen };
}

/**
 * Realistic watch events for the operator marble tests, built with the public kit of `kubex-rx/testing`: Pods as
 * the API server sends them, bookmarks as the cacher builds them (a skeleton of the watched kind,
 * kubernetes-watch-protocol.md §3.1), and a recording source that logs what the cursor said at each subscription.
 */
import { defer, type Observable } from 'rxjs';
import * as kit from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import type { CursorPosition, WatchCursor } from '../../lib/watch/watch-cursor.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';

export type Pod = KubernetesObject;
export type PodEvent = WatchEvent<Pod>;

/** Pods in `default`, as a real server sends them; their bookmarks carry the zero-valued fields a real one has. */
export const pods = kit.testObjects<Pod>(
  { apiVersion: 'v1', kind: 'Pod', bookmarkFields: { spec: { containers: null }, status: {} } },
  { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] }, status: { phase: 'Running' } },
);

export function pod(name: string, resourceVersion: string): Pod {
  return pods(name, resourceVersion);
}

export const added = (name: string, rv: string): PodEvent => kit.added(pod(name, rv));
export const modified = (name: string, rv: string): PodEvent => kit.modified(pod(name, rv));
export const deleted = (name: string, rv: string): PodEvent => kit.deleted(pod(name, rv));

/** A periodic BOOKMARK: a Pod skeleton with only the resourceVersion (and the zero-valued fields a real one has). */
export const bookmark = (rv: string): PodEvent => kit.bookmark(rv, pods);

/** The BOOKMARK annotated `k8s.io/initial-events-end: "true"` that ends a watch-list's initial events (KEP-3157). */
export const initialEventsEnd = (rv: string): PodEvent => kit.initialEventsEnd(rv, pods);

export type CursorSnapshot = CursorPosition;

/** What the cursor says now, without counting a read (for assertions). */
export const snapshot = (cursor: WatchCursor): CursorSnapshot => ({
  resourceVersion: cursor.resourceVersion,
  initialEventsRequired: cursor.initialEventsRequired,
});

/**
 * Stands in for `watch$({ cursor })`: reads the cursor at each subscription (`cursor.read()`, as `watch$` does),
 * records it in `seen`, and plays the next of `streams` (the last one again when they run out).
 */
export function recordingSource<T>(cursor: WatchCursor, streams: readonly Observable<T>[]): { source: Observable<T>; seen: CursorSnapshot[] } {
  const seen: CursorSnapshot[] = [];
  const source = defer(() => {
    seen.push(cursor.read()); // counted: retryOnGone checks that the source reads the cursor
    const stream = streams[Math.min(seen.length, streams.length) - 1];
    if (stream === undefined) throw new Error('recordingSource needs at least one stream');
    return stream;
  });
  return { source, seen };
}

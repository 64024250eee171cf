/**
 * Builders of watch events and test objects for marble tests of a user's own pipeline (`kubex-rx/testing`): the
 * shapes a real API server sends, for any kind, so a test needs no HTTP and no copy of kubex-rx's spec helpers.
 *
 * Bookmarks are built as the API server's watch cache builds them (kubernetes-watch-protocol.md §3.1;
 * k8s.io/apiserver `storage/cacher`: `Cacher.dispatchEvents` makes the bookmark's object with `c.newFunc()`, an
 * empty object of the watched kind, and sets only its resourceVersion): a skeleton of the kind, with the
 * zero-valued fields its Go struct serializes (`"spec":{"containers":null}` for a Pod), never a real object.
 */
import type { ObjectList } from '../../api/list.js';
import { INITIAL_EVENTS_END_ANNOTATION, type Bookmark } from '../../watch/codecs.js';
import type { WatchEvent } from '../../watch/watch-event.js';

/**
 * The kind of test objects and bookmarks: a `Resource` (from `defineResource` or the generated models), a
 * {@link TestObjects} maker, or a plain `{ apiVersion, kind }`.
 * @since 0.3.0
 */
export interface TestKind {
  /** `v1`, `apps/v1`, `example.com/v1`. */
  readonly apiVersion: string;
  /** `Pod`, `Widget`. */
  readonly kind: string;
  /** Whether objects of the kind live in a namespace; `false` makes {@link testObjects} leave the namespace out. */
  readonly namespaced?: boolean;
  /**
   * The zero-valued fields the server's bookmark skeleton of this kind carries besides `kind`, `apiVersion` and
   * `metadata` (a Pod's is `{ spec: { containers: null }, status: {} }`). Default: none.
   */
  readonly bookmarkFields?: Readonly<Record<string, unknown>>;
}

/** Per-object options of a {@link TestObjects} maker. @since 0.3.0 */
export interface TestObjectOptions {
  /** The object's namespace; `null` for none. Default: the maker's (`default` for a namespaced kind). */
  readonly namespace?: string | null;
  /** `metadata.labels`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `metadata.annotations`. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** `metadata.uid`. Default: `uid-<name>`, the same for every version of the object (as a real server keeps it). */
  readonly uid?: string;
}

/**
 * Makes objects of one kind: `make('web-0', '5')` is the template with `metadata` set to the name, namespace,
 * uid, resourceVersion and a fixed `creationTimestamp`. Also a {@link TestKind}, so it names the kind of
 * {@link bookmark}, {@link initialEventsEnd} and {@link objectList}.
 * @since 0.3.0
 */
export interface TestObjects<T> extends TestKind {
  (name: string, resourceVersion: string, options?: TestObjectOptions): T;
}

/** The fixed `creationTimestamp` of test objects: a constant, so snapshots and deep equality stay stable. */
const CREATED = '2025-01-01T00:00:00Z';

/**
 * A maker of test objects of your own type. The template is the object without `apiVersion`, `kind` and
 * `metadata` (its `spec`, `status`, ...); every call copies it, so a test may change one object freely.
 *
 * @param kind - a `Resource` (its `T` is then inferred), a maker, or `{ apiVersion, kind, namespaced?, bookmarkFields? }`.
 * @param template - the rest of the object. `{}` when the type has nothing else required.
 * @param defaults - `namespace`: of every object unless a call says otherwise (default `default` for a namespaced
 *   kind, none when `kind.namespaced` is `false`).
 * @example
 * ```ts
 * const widget = testObjects<Widget>({ apiVersion: 'example.com/v1', kind: 'Widget' }, { spec: { size: 1 } });
 * const a5 = widget('a', '5');                          // Widget a in namespace default at resourceVersion 5
 * const b6 = { ...widget('b', '6', { labels: { tier: 'web' } }), spec: { size: 3 } };
 * ```
 * @since 0.3.0
 */
export function testObjects<T>(kind: TestKind & { readonly codec?: { readonly _A: T } }, template: Omit<T, 'apiVersion' | 'kind' | 'metadata'>, defaults: { readonly namespace?: string | null } = {}): TestObjects<T> {
  const namespace = defaults.namespace !== undefined ? defaults.namespace : kind.namespaced === false ? null : 'default';
  const make = (name: string, resourceVersion: string, options: TestObjectOptions = {}): T => {
    const ns = options.namespace !== undefined ? options.namespace : namespace;
    const metadata = {
      name,
      ...(ns === null ? {} : { namespace: ns }),
      uid: options.uid ?? `uid-${name}`,
      resourceVersion,
      creationTimestamp: CREATED,
      ...(options.labels === undefined ? {} : { labels: { ...options.labels } }),
      ...(options.annotations === undefined ? {} : { annotations: { ...options.annotations } }),
    };
    // structuredClone: a test that mutates one object (a nested spec field) must not change the others.
    return { apiVersion: kind.apiVersion, kind: kind.kind, metadata, ...structuredClone(template) } as T;
  };
  return Object.assign(make, {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    namespaced: kind.namespaced !== false,
    ...(kind.bookmarkFields === undefined ? {} : { bookmarkFields: kind.bookmarkFields }),
  });
}

/**
 * An `ADDED` event: the object was created, or entered the watched selection, or is part of the initial state.
 * @since 0.3.0
 */
export function added<T>(object: T): WatchEvent<T> {
  return { type: 'ADDED', object };
}

/** A `MODIFIED` event: the object's new state. @since 0.3.0 */
export function modified<T>(object: T): WatchEvent<T> {
  return { type: 'MODIFIED', object };
}

/**
 * A `DELETED` event: the object's last state (a real server sends it with the deletion's resourceVersion, so
 * give the object a newer one than its last change).
 * @since 0.3.0
 */
export function deleted<T>(object: T): WatchEvent<T> {
  return { type: 'DELETED', object };
}

function skeleton(resourceVersion: string, kind: TestKind, annotations?: Record<string, string>): Bookmark {
  const metadata = annotations === undefined ? { resourceVersion } : { resourceVersion, annotations };
  return { kind: kind.kind, apiVersion: kind.apiVersion, metadata, ...structuredClone(kind.bookmarkFields ?? {}) } as Bookmark;
}

/**
 * A periodic `BOOKMARK` (sent with `allowWatchBookmarks=true`, about once a minute by a real server): every change
 * up to `resourceVersion` was sent. Its object is the cacher's skeleton of the kind, with only the resourceVersion.
 *
 * @param kind - the watched kind: a `Resource`, a {@link TestObjects} maker or `{ apiVersion, kind }`.
 * @example
 * ```ts
 * cold('a-b', { a: added(widget('a', '5')), b: bookmark('9', widget) });
 * ```
 * @since 0.3.0
 */
export function bookmark<T = never>(resourceVersion: string, kind: TestKind): WatchEvent<T> {
  return { type: 'BOOKMARK', object: skeleton(resourceVersion, kind) };
}

/**
 * The `BOOKMARK` annotated `k8s.io/initial-events-end: "true"` that ends a watch-list's initial state (KEP-3157,
 * `sendInitialEvents=true`): what `trackBookmarks` and the informer wait for to call the state complete.
 * @since 0.3.0
 */
export function initialEventsEnd<T = never>(resourceVersion: string, kind: TestKind): WatchEvent<T> {
  return { type: 'BOOKMARK', object: skeleton(resourceVersion, kind, { [INITIAL_EVENTS_END_ANNOTATION]: 'true' }) };
}

/**
 * A list response as `list$` emits it (`<Kind>List`, one page): what a `StubApi` `list$` call answers.
 * @since 0.3.0
 */
export function objectList<T>(resourceVersion: string, items: readonly T[], kind: TestKind): ObjectList<T> {
  return { apiVersion: kind.apiVersion, kind: `${kind.kind}List`, metadata: { resourceVersion }, items };
}

/**
 * Event origins over real loopback HTTP against the FakeApiServer (issue #14): the first state and its marker are
 * `initial`, changes seen as they happen are `live`, and after the history the informer would resume from expired
 * (410), the relist's changes, the synthetic DELETED of what vanished meanwhile and its marker are `relist`.
 */
import { describe, expect, it } from '@jest/globals';
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import { testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { isInitialEventsEnd } from '../../lib/watch/watch-event.js';
import { podsOnFakeServer } from './pods-on-fake-server.js';
import { waitUntil } from './wait-until.js';

const { Pod } = testResources;
const env = podsOnFakeServer();

const pod = (name: string): { metadata: object } => ({ metadata: { name, namespace: 'default' } });

/** `origin TYPE name` of an event; END for the initial-events-end marker; periodic bookmarks left out. */
const brief = (e: InformerEvent<KubernetesObject>): string | undefined =>
  e.type === 'BOOKMARK' ? (isInitialEventsEnd(e) ? `${e.origin} END` : undefined) : `${e.origin} ${e.type} ${e.object.metadata.name}`;

describe('informer event origin over HTTP', () => {
  it('marks the first state initial, changes live, and a relist after 410 (synthetic DELETED included) relist', async () => {
    env.server.create(Pod, pod('a'));
    env.server.create(Pod, pod('b'));
    const informer = env.pods.informer({ backoff: { initialDelay: 20, maxDelay: 200 }, random: () => 0.5 });
    const events: InformerEvent<KubernetesObject>[] = [];
    env.track(informer.events$.subscribe((e) => events.push(e)));
    const seen = (): string[] => events.map(brief).filter((s): s is string => s !== undefined);
    await waitUntil(() => seen().includes('initial END'), 'the initial state');
    expect(seen()).toEqual(['initial ADDED a', 'initial ADDED b', 'initial END']);

    env.server.create(Pod, pod('live'));
    await waitUntil(() => seen().length === 4, 'the live change');
    expect(seen()[3]).toBe('live ADDED live');
    // Periodic bookmarks are live too (the server sends one when its resourceVersion has moved).
    env.server.burnRevisions(2);
    env.server.sendBookmarks();
    await waitUntil(() => events.some((e) => e.type === 'BOOKMARK' && !isInitialEventsEnd(e)), 'a periodic bookmark');
    const periodic = events.filter((e): boolean => e.type === 'BOOKMARK' && !isInitialEventsEnd(e));
    expect(new Set(periodic.map((e) => e.origin))).toEqual(new Set(['live']));

    // Cut the informer off, change the world behind its back, and let the history it would resume from expire.
    env.server.stallWatches();
    env.server.delete(Pod, 'b', 'default');
    env.server.create(Pod, pod('c'));
    expect(env.server.dropConnections()).toBe(1);
    env.server.compact();
    env.server.resumeWatches();
    await waitUntil(() => seen().includes('relist END'), 'the relist');
    expect(seen().slice(4)).toEqual(['relist ADDED c', 'relist DELETED b', 'relist END']);

    env.server.create(Pod, pod('d'));
    await waitUntil(() => seen().includes('live ADDED d'), 'a live change after the relist');

    // A late subscriber gets the store as initial, then its marker.
    const late: InformerEvent<KubernetesObject>[] = [];
    env.track(informer.events$.subscribe((e) => late.push(e)));
    expect(late.map(brief)).toEqual(['initial ADDED a', 'initial ADDED live', 'initial ADDED c', 'initial ADDED d', 'initial END']);
  });
});

/**
 * Several namespaces, one informer, over real loopback HTTP against the FakeApiServer (issue #14), with RBAC that
 * forbids one of them: the FakeApiServer authenticates the client's bearer token and its authorizer denies the user
 * everything in team-b (403 with the real Status). The informer syncs team-a and default without it, names team-b
 * as forbidden, keeps retrying it with backoff, and takes it in once the user is allowed.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { ForbiddenError } from '../../lib/errors/status-error.js';
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import type { InformerState } from '../../lib/informer/informer.js';
import { FakeApiServer, testResources, type AuthorizationAttributes } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';
import { isInitialEventsEnd } from '../../lib/watch/watch-event.js';
import { waitUntil } from './wait-until.js';

const { Pod, Namespace } = testResources;
let server: FakeApiServer;
let pods: Api<KubernetesObject>;
const subscriptions: Subscription[] = [];
/** The namespaces where the user `web` is denied everything. */
const denied = new Set<string>(['team-b']);
const asked: AuthorizationAttributes[] = [];

beforeEach(async () => {
  denied.clear();
  denied.add('team-b');
  asked.length = 0;
  server = await FakeApiServer.start({
    bookmarkIntervalMs: 100,
    auth: {
      tokens: { 'token-web': 'web' },
      authorize: (attributes) => {
        asked.push(attributes);
        return attributes.namespace === undefined || !denied.has(attributes.namespace);
      },
    },
  });
  for (const name of ['team-a', 'team-b']) server.create(Namespace, { metadata: { name } });
  pods = new Api(Pod, { client: await createClient({ server: server.url, token: 'token-web' }) });
});

afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
  await server.close();
});

const pod = (namespace: string, name: string) => ({ metadata: { name, namespace } });

describe('informer with several namespaces over HTTP', () => {
  it('syncs the allowed namespaces when one is forbidden (403), names it, retries it, and takes it in once allowed', async () => {
    server.create(Pod, pod('team-a', 'web-0'));
    server.create(Pod, pod('team-b', 'api-0'));
    server.create(Pod, pod('default', 'tool-0'));
    const informer = pods.informer({ namespaces: ['team-a', 'team-b', 'default'], backoff: { initialDelay: 50, maxDelay: 100 }, random: () => 0.5 });
    const events: InformerEvent<KubernetesObject>[] = [];
    const states: InformerState[] = [];
    let store: ReadonlyMap<string, KubernetesObject> = new Map();
    let error: unknown;
    subscriptions.push(informer.events$.subscribe({ next: (e) => events.push(e), error: (e: unknown) => (error = e) }));
    subscriptions.push(informer.store$.subscribe((s) => (store = s)));
    subscriptions.push(informer.state$.subscribe((s) => states.push(s)));

    await waitUntil(() => informer.state.phase === 'watching', 'watching without team-b');
    expect([...store.keys()].sort()).toEqual(['default/tool-0', 'team-a/web-0']);
    expect(informer.state).toMatchObject({ phase: 'watching', synced: true, forbidden: ['team-b'] });
    const teamB = informer.state.namespaces?.['team-b'];
    expect(teamB).toMatchObject({ phase: 'backingOff' });
    expect(teamB !== undefined && 'error' in teamB && teamB.error).toBeInstanceOf(ForbiddenError);
    expect(events.filter((e) => isInitialEventsEnd(e)).map((e) => e.origin)).toEqual(['initial']);
    // The server really refused: a watch of team-b by user web, answered 403, and tried again.
    const teamBWatches = (): AuthorizationAttributes[] => asked.filter((a) => a.namespace === 'team-b' && a.verb === 'watch' && a.user.username === 'web');
    await waitUntil(() => teamBWatches().length >= 2, 'team-b retried');
    expect(server.requests.filter((r) => r.path === '/api/v1/namespaces/team-b/pods').length).toBeGreaterThanOrEqual(2);
    // team-a and default live on meanwhile.
    server.create(Pod, pod('team-a', 'web-1'));
    await waitUntil(() => store.has('team-a/web-1'), 'a live change in team-a');

    denied.delete('team-b'); // RBAC granted
    await waitUntil(() => store.has('team-b/api-0') && (informer.state.forbidden ?? []).length === 0, 'team-b taken in');
    expect([...store.keys()].sort()).toEqual(['default/tool-0', 'team-a/web-0', 'team-a/web-1', 'team-b/api-0']);
    expect(events.find((e) => e.type === 'ADDED' && e.object.metadata.name === 'api-0')?.origin).toBe('initial');
    expect(error).toBeUndefined();
    expect(states.some((s) => s.phase === 'failed')).toBe(false);
  });

  it('fails with the 403 when every namespace is forbidden', async () => {
    denied.add('team-a');
    const informer = pods.informer({ namespaces: ['team-a', 'team-b'], backoff: { initialDelay: 50, maxDelay: 100 } });
    let error: unknown;
    subscriptions.push(informer.events$.subscribe({ error: (e: unknown) => (error = e) }));
    await waitUntil(() => error !== undefined, 'the failure');
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(informer.state).toMatchObject({ phase: 'failed' });
  });
});

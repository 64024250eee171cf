/**
 * What an informer reports to its client's logger, over real loopback HTTP against the FakeApiServer: its syncs,
 * reconnections, relists after 410, backoffs and a terminal failure, each line naming what the informer follows.
 */
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { Subscription } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import type { Logger } from '../../lib/client/logger.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import type { KubernetesObject } from '../../lib/watch/codecs.js';

const { Pod } = testResources;
let server: FakeApiServer;
let pods: Api<KubernetesObject>;
let lines: string[];
let subscription: Subscription | undefined;

beforeEach(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 100 });
  lines = [];
  const at = (level: string) => (message: string): void => void lines.push(`${level} ${message}`);
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  pods = new Api(Pod, { client: await createClient({ server: server.url, logger }), namespace: 'default' });
  server.create(Pod, { metadata: { name: 'a', namespace: 'default' } });
});
afterEach(async () => {
  subscription?.unsubscribe();
  await server.close();
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms; logged:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The informer's own lines (requests are the client's), without the name prefix. */
const informerLines = (): string[] => lines.filter((l) => l.includes('informer pods in default (app=web): ')).map((l) => l.replace('informer pods in default (app=web): ', ''));
const logged = (pattern: RegExp): boolean => informerLines().some((l) => pattern.test(l));

function start(): void {
  const informer = pods.informer({ labelSelector: 'app=web', backoff: { initialDelay: 20, maxDelay: 200 }, random: () => 0.5 });
  subscription = informer.state$.subscribe();
}

it('logs the sync, the server ending the watch, the reconnection, a backoff and a relist after 410', async () => {
  start();
  await waitUntil(() => logged(/^info in sync: /), 'first sync');
  expect(informerLines()).toEqual(['debug watch-list: the current state, then changes', expect.stringMatching(/^info in sync: 0 objects at resourceVersion \d+$/)]);

  // The server ends the watch (as at its timeout), then refuses the next one with a 503.
  server.failNext(1, { type: 'Status', code: 503, reason: 'ServiceUnavailable', message: 'etcd is restarting' }, (r) => r.query.has('watch'));
  server.endWatches();
  await waitUntil(() => logged(/^debug watching from resourceVersion \d+ for \d+ s$/) && logged(/^warn ServiceUnavailableError/), 'reconnect and backoff');
  expect(informerLines()).toContain('debug the server ended the watch; reconnecting');
  expect(informerLines()).toContain('warn ServiceUnavailableError: etcd is restarting; retrying in 30 ms (attempt 1)'); // 20 * (1 + 0.5): client-go jitter on top

  // A 410 in the stream: relist.
  await server.waitForOpenWatches(1);
  server.injectWatchError({ code: 410, reason: 'Expired', message: 'too old resource version: 1 (2)' });
  await waitUntil(() => logged(/^info GoneError/) && informerLines().filter((l) => l.startsWith('info in sync')).length === 2, 'relist');
  expect(informerLines()).toContain('info GoneError: too old resource version: 1 (2); relisting');
});

it('logs an unrecoverable error at error level when the informer stops', async () => {
  server.failNext(1, { type: 'Forbidden', user: 'eve' });
  start();
  await waitUntil(() => logged(/^error stopped: /), 'the failure');
  expect(informerLines().at(-1)).toMatch(/^error stopped: ForbiddenError: pods is forbidden: User "eve" cannot (list|watch) resource "pods"/);
});

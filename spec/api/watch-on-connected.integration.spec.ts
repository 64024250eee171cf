/**
 * The public seams a custom watch source shares with the real `watch$`, over loopback HTTP against the
 * FakeApiServer: `onConnected` (called when the server answered 200, before any event; not for a failed request)
 * and `WatchCursor.read()` (the real watch$ reads the cursor through it, once per request).
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom, repeat } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import { InternalError } from '../../lib/errors/status-error.js';
import { testResources } from '../../lib/testing/index.js';
import { serverHarness } from '../testing/server-harness.js';
import { cursorReads, WatchCursor } from '../../lib/watch/watch-cursor.js';

const { ConfigMap } = testResources;

describe('watch$ onConnected and cursor reads (loopback)', () => {
  const h = serverHarness({ bookmarkIntervalMs: 0 });
  let client: KubeClient;

  beforeEach(async () => {
    client = await createClient({ server: h.server.url, token: 'test-token' });
  });

  it('calls onConnected once the server answered, before any event, on a watch that stays quiet', async () => {
    const api = new Api(ConfigMap, { client, namespace: 'default' });
    const seen: string[] = [];
    let resolveConnected!: () => void;
    const connectedNow = new Promise<void>((resolve) => (resolveConnected = resolve));
    h.server.stallWatches(); // headers are sent, nothing else: a quiet watch
    const subscription = api.watch$({ resourceVersion: '0', onConnected: () => (seen.push('connected'), resolveConnected()) }).subscribe((e) => seen.push(e.type));
    try {
      await connectedNow;
      expect(seen).toEqual(['connected']);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('does not call onConnected for a request that failed, and calls it again for each new request', async () => {
    const api = new Api(ConfigMap, { client, namespace: 'default' });
    let failed = 0;
    h.server.failNext(1, { type: 'InternalError', message: 'boom' });
    await expect(firstValueFrom(api.watch$({ onConnected: () => failed++ }))).rejects.toBeInstanceOf(InternalError);
    expect(failed).toBe(0);

    const cursor = new WatchCursor();
    const connections: number[] = [];
    const reached = (n: number): Promise<void> => new Promise((resolve) => (waiters[n] = resolve));
    const waiters: Record<number, () => void> = {};
    const first = reached(1);
    const second = reached(2);
    const subscription = api
      .watch$({ cursor, onConnected: () => (connections.push(cursorReads(cursor)), waiters[connections.length]?.()) })
      .pipe(repeat())
      .subscribe();
    try {
      await first;
      h.server.endWatches(); // the server closes the watch: repeat() makes a new request
      await second;
      // Each request read the cursor (through cursor.read(), once) before its headers came.
      expect(connections).toEqual([1, 2]);
    } finally {
      subscription.unsubscribe();
    }
  });
});

/**
 * The restart-on-Gone pattern, as one pipe.
 *
 * With kubex (Python) this is a `while True` loop that catches the 410, forgets the resourceVersion and starts
 * over. Here it is composition: the cursor remembers where the stream got to, `trackBookmarks` moves it,
 * `retryOnGone` relists when it is too old, `reconnectOnTimeout` resumes when the server ends the stream, and
 * `retryWithBackoff` reconnects after a network failure.
 *
 * `npm run sample:restart-on-gone` runs it on the embedded FakeApiServer and makes the server's history expire
 * under the watch, so the 410 and the relist really happen. Set KUBEX_SERVER (and KUBEX_TOKEN) for a real server.
 */
import {
  Api, EventType, WatchCursor, createClient, defineResource, isInitialEventsEnd, reconnectOnTimeout, retryOnGone, retryWithBackoff, trackBookmarks,
} from 'kubex-rx';
import { FakeApiServer } from 'kubex-rx/testing';
import { tap } from 'rxjs';

const Pod = defineResource({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const external = process.env['KUBEX_SERVER'];
  const fake = external ? undefined : await FakeApiServer.start({ bookmarkIntervalMs: 200 });
  const client = await createClient({ server: external ?? fake!.url, token: process.env['KUBEX_TOKEN'] });
  const pods = new Api(Pod, { client, namespace: 'default' });

  const cursor = new WatchCursor();
  const subscription = pods
    .watch$({ cursor, allowBookmarks: true, timeoutSeconds: 290 })
    .pipe(
      tap({ subscribe: () => console.log(`connecting (resourceVersion ${cursor.resourceVersion ?? 'none: full state'})`) }),
      trackBookmarks(cursor), // every event's resourceVersion (bookmarks too) moves the cursor
      retryOnGone(cursor), // on 410 Gone: forget the resourceVersion, relist with sendInitialEvents
      reconnectOnTimeout(), // on a clean end: resume from the cursor
      retryWithBackoff({ initialDelay: 100, onRetry: ({ delay, error }) => console.log(`retrying in ${delay} ms after ${String(error)}`) }),
    )
    .subscribe({
      next: (event) => {
        if (event.type === EventType.BOOKMARK) {
          console.log(`${isInitialEventsEnd(event) ? 'SYNCED  ' : 'BOOKMARK'} at ${event.object.metadata.resourceVersion}`);
        } else {
          console.log(`${event.type.padEnd(8)} ${event.object.metadata.name}`);
        }
      },
      error: (error: Error) => console.error(`stopped: ${error.name}: ${error.message}`),
    });

  if (fake) {
    fake.create(Pod, { metadata: { name: 'web-0', namespace: 'default' } });
    await sleep(300);
    // Cut the watch off, change things behind its back, and let the history it would resume from expire:
    // the reconnect gets "410 Gone" and the pipe relists on its own.
    fake.stallWatches();
    fake.create(Pod, { metadata: { name: 'web-1', namespace: 'default' } });
    fake.dropConnections();
    fake.compact();
    fake.resumeWatches();
    console.log('-- connection dropped and history expired on the server --');
    await sleep(1000);
    fake.create(Pod, { metadata: { name: 'web-2', namespace: 'default' } });
    await sleep(300);
    subscription.unsubscribe();
    await fake.close();
  } else {
    await sleep(60_000);
    subscription.unsubscribe();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

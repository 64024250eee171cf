/**
 * Contender 1, the raw limit: `node:http`, split on the newline byte, `Buffer#toString` per line, `JSON.parse`.
 * Nothing else: no validation, no error mapping, no Observable. What a watch client cannot beat on this machine.
 */
import { Agent, get, type IncomingMessage } from 'node:http';
import { PODS_PATH } from './events.js';
import type { PodLike, PrepareSync, Setup, Sink } from './contender.js';

const LF = 0x0a;

export const setup = (async ({ server }) => {
  const agent = new Agent({ keepAlive: true });
  // A watch-list request, as kubex-rx's informer sends it: the `sync` scenario answers by the query (the others
  // ignore it).
  const url = `${server}${PODS_PATH}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`;
  const watchOnce = (sink: Sink, onResponse?: (res: IncomingMessage) => void): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = get(url, { agent }, (res) => {
        onResponse?.(res);
        // Pieces of the current unterminated line. Node hands out a fresh Buffer per read, so keeping views is safe.
        let pending: Buffer[] = [];
        const emit = (line: string): void => {
          const event = JSON.parse(line) as { type: string; object: PodLike };
          sink(event.type, event.object);
        };
        res.on('data', (chunk: Buffer) => {
          let start = 0;
          let newline = chunk.indexOf(LF);
          while (newline !== -1) {
            if (pending.length === 0) {
              emit(chunk.toString('utf8', start, newline));
            } else {
              pending.push(chunk.subarray(start, newline));
              emit(Buffer.concat(pending).toString('utf8'));
              pending = [];
            }
            start = newline + 1;
            newline = chunk.indexOf(LF, start);
          }
          if (start < chunk.length) pending.push(chunk.subarray(start));
        });
        res.on('end', () => {
          if (pending.length > 0) emit(Buffer.concat(pending).toString('utf8'));
          resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  return {
    watch: (sink) => watchOnce(sink),
    watchWithResponse: watchOnce,
    watchForever(sink) {
      let stopped = false;
      let current: IncomingMessage | undefined;
      const loop = (): void => {
        if (stopped) return;
        watchOnce(sink, (res) => (current = res)).then(loop, () => undefined);
      };
      loop();
      return () => {
        stopped = true;
        current?.destroy();
      };
    },
  };
}) satisfies Setup;

/**
 * The floor of an initial sync: a watch-list read with the raw client, every object parsed and kept in a `Map` by
 * namespace/name, until the initial-events-end bookmark (the only bookmark the `sync` scenario sends).
 */
export const prepareSync: PrepareSync = async (options) => {
  const client = await setup(options);
  const objects = new Map<string, PodLike>();
  let response: IncomingMessage | undefined;
  return {
    sync: () =>
      new Promise<number>((resolve, reject) => {
        const sink: Sink = (type, object) => {
          if (type === 'BOOKMARK') resolve(objects.size);
          else objects.set(`${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`, object);
        };
        client.watchWithResponse(sink, (res) => (response = res)).catch(reject);
      }),
    stop: () => response?.destroy(),
  };
};

/**
 * Plain `node:http` clients for the FakeApiServer specs (deliberately not the SDK, which is written concurrently).
 * Every request uses its own socket (`agent: false`) so a close is observable on the server.
 */
import { request as httpRequest, type IncomingHttpHeaders, type ClientRequest, type IncomingMessage } from 'node:http';
import { testResources, type FakeApiServer, type WatchInfo } from '../../lib/testing/index.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request, whole body as a string; `body` (a string, or any value sent as JSON) is written as the request body. */
export function fetchRaw(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<RawResponse> {
  // An explicit Content-Length: Node does not chunk DELETE bodies by default.
  const payload = options.body === undefined ? undefined : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body), 'utf8');
  const headers = payload ? { ...options.headers, 'Content-Length': String(payload.length) } : options.headers;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export interface WireEventJson {
  readonly type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly object: any;
}

/** How the body ended: `clean` (terminating chunk seen) or `abrupt` (socket died mid-body). */
export type EndKind = 'clean' | 'abrupt';

export interface WatchClient {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Every `data` chunk as received. */
  readonly chunks: Buffer[];
  /** Complete lines (without their `\n`). */
  readonly lines: string[];
  readonly events: WireEventJson[];
  /** Bytes after the last `\n`. */
  readonly partial: () => string;
  /** Resolves with the first `n` events (waits for them). */
  events$(n: number, timeoutMs?: number): Promise<WireEventJson[]>;
  /** Resolves when the body ends. */
  readonly ended: Promise<EndKind>;
  /** Destroys the client socket. */
  close(): void;
}

/** Opens a streaming GET and resolves once the status line and headers arrived. */
export function openWatch(url: string, headers: Record<string, string> = {}): Promise<WatchClient> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest;
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      const lines: string[] = [];
      const events: WireEventJson[] = [];
      let buffer = Buffer.alloc(0);
      let waiters: { n: number; resolve: (e: WireEventJson[]) => void }[] = [];
      const check = (): void => {
        waiters = waiters.filter((w) => {
          if (events.length >= w.n) {
            w.resolve(events.slice(0, w.n));
            return false;
          }
          return true;
        });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        buffer = Buffer.concat([buffer, c]);
        let i: number;
        while ((i = buffer.indexOf(0x0a)) >= 0) {
          const line = buffer.subarray(0, i).toString('utf8');
          buffer = buffer.subarray(i + 1);
          lines.push(line);
          events.push(JSON.parse(line) as WireEventJson);
        }
        check();
      });
      const ended = new Promise<EndKind>((resolveEnd) => {
        res.on('close', () => resolveEnd(res.complete ? 'clean' : 'abrupt'));
        res.on('error', () => undefined);
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        chunks,
        lines,
        events,
        partial: () => buffer.toString('utf8'),
        ended,
        events$(n, timeoutMs = 3000) {
          if (events.length >= n) return Promise.resolve(events.slice(0, n));
          return new Promise((res2, rej2) => {
            const t = setTimeout(() => rej2(new Error(`timed out waiting for ${n} events; got ${JSON.stringify(events)}`)), timeoutMs);
            waiters.push({
              n,
              resolve: (e) => {
                clearTimeout(t);
                res2(e);
              },
            });
          });
        },
        close() {
          req.destroy();
        },
      });
    };
    req = httpRequest(url, { headers, agent: false }, onResponse);
    req.on('error', (err) => reject(err));
    req.end();
  });
}

/** Waits for a number of ms (used only where the absence of output must be observed). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A watch client that reads nothing until `readAll()`: its response is paused at once, so the socket fills up. */
export interface PausedClient {
  readonly res: IncomingMessage;
  /** Resumes reading; resolves with the whole body once the response ends, and whether it ended cleanly. */
  readAll(): Promise<{ readonly body: Buffer; readonly complete: boolean }>;
  close(): void;
}

/** Opens a watch at `url` whose response is paused at once; `onOpen` gets the client (to close it after the test). */
export function openPaused(url: string, onOpen: (client: PausedClient) => void = () => undefined): Promise<PausedClient> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest;
    const onResponse = (res: IncomingMessage): void => {
      res.pause();
      res.on('error', () => undefined);
      const client: PausedClient = {
        res,
        readAll: () =>
          new Promise((done) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('close', () => done({ body: Buffer.concat(chunks), complete: res.complete }));
            res.resume();
          }),
        close: () => req.destroy(),
      };
      onOpen(client);
      resolve(client);
    };
    req = httpRequest(url, { agent: false }, onResponse);
    req.on('error', reject);
    req.end();
  });
}

/** Padding that makes every Pod event line a little over 2 KiB, so a small queue bound is passed with few events. */
export const PAD = 'x'.repeat(2000);
/** A fixed-width name, so that every event line has the same length (RVs stay at 4 digits from 1000). */
export const podName = (i: number): string => `pod-${String(i).padStart(6, '0')}`;
/** Pod `i` in namespace `ns`, padded with {@link PAD}. */
export const padded = (i: number): { metadata: Record<string, unknown> } => ({ metadata: { name: podName(i), namespace: 'ns', annotations: { pad: PAD } } });
/** One turn of the event loop. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Creates padded Pods in `ns` until the server evicts `watch`, returning how many were created. Yields now and then
 * so the socket (and the kernel buffers behind it) fill up as they would; only then does the server-side queue grow.
 */
export async function createUntilEvicted(server: FakeApiServer, watch: WatchInfo, limit = 40_000): Promise<number> {
  // The namespace must exist (NamespaceLifecycle); its ADDED event is not a Pod event, so the watch does not see it.
  if (!server.get(testResources.Namespace, 'ns')) server.create(testResources.Namespace, { metadata: { name: 'ns' } });
  let created = 0;
  while (watch.closeReason === undefined) {
    if (created >= limit) throw new Error(`not evicted after ${created} events`);
    server.create(testResources.Pod, padded(created++));
    if (created % 20 === 0) await tick();
  }
  return created;
}

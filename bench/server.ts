/**
 * The benchmark's API server: a plain `node:http` server on 127.0.0.1, in its own process (forked by `index.ts`),
 * answering every GET with a watch stream shaped by the current {@link Scenario} (set over IPC before each run).
 *
 * It is deliberately not the FakeApiServer: it must out-run the fastest client on one core, so it does no
 * bookkeeping, and it must control exactly how the body is cut into writes.
 *
 * Chunking (mode `stream`): events are built in batches, and each batch is written in pieces of a random size
 * between 512 B and 64 KiB (a seeded PRNG, so every contender gets the same cuts); one cut in three is moved to
 * the middle of a multi-byte character. So lines and characters are split across chunks all the time, as a real
 * API server's body is once TCP has re-segmented it. (The client's reads are re-segmented by the kernel again;
 * the point is that no contender gets line-aligned chunks.)
 *
 * Mode `sync` is the one that reads the request: a watch-list, a list, or a watch after a list, each answered as
 * a real API server would (see {@link sync}), for the initial-sync comparison of kubex-rx's informer (watch-list)
 * and client-node's (list + watch).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { BOOKMARK_EVERY, LIST_TAIL, initialEventsEndLine, listBytes, listHead, loadTemplate, writeBookmark, writeEvent, writeListItem, type EventTemplate } from './events.js';
import type { FromServer, Scenario, ToServer } from './protocol.js';

const BATCH_EVENTS = 32;
const MIN_WRITE = 512;
const MAX_WRITE = 64 * 1024;

const template = loadTemplate();
let scenario: Scenario = { mode: 'stream', n: 0, seed: 1, bookmarks: true, ending: 'close' };
let requests = 0;
let reconnectGapsUs: number[] = [];
/** sync: what each request since the last scenario was (`watch-list`, `list`, `watch`), in order. */
let kinds: string[] = [];
let lastEndNs: bigint | undefined;
const sockets = new Set<Socket>();

const send = (message: FromServer): void => {
  process.send!(message);
};

const server = createServer({ noDelay: true, keepAliveTimeout: 10_000 }, (req, res) => {
  requests++;
  const current = scenario;
  if (current.mode === 'reconnect') {
    const now = process.hrtime.bigint();
    if (lastEndNs !== undefined) reconnectGapsUs.push(Number(now - lastEndNs) / 1000);
    lastEndNs = undefined;
  }
  req.resume();
  const work = current.mode === 'sync' ? sync(current, new URL(req.url ?? '/', 'http://bench').searchParams, res) : run(current, res);
  work.catch((error: unknown) => {
    // A client that goes away mid-stream is normal (unsubscribe); anything else is a bug in the bench.
    if (!res.destroyed) console.error('bench server:', error);
    res.destroy();
  });
});
server.on('connection', (socket: Socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

async function run(current: Exclude<Scenario, { mode: 'sync' }>, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let gone = false;
  res.on('close', () => (gone = true));
  switch (current.mode) {
    case 'stream':
      await stream(current, res, () => gone);
      return;
    case 'latency':
      await paced(current, res, () => gone);
      return;
    case 'reconnect': {
      const line = Buffer.alloc(template.eventLine.length);
      writeEvent(template, line, 0, requests);
      res.write(line);
      await new Promise((resolve) => setTimeout(resolve, current.holdMs));
      if (gone) return;
      lastEndNs = process.hrtime.bigint();
      res.end();
      return;
    }
  }
}

async function stream(current: Extract<Scenario, { mode: 'stream' }>, res: ServerResponse, gone: () => boolean): Promise<void> {
  const random = mulberry32(current.seed);
  let cut = 0;
  for (let index = 0; index < current.n && !gone(); ) {
    const count = Math.min(BATCH_EVENTS, current.n - index);
    const { batch, midChars } = buildBatch(template, index, count, current.bookmarks);
    index += count;
    let offset = 0;
    let nextMid = 0;
    while (offset < batch.length) {
      let end = Math.min(batch.length, offset + MIN_WRITE + Math.floor(random() * (MAX_WRITE - MIN_WRITE)));
      if (cut++ % 3 === 0) {
        while (nextMid < midChars.length && midChars[nextMid]! <= end) nextMid++;
        if (nextMid < midChars.length) end = midChars[nextMid]!; // inside a character
      }
      if (!res.write(batch.subarray(offset, end))) {
        await drained(res);
        if (gone()) return;
      }
      offset = end;
    }
  }
  if (gone()) return;
  if (current.ending === 'initial-events-end') {
    // A watch-list: the marker, then the stream stays open (live changes would follow) until the client leaves.
    res.write(initialEventsEndLine(current.n - 1));
    return;
  }
  res.end();
}

/**
 * The `sync` scenario: answers as an API server holding `n` Pods does (see {@link Scenario}). The list is written
 * in batches of {@link BATCH_EVENTS} Pods, each a fresh buffer, waiting for 'drain': the server never holds more
 * than a few batches, whatever `n`.
 */
async function sync(current: Extract<Scenario, { mode: 'sync' }>, query: URLSearchParams, res: ServerResponse): Promise<void> {
  let gone = false;
  res.on('close', () => (gone = true));
  const watch = query.get('watch') === 'true' || query.get('watch') === '1';
  if (watch && query.get('sendInitialEvents') === 'true') {
    kinds.push('watch-list');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    await stream({ mode: 'stream', n: current.n, seed: 11, bookmarks: false, ending: 'initial-events-end' }, res, () => gone);
    return;
  }
  if (watch) {
    kinds.push('watch');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders(); // and nothing more: no changes happen; the client leaves when it is done
    return;
  }
  kinds.push('list');
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(listBytes(template, current.n)) });
  res.write(listHead(current.n - 1));
  const scratch = Buffer.allocUnsafe(template.eventLine.length);
  for (let index = 0; index < current.n && !gone; ) {
    const count = Math.min(BATCH_EVENTS, current.n - index);
    const batch = Buffer.allocUnsafe(count * (template.podBytes + 1)); // fresh per batch: queued writes keep it
    let offset = 0;
    for (let i = index; i < index + count; i++) {
      if (i > 0) batch[offset++] = 0x2c; // ','
      offset = writeListItem(template, scratch, batch, offset, i);
    }
    index += count;
    if (!res.write(batch.subarray(0, offset))) await drained(res);
  }
  if (!gone) res.end(LIST_TAIL);
}

/** Resolves on the next 'drain' or 'close' of `res`, whichever comes first, leaving no listener behind. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** `count` events from `first`, with the BOOKMARKs that fall among them, and the mid-character offsets. */
function buildBatch(t: EventTemplate, first: number, count: number, bookmarks: boolean): { batch: Buffer; midChars: number[] } {
  let bytes = count * t.eventLine.length;
  for (let i = first; i < first + count; i++) if (bookmarks && (i + 1) % BOOKMARK_EVERY === 0) bytes += t.bookmarkLine.length;
  const batch = Buffer.allocUnsafe(bytes); // fresh per batch: queued writes keep referencing it
  const midChars: number[] = [];
  let offset = 0;
  for (let i = first; i < first + count; i++) {
    midChars.push(offset + t.midCharAt);
    offset = writeEvent(t, batch, offset, i);
    if (bookmarks && (i + 1) % BOOKMARK_EVERY === 0) offset = writeBookmark(t, batch, offset, i);
  }
  return { batch, midChars };
}

/**
 * `burst` events as fast as the client takes them (as a watch-list's initial events come), then `n` events one
 * every `intervalMs`, each in its own write, stamped with the shared monotonic clock just before it.
 */
async function paced(current: Extract<Scenario, { mode: 'latency' }>, res: ServerResponse, gone: () => boolean): Promise<void> {
  for (let index = 0; index < current.burst && !gone(); index++) {
    const copy = Buffer.allocUnsafe(template.eventLine.length);
    writeEvent(template, copy, 0, index, process.hrtime.bigint());
    if (!res.write(copy)) await new Promise((resolve) => res.once('drain', resolve));
  }
  for (let index = current.burst; index < current.burst + current.n && !gone(); index++) {
    await new Promise((resolve) => setTimeout(resolve, current.intervalMs));
    const copy = Buffer.allocUnsafe(template.eventLine.length);
    writeEvent(template, copy, 0, index, process.hrtime.bigint());
    res.write(copy);
  }
  if (!gone()) res.end();
}

/** A small seeded PRNG (Mulberry32), so every contender sees the same chunk boundaries. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

process.on('message', (message: ToServer) => {
  switch (message.kind) {
    case 'scenario':
      scenario = message.scenario;
      requests = 0;
      reconnectGapsUs = [];
      kinds = [];
      lastEndNs = undefined;
      // Close idle keep-alive connections of the previous contender (it has exited, but be tidy).
      for (const socket of sockets) if (!socket.destroyed && (socket as Socket & { _httpMessage?: unknown })._httpMessage == null) socket.destroy();
      send({ kind: 'ok' });
      return;
    case 'report':
      send({ kind: 'report', requests, reconnectGapsUs, kinds });
      return;
    case 'clock':
      send({ kind: 'clock', ns: process.hrtime.bigint().toString(), wallMs: performance.timeOrigin + performance.now() });
      return;
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bench server: no port');
  send({ kind: 'listening', port: address.port });
});

/**
 * Helpers of the NestJS specs: a real Nest app on a loopback port, and plain `node:http` clients (JSON and
 * server-sent events) talking to it. Each request has its own socket (`agent: false`), so closing one is seen
 * by the app at once.
 */
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Boots a Nest application for real (testing module, then an HTTP listener on 127.0.0.1, random port). */
export async function startApp(metadata: ModuleMetadata): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${address.port}` };
}

/** One GET; the body parsed as JSON. */
export function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers: { Accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
        } catch {
          reject(new Error(`not JSON (${res.statusCode}): ${text}`));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** One server-sent event as read off the wire. */
export interface SseEvent {
  readonly event: string | undefined;
  readonly id: string | undefined;
  readonly data: string;
}

export interface SseClient {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly events: SseEvent[];
  /** Resolves with the first event at or after index `from` satisfying `test`. */
  next(test: (e: SseEvent) => boolean, from?: number, timeoutMs?: number): Promise<SseEvent>;
  /** Settles when the response ends: `end` (the server ended it) or `close` (the socket went away first). */
  readonly ended: Promise<'end' | 'close'>;
  /** Destroys the socket: what a browser tab closing does. */
  close(): void;
}

/** Parses one SSE block (`field: value` lines). Comment lines (`:`) are skipped. */
function parseBlock(block: string): SseEvent | undefined {
  let event: string | undefined;
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  return event === undefined && id === undefined && data.length === 0 ? undefined : { event, id, data: data.join('\n') };
}

/** Opens an SSE stream with a plain HTTP GET; resolves once the headers arrived. */
export function openSse(url: string): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers: { Accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      const events: SseEvent[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk.replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const parsed = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (parsed) events.push(parsed);
        }
        for (const w of waiters) w();
      });
      const ended = new Promise<'end' | 'close'>((settle) => {
        res.on('end', () => settle('end'));
        res.on('close', () => settle('close'));
        res.on('error', () => settle('close'));
      });
      resolve({
        status: res.statusCode ?? 0,
        contentType: res.headers['content-type'],
        events,
        ended,
        next(test, from = 0, timeoutMs = 5000) {
          return new Promise((found, fail) => {
            const check = (): void => {
              const hit = events.slice(from).find(test);
              if (hit) {
                waiters.delete(check);
                clearTimeout(timer);
                found(hit);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no such SSE event in ${timeoutMs} ms; got ${JSON.stringify(events)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}

export async function waitUntil(condition: () => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

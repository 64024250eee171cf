/**
 * The common harness of the FakeApiServer specs: a server started (and closed) around each test or the whole
 * `describe`, and the loopback-HTTP helpers bound to it (`call`, `body`, `create`, `watchFromNow`, `until`).
 * Watches opened with `watchFromNow` are closed after each test.
 */
import { beforeEach, afterEach, beforeAll, afterAll, expect } from '@jest/globals';
import { FakeApiServer, type FakeApiServerOptions } from '../../lib/testing/index.js';
import { fetchRaw, openWatch, type RawResponse, type WatchClient } from './http-helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

export const JSON_CT = { 'Content-Type': 'application/json' };
export const MERGE = { 'Content-Type': 'application/merge-patch+json' };
export const APPLY = { 'Content-Type': 'application/apply-patch+yaml' };

/** Starts the server of a harness; `options` are those passed to {@link ServerHarness.start}. */
export type StartServer = (options?: FakeApiServerOptions) => Promise<FakeApiServer>;

export interface ServerHarnessOptions {
  /** A server per test (`beforeEach`/`afterEach`, the default) or one for the `describe` (`beforeAll`/`afterAll`). */
  readonly each?: boolean;
  /** Start nothing before the tests: each test (or hook) calls `start(options)` itself. The server is still closed after each test. */
  readonly lazy?: boolean;
}

export interface ServerHarness {
  /** The current server (throws before one was started). */
  readonly server: FakeApiServer;
  /** Starts a server with the harness's start function (for `lazy` harnesses, or per-describe options). */
  start(options?: FakeApiServerOptions): Promise<FakeApiServer>;
  /** One request to `server.url + path`; the body is sent as JSON (`headers` default to JSON Content-Type). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  /** The response body parsed as JSON. */
  body(res: RawResponse): any;
  /** POSTs `obj` to `path`, expects 201 and answers the created object. */
  create(path: string, obj: unknown): Promise<any>;
  /** Opens a watch on `path` from the server's current resourceVersion (closed after the test). */
  watchFromNow(path: string): Promise<WatchClient>;
  /** Registers watch clients opened by hand to be closed after the test. */
  track(...clients: WatchClient[]): void;
  /** Polls a condition (no fixed sleep): resolves when it holds, fails after `ms`. */
  until(cond: () => boolean, ms?: number): Promise<void>;
}

/** One request to `on.url + path` (see {@link ServerHarness.call}). */
export function callOn(on: FakeApiServer, method: string, path: string, body?: unknown, headers: Record<string, string> = JSON_CT): Promise<RawResponse> {
  return fetchRaw(on.url + path, { method, headers, body });
}

/** POSTs `obj` to `path` on `on`, expects 201 (else shows the body) and answers the created object. */
export async function createOn(on: FakeApiServer, path: string, obj: unknown): Promise<any> {
  const res = await callOn(on, 'POST', path, obj);
  expect([res.status, res.status === 201 ? '' : res.body]).toEqual([201, '']);
  return JSON.parse(res.body);
}

/** Polls `cond` every `every` ms until it holds; rejects after `ms`. */
export async function until(cond: () => boolean, ms = 5000, every = 5): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * A server for the specs around it (see {@link ServerHarnessOptions}) and the HTTP helpers bound to it. `start` is
 * either the options of `FakeApiServer.start` or a function that starts (and sets up) the server.
 */
export function serverHarness(start: StartServer | FakeApiServerOptions = {}, { each = true, lazy = false }: ServerHarnessOptions = {}): ServerHarness {
  const startServer: StartServer = typeof start === 'function' ? start : (options) => FakeApiServer.start({ ...start, ...options });
  let current: FakeApiServer | undefined;
  const clients: WatchClient[] = [];
  const close = async (): Promise<void> => {
    const server = current;
    current = undefined;
    await server?.close();
  };
  const harness: ServerHarness = {
    get server(): FakeApiServer {
      if (!current) throw new Error('serverHarness: no server started');
      return current;
    },
    async start(options) {
      current = await startServer(options);
      return current;
    },
    call: (method, path, body, headers) => callOn(harness.server, method, path, body, headers),
    body: (res) => JSON.parse(res.body),
    create: (path, obj) => createOn(harness.server, path, obj),
    async watchFromNow(path) {
      const server = harness.server;
      const c = await openWatch(`${server.url}${path}?watch=1&resourceVersion=${server.resourceVersion}`);
      clients.push(c);
      return c;
    },
    track: (...opened) => void clients.push(...opened),
    until: (cond, ms) => until(cond, ms),
  };
  const closeClients = (): void => {
    for (const c of clients.splice(0)) c.close();
  };
  if (lazy || each) {
    if (!lazy) beforeEach(() => harness.start().then(() => undefined));
    afterEach(async () => {
      closeClients();
      await close();
    });
  } else {
    beforeAll(() => harness.start().then(() => undefined));
    afterEach(closeClients);
    afterAll(close);
  }
  return harness;
}

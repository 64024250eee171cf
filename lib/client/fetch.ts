/**
 * The transport seam: the few parts of the WHATWG `fetch` API kubex-rx uses. node-fetch v3, the browser's
 * `fetch`, Node's global `fetch` (undici) and Angular's zone-patched `fetch` all satisfy it.
 */
import { nodeProcess } from './node-process.js';

/** A response body: a WHATWG `ReadableStream` (browsers) or an async iterable of bytes (node-fetch's `Readable`). @since 0.1.0 */
export type BodyLike = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** What kubex-rx reads of a fetch `Response`. @since 0.1.0 */
export interface FetchResponseLike {
  /** The HTTP status code. */
  readonly status: number;
  /** The HTTP reason phrase (may be `''`, e.g. over HTTP/2). */
  readonly statusText: string;
  /** Whether `status` is in the 200–299 range. */
  readonly ok: boolean;
  /** The response headers. */
  readonly headers: {
    /** The value of a header (case-insensitive name), or `null` when absent. */
    get(name: string): string | null;
  };
  /** `null` when the response has no body. */
  readonly body: BodyLike | null;
  /** Reads the whole body as text. */
  text(): Promise<string>;
}

/** What kubex-rx passes to `fetch`. @since 0.1.0 */
export interface FetchInitLike {
  /** The HTTP method (`GET`, `POST`, `PATCH`, ...). */
  method: string;
  /**
   * A record, or `[name, value]` pairs when a header repeats (impersonating several groups sends one
   * `Impersonate-Group` line per group). WHATWG `fetch` and node-fetch accept both.
   */
  headers: Record<string, string> | [string, string][];
  /** The request body, when there is one (JSON, or a patch). */
  body?: string;
  /** Aborts the request and its body stream. */
  signal?: AbortSignal;
  /** node-fetch only: the `http(s).Agent` carrying keep-alive, CA and client certificates. */
  agent?: unknown;
}

/**
 * A `fetch` implementation. Inject one (the browser's, a proxying one) through `createClient({ fetch })`;
 * by default Node uses node-fetch, loaded on first use so browser bundles never pull it in.
 *
 * @since 0.1.0
 */
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

/** Whether this runtime is Node.js (node-fetch is only loaded there). */
function isNode(): boolean {
  return nodeProcess() !== undefined;
}

let nodeFetch: Promise<FetchLike> | undefined;

/**
 * `import(specifier)` that bundlers cannot follow: the specifier is a parameter, not a literal, and the comments
 * tell webpack and Vite to leave it alone. A literal `import('node-fetch')` makes browser bundlers (esbuild, Angular
 * CLI, Vite, webpack) bundle node-fetch and fail on its `node:` built-ins, although browsers never reach it.
 * Only for packages a Node runtime has installed beside kubex-rx.
 */
export function importNodeOnly(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

/**
 * The default transport: node-fetch in Node (imported lazily, once), the global `fetch` elsewhere.
 * @since 0.1.0
 */
export function defaultFetch(): Promise<FetchLike> {
  if (isNode()) {
    nodeFetch ??= importNodeOnly('node-fetch').then((m) => (m as { default: FetchLike }).default);
    return nodeFetch;
  }
  const global = (globalThis as { fetch?: FetchLike }).fetch;
  if (typeof global !== 'function') return Promise.reject(new TypeError('no fetch implementation: pass createClient({ fetch })'));
  return Promise.resolve(global.bind(globalThis) as FetchLike);
}

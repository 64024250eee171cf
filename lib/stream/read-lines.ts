import { LineSplitter } from './line-splitter.js';
import type { LineSplitterOptions } from './line-splitter.js';

/**
 * A response body {@link readLines} accepts: a WHATWG `ReadableStream` of bytes (browser / Node `fetch`), or any
 * async iterable of bytes, such as a Node `Readable` (node-fetch v3's body) whose chunks are `Buffer`s.
 * @since 0.1.0
 */
export type ByteStream = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Reads a byte stream as UTF-8 lines: the body of a Kubernetes watch, one JSON document per line.
 *
 * A thin async wrapper around {@link LineSplitter}; see it for how lines are split, decoded, stripped of a trailing
 * `\r`, skipped when empty and limited in size. A final line without `\n` is yielded at the end of the stream.
 *
 * - A `ReadableStream` is read through `getReader()` (Safari cannot async-iterate one). The reader is locked on the
 *   first `next()`, not at the call. If iteration stops before the stream ends (the consumer `break`s or calls
 *   `return()`, or a line fails), the stream is cancelled so the underlying request is aborted, then the lock is
 *   released.
 * - Any other body is consumed with `for await`, so stopping early calls its iterator's `return()`: a Node
 *   `Readable` is destroyed.
 *
 * Note that an async generator cannot be interrupted while it awaits the next chunk: to stop a stalled watch, abort
 * the request itself (for example with the `AbortSignal` given to `fetch`), which errors the body.
 *
 * @param body - the response body.
 * @param options - see {@link LineSplitterOptions}.
 * @returns an async generator of the lines, without their line ends.
 * @throws TypeError at once if `body` is neither kind of stream (for example `null`); RangeError at once for a bad
 *   `maxLineBytes`. During iteration: `LineTooLongError`, `InvalidUtf8Error`, `TypeError` for a non-byte chunk, or
 *   the stream's own error. Lines that precede a failing line in the same chunk are yielded before the error.
 * @example
 * ```ts
 * const response = await fetch(url);
 * for await (const line of readLines(response.body!)) handle(JSON.parse(line));
 * ```
 * @since 0.1.0
 */
export function readLines(body: ByteStream, options?: LineSplitterOptions): AsyncGenerator<string, void, undefined> {
  // Validate here rather than in the generator so that programmer errors surface at the call, not at first next().
  const splitter = new LineSplitter(options);
  return linesOf(readChunks(body), splitter);
}

/**
 * The chunks of a response body as one async iterable, whatever its kind: a `ReadableStream` is read through
 * `getReader()` and cancelled if iteration stops early; any other async iterable is returned as is (stopping a
 * `for await` early calls its `return()`, which destroys a Node `Readable`).
 *
 * For callers that split lines synchronously with a {@link LineSplitter}, which saves the per-line promise of
 * {@link readLines} on hot paths.
 *
 * @throws TypeError at once if `body` is neither kind of stream.
 * @since 0.1.0
 */
export function readChunks(body: ByteStream): AsyncIterable<Uint8Array> {
  if (isReadableStream(body)) return chunksOf(body);
  if (isAsyncIterable(body)) return body;
  throw new TypeError(
    `readLines: body must be a ReadableStream or an AsyncIterable of Uint8Array, got ${body === null ? 'null (a response without a body?)' : typeof body}`,
  );
}

function isReadableStream(body: unknown): body is ReadableStream<Uint8Array> {
  // Checked first: Node's ReadableStream is also async-iterable, but browsers' may not be.
  return typeof body === 'object' && body !== null && typeof (body as { getReader?: unknown }).getReader === 'function';
}

function isAsyncIterable(body: unknown): body is AsyncIterable<Uint8Array> {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

async function* linesOf(chunks: AsyncIterable<Uint8Array>, splitter: LineSplitter): AsyncGenerator<string, void, undefined> {
  // The splitter reports lines through a callback; they are collected per chunk and yielded after it, because a
  // generator cannot yield from inside a callback.
  const batch: string[] = [];
  const collect = (line: string): void => {
    batch.push(line);
  };
  let failure: { readonly error: unknown } | undefined;
  // `for await` calls the source's return() on break or throw: that is what releases the request.
  for await (const chunk of chunks) {
    try {
      splitter.push(chunk, collect);
    } catch (error) {
      failure = { error };
    }
    // Lines completed before a failing one are valid events: deliver them before the error.
    for (const line of batch) yield line;
    batch.length = 0;
    if (failure !== undefined) throw failure.error;
  }
  splitter.end(collect);
  for (const line of batch) yield line;
}

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const result = await reader.read();
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!finished) {
      // Stopped early (consumer return(), a line error) or the stream errored: cancel to abort the request. On an
      // errored stream cancel() rejects with the stream's error, which is already propagating, so it is ignored.
      await reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}

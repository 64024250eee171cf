import type { ByteStream } from './read-lines.js';
import { readChunks } from './read-lines.js';

/**
 * Receives one chunk of a body, synchronously, as it arrives. Returns `true` to stop reading (the body is then
 * released: a Node stream destroyed, a `ReadableStream` cancelled); throwing stops reading the same way and
 * rejects the {@link forEachChunk} promise with what was thrown.
 */
export type ChunkHandler = (chunk: Uint8Array) => boolean;

/** The parts of a Node `Readable` (node-fetch's body) this module uses. */
interface NodeReadableLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  destroy(error?: Error): unknown;
  isPaused?(): boolean;
  resume?(): unknown;
  readonly readableEnded?: boolean;
  readonly destroyed?: boolean;
}

/**
 * Feeds every chunk of a response body to `onChunk` and resolves at the end of the body; rejects with the
 * body's error, on a close before the end, or with what `onChunk` threw.
 *
 * The hot path of `watch$`. A Node `Readable` is read in flowing mode through its `data` event: each chunk is
 * handed over in the tick the socket delivered it, exactly as it was read, with no promise per chunk and no
 * re-buffering (async iteration of a `Readable` goes through `read()`, which concatenates whatever was buffered
 * into a new `Buffer`, and resolves one promise per chunk). Backpressure is not needed: `onChunk` consumes each
 * chunk before returning. A WHATWG `ReadableStream` is read through `getReader()`; any other async iterable with
 * `for await`.
 *
 * @internal
 */
export function forEachChunk(body: ByteStream, onChunk: ChunkHandler): Promise<void> {
  if (isNodeReadable(body)) return forEachNodeChunk(body, onChunk);
  return forEachIterated(readChunks(body), onChunk);
}

/** A Node `Readable` has `on`/`destroy`; a WHATWG `ReadableStream` has neither (and is checked for `getReader`). */
function isNodeReadable(body: unknown): body is NodeReadableLike {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Partial<Record<'on' | 'off' | 'destroy' | 'getReader', unknown>>;
  return typeof candidate.on === 'function' && typeof candidate.off === 'function' && typeof candidate.destroy === 'function' && candidate.getReader === undefined;
}

const ignore = (): void => undefined;

function forEachNodeChunk(stream: NodeReadableLike, onChunk: ChunkHandler): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // Checked before `destroyed`: a stream read to its end is then destroyed by default (autoDestroy).
    if (stream.readableEnded === true || stream.destroyed === true) {
      // A stream destroyed later (the request aborted at unsubscription) may still emit 'error': with no listener
      // that would be an uncaught exception.
      stream.on('error', ignore);
      if (stream.readableEnded === true) resolve();
      else reject(new Error('the response body was destroyed before it was read'));
      return;
    }
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onClose);
      stream.off('error', onError);
      stream.on('error', ignore); // as above
      if (error === undefined) resolve();
      else reject(error);
    };
    const onData = (chunk: Uint8Array): void => {
      let stop: boolean;
      try {
        stop = onChunk(chunk);
      } catch (error) {
        finish(error);
        stream.destroy();
        return;
      }
      if (stop) {
        finish();
        stream.destroy();
      }
    };
    const onEnd = (): void => finish();
    const onError = (error: unknown): void => finish(error);
    // 'close' without 'end' first: the body was cut off (a socket dropped mid-body, or destroyed without an error).
    const onClose = (): void => finish(new Error('the response body closed before its end'));
    stream.on('error', onError);
    stream.on('end', onEnd);
    stream.on('close', onClose);
    stream.on('data', onData); // last: attaching it switches the stream to flowing mode...
    if (stream.isPaused?.() === true) stream.resume?.(); // ...unless it was paused explicitly
  });
}

async function forEachIterated(chunks: AsyncIterable<Uint8Array>, onChunk: ChunkHandler): Promise<void> {
  // Leaving `for await` early (stop or throw) calls the source's return(): a ReadableStream is cancelled there.
  for await (const chunk of chunks) if (onChunk(chunk)) return;
}

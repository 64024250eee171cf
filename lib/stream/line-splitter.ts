import { InvalidUtf8Error } from './invalid-utf8-error.js';
import { LineTooLongError } from './line-too-long-error.js';

/**
 * The default {@link LineSplitterOptions.maxLineBytes}: 32 MiB.
 *
 * Far above what the API server stores (etcd's default request limit is about 1.5 MiB per object), yet low enough
 * that a runaway body cannot make the client buffer without bound.
 *
 * @since 0.1.0
 */
export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;

/**
 * Options of {@link LineSplitter} and {@link readLines}.
 * @since 0.1.0
 */
export interface LineSplitterOptions {
  /**
   * The longest line accepted, in bytes, not counting its `\n` (a stripped `\r` does count). A longer line fails
   * with {@link LineTooLongError} as soon as more than this many bytes of it have been pushed, without waiting for
   * its end. A positive safe integer; default {@link DEFAULT_MAX_LINE_BYTES} (32 MiB).
   */
  readonly maxLineBytes?: number | undefined;
}

/**
 * Receives one decoded line from {@link LineSplitter.push} or {@link LineSplitter.end}.
 * @since 0.1.0
 */
export type LineHandler = (line: string) => void;

const LF = 0x0a;
const CR = 0x0d;

/** The first size of the line buffer: a typical object (Pods are 5-10 KiB) fits without growing it. */
const INITIAL_BUFFER_BYTES = 16 * 1024;

/** A line buffer grown past this (1 MiB) for an exceptionally long line is released once that line is done. */
const RETAINED_BUFFER_BYTES = 1024 * 1024;

/**
 * Splits a stream of UTF-8 bytes, arriving in arbitrary chunks, into lines: the synchronous core of
 * {@link readLines}, for callers who want to feed chunks themselves without async-generator overhead per line.
 *
 * Behaviour:
 * - Lines end at each `\n` byte. Splitting on the byte before decoding is safe because in UTF-8 the byte `0x0A` only
 *   ever encodes U+000A (every byte of a multi-byte character is `>= 0x80`), so a chunk that ends inside a character
 *   needs no special care. Each complete line is decoded exactly once, with a fatal UTF-8 decoder.
 * - One trailing `\r` is stripped from each line (tolerating CRLF-rewriting proxies), and empty lines (including a
 *   lone `\r`) are skipped: a Kubernetes watch never sends them, and `JSON.parse('')` would only fail.
 * - A leading UTF-8 byte order mark on a line is dropped by the decoder (`TextDecoder` default).
 * - A line within one chunk is decoded straight from a `subarray` of it, without copying. A line that spans chunks
 *   is copied, piece by piece, into one line buffer owned by the splitter and reused from line to line (grown by
 *   doubling when a line needs more; one grown past 1 MiB for an exceptionally long line is
 *   dropped once that line is done), then decoded from it once its `\n` (or {@link LineSplitter.end}) arrives:
 *   buffering a line costs one copy of it however many chunks it spans, and no allocation per line or per chunk.
 *   `push` never keeps a reference to `chunk`: the caller may reuse its buffer.
 *
 * Errors (thrown by {@link LineSplitter.push} / {@link LineSplitter.end}):
 * - {@link LineTooLongError} when a line exceeds `maxLineBytes`, as soon as that many bytes of it are buffered;
 * - {@link InvalidUtf8Error} when a line is not valid UTF-8;
 * - `TypeError` when a chunk is not a byte array (for example a string, from a Node stream with `setEncoding`).
 *
 * Lines completed before the failing one are passed to the handler first. After any throw, including one from the
 * handler, the splitter is failed: it frees its buffer and every later call rethrows the same error, since the
 * position in the byte stream is lost and later lines could be fragments.
 *
 * @example
 * ```ts
 * const splitter = new LineSplitter({ maxLineBytes: 1 << 20 });
 * socket.on('data', (chunk: Buffer) => splitter.push(chunk, (line) => onEvent(JSON.parse(line))));
 * socket.on('end', () => splitter.end((line) => onEvent(JSON.parse(line))));
 * ```
 * @since 0.1.0
 */
export class LineSplitter {
  /** The limit in force, in bytes (see {@link LineSplitterOptions.maxLineBytes}). */
  readonly maxLineBytes: number;

  // Non-streaming decode calls only: each call sees a whole line, so the decoder carries no state between lines.
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  // The bytes of the current unterminated line are #buffer[0, #bufferedBytes); the buffer is reused by later lines.
  #buffer: Uint8Array | undefined;
  #bufferedBytes = 0;
  // Boxed so that even a thrown `undefined` marks the splitter as failed.
  #failure: { readonly error: unknown } | undefined;

  /**
   * @param options - see {@link LineSplitterOptions}.
   * @throws RangeError if `maxLineBytes` is not a positive safe integer.
   */
  constructor(options: LineSplitterOptions = {}) {
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`LineSplitter: maxLineBytes must be a positive safe integer, got ${String(maxLineBytes)}`);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes of the current unterminated line held by the splitter, waiting for its `\n`. */
  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  /**
   * Feeds the next chunk of the byte stream, calling `onLine` synchronously for each line it completes, in order.
   *
   * @param chunk - the next bytes; may be empty, may end anywhere (even inside a character). Not retained.
   * @param onLine - called with each completed, decoded line (without its line end).
   * @throws LineTooLongError, InvalidUtf8Error, TypeError - see {@link LineSplitter}.
   */
  push(chunk: Uint8Array, onLine: LineHandler): void {
    if (this.#failure !== undefined) throw this.#failure.error;
    try {
      this.#push(chunk, onLine);
    } catch (error) {
      this.#fail(error);
      throw error;
    }
  }

  /**
   * Signals the end of the byte stream: passes the final line to `onLine` if the stream did not end with `\n`
   * (subject to the same stripping, skipping and checks as any line), then resets the splitter for reuse.
   *
   * @param onLine - called with the final line, if there is one.
   * @throws InvalidUtf8Error if the final line is not valid UTF-8; the stored error if the splitter had failed.
   */
  end(onLine: LineHandler): void {
    if (this.#failure !== undefined) throw this.#failure.error;
    if (this.#bufferedBytes === 0) return;
    try {
      this.#emit(this.#takeBuffered(undefined), onLine);
    } catch (error) {
      this.#fail(error);
      throw error;
    }
  }

  #push(chunk: Uint8Array, onLine: LineHandler): void {
    // A string chunk would "work" with indexOf and fail obscurely later, so reject anything but bytes up front.
    if (!ArrayBuffer.isView(chunk) || (chunk as Partial<Uint8Array>).BYTES_PER_ELEMENT !== 1) {
      throw new TypeError(
        `LineSplitter: chunks must be Uint8Array, got ${typeof chunk === 'string' ? 'a string (was setEncoding() called on the stream?)' : Object.prototype.toString.call(chunk)}`,
      );
    }
    const max = this.maxLineBytes;
    let start = 0;
    let newline = chunk.indexOf(LF);
    while (newline !== -1) {
      let line: Uint8Array;
      if (this.#bufferedBytes === 0) {
        const length = newline - start;
        if (length > max) throw new LineTooLongError(max, length);
        line = chunk.subarray(start, newline);
      } else {
        line = this.#takeBuffered(chunk.subarray(start, newline));
      }
      this.#emit(line, onLine);
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) {
      const seen = this.#bufferedBytes + (chunk.length - start);
      // Checked per chunk, so an endless line fails once the limit is passed instead of exhausting memory.
      if (seen > max) throw new LineTooLongError(max, seen);
      this.#append(start === 0 ? chunk : chunk.subarray(start));
    }
  }

  /** Copies `bytes` after the buffered part of the current line, growing the line buffer if it is too small. */
  #append(bytes: Uint8Array): void {
    const length = this.#bufferedBytes + bytes.length;
    let buffer = this.#buffer;
    if (buffer === undefined || buffer.length < length) {
      // Doubling keeps a line spanning many chunks linear in its length; never beyond what maxLineBytes allows.
      const capacity = Math.max(length, Math.min(Math.max(2 * (buffer?.length ?? 0), INITIAL_BUFFER_BYTES), this.maxLineBytes));
      const grown = new Uint8Array(capacity);
      if (buffer !== undefined && this.#bufferedBytes > 0) grown.set(buffer.subarray(0, this.#bufferedBytes));
      this.#buffer = buffer = grown;
    }
    buffer.set(bytes, this.#bufferedBytes);
    this.#bufferedBytes = length;
  }

  /**
   * The buffered line completed by `last` (the head of the chunk up to the newline), as a view of the line buffer
   * valid until the next append: the caller decodes it at once. Empties the buffer.
   */
  #takeBuffered(last: Uint8Array | undefined): Uint8Array {
    const lastLength = last === undefined ? 0 : last.length;
    const total = this.#bufferedBytes + lastLength;
    if (total > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes, total);
    if (last !== undefined && lastLength > 0) this.#append(last);
    const line = this.#buffer!.subarray(0, total);
    this.#bufferedBytes = 0;
    // A buffer grown for an exceptionally long line is not kept for the rest of the stream (`line` still holds it).
    if (this.#buffer!.length > RETAINED_BUFFER_BYTES) this.#buffer = undefined;
    return line;
  }

  #emit(line: Uint8Array, onLine: LineHandler): void {
    let end = line.length;
    if (end > 0 && line[end - 1] === CR) end -= 1;
    if (end === 0) return;
    let text: string;
    try {
      text = this.#decoder.decode(end === line.length ? line : line.subarray(0, end));
    } catch (cause) {
      throw new InvalidUtf8Error(end, cause);
    }
    onLine(text);
  }

  #fail(error: unknown): void {
    this.#failure = { error };
    this.#buffer = undefined;
    this.#bufferedBytes = 0;
  }
}

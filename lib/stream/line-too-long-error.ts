import { KubexError } from '../errors/kubex-error.js';

/**
 * Thrown when one line of a newline-delimited stream grows past the configured `maxLineBytes`.
 *
 * A Kubernetes watch sends one JSON document per line, so a line this long means either an object far larger than
 * the API server normally stores (etcd caps objects at about 1.5 MiB by default) or a body that is not a watch
 * stream at all. Failing early bounds the memory a misbehaving server or proxy can make the client hold.
 *
 * The error is raised as soon as the buffered part of the line exceeds the limit, before its newline arrives.
 *
 * @example
 * ```ts
 * try { for await (const line of readLines(body)) handle(line); }
 * catch (e) { if (e instanceof LineTooLongError) console.error(`limit was ${e.maxLineBytes}`); }
 * ```
 * @since 0.1.0
 */
export class LineTooLongError extends KubexError {
  /** The class name, `LineTooLongError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'LineTooLongError';
  /** The limit that was exceeded, in bytes. */
  readonly maxLineBytes: number;
  /** How many bytes of the line had been read when the limit was found exceeded (always more than `maxLineBytes`). */
  readonly seenBytes: number;

  /**
   * @param maxLineBytes - the limit in force.
   * @param seenBytes - bytes of the offending line read so far, excluding its newline.
   */
  constructor(maxLineBytes: number, seenBytes: number) {
    super(
      `watch line exceeds maxLineBytes (${maxLineBytes} bytes): ${seenBytes} bytes read without a line end; ` +
        'raise maxLineBytes if objects this large are expected',
    );
    this.maxLineBytes = maxLineBytes;
    this.seenBytes = seenBytes;
  }
}

import { KubexError } from '../errors/kubex-error.js';

/**
 * Thrown when a line of a newline-delimited stream is not valid UTF-8.
 *
 * The Kubernetes API server always sends UTF-8 JSON, so this means a corrupted or foreign body. The original
 * `TypeError` from `TextDecoder` is kept as `cause`. The line's content is deliberately not put in the message:
 * it may hold secrets and may be megabytes long.
 *
 * @since 0.1.0
 */
export class InvalidUtf8Error extends KubexError {
  override readonly name: string = 'InvalidUtf8Error';
  /** The length of the offending line in bytes (excluding its line end). */
  readonly lineBytes: number;

  /**
   * @param lineBytes - the length of the offending line in bytes.
   * @param cause - the underlying decoder error, if any.
   */
  constructor(lineBytes: number, cause?: unknown) {
    super(`watch line is not valid UTF-8 (${lineBytes} bytes)`, cause === undefined ? undefined : { cause });
    this.lineBytes = lineBytes;
  }
}

/**
 * The base class of every error kubex-rx raises, so one `instanceof KubexError` tells SDK errors from others.
 *
 * Each subclass has a fixed `name` (it survives minification, unlike `constructor.name`).
 *
 * @since 0.1.0
 */
export class KubexError extends Error {
  /** The class name, `KubexError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'KubexError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Keep `instanceof` working for subclasses when compiled to older targets or across realms of the same class.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * The network failed: connection refused or reset, DNS, TLS, a proxy, a body that broke off before its end.
 * Transient by nature; the resilience operators retry it with backoff. The message names the request (method and
 * URL, without credentials or query) and then the reason, each once: `GET https://127.0.0.1:6443/api/v1/pods
 * failed: connect ECONNREFUSED 127.0.0.1:6443`.
 *
 * @since 0.1.0
 */
export class TransportError extends KubexError {
  /** The class name, `TransportError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'TransportError';
  /**
   * The system error code when the platform gave one (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`,
   * `DEPTH_ZERO_SELF_SIGNED_CERT`...); `undefined` otherwise, e.g. in browsers, whose `fetch` hides the cause.
   * @since 0.2.0
   */
  readonly code: string | undefined;

  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = options?.code;
  }
}

/**
 * What the server sent could not be understood: a line that is not JSON, an event of an unknown type, an object
 * that does not match its codec. `line` is the offending input (truncated to 1 KiB) and `errors` the io-ts
 * path messages, if any.
 *
 * @since 0.1.0
 */
export class DecodeError extends KubexError {
  /** The class name, `DecodeError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'DecodeError';
  /** The offending line, truncated to {@link DecodeError.MAX_LINE_IN_ERROR} characters. */
  readonly line: string;
  /** One message per failed io-ts path (`spec.containers.0.name: expected string, got 42`). */
  readonly errors: readonly string[];

  /** How many characters of the offending line are kept. */
  static readonly MAX_LINE_IN_ERROR = 1024;

  constructor(message: string, line: string, errors: readonly string[] = [], options?: { cause?: unknown }) {
    super(errors.length > 0 ? `${message}: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? ` (+${errors.length - 5} more)` : ''}` : message, options);
    this.line = line.length > DecodeError.MAX_LINE_IN_ERROR ? `${line.slice(0, DecodeError.MAX_LINE_IN_ERROR)}…` : line;
    this.errors = errors;
  }
}

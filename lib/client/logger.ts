/**
 * Where a client's diagnostics go: `console`, a pino logger, NestJS's `Logger`, or anything with these methods.
 * Every call passes exactly one argument, a complete line of text that never holds a credential (no token,
 * password, key, certificate or proxy password), so each of those loggers prints it as is: pino's
 * `(msg: string)` form, console's `(...data)`, Nest's `(message, context?)`.
 *
 * - `debug`: every request (method, URL, status, time to the response headers), watch reconnections, credentials
 *   re-read with no change.
 * - `info` (or `log`, Nest's name for that level): credential refreshes (an exec plugin run, a rotated token file,
 *   a 401 answered by refreshing), relists, an informer back in sync.
 * - `warn`: the API server's `Warning` headers (each distinct text once per client), backoffs after transient
 *   failures, stalled watches, `insecure-skip-tls-verify`.
 * - `error`: an informer stopped by an unrecoverable error.
 *
 * What it filters is its own business (pino's and Nest's levels apply). A logger that throws is ignored: logging
 * never fails a request.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const client = await createClient({ logger: pino({ level: 'debug' }) });
 * ```
 * @since 0.2.0
 */
export type Logger = {
  /** Requests and routine reconnections. */
  debug(message: string): void;
  /** Server warnings, backoffs, stalled watches. */
  warn(message: string): void;
  /** An informer that stopped for good. */
  error(message: string): void;
} & (
  | {
      /** Credential refreshes, relists, informers back in sync. */
      info(message: string): void;
    }
  | {
      /** NestJS's `Logger` name for the info level. */
      log(message: string): void;
    }
);

/**
 * The client's log: a {@link Logger} given as an option, or else the console at the level `KUBEX_LOG` names
 * (`debug`, `info`, `warn`, `error`, `off`; default `warn`), so debugging needs no code change.
 */
import type { Logger } from './logger.js';
import { nodeProcess } from './node-process.js';

/** The levels, least severe first. */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A level of {@link Log}. */
export type LogLevel = (typeof LEVELS)[number];

/** The environment variable naming the console's level when no logger is given. */
export const LOG_ENV = 'KUBEX_LOG';

/** What kubex-rx logs through: every level present, never throwing. */
export interface Log {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}


/** Calls a logger method, ignoring what it throws (a broken logger must not fail a request). */
function safe(call: (message: string) => void): (message: string) => void {
  return (message) => {
    try {
      call(message);
    } catch {
      // Nothing sensible to do: the log is the place errors would be reported.
    }
  };
}

/** The console methods written to (a parameter, so that tests can read what was written). */
export type ConsoleLike = Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;

/** The console from `minimum` up; in Node every level goes to stderr (stdout belongs to the program). */
function consoleLog(minimum: LogLevel | 'off', out: ConsoleLike): Log {
  const enabled = (level: LogLevel): boolean => minimum !== 'off' && LEVELS.indexOf(level) >= LEVELS.indexOf(minimum);
  const node = nodeProcess() !== undefined;
  const sink: Record<LogLevel, (line: string) => void> = {
    debug: (line) => (node ? out.error(line) : out.debug(line)),
    info: (line) => (node ? out.error(line) : out.info(line)),
    warn: (line) => out.warn(line),
    error: (line) => out.error(line),
  };
  const at = (level: LogLevel) => safe((message) => enabled(level) && sink[level](`kubex-rx ${level}: ${message}`));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The unknown `KUBEX_LOG` value last reported, so that every client made with it does not say it again. */
let reported: string | undefined;

/**
 * The log of a client: `logger` when given (its own level applies), else the console at the `KUBEX_LOG` level of
 * `env` (`warn` when unset; an unknown value says so once and means `warn`).
 */
export function createLog(logger: Logger | undefined, env: Readonly<Record<string, string | undefined>> | undefined, out: ConsoleLike = console): Log {
  if (logger !== undefined) {
    const info = 'info' in logger && typeof logger.info === 'function' ? logger.info : (logger as { log(message: string): void }).log;
    return {
      debug: safe((m) => logger.debug(m)),
      info: safe((m) => info.call(logger, m)),
      warn: safe((m) => logger.warn(m)),
      error: safe((m) => logger.error(m)),
    };
  }
  const setting = env?.[LOG_ENV]?.trim().toLowerCase() ?? '';
  if (setting === '') return consoleLog('warn', out);
  if (setting === 'off' || (LEVELS as readonly string[]).includes(setting)) return consoleLog(setting as LogLevel | 'off', out);
  const log = consoleLog('warn', out);
  if (setting !== reported) log.warn(`${LOG_ENV}=${JSON.stringify(setting)} is not one of ${[...LEVELS, 'off'].join(', ')}; logging warnings and errors`);
  reported = setting;
  return log;
}

/** The process's environment in Node; `undefined` elsewhere. */
export function processEnv(): Readonly<Record<string, string | undefined>> | undefined {
  return nodeProcess()?.env;
}

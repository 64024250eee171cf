import { describe, expect, it } from '@jest/globals';
import { createLog, type ConsoleLike } from '../../lib/client/log.js';
import type { Logger } from '../../lib/client/logger.js';

/** A console that records which method got which line. */
function recordingConsole(): { out: ConsoleLike; lines: string[] } {
  const lines: string[] = [];
  const at = (method: string) => (line: string): void => void lines.push(`${method} ${line}`);
  return { out: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const everyLevel = (log: ReturnType<typeof createLog>): void => {
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
};

describe('createLog without a logger: the console at the KUBEX_LOG level', () => {
  it('warn and error by default, to stderr in Node (console.error for debug and info, console.warn for warn)', () => {
    const { out, lines } = recordingConsole();
    everyLevel(createLog(undefined, {}, out));
    expect(lines).toEqual(['warn kubex-rx warn: w', 'error kubex-rx error: e']);
  });

  it('KUBEX_LOG=debug turns every level on; info, error and off as named (any case, spaces ignored)', () => {
    const cases: [string, string[]][] = [
      ['debug', ['error kubex-rx debug: d', 'error kubex-rx info: i', 'warn kubex-rx warn: w', 'error kubex-rx error: e']],
      [' Info ', ['error kubex-rx info: i', 'warn kubex-rx warn: w', 'error kubex-rx error: e']],
      ['ERROR', ['error kubex-rx error: e']],
      ['off', []],
    ];
    for (const [value, expected] of cases) {
      const { out, lines } = recordingConsole();
      everyLevel(createLog(undefined, { KUBEX_LOG: value }, out));
      expect(lines).toEqual(expected);
    }
  });

  it('an unknown KUBEX_LOG says so (once for the same value) and logs warnings and errors', () => {
    const { out, lines } = recordingConsole();
    everyLevel(createLog(undefined, { KUBEX_LOG: 'verbose' }, out));
    createLog(undefined, { KUBEX_LOG: 'verbose' }, out);
    expect(lines).toEqual([
      'warn kubex-rx warn: KUBEX_LOG="verbose" is not one of debug, info, warn, error, off; logging warnings and errors',
      'warn kubex-rx warn: w',
      'error kubex-rx error: e',
    ]);
  });
});

describe('createLog with a logger', () => {
  it('passes every level through, one string argument each, and ignores KUBEX_LOG', () => {
    const calls: unknown[][] = [];
    const logger: Logger = {
      debug: (...args: unknown[]) => void calls.push(['debug', ...args]),
      info: (...args: unknown[]) => void calls.push(['info', ...args]),
      warn: (...args: unknown[]) => void calls.push(['warn', ...args]),
      error: (...args: unknown[]) => void calls.push(['error', ...args]),
    };
    everyLevel(createLog(logger, { KUBEX_LOG: 'off' }));
    expect(calls).toEqual([['debug', 'd'], ['info', 'i'], ['warn', 'w'], ['error', 'e']]);
  });

  it('a logger with log() and no info() (NestJS) gets the info level through log(), called on the logger', () => {
    const calls: string[] = [];
    class NestLike {
      readonly context = 'Kubex';
      debug(message: string): void {
        calls.push(`debug ${message}`);
      }
      log(message: string): void {
        calls.push(`log[${this.context}] ${message}`);
      }
      warn(message: string): void {
        calls.push(`warn ${message}`);
      }
      error(message: string): void {
        calls.push(`error ${message}`);
      }
    }
    everyLevel(createLog(new NestLike(), undefined));
    expect(calls).toEqual(['debug d', 'log[Kubex] i', 'warn w', 'error e']);
  });

  it('a logger that throws is ignored: logging never fails the caller', () => {
    const broken: Logger = { debug: () => { throw new Error('disk full'); }, info: () => { throw new Error('x'); }, warn: () => { throw new Error('x'); }, error: () => { throw new Error('x'); } };
    expect(() => everyLevel(createLog(broken, undefined))).not.toThrow();
  });
});

/**
 * The loggers people use fit `createClient({ logger })` as they are: console, pino and NestJS's Logger. Each is
 * assigned to the `Logger` type (the compiler checks it) and then used through a client's log, to see what it
 * prints of one of our lines.
 */
import { describe, expect, it } from '@jest/globals';
import { Logger as NestLogger, ConsoleLogger } from '@nestjs/common';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLog } from '../../lib/client/log.js';
import type { Logger } from '../../lib/client/logger.js';

describe('Logger', () => {
  it('console fits', () => {
    const logger: Logger = console;
    expect(typeof createLog(logger, undefined).info).toBe('function');
  });

  it('pino fits, and logs our line as its msg at the same level', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString('utf8')), done()) });
    const logger: Logger = pino({ level: 'debug', base: null, timestamp: false }, destination);
    const log = createLog(logger, undefined);
    log.debug('GET https://h/api 200 in 3 ms');
    log.info('exec plugin "x" gave a token');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: 20, msg: 'GET https://h/api 200 in 3 ms' },
      { level: 30, msg: 'exec plugin "x" gave a token' },
    ]);
  });

  it("NestJS's Logger fits (its info level is log), and prints our line with its own context", () => {
    const printed: string[] = [];
    class Capture extends ConsoleLogger {
      protected override printMessages(messages: unknown[], context = '', logLevel = 'log'): void {
        printed.push(`${logLevel} [${context}] ${messages.map(String).join(' ')}`);
      }
    }
    NestLogger.overrideLogger(new Capture());
    try {
      const logger: Logger = new NestLogger('Kubex');
      const log = createLog(logger, undefined);
      log.info('in sync: 3 objects');
      log.warn('the API server warns: v1 Foo is deprecated');
      expect(printed).toEqual(['log [Kubex] in sync: 3 objects', 'warn [Kubex] the API server warns: v1 Foo is deprecated']);
    } finally {
      NestLogger.overrideLogger(true);
    }
  });
});

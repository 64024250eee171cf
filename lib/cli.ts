#!/usr/bin/env node
/**
 * The `kubex-rx` command (`dist/cli.js`): dispatches `codegen` to the code generator (`kubex-rx/codegen`) and
 * `fake-server` to the FakeApiServer command (`kubex-rx/testing`). Each is loaded only when asked for.
 *
 * ```sh
 * kubex-rx codegen --spec <file|url> --out <dir> [...]
 * kubex-rx fake-server [--port <n>] [--host <address>] [--seed <file>...] [--cors]
 * kubex-rx <command> --help
 * ```
 *
 * Exit code 0 on success, 1 on an error, 2 on a usage error (an unknown command or option; message and usage on
 * stderr). `--help` prints to stdout and exits 0.
 *
 * @packageDocumentation
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunCodegenOptions } from './codegen/cli.js';

/** Usage text of `kubex-rx`. @since 0.2.0 */
export const USAGE = `usage: kubex-rx <command> [options]

commands:
  codegen       generate io-ts codecs and types from CRDs (YAML or JSON) or an OpenAPI v2 spec (file or URL)
  fake-server   run a fake Kubernetes API server on loopback, for kubectl, clients or a browser
  help          print this help, or a command's: kubex-rx help codegen

Run kubex-rx <command> --help for a command's options.`;

/** Options of {@link main}: where lines go (`log`, `error`), and `signal`. @since 0.2.0 */
export interface MainOptions extends RunCodegenOptions {
  /** Stops a long-running command (`fake-server`) when aborted. */
  readonly signal?: AbortSignal;
}

/** The commands, each loaded when run: `args` are what follows the command's name. */
const COMMANDS: Readonly<Record<string, (args: readonly string[], options: MainOptions & Required<Pick<MainOptions, 'log' | 'error'>>) => Promise<number>>> = {
  codegen: async (args, options) => (await import('./codegen/cli.js')).runCodegen(args, options),
  'fake-server': async (args, options) => (await import('./testing/cli.js')).runFakeServer(args, options),
};

/**
 * Runs `kubex-rx` with `args` (without `node` and the script); resolves to the exit code. `options` reach the
 * command (`signal` stops `fake-server`).
 *
 * @example
 * ```ts
 * await main(['--help']);                                              // 0, the usage on stdout
 * await main(['codegen', '--spec', 'foobars.yaml', '--out', 'src/k8s']); // 0
 * ```
 * @since 0.1.0
 */
export async function main(args: readonly string[], options: MainOptions = {}): Promise<number> {
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const error = options.error ?? ((l: string) => process.stderr.write(`${l}\n`));
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || (command === 'help' && rest.length === 0)) {
    log(USAGE);
    return 0;
  }
  if (command === 'help') return main([rest[0]!, '--help'], options);
  const run = command === undefined ? undefined : Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    const what = command === undefined ? 'no command' : command.startsWith('-') ? `unknown option ${command}` : `unknown command ${command}`;
    error(`kubex-rx: ${what}\n${USAGE}`);
    return 2;
  }
  return run(rest, { ...options, log, error });
}

// Run when executed directly (not when imported by a test); process.argv[1] may be npm's bin symlink.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(resolve(process.argv[1]))).href) {
  process.exitCode = await main(process.argv.slice(2));
}

#!/usr/bin/env node
/**
 * The `kubex-rx` command (`dist/cli.js`): dispatches `codegen` and `builtins` to the code generator
 * (`kubex-rx/codegen`) and `fake-server` to the FakeApiServer command (`kubex-rx/testing`). Each is loaded only
 * when asked for.
 *
 * ```sh
 * kubex-rx codegen --spec <file|url> --out <dir> [...]
 * kubex-rx builtins [--openapi <dir>] [--root <dir>]
 * kubex-rx fake-server [--port <n>] [--host <address>] [--seed <file>...] [--cors]
 * ```
 *
 * @packageDocumentation
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const USAGE = `usage:
  kubex-rx codegen --spec <file|url> --out <dir> [--module-prefix <prefix>] [--runtime-module <module>] [--source <text>] [--clean]
  kubex-rx builtins [--openapi <dir>] [--root <dir>]
  kubex-rx fake-server [--port <n>] [--host <address>] [--seed <file>...] [--cors]`;

/**
 * Runs `kubex-rx` with `args` (without `node` and the script); resolves to the exit code. `options` reach the
 * `fake-server` command (`RunFakeServerOptions` of `kubex-rx/testing`).
 * @since 0.1.0
 */
export async function main(
  args: readonly string[],
  options: { readonly signal?: AbortSignal; readonly log?: (line: string) => void; readonly error?: (line: string) => void } = {},
): Promise<number> {
  const [command, ...rest] = args;
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const error = options.error ?? ((l: string) => process.stderr.write(`${l}\n`));
  if (command === 'fake-server') {
    const { runFakeServer } = await import('./testing/cli.js');
    return runFakeServer(rest, { ...options, log, error });
  }
  if (command === 'codegen' || command === 'builtins') {
    const codegen = await import('./codegen/cli.js');
    return codegen.main(args, log, error);
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    log(USAGE);
    return 0;
  }
  error(`${command === undefined ? 'no command' : `unknown command ${command}`}\n${USAGE}`);
  return 2;
}

// Run when executed directly (not when imported by a test); process.argv[1] may be npm's bin symlink.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(resolve(process.argv[1]))).href) {
  process.exitCode = await main(process.argv.slice(2));
}

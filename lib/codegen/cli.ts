#!/usr/bin/env node
/**
 * The codegen command line (`kubex-rx`, or `node dist/codegen/cli.js`).
 *
 * ```sh
 * kubex-rx codegen --spec <file|url> --out <dir> [--module-prefix <p>] [--runtime-module <m>] [--source <text>] [--clean]
 * kubex-rx builtins [--openapi <dir>] [--root <dir>]   # regenerates lib/k8s/v1_35 and v1_36 (npm run codegen)
 * ```
 *
 * `--spec` is an OpenAPI v2 document (a file, or a URL such as `http://127.0.0.1:8001/openapi/v2` behind
 * `kubectl proxy`) or a CRD / list of CRDs in JSON. Exit code 0 on success, 1 on an error (message on stderr),
 * 2 on a usage error.
 *
 * @packageDocumentation
 */
import { parseAllDocuments } from 'yaml';
import { readFileSync, realpathSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILTIN_TARGETS, generate, writeFiles, type GenerateOptions } from './index.js';

const USAGE = `usage:
  kubex-rx codegen --spec <file|url> --out <dir> [--module-prefix <prefix>] [--runtime-module <module>] [--source <text>] [--clean]
  kubex-rx builtins [--openapi <dir>] [--root <dir>]`;

/** A usage error: exit code 2. */
class UsageError extends Error {
  /** The class name, `UsageError`, also in stack traces and `String(error)`. */
  override readonly name = 'UsageError';
}

function parseFlags(args: readonly string[], known: readonly string[], booleans: readonly string[] = []): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.replace(/^--/, '');
    if (!arg.startsWith('--') || (!known.includes(name) && !booleans.includes(name))) throw new UsageError(`unknown argument ${arg}`);
    if (booleans.includes(name)) {
      flags.set(name, 'true');
    } else {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      flags.set(name, value);
    }
  }
  return flags;
}

/**
 * Reads a spec from a file path or an `http(s)://` URL: JSON, or YAML (a CRD manifest as `kubectl apply` takes
 * it, several documents separated by `---` allowed; they become an array).
 * @since 0.1.0
 */
export async function readSpec(location: string): Promise<unknown> {
  if (/^https?:\/\//.test(location)) {
    const response = await fetch(location, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET ${location}: HTTP ${response.status}`);
    return response.json();
  }
  return parseSpecText(readFileSync(location, 'utf8'), location);
}

/** Parses JSON, or else YAML (one document, or an array of the non-empty documents of a multi-document file). */
export function parseSpecText(text: string, source = 'input'): unknown {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') return JSON.parse(text);
  const documents = parseAllDocuments(text);
  const values: unknown[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${source}: not JSON, and not valid YAML: ${document.errors[0]!.message}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values.length === 1 ? values[0] : values;
}

/**
 * Runs the command line with `args` (without `node` and the script). Resolves to the exit code; writes
 * progress to `log` and errors to `error`.
 *
 * @since 0.1.0
 */
export async function main(
  args: readonly string[],
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  error: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  try {
    const [command, ...rest] = args;
    if (command === 'codegen') {
      const flags = parseFlags(rest, ['spec', 'out', 'module-prefix', 'runtime-module', 'source'], ['clean']);
      const spec = flags.get('spec');
      const out = flags.get('out');
      if (spec === undefined || out === undefined) throw new UsageError('codegen needs --spec and --out');
      const options: GenerateOptions = {
        modulePrefix: flags.get('module-prefix'),
        runtimeModule: flags.get('runtime-module'),
        source: flags.get('source') ?? `\`${basename(spec)}\``,
      };
      const files = generate(await readSpec(spec), options);
      writeFiles(files, out, flags.has('clean'));
      log(`codegen: wrote ${files.length} modules under ${out}`);
      return 0;
    }
    if (command === 'builtins') {
      const flags = parseFlags(rest, ['openapi', 'root']);
      const root = resolve(flags.get('root') ?? '.');
      const openapi = resolve(flags.get('openapi') ?? join(root, 'vendor', 'k8s-openapi'));
      for (const target of BUILTIN_TARGETS) {
        const files = generate(await readSpec(join(openapi, target.spec)), target.options);
        writeFiles(files, join(root, target.out), true);
        log(`codegen: wrote ${files.length} modules under ${target.out}`);
      }
      return 0;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      log(USAGE);
      return 0;
    }
    throw new UsageError(command === undefined ? 'no command' : `unknown command ${command}`);
  } catch (e) {
    if (e instanceof UsageError) {
      error(`${e.message}\n${USAGE}`);
      return 2;
    }
    error(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

// Run when executed directly (not when imported by a test).
// process.argv[1] may be npm's bin symlink: compare real paths.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(resolve(process.argv[1]))).href) {
  process.exitCode = await main(process.argv.slice(2));
}

/**
 * `kubex-rx codegen`: generates io-ts codecs, types and resource descriptors from CRDs or an OpenAPI v2 spec.
 *
 * ```sh
 * kubex-rx codegen --spec <file|url> --out <dir> [--module-prefix <prefix>] [--runtime-module <module>] [--source <text>] [--clean]
 * ```
 *
 * Exit code 0 on success, 1 on an error (message on stderr), 2 on a usage error (message and usage on stderr).
 *
 * @packageDocumentation
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { generate, writeFiles } from './index.js';
import { readSpec } from './read-spec.js';

/** Usage text of `kubex-rx codegen`. @since 0.2.0 */
export const CODEGEN_USAGE = `usage:
  kubex-rx codegen --spec <file|url> --out <dir> [options]

Generates io-ts codecs, TypeScript types and resource descriptors: one module per API group-version
(<dir>/<group>/<version>.ts). Codecs generated from a CRD also check the values its schema constrains
(enum, minimum/maximum, minLength/maxLength, pattern, format, minItems/maxItems).

  -s, --spec <file|url>       CRDs (YAML or JSON, several documents or a List allowed), or an OpenAPI v2
                              document such as a cluster's /openapi/v2 (e.g. behind kubectl proxy)
  -o, --out <dir>             the output directory
      --module-prefix <p>     where modules not generated in this run are imported from
                              (default kubex-rx/k8s/v1_35: ObjectMeta and ListMeta for CRDs)
      --runtime-module <m>    where the runtime helpers are imported from (default kubex-rx/k8s/runtime)
      --source <text>         what the file headers say the code was generated from (default: the spec's name)
      --clean                 delete the .ts files already under <dir> first
  -h, --help                  print this help

example:
  kubectl get crd foobars.example.com -o yaml > foobars.yaml
  npx kubex-rx codegen --spec foobars.yaml --out src/k8s`;

/** Options of {@link runCodegen}. @since 0.2.0 */
export interface RunCodegenOptions {
  /** Output lines (default: stdout). */
  readonly log?: (line: string) => void;
  /** Error lines (default: stderr). */
  readonly error?: (line: string) => void;
}

/** A usage error: exit code 2. */
class UsageError extends Error {
  /** The class name, `UsageError`, also in stack traces and `String(error)`. */
  override readonly name = 'UsageError';
}

const OPTIONS = {
  spec: { type: 'string', short: 's' },
  out: { type: 'string', short: 'o' },
  'module-prefix': { type: 'string' },
  'runtime-module': { type: 'string' },
  source: { type: 'string' },
  clean: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The flags of `args` (types inferred from {@link OPTIONS}), or a {@link UsageError} in words a user reads. */
function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const error = e as Error & { code?: string };
    // Node names the option as declared: `'-s, --spec <value>'`, `'--out'`.
    const option = /'(?:-\w, )?(--?[^' ,]+)/.exec(error.message)?.[1];
    switch (error.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown option ${option ?? error.message}`);
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new UsageError(`unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? error.message}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        // A string option without its value, or a boolean one given a value (`--clean=yes`).
        throw new UsageError(/argument missing|ambiguous/.test(error.message) && option !== undefined ? `${option} needs a value` : error.message);
      default:
        throw e;
    }
  }
}

/**
 * Runs `kubex-rx codegen` with `args` (what follows `codegen` on the command line); resolves to the exit code.
 * `--help` prints {@link CODEGEN_USAGE} to `log`; errors go to `error`.
 *
 * @example
 * ```ts
 * const code = await runCodegen(['--spec', 'foobars.yaml', '--out', 'src/k8s']);   // 0: `codegen: wrote 1 modules under src/k8s`
 * ```
 * @since 0.2.0
 */
export async function runCodegen(args: readonly string[], options: RunCodegenOptions = {}): Promise<number> {
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const error = options.error ?? ((l: string) => process.stderr.write(`${l}\n`));
  try {
    const flags = parseFlags(args);
    if (flags.help === true) {
      log(CODEGEN_USAGE);
      return 0;
    }
    const { spec, out } = flags;
    if (spec === undefined || out === undefined) throw new UsageError(`missing ${spec === undefined ? '--spec' : '--out'}`);
    const files = generate(await readSpec(spec), {
      modulePrefix: flags['module-prefix'],
      runtimeModule: flags['runtime-module'],
      source: flags.source ?? `\`${basename(spec)}\``,
    });
    writeFiles(files, out, flags.clean === true);
    log(`codegen: wrote ${files.length} modules under ${out}`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      error(`kubex-rx codegen: ${e.message}\n${CODEGEN_USAGE}`);
      return 2;
    }
    // Errors from node:fs may come from another realm (jest's VM): no `instanceof Error`, a message all the same.
    const message = (e as { message?: unknown } | null)?.message;
    error(typeof message === 'string' ? message : String(e));
    return 1;
  }
}

/**
 * `kubex-rx fake-server`: runs a {@link FakeApiServer} serving every built-in kind a default kube-apiserver v1.35
 * serves (its GA group-versions), for `kubectl`, client libraries or a browser to talk to.
 *
 * ```sh
 * kubex-rx fake-server [--port N] [--host 127.0.0.1] [--seed FILE...] [--cors] [--max-watch-queue-bytes N|false]
 * ```
 *
 * The first line on stdout is `listening on http://HOST:PORT` (the objects of the `--seed` files are loaded
 * before it). Serves until SIGINT or SIGTERM, then closes cleanly and exits 0. Exit code 1 on an error (a seed
 * file that cannot be read or loaded, a port in use), 2 on a usage error.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { Resource } from '../resource/define-resource.js';
import { allKinds } from './all-kinds.js';
import { FakeApiServer } from './fake-api-server.js';
import type { ObjectInput } from './store.js';

/** Usage text of `kubex-rx fake-server`. @since 0.1.0 */
export const FAKE_SERVER_USAGE = `usage:
  kubex-rx fake-server [--port <n>] [--host <address>] [--seed <file>...] [--cors] [--max-watch-queue-bytes <n>|false]
                       [--no-controllers]
    --port   port to listen on (default 0: a free port)
    --host   interface to bind (default 127.0.0.1, loopback only)
    --seed   JSON or YAML files of objects to create first (a List, or several YAML documents); repeatable
    --cors   answer cross-origin requests from any origin (for a page in a browser)
    --no-controllers
             run without the built-in controllers (garbage collector, namespace controller, kubelet
             stand-in): deleted namespaces stay Terminating, dependents are not collected
    --max-watch-queue-bytes
             unsent bytes after which a watch that does not keep up is closed as unresponsive, as
             kube-apiserver does (default 67108864, 64 MiB); false: never`;

/** Options of {@link runFakeServer}. @since 0.1.0 */
export interface RunFakeServerOptions {
  /** Stops the server when aborted. Default: SIGINT and SIGTERM of the process. */
  readonly signal?: AbortSignal;
  /** Output lines (default: stdout). The first is `listening on URL`. */
  readonly log?: (line: string) => void;
  /** Error lines (default: stderr). */
  readonly error?: (line: string) => void;
  /** Called with the running server once it listens and is seeded (for tests and embedding). */
  readonly onListening?: (server: FakeApiServer) => void;
}

class UsageError extends Error {
  /** The class name, `UsageError`, also in stack traces and `String(error)`. */
  override readonly name = 'UsageError';
}

interface Flags {
  port: number;
  host: string;
  seeds: string[];
  cors: boolean;
  controllers: boolean;
  maxWatchQueueBytes?: number | false;
}

function parseFlags(args: readonly string[]): Flags | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      // `--seed a.yaml b.yaml`: the arguments after the options are seed files too.
      allowPositionals: true,
      tokens: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string', multiple: true },
        cors: { type: 'boolean', default: false },
        'no-controllers': { type: 'boolean', default: false },
        'max-watch-queue-bytes': { type: 'string' },
      },
    });
  } catch (error) {
    // node's messages name the option ("Option '--port <value>' argument missing"); its error code is noise here.
    throw new UsageError(error instanceof Error ? error.message.replace(/^TypeError \[\w+\]: /, '') : String(error));
  }
  const { values, tokens } = parsed;
  if (values.help) return 'help';
  // Seed files in command-line order: `--seed FILE` and the plain arguments after it.
  const seeds: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option' && token.name === 'seed' && token.value !== undefined) seeds.push(token.value);
    else if (token.kind === 'positional') {
      if (seeds.length === 0) throw new UsageError(`unexpected argument ${token.value}`);
      seeds.push(token.value);
    }
  }
  const flags: Flags = { port: 0, host: values.host, seeds, cors: values.cors, controllers: !values['no-controllers'] };
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port: not a port number: ${values.port}`);
    flags.port = port;
  }
  const bound = values['max-watch-queue-bytes'];
  if (bound === 'false') flags.maxWatchQueueBytes = false;
  else if (bound !== undefined) {
    if (!/^[1-9]\d*$/.test(bound) || !Number.isSafeInteger(Number(bound))) {
      throw new UsageError(`--max-watch-queue-bytes: not a positive number of bytes or false: ${bound}`);
    }
    flags.maxWatchQueueBytes = Number(bound);
  }
  return flags;
}

type JsonRecord = Record<string, unknown>;

function isRecord(v: unknown): v is JsonRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The objects of a seed file: JSON (an object, an array, or a `List`/`XxxList`) or YAML (one or more documents).
 * Items of a typed list (`PodList`) without kind/apiVersion take them from the list.
 * @since 0.1.0
 */
export function parseSeedText(text: string, source = 'input'): JsonRecord[] {
  const first = text.trimStart()[0];
  let values: unknown[];
  if (first === '{' || first === '[') {
    const parsed: unknown = JSON.parse(text);
    values = Array.isArray(parsed) ? parsed : [parsed];
  } else {
    values = [];
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) throw new Error(`${source}: not JSON, and not valid YAML: ${document.errors[0]!.message}`);
      values.push(document.toJS());
    }
  }
  const out: JsonRecord[] = [];
  const add = (v: unknown, fallback?: { kind: string; apiVersion: string }): void => {
    if (v === null || v === undefined) return;
    if (!isRecord(v)) throw new Error(`${source}: not an object: ${JSON.stringify(v)}`);
    const kind = typeof v['kind'] === 'string' ? v['kind'] : fallback?.kind;
    const apiVersion = typeof v['apiVersion'] === 'string' ? v['apiVersion'] : fallback?.apiVersion;
    if (kind !== undefined && kind.endsWith('List') && Array.isArray(v['items'])) {
      const itemKind = kind === 'List' ? undefined : { kind: kind.slice(0, -'List'.length), apiVersion: apiVersion ?? 'v1' };
      for (const item of v['items']) add(item, itemKind);
      return;
    }
    out.push({ ...v, ...(kind !== undefined ? { kind } : {}), ...(apiVersion !== undefined ? { apiVersion } : {}) });
  };
  for (const v of values) add(v);
  return out;
}

/**
 * Creates the objects of `files` in `server` (kinds looked up among `kinds` by apiVersion and kind). Resolves to
 * the number of objects per file. Throws on an unknown kind or a failed create (e.g. `AlreadyExists`, or `NotFound`
 * for an object in a namespace that neither exists nor is in an earlier file). A file's Namespaces are created first.
 * @since 0.1.0
 */
export function seed(server: FakeApiServer, files: readonly string[], kinds: readonly Resource[]): { file: string; count: number }[] {
  const byType = new Map(kinds.map((k) => [`${k.apiVersion}/${k.kind}`, k]));
  return files.map((file) => {
    const objects = parseSeedText(readFileSync(file, 'utf8'), file);
    // Namespaces first: the server refuses content in a namespace that does not exist yet (NamespaceLifecycle).
    const ordered = [...objects.filter((o) => o['kind'] === 'Namespace'), ...objects.filter((o) => o['kind'] !== 'Namespace')];
    for (const obj of ordered) {
      const kind = byType.get(`${String(obj['apiVersion'])}/${String(obj['kind'])}`);
      if (!kind) throw new Error(`${file}: no served kind ${String(obj['kind'])} in ${String(obj['apiVersion'])}`);
      try {
        server.create(kind, obj as ObjectInput);
      } catch (e) {
        const meta = isRecord(obj['metadata']) ? obj['metadata'] : {};
        throw new Error(`${file}: ${String(obj['kind'])} ${String(meta['name'] ?? '')}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { file, count: objects.length };
  });
}

/**
 * Runs `kubex-rx fake-server` with `args` (without the command name): starts the server with every v1.35 kind,
 * seeds it, prints `listening on URL`, and serves until `signal` aborts (default: SIGINT/SIGTERM). Resolves to
 * the exit code: 0 after a clean stop, 1 on an error, 2 on a usage error.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const done = runFakeServer(['--seed', 'pods.yaml'], { signal: stop.signal, onListening: (s) => use(s.url) });
 * stop.abort(); await done;   // 0
 * ```
 * @since 0.1.0
 */
export async function runFakeServer(args: readonly string[], options: RunFakeServerOptions = {}): Promise<number> {
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const error = options.error ?? ((l: string) => process.stderr.write(`${l}\n`));
  let flags: Flags | 'help';
  try {
    flags = parseFlags(args);
  } catch (e) {
    error(`${e instanceof Error ? e.message : String(e)}\n${FAKE_SERVER_USAGE}`);
    return 2;
  }
  if (flags === 'help') {
    log(FAKE_SERVER_USAGE);
    return 0;
  }
  let server: FakeApiServer | undefined;
  try {
    const kinds = await allKinds();
    server = await FakeApiServer.start({ host: flags.host, port: flags.port, resources: 'v1.35', ...(flags.cors ? { cors: true } : {}),
      ...(flags.maxWatchQueueBytes !== undefined ? { maxWatchQueueBytes: flags.maxWatchQueueBytes } : {}),
      ...(flags.controllers ? {} : { controllers: false as const }),
    });
    const seeded = seed(server, flags.seeds, kinds);
    log(`listening on ${server.url}`);
    for (const s of seeded) log(`seeded ${s.count} object${s.count === 1 ? '' : 's'} from ${s.file}`);
    options.onListening?.(server);
    await stopped(options.signal);
    await server.close();
    return 0;
  } catch (e) {
    error(e instanceof Error ? e.message : String(e));
    await server?.close();
    return 1;
  }
}

/** Resolves when `signal` aborts, or (without one) on the process' first SIGINT or SIGTERM. */
function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal) {
    return new Promise((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

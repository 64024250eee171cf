/**
 * Kubeconfig files: the io-ts codec of the file (`clientcmd/api/v1` types, kebab-case keys as kubectl writes
 * them), parsing with the `yaml` package, and kubectl's loading rules (client-go `tools/clientcmd/loader.go`):
 * a `KUBECONFIG` path list merged so that the first file to define a name wins, `current-context` from the
 * first file that sets it, relative paths resolved against the file that holds them.
 *
 * Node only: imported lazily by `createClient`, never by browser bundles.
 */
import { readFile } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import * as t from 'io-ts';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { KubeconfigError } from '../errors/config-errors.js';

/** A list that kubectl may write as `null` (`clusters: null`, `env: null`): decoded as `[]`, same error paths. */
function list<C extends t.Mixed>(codec: C): t.Type<t.TypeOf<C>[], unknown> {
  const array = t.array(codec);
  return new t.Type<t.TypeOf<C>[], unknown>(
    'list',
    (u): u is t.TypeOf<C>[] => array.is(u),
    // null becomes []; an absent key stays absent (t.partial validates absent keys too).
    (u, c) => (u === null ? t.success([]) : u === undefined ? t.success(u as unknown as t.TypeOf<C>[]) : array.validate(u, c)),
    (a) => a,
  );
}

/** `clusters[].cluster` (client-go `Cluster`). */
const Cluster = t.partial({
  server: t.string,
  'tls-server-name': t.string,
  'insecure-skip-tls-verify': t.boolean,
  'certificate-authority': t.string,
  'certificate-authority-data': t.string,
  'proxy-url': t.string,
  'disable-compression': t.boolean,
});

/** `users[].user.exec` (client-go `ExecConfig`). */
const ExecConfig = t.intersection([
  t.type({ command: t.string, apiVersion: t.string }),
  t.partial({
    args: list(t.string),
    env: list(t.type({ name: t.string, value: t.string })),
    installHint: t.string,
    provideClusterInfo: t.boolean,
    interactiveMode: t.string,
  }),
]);

/** `users[].user` (client-go `AuthInfo`). */
const AuthInfo = t.partial({
  'client-certificate': t.string,
  'client-certificate-data': t.string,
  'client-key': t.string,
  'client-key-data': t.string,
  token: t.string,
  tokenFile: t.string,
  as: t.string,
  'as-uid': t.string,
  'as-groups': list(t.string),
  'as-user-extra': t.record(t.string, list(t.string)),
  username: t.string,
  password: t.string,
  'auth-provider': t.intersection([t.type({ name: t.string }), t.partial({ config: t.unknown })]),
  exec: ExecConfig,
});

/** `contexts[].context`. */
const Context = t.partial({ cluster: t.string, user: t.string, namespace: t.string });

/**
 * The io-ts codec of one kubeconfig file. Open like client-go's decoder: unknown fields are ignored.
 * @since 0.1.0
 */
export const KubeconfigFile = t.partial({
  apiVersion: t.string,
  kind: t.string,
  clusters: list(t.type({ name: t.string, cluster: Cluster })),
  users: list(t.type({ name: t.string, user: AuthInfo })),
  contexts: list(t.type({ name: t.string, context: Context })),
  'current-context': t.string,
});
/** One decoded kubeconfig file. @since 0.1.0 */
export type KubeconfigFile = t.TypeOf<typeof KubeconfigFile>;
/** A kubeconfig cluster. @since 0.1.0 */
export type KubeconfigCluster = t.TypeOf<typeof Cluster>;
/** A kubeconfig user (client-go's `AuthInfo`). @since 0.1.0 */
export type KubeconfigUser = t.TypeOf<typeof AuthInfo>;
/** A kubeconfig user's exec plugin. @since 0.1.0 */
export type KubeconfigExec = t.TypeOf<typeof ExecConfig>;
/** A kubeconfig context. @since 0.1.0 */
export type KubeconfigContext = t.TypeOf<typeof Context>;

/** The io-ts context as a field path: `users[0].user.token`. Union/intersection branches add no segment. */
function fieldPath(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const parent = (context[i - 1]!.type as { _tag?: string })._tag;
    if (parent === 'IntersectionType' || parent === 'UnionType') continue;
    const key = context[i]!.key;
    path += parent === 'ArrayType' || parent === undefined ? `[${key}]` : path === '' ? key : `.${key}`;
  }
  return path;
}

/** A readable name of what was expected, never the value found (it may be a secret). */
function expected(context: t.Context): string {
  const type = context[context.length - 1]!.type;
  const tag = (type as { _tag?: string })._tag;
  if (tag === 'InterfaceType' || tag === 'PartialType' || tag === 'IntersectionType' || tag === 'DictionaryType') return 'a mapping';
  if (tag === 'ArrayType' || type.name === 'list') return 'a list';
  return `a ${type.name}`;
}

/**
 * Parses and decodes one kubeconfig file's text. Errors name the file, and the field and what it should be
 * (never the value found, which may be a secret); YAML errors give the line and column, not the text.
 * @throws KubeconfigError
 * @since 0.1.0
 */
export function parseKubeconfig(text: string, file: string): KubeconfigFile {
  let raw: unknown;
  try {
    // prettyErrors off: the default message quotes the offending source line, which may hold a token.
    raw = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    let pos = '';
    if (error instanceof YAMLParseError) {
      // Line and column from the offset (linePos is only filled in with prettyErrors).
      const before = text.slice(0, error.pos[0]).split('\n');
      pos = ` at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
    }
    const code = error instanceof YAMLParseError ? ` (${error.code})` : '';
    throw new KubeconfigError(`not valid YAML${pos}${code}`, { file });
  }
  if (raw === null || raw === undefined) return {}; // an empty file is an empty config (client-go)
  const decoded = KubeconfigFile.decode(raw);
  if (decoded._tag === 'Left') {
    const first = decoded.left[0]!;
    const field = fieldPath(first.context);
    throw new KubeconfigError(`expected ${expected(first.context)}`, { file, ...(field ? { field } : { field: '(root)' }) });
  }
  return decoded.right;
}

/**
 * The merged view of one or more kubeconfig files: each cluster, user and context with the file it came from
 * (relative paths already resolved against that file's directory).
 * @since 0.1.0
 */
export interface MergedKubeconfig {
  /** The files that were read, in order. */
  readonly files: readonly string[];
  readonly clusters: ReadonlyMap<string, { readonly cluster: KubeconfigCluster; readonly file: string }>;
  readonly users: ReadonlyMap<string, { readonly user: KubeconfigUser; readonly file: string }>;
  readonly contexts: ReadonlyMap<string, { readonly context: KubeconfigContext; readonly file: string }>;
  /** From the first file that sets it; `''` when none does. */
  readonly currentContext: string;
}

/** client-go `ResolveLocalPaths`: file references are relative to the kubeconfig that holds them. */
function resolvePaths(config: KubeconfigFile, file: string): KubeconfigFile {
  const dir = dirname(file);
  const abs = (p: string | undefined): string | undefined => (p === undefined || p === '' || isAbsolute(p) ? p : resolve(dir, p));
  return {
    ...config,
    clusters: config.clusters?.map((c) => ({ ...c, cluster: { ...c.cluster, 'certificate-authority': abs(c.cluster['certificate-authority']) } })),
    users: config.users?.map((u) => {
      const user: KubeconfigUser = {
        ...u.user,
        'client-certificate': abs(u.user['client-certificate']),
        'client-key': abs(u.user['client-key']),
        tokenFile: abs(u.user.tokenFile),
      };
      // Only a command with a path separator is a file reference; a bare name is looked up in PATH.
      const exec = u.user.exec;
      if (exec && /[\\/]/.test(exec.command)) user.exec = { ...exec, command: abs(exec.command)! };
      return { ...u, user };
    }),
  };
}

/**
 * Reads and merges kubeconfig files with kubectl's rules. `required` files must exist (an explicit path);
 * the others (from `KUBECONFIG`, `~/.kube/config`) are skipped when missing, as client-go does.
 * @throws KubeconfigError for a required file that is missing, any unreadable or invalid file.
 * @since 0.1.0
 */
export async function loadKubeconfigs(paths: readonly string[], required: boolean): Promise<MergedKubeconfig> {
  const clusters = new Map<string, { cluster: KubeconfigCluster; file: string }>();
  const users = new Map<string, { user: KubeconfigUser; file: string }>();
  const contexts = new Map<string, { context: KubeconfigContext; file: string }>();
  const files: string[] = [];
  let currentContext = '';
  for (const path of [...new Set(paths.filter((p) => p !== ''))]) {
    const file = resolve(path);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT' && !required) continue;
      throw new KubeconfigError(code === 'ENOENT' ? 'file not found' : `cannot read the file (${String(code ?? error)})`, { file, cause: error });
    }
    files.push(file);
    const config = resolvePaths(parseKubeconfig(text, file), file);
    // The first file to set a name wins, and the first to set current-context (kubectl config view --merge).
    for (const c of config.clusters ?? []) if (!clusters.has(c.name)) clusters.set(c.name, { cluster: c.cluster, file });
    for (const u of config.users ?? []) if (!users.has(u.name)) users.set(u.name, { user: u.user, file });
    for (const c of config.contexts ?? []) if (!contexts.has(c.name)) contexts.set(c.name, { context: c.context, file });
    if (currentContext === '' && config['current-context']) currentContext = config['current-context'];
  }
  return { files, clusters, users, contexts, currentContext };
}

/** `KUBECONFIG` split on the platform's path delimiter (`:`, `;` on Windows), empty entries dropped. */
export function splitKubeconfigEnv(value: string): string[] {
  return value.split(delimiter).filter((p) => p.trim() !== '');
}

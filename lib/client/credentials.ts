/**
 * The credential providers behind a kubeconfig user or the in-cluster service account: static headers, a token
 * file re-read as it rotates, an exec plugin cached until its credential expires. Node only.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors/config-errors.js';
import { runExecPlugin, type ExecClusterInfo, type ExecCredential, type ExecPluginConfig } from './exec-plugin.js';
import type { CredentialProvider, RequestCredentials } from './kube-client.js';
import type { Log } from './log.js';

/** `[name, value]` header pairs (a name may repeat). */
export type HeaderPairs = ReadonlyArray<readonly [string, string]>;

/**
 * How long a token read from a file is used before the file is read again. client-go's `cachingTokenSource`
 * re-reads bound service-account tokens about every minute (`transport/token_source.go`), so a rotated
 * projected token is picked up before the old one expires; a 401 re-reads at once.
 */
export const TOKEN_FILE_REFRESH_MS = 60_000;

/** Always the same headers (a static token, basic auth, impersonation only). */
export class StaticCredentials implements CredentialProvider {
  readonly #result: RequestCredentials;
  constructor(headers: HeaderPairs) {
    this.#result = { headers };
  }
  credentials(): RequestCredentials {
    return this.#result;
  }
}

/** Reads a token file. Errors name the file and the system error code, never the content. */
async function readToken(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigError(`cannot read token file ${path} (${String(code ?? 'error')})`, { cause: error });
  }
  const token = text.trim();
  if (token === '') throw new ConfigError(`token file ${path} is empty`);
  return token;
}

/**
 * A bearer token read from a file (`tokenFile`, the in-cluster service-account token), re-read every
 * {@link TOKEN_FILE_REFRESH_MS} and after a 401, so rotated tokens keep working. If the file cannot be read
 * later, the last token is kept (client-go does the same) until it can.
 */
export class TokenFileCredentials implements CredentialProvider {
  readonly #path: string;
  readonly #extra: HeaderPairs;
  readonly #log: Log;
  #token: string;
  #readAt: number;
  #result: RequestCredentials;
  #reading: Promise<void> | undefined;

  private constructor(path: string, token: string, extra: HeaderPairs, log: Log) {
    this.#path = path;
    this.#extra = extra;
    this.#log = log;
    this.#token = token;
    this.#readAt = Date.now();
    this.#result = this.#make();
  }

  /** Reads the file once: a missing or empty file is a {@link ConfigError} at `createClient` time. */
  static async open(path: string, extra: HeaderPairs, log: Log): Promise<TokenFileCredentials> {
    return new TokenFileCredentials(path, await readToken(path), extra, log);
  }

  #make(): RequestCredentials {
    return { headers: [['Authorization', `Bearer ${this.#token}`], ...this.#extra] };
  }

  /** Reads the file again; `why` says what for, in the log (never the token). */
  #reread(why: string): Promise<void> {
    this.#reading ??= readToken(this.#path)
      .then(
        (token) => {
          if (token === this.#token) {
            this.#log.debug(`token file ${this.#path} re-read (${why}): unchanged`);
            return;
          }
          this.#token = token;
          this.#result = this.#make();
          this.#log.info(`token file ${this.#path} re-read (${why}): a new token, used from now on`);
        },
        // Keep the last good token; the message names the file and the system error code only.
        (error: unknown) => this.#log.warn(`${(error as Error).message}; keeping the last token`),
      )
      .finally(() => {
        this.#readAt = Date.now();
        this.#reading = undefined;
      });
    return this.#reading;
  }

  async credentials(): Promise<RequestCredentials> {
    if (Date.now() - this.#readAt >= TOKEN_FILE_REFRESH_MS) await this.#reread('periodic');
    return this.#result;
  }

  async refresh(): Promise<void> {
    await this.#reread('after a 401');
  }
}

/**
 * An exec credential plugin: run on first use, its credential cached until `expirationTimestamp`, run again
 * after a 401 (client-go `plugin/pkg/client/auth/exec`: `maybeRefreshCreds` only when the failed request used
 * the cached credential, so a burst of 401s runs the plugin once). Concurrent requests share one run.
 */
export class ExecCredentials implements CredentialProvider {
  readonly #config: ExecPluginConfig;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #cluster: ExecClusterInfo | undefined;
  readonly #agentFor: (cert: string, key: string) => unknown;
  readonly #extra: HeaderPairs;
  readonly #log: Log;
  #cached: { readonly credential: ExecCredential; readonly result: RequestCredentials } | undefined;
  #running: Promise<RequestCredentials> | undefined;

  constructor(
    config: ExecPluginConfig,
    env: Readonly<Record<string, string | undefined>>,
    cluster: ExecClusterInfo | undefined,
    agentFor: (cert: string, key: string) => unknown,
    extra: HeaderPairs,
    log: Log,
  ) {
    this.#config = config;
    this.#env = env;
    this.#cluster = cluster;
    this.#agentFor = agentFor;
    this.#extra = extra;
    this.#log = log;
  }

  /** Runs the plugin; `why` says what for, in the log (which names the command, never what it printed). */
  #run(why: string): Promise<RequestCredentials> {
    if (this.#running) return this.#running;
    const command = JSON.stringify(this.#config.command);
    this.#log.debug(`running exec plugin ${command} (${why})`);
    this.#running = runExecPlugin(this.#config, this.#env, this.#cluster)
      .then(
        (credential) => {
          const result: RequestCredentials = {
            headers: [...(credential.token ? [['Authorization', `Bearer ${credential.token}`] as const] : []), ...this.#extra],
            ...(credential.clientCertificateData !== undefined ? { agent: this.#agentFor(credential.clientCertificateData, credential.clientKeyData!) } : {}),
          };
          this.#cached = { credential, result };
          const kind = credential.token ? 'a token' : 'a client certificate';
          const until = credential.expiresAt !== undefined ? `valid until ${new Date(credential.expiresAt).toISOString()}` : 'with no expiry';
          this.#log.info(`exec plugin ${command} (${why}) gave ${kind}, ${until}`);
          return result;
        },
        (error: unknown) => {
          // An ExecPluginError: its message names the command and says why, never what the plugin printed.
          this.#log.warn((error as Error).message);
          throw error;
        },
      )
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  credentials(): Promise<RequestCredentials> | RequestCredentials {
    const cached = this.#cached;
    // client-go treats the credential as valid until its expiry passes (no leeway).
    if (cached && (cached.credential.expiresAt === undefined || Date.now() < cached.credential.expiresAt)) return cached.result;
    return this.#running ?? this.#run(cached ? 'the credential expired' : 'first use');
  }

  async refresh(used: RequestCredentials): Promise<void> {
    if (this.#running) {
      await this.#running;
      return;
    }
    // Another request already refreshed: its new credential is what the retry should use.
    if (this.#cached && this.#cached.result !== used) return;
    this.#cached = undefined;
    await this.#run('after a 401');
  }
}

/**
 * Exec credential plugins (`users[].user.exec`), after client-go `plugin/pkg/client/auth/exec/exec.go`:
 * the command is spawned without a shell, with the configured args and env on top of ours, and
 * `KUBERNETES_EXEC_INFO` describing the request; it prints an `ExecCredential` whose `status` holds a token or
 * a client certificate and key, cached until `expirationTimestamp`. Node only.
 * See https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins.
 */
import { spawn } from 'node:child_process';
import * as t from 'io-ts';
import { ExecPluginError } from '../errors/config-errors.js';

/** The API versions client-go still speaks (v1alpha1 was removed in Kubernetes 1.24). */
const API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

/**
 * An exec credential plugin, as in a kubeconfig's `users[].user.exec` (camelCase as there).
 * @since 0.1.0
 */
export interface ExecPluginConfig {
  /** The program: a path, or a name looked up in `PATH`. Never run through a shell. */
  readonly command: string;
  /** The arguments, passed to the program as they are (no shell). */
  readonly args?: readonly string[];
  /** Extra environment variables, on top of the process's. */
  readonly env?: readonly {
    /** The variable's name. */
    readonly name: string;
    /** The variable's value. */
    readonly value: string;
  }[];
  /** `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`. */
  readonly apiVersion: string;
  /** Shown when the command is not found. */
  readonly installHint?: string;
  /** Pass the cluster (server, CA, ...) to the plugin in `KUBERNETES_EXEC_INFO`. */
  readonly provideClusterInfo?: boolean;
  /**
   * `Never` (kubex-rx never gives a plugin a terminal), `IfAvailable` (runs non-interactively), or `Always`
   * (refused). Required by v1, as client-go requires it.
   */
  readonly interactiveMode?: string;
}

/** The cluster a plugin is told about with `provideClusterInfo` (`ExecCredential.spec.cluster`). */
export interface ExecClusterInfo {
  readonly server: string;
  readonly 'tls-server-name'?: string;
  readonly 'insecure-skip-tls-verify'?: boolean;
  readonly 'certificate-authority-data'?: string;
  readonly 'proxy-url'?: string;
}

/** What a plugin gave: a token or a client certificate, and when it expires. */
export interface ExecCredential {
  readonly token?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  /** `Date.getTime()` of `expirationTimestamp`; `undefined`: valid until a 401 says otherwise. */
  readonly expiresAt?: number;
}

const ExecCredentialOutput = t.type({
  apiVersion: t.string,
  kind: t.literal('ExecCredential'),
  status: t.partial({ token: t.string, clientCertificateData: t.string, clientKeyData: t.string, expirationTimestamp: t.string }),
});

/** The largest stdout a plugin may print (a certificate chain and key fit easily). */
const MAX_OUTPUT = 1024 * 1024;

/** Checks a plugin config as client-go's `ValidateExecConfig` does. */
export function validateExecConfig(config: ExecPluginConfig): void {
  const command = config.command;
  if (!command) throw new ExecPluginError('no command', { command });
  if (!(API_VERSIONS as readonly string[]).includes(config.apiVersion)) {
    throw new ExecPluginError(`apiVersion ${JSON.stringify(config.apiVersion)} is not supported (use ${API_VERSIONS.join(' or ')})`, { command });
  }
  const mode = config.interactiveMode;
  if (mode === undefined && config.apiVersion.endsWith('/v1')) throw new ExecPluginError('interactiveMode must be set for client.authentication.k8s.io/v1', { command });
  if (mode === 'Always') throw new ExecPluginError('interactiveMode Always is not possible: kubex-rx runs plugins without a terminal', { command });
  if (mode !== undefined && mode !== 'Never' && mode !== 'IfAvailable') throw new ExecPluginError(`unknown interactiveMode ${JSON.stringify(mode)}`, { command });
}

/** The last line of a plugin's stderr, shortened: enough to say what went wrong. */
function stderrTail(stderr: string): string {
  const lines = stderr.trim().split('\n');
  const last = lines[lines.length - 1]?.trim() ?? '';
  return last.length > 300 ? `${last.slice(0, 300)}…` : last;
}

/**
 * Runs a plugin once and returns its credential.
 * @throws ExecPluginError when it cannot start, exits non-zero, or prints no valid ExecCredential.
 */
export function runExecPlugin(config: ExecPluginConfig, baseEnv: Readonly<Record<string, string | undefined>>, cluster: ExecClusterInfo | undefined): Promise<ExecCredential> {
  validateExecConfig(config);
  const command = config.command;
  const info = {
    kind: 'ExecCredential',
    apiVersion: config.apiVersion,
    spec: { interactive: false, ...(config.provideClusterInfo && cluster ? { cluster } : {}) },
  };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined) env[k] = v;
  for (const e of config.env ?? []) env[e.name] = e.value;
  env['KUBERNETES_EXEC_INFO'] = JSON.stringify(info);

  return new Promise<ExecCredential>((resolve, reject) => {
    // No shell: args go to the program as they are (client-go uses exec.Command). No stdin: never interactive.
    const child = spawn(command, [...(config.args ?? [])], { env, shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes <= MAX_OUTPUT) out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-4096);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ENOENT' && config.installHint ? `\n${config.installHint}` : '';
      reject(new ExecPluginError(error.code === 'ENOENT' ? `command not found${hint}` : `could not start (${error.code ?? error.message})`, { command, cause: error }));
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const tail = stderrTail(err);
        const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new ExecPluginError(`${how}${tail ? `: ${tail}` : ''}`, { command, ...(code !== null ? { exitCode: code } : {}) }));
        return;
      }
      if (outBytes > MAX_OUTPUT) return reject(new ExecPluginError(`printed more than ${MAX_OUTPUT} bytes`, { command }));
      try {
        resolve(parseExecOutput(Buffer.concat(out).toString('utf8'), config));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Decodes and checks a plugin's stdout. Messages never quote it: it holds the credential. */
function parseExecOutput(stdout: string, config: ExecPluginConfig): ExecCredential {
  const command = config.command;
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new ExecPluginError('printed something that is not JSON (expected an ExecCredential)', { command });
  }
  const decoded = ExecCredentialOutput.decode(json);
  if (decoded._tag === 'Left') {
    const bad = decoded.left[0]!.context.map((c) => c.key).filter((k) => k !== '').join('.');
    throw new ExecPluginError(`printed an invalid ExecCredential (${bad || 'the document'} is missing or of the wrong type)`, { command });
  }
  const output = decoded.right;
  // client-go: "exec plugin is configured to use API version X, plugin returned version Y".
  if (output.apiVersion !== config.apiVersion) {
    throw new ExecPluginError(`is configured to use API version ${config.apiVersion}, plugin returned version ${output.apiVersion}`, { command });
  }
  const { token, clientCertificateData: cert, clientKeyData: key, expirationTimestamp } = output.status;
  if ((cert === undefined) !== (key === undefined)) {
    throw new ExecPluginError('returned only one of clientCertificateData and clientKeyData', { command });
  }
  if (!token && !cert) throw new ExecPluginError('returned neither a token nor a client certificate', { command });
  let expiresAt: number | undefined;
  if (expirationTimestamp !== undefined) {
    expiresAt = Date.parse(expirationTimestamp);
    if (Number.isNaN(expiresAt)) throw new ExecPluginError('returned an expirationTimestamp that is not an RFC 3339 time', { command });
  }
  return {
    ...(token ? { token } : {}),
    ...(cert !== undefined ? { clientCertificateData: cert, clientKeyData: key } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

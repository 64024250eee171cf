import { KubexError } from './kubex-error.js';

/**
 * The client's configuration could not be used: no server, a malformed URL, an unreadable file, an unknown
 * context. The base of {@link KubeconfigError} and {@link ExecPluginError}. Messages name files, fields and
 * contexts, never a token, password, key or certificate.
 * @since 0.1.0
 */
export class ConfigError extends KubexError {
  /** The class name, `ConfigError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'ConfigError';
}

/**
 * A kubeconfig file is missing, is not YAML, does not match the kubeconfig schema, or names a context, cluster
 * or user that does not exist. `file` is the file (when one is to blame) and `field` the path of the bad field
 * in it (`users[0].user.token`), when there is one.
 * @since 0.1.0
 */
export class KubeconfigError extends ConfigError {
  /** The class name, `KubeconfigError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'KubeconfigError';
  /** The kubeconfig file at fault, if one is. */
  readonly file: string | undefined;
  /** The path of the offending field, e.g. `clusters[0].cluster.server`, if any. */
  readonly field: string | undefined;

  constructor(message: string, details: { readonly file?: string; readonly field?: string; readonly cause?: unknown } = {}) {
    const where = [details.file, details.field].filter((x) => x !== undefined).join(': ');
    super(where ? `${where}: ${message}` : message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.file = details.file;
    this.field = details.field;
  }
}

/**
 * An exec credential plugin (`users[].user.exec`) could not be started, failed, or printed something that is not
 * a valid `ExecCredential`. The message names the command and says why (exit code, the end of its stderr, the
 * install hint when the command is not found); it never contains what the plugin printed on stdout.
 * @since 0.1.0
 */
export class ExecPluginError extends ConfigError {
  /** The class name, `ExecPluginError`, also in stack traces and `String(error)`. */
  override readonly name: string = 'ExecPluginError';
  /** The plugin's command as configured. */
  readonly command: string;
  /** Its exit code, when it ran and failed. */
  readonly exitCode: number | undefined;

  constructor(message: string, details: { readonly command: string; readonly exitCode?: number; readonly cause?: unknown }) {
    super(`exec plugin ${JSON.stringify(details.command)}: ${message}`, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.command = details.command;
    this.exitCode = details.exitCode;
  }
}

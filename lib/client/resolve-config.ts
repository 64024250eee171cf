/**
 * Where the server is and who we are, the way kubectl decides (client-go `tools/clientcmd`): explicit options
 * over a kubeconfig context (`KUBECONFIG` or `~/.kube/config`), else the in-cluster service account
 * (`rest.InClusterConfig`). Node only; `createClient` imports it lazily.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { ConfigError, KubeconfigError } from '../errors/config-errors.js';
import { StaticCredentials, TokenFileCredentials, ExecCredentials, type HeaderPairs } from './credentials.js';
import { validateExecConfig, type ExecClusterInfo, type ExecPluginConfig } from './exec-plugin.js';
import { loadKubeconfigs, splitKubeconfigEnv, type MergedKubeconfig, type KubeconfigExec } from './kubeconfig.js';
import type { CredentialProvider } from './kube-client.js';
import { redactUrl } from './redact-url.js';
import type { Log } from './log.js';
import { proxyFromEnvironment } from './proxy-env.js';
import { createAgent, type TlsSettings } from './transport.js';
import type { ClientOptions, Impersonation } from './client-options.js';

/** The service account's files in a pod (`rest.InClusterConfig`). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Credential =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'tokenFile'; readonly path: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'exec'; readonly exec: ExecPluginConfig };

/** Everything a configuration source says, before credentials and transport are built. */
interface Settings {
  server?: URL;
  namespace?: string;
  tls: { ca?: string; cert?: string; key?: string; insecure?: boolean; serverName?: string };
  /** An explicit proxy: the kubeconfig cluster's `proxy-url` or the `proxyUrl` option. */
  proxy?: URL;
  credential?: Credential;
  impersonate?: Impersonation;
  /** Says where this came from, for messages: `kubeconfig context "x"`, `in-cluster`, `options`. */
  source: string;
}

/** What `createClient` builds the `KubeClient` from. */
export interface ResolvedConfig {
  readonly server: URL;
  readonly namespace: string;
  readonly auth: CredentialProvider | undefined;
  readonly agent: unknown;
  /** Where the configuration came from: `kubeconfig context "x"`, `in-cluster` or `options`. */
  readonly source: string;
}

function parseServer(value: string | URL, what: string, details?: { file?: string; field?: string }): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw details ? new KubeconfigError(`${what} is not a valid URL`, details) : new ConfigError(`createClient: ${what} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const message = `${what} must be an http(s) URL, got ${url.protocol}`;
    throw details ? new KubeconfigError(message, details) : new ConfigError(`createClient: ${message}`);
  }
  if (url.username || url.password) {
    const message = `credentials in the ${what} URL are not supported`;
    throw details ? new KubeconfigError(message, details) : new ConfigError(`createClient: ${message}; pass { token }`);
  }
  return url;
}

function parseProxy(value: string | URL, details?: { file?: string; field?: string }): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw details ? new KubeconfigError('proxy-url is not a valid URL', details) : new ConfigError('createClient: proxyUrl is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // client-go also speaks socks5; kubex-rx tunnels through HTTP(S) proxies only.
    const message = `proxy scheme ${url.protocol} is not supported (http: and https: are)`;
    throw details ? new KubeconfigError(message, details) : new ConfigError(`createClient: ${message}`);
  }
  return url;
}

/** Reads a PEM file named by a kubeconfig; errors name the file and field, never the content. */
async function readPem(path: string, details: { file?: string; field: string }): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new KubeconfigError(`cannot read ${path} (${String(code ?? 'error')})`, { ...details, cause: error });
  }
}

function decodeData(value: string, details: { file?: string; field: string }): string {
  const text = Buffer.from(value, 'base64').toString('utf8');
  if (!text.includes('-----BEGIN')) throw new KubeconfigError('is not base64 of a PEM block', details);
  return text;
}

/** The chosen context of a merged kubeconfig, as {@link Settings}. */
async function fromKubeconfig(merged: MergedKubeconfig, requested: string | undefined): Promise<Settings> {
  const files = merged.files.join(', ');
  const name = requested ?? merged.currentContext;
  if (!name) throw new KubeconfigError(`no context given and no current-context set in ${files}`);
  const ctx = merged.contexts.get(name);
  if (!ctx) {
    const known = [...merged.contexts.keys()].map((k) => JSON.stringify(k)).join(', ') || 'none';
    throw new KubeconfigError(`context ${JSON.stringify(name)} not found in ${files || 'any kubeconfig'} (contexts: ${known})`);
  }
  const where = (field: string, file = ctx.file): { file: string; field: string } => ({ file, field });
  const clusterName = ctx.context.cluster ?? '';
  const cluster = merged.clusters.get(clusterName);
  if (!cluster) throw new KubeconfigError(`context ${JSON.stringify(name)} refers to cluster ${JSON.stringify(clusterName)}, which is not defined`, where(`contexts[${JSON.stringify(name)}].context.cluster`));
  const c = cluster.cluster;
  const cf = (field: string): { file: string; field: string } => where(`clusters[${JSON.stringify(clusterName)}].cluster.${field}`, cluster.file);
  if (!c.server) throw new KubeconfigError('no server set', cf('server'));
  const settings: Settings = {
    server: parseServer(c.server, 'server', cf('server')),
    namespace: ctx.context.namespace || 'default',
    tls: {},
    source: `kubeconfig context ${JSON.stringify(name)}`,
  };
  if (c['certificate-authority-data']) settings.tls.ca = decodeData(c['certificate-authority-data'], cf('certificate-authority-data'));
  else if (c['certificate-authority']) settings.tls.ca = await readPem(c['certificate-authority'], cf('certificate-authority'));
  if (c['insecure-skip-tls-verify']) {
    // client-go's validation: "specifying a root certificates file with the insecure flag is not allowed".
    if (settings.tls.ca !== undefined) throw new KubeconfigError('insecure-skip-tls-verify cannot be combined with a certificate authority', cf('insecure-skip-tls-verify'));
    settings.tls.insecure = true;
  }
  if (c['tls-server-name']) settings.tls.serverName = c['tls-server-name'];
  if (c['proxy-url']) settings.proxy = parseProxy(c['proxy-url'], cf('proxy-url'));

  const userName = ctx.context.user ?? '';
  if (userName === '') return settings; // no user: anonymous
  const entry = merged.users.get(userName);
  if (!entry) throw new KubeconfigError(`context ${JSON.stringify(name)} refers to user ${JSON.stringify(userName)}, which is not defined`, where(`contexts[${JSON.stringify(name)}].context.user`));
  const u = entry.user;
  const uf = (field: string): { file: string; field: string } => where(`users[${JSON.stringify(userName)}].user.${field}`, entry.file);
  if (u['auth-provider']) {
    throw new KubeconfigError(`auth-provider ${JSON.stringify(u['auth-provider'].name)} is not supported; use an exec credential plugin (e.g. kubelogin)`, uf('auth-provider'));
  }
  if (u['client-certificate-data']) settings.tls.cert = decodeData(u['client-certificate-data'], uf('client-certificate-data'));
  else if (u['client-certificate']) settings.tls.cert = await readPem(u['client-certificate'], uf('client-certificate'));
  if (u['client-key-data']) settings.tls.key = decodeData(u['client-key-data'], uf('client-key-data'));
  else if (u['client-key']) settings.tls.key = await readPem(u['client-key'], uf('client-key'));
  if ((settings.tls.cert === undefined) !== (settings.tls.key === undefined)) {
    throw new KubeconfigError('a client certificate needs both client-certificate(-data) and client-key(-data)', uf(settings.tls.cert === undefined ? 'client-certificate' : 'client-key'));
  }
  const hasToken = Boolean(u.token || u.tokenFile);
  const hasBasic = Boolean(u.username || u.password);
  // client-go's validation: "username/password or bearer token may be set, but not both".
  if (hasToken && hasBasic) throw new KubeconfigError('username/password or bearer token may be set, but not both', uf('username'));
  // Precedence as client-go's getUserIdentificationPartialConfig: token, token file, basic, exec.
  if (u.token) settings.credential = { kind: 'token', token: u.token };
  else if (u.tokenFile) settings.credential = { kind: 'tokenFile', path: u.tokenFile };
  else if (hasBasic) settings.credential = { kind: 'basic', username: u.username ?? '', password: u.password ?? '' };
  else if (u.exec) settings.credential = { kind: 'exec', exec: execConfig(u.exec) };
  if (u.as || u['as-uid'] || (u['as-groups'] ?? []).length > 0 || Object.keys(u['as-user-extra'] ?? {}).length > 0) {
    settings.impersonate = {
      ...(u.as ? { user: u.as } : {}),
      ...(u['as-uid'] ? { uid: u['as-uid'] } : {}),
      ...(u['as-groups'] ? { groups: u['as-groups'] } : {}),
      ...(u['as-user-extra'] ? { extra: u['as-user-extra'] } : {}),
    };
  }
  return settings;
}

function execConfig(e: KubeconfigExec): ExecPluginConfig {
  return {
    command: e.command,
    apiVersion: e.apiVersion,
    ...(e.args ? { args: e.args } : {}),
    ...(e.env ? { env: e.env } : {}),
    ...(e.installHint ? { installHint: e.installHint } : {}),
    ...(e.provideClusterInfo !== undefined ? { provideClusterInfo: e.provideClusterInfo } : {}),
    ...(e.interactiveMode !== undefined ? { interactiveMode: e.interactiveMode } : {}),
  };
}

/** `rest.InClusterConfig`: the service's env, the service account's token, CA and namespace files. */
async function inCluster(env: Readonly<Record<string, string | undefined>>, dir: string, warn: (m: string) => void): Promise<Settings> {
  const host = env['KUBERNETES_SERVICE_HOST']!;
  const port = env['KUBERNETES_SERVICE_PORT']!;
  const server = parseServer(`https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`, 'in-cluster server (KUBERNETES_SERVICE_HOST/PORT)');
  const settings: Settings = { server, tls: {}, credential: { kind: 'tokenFile', path: join(dir, 'token') }, source: 'in-cluster' };
  try {
    settings.tls.ca = await readFile(join(dir, 'ca.crt'), 'utf8');
  } catch {
    // client-go logs this and goes on with the system roots.
    warn(`in-cluster: cannot read ${join(dir, 'ca.crt')}; verifying the API server with the system's CAs`);
  }
  let namespace = env['POD_NAMESPACE'];
  if (!namespace) {
    try {
      namespace = (await readFile(join(dir, 'namespace'), 'utf8')).trim();
    } catch {
      namespace = undefined;
    }
  }
  settings.namespace = namespace || 'default';
  return settings;
}

/** Whether kubeconfig loading found nothing at all (client-go `IsEmptyConfig`): then in-cluster may apply. */
function isEmpty(merged: MergedKubeconfig): boolean {
  return merged.clusters.size === 0 && merged.users.size === 0 && merged.contexts.size === 0 && merged.currentContext === '';
}

/** Explicit options override what a kubeconfig or the pod says (as kubectl's flags do). */
function applyOverrides(settings: Settings, o: ClientOptions): Settings {
  const s: Settings = { ...settings, tls: { ...settings.tls } };
  if (o.server !== undefined) s.server = parseServer(o.server, 'server');
  if (o.namespace !== undefined) s.namespace = o.namespace;
  if (o.ca !== undefined) s.tls.ca = o.ca;
  if (o.clientCertificate !== undefined || o.clientKey !== undefined) {
    if (o.clientCertificate === undefined || o.clientKey === undefined) throw new ConfigError('createClient: clientCertificate and clientKey go together');
    s.tls.cert = o.clientCertificate;
    s.tls.key = o.clientKey;
  }
  if (o.insecureSkipTlsVerify !== undefined) s.tls.insecure = o.insecureSkipTlsVerify;
  if (o.tlsServerName !== undefined) s.tls.serverName = o.tlsServerName;
  if (o.proxyUrl !== undefined) s.proxy = parseProxy(o.proxyUrl);
  const explicit = [o.token !== undefined, o.tokenFile !== undefined, o.username !== undefined || o.password !== undefined, o.exec !== undefined].filter(Boolean).length;
  if (explicit > 1) throw new ConfigError('createClient: give one of token, tokenFile, username/password and exec');
  if (o.token !== undefined) s.credential = { kind: 'token', token: o.token };
  else if (o.tokenFile !== undefined) s.credential = { kind: 'tokenFile', path: o.tokenFile };
  else if (o.username !== undefined || o.password !== undefined) s.credential = { kind: 'basic', username: o.username ?? '', password: o.password ?? '' };
  else if (o.exec !== undefined) s.credential = { kind: 'exec', exec: o.exec };
  if (o.impersonate !== undefined) s.impersonate = o.impersonate;
  return s;
}

/** client-go's `headerKeyEscape`: extra keys are percent-encoded in `Impersonate-Extra-<key>`. */
function impersonationHeaders(i: Impersonation | undefined): HeaderPairs {
  if (!i) return [];
  const pairs: [string, string][] = [];
  if (i.user) pairs.push(['Impersonate-User', i.user]);
  if (i.uid) pairs.push(['Impersonate-Uid', i.uid]);
  for (const g of i.groups ?? []) pairs.push(['Impersonate-Group', g]);
  for (const [key, values] of Object.entries(i.extra ?? {})) for (const v of values) pairs.push([`Impersonate-Extra-${encodeURIComponent(key)}`, v]);
  return pairs;
}

/**
 * Resolves the configuration: explicit options; else the kubeconfig (`options.kubeconfig`, `KUBECONFIG`, or
 * `~/.kube/config`); else in-cluster. Builds the credential provider and the keep-alive agent, through the
 * explicit proxy (`proxyUrl`, `proxy-url`) or else the one the environment names (`HTTPS_PROXY`, `NO_PROXY`...).
 * @throws ConfigError, KubeconfigError, ExecPluginError (a plugin config that cannot work)
 */
export async function resolveConfig(options: ClientOptions, log: Log): Promise<ResolvedConfig> {
  const env = options.environment?.env ?? process.env;
  const warn = options.onWarning ?? ((message: string) => log.warn(message));
  let settings: Settings;
  if (options.server !== undefined && options.kubeconfig === undefined && options.context === undefined) {
    settings = { tls: {}, source: 'options' };
  } else {
    const home = options.environment?.homeDir ?? env['HOME'] ?? env['USERPROFILE'] ?? homedir();
    const fromEnv = options.kubeconfig === undefined ? env['KUBECONFIG'] : undefined;
    const paths = options.kubeconfig !== undefined ? [options.kubeconfig] : fromEnv ? splitKubeconfigEnv(fromEnv) : [join(home, '.kube', 'config')];
    const merged = await loadKubeconfigs(paths, options.kubeconfig !== undefined);
    const explicitFile = options.kubeconfig !== undefined || options.context !== undefined;
    if (isEmpty(merged) && !explicitFile) {
      if (env['KUBERNETES_SERVICE_HOST'] && env['KUBERNETES_SERVICE_PORT']) {
        settings = await inCluster(env, options.environment?.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, warn);
      } else if (options.server !== undefined) {
        settings = { tls: {}, source: 'options' };
      } else {
        throw new ConfigError(
          `createClient: no configuration found: no server given, no kubeconfig (${fromEnv ? `KUBECONFIG=${paths.join(',')}` : paths.join(', ')}), ` +
            'and not in a cluster (KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set)',
        );
      }
    } else {
      settings = await fromKubeconfig(merged, options.context);
    }
  }
  settings = applyOverrides(settings, options);
  const server = settings.server;
  if (!server) throw new ConfigError('createClient: no server given');

  const tls: TlsSettings = {
    ...(settings.tls.ca !== undefined ? { ca: settings.tls.ca } : {}),
    ...(settings.tls.cert !== undefined ? { cert: settings.tls.cert, key: settings.tls.key! } : {}),
    ...(settings.tls.serverName ? { serverName: settings.tls.serverName } : {}),
    ...(settings.tls.insecure ? { insecureSkipTlsVerify: true } : {}),
  };
  if (settings.tls.insecure && server.protocol === 'https:') {
    warn(`TLS verification of ${redactUrl(server)} is disabled (insecure-skip-tls-verify, ${settings.source}); anyone on the path can read the credentials`);
  }
  // client-go: an explicit proxy-url, else http.ProxyFromEnvironment (in-cluster configuration included).
  const proxy = settings.proxy ?? proxyFromEnvironment(server, env);
  const agent = createAgent(server, tls, proxy);
  const extra = impersonationHeaders(settings.impersonate);
  let auth: CredentialProvider | undefined;
  const credential = settings.credential;
  if (credential?.kind === 'token') auth = new StaticCredentials([['Authorization', `Bearer ${credential.token}`], ...extra]);
  else if (credential?.kind === 'basic') {
    const basic = Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64');
    auth = new StaticCredentials([['Authorization', `Basic ${basic}`], ...extra]);
  } else if (credential?.kind === 'tokenFile') {
    auth = await TokenFileCredentials.open(credential.path, extra, log);
  } else if (credential?.kind === 'exec') {
    validateExecConfig(credential.exec);
    const cluster: ExecClusterInfo = {
      server: server.href.replace(/\/$/, ''),
      ...(tls.serverName ? { 'tls-server-name': tls.serverName } : {}),
      ...(tls.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(tls.ca !== undefined ? { 'certificate-authority-data': Buffer.from(tls.ca, 'utf8').toString('base64') } : {}),
      // As client-go's ConfigToExecCluster: only an explicit proxy-url (the plugin inherits the environment).
      ...(settings.proxy ? { 'proxy-url': settings.proxy.href } : {}),
    };
    const agentFor = (cert: string, key: string): unknown => createAgent(server, { ...tls, cert, key }, proxy);
    auth = new ExecCredentials(credential.exec, env, cluster, agentFor, extra, log);
  } else if (extra.length > 0) {
    auth = new StaticCredentials(extra);
  }
  return { server, namespace: settings.namespace ?? 'default', auth, agent, source: settings.source };
}

/**
 * The agent for `{ server, token }` clients (which skip {@link resolveConfig}) when the environment names a proxy
 * for `server`: a keep-alive agent tunnelling through `proxy`.
 * @internal
 */
export function proxyAgent(server: URL, proxy: URL): unknown {
  return createAgent(server, {}, proxy);
}

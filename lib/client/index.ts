export { createClient, ConfigError, type ClientOptions, type Impersonation, type ConfigEnvironment } from './create-client.js';
export { KubeconfigError, ExecPluginError } from '../errors/config-errors.js';
export type { ExecPluginConfig } from './exec-plugin.js';
export {
  KubeClient,
  type KubeRequest,
  type KubeClientInit,
  type CredentialProvider,
  type RequestCredentials,
  type HeaderInit,
} from './kube-client.js';
export type { Logger } from './logger.js';
export { defaultFetch, type FetchLike, type FetchInitLike, type FetchResponseLike, type BodyLike } from './fetch.js';
export { ReconnectBudget, type ReconnectBudgetOptions } from './reconnect-budget.js';

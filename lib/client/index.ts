export { createClient, ConfigError, type ClientOptions } from './create-client.js';
export { KubeClient, type KubeRequest, type KubeClientInit } from './kube-client.js';
export { defaultFetch, type FetchLike, type FetchInitLike, type FetchResponseLike, type BodyLike } from './fetch.js';

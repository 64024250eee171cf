import { ConfigError } from '../errors/config-errors.js';

/**
 * Parses and checks an API server URL: http(s) only, no credentials in it (they would end up in logs). Shared by
 * `createClient` and the Angular adapter's synchronous `kubeClientOf`. `caller` prefixes the messages; `base`
 * resolves a relative URL (a browser app's proxy path such as `/k8s`).
 * @internal
 */
export function parseServerUrl(server: string | URL, caller: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(String(server), base);
  } catch {
    throw new ConfigError(`${caller}: server is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${caller}: server must be an http(s) URL, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new ConfigError(`${caller}: credentials in the server URL are not supported; pass { token }`);
  }
  return url;
}

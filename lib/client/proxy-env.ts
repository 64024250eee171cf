/**
 * The proxy environment variables, read the way kubectl reads them: client-go's transport falls back to Go's
 * `http.ProxyFromEnvironment` (`golang.org/x/net/http/httpproxy`) when a kubeconfig cluster has no `proxy-url`.
 *
 * - `https:` servers use `HTTPS_PROXY` (else `https_proxy`), `http:` servers `HTTP_PROXY` (else `http_proxy`);
 *   the uppercase name wins and an empty value counts as unset. `HTTP_PROXY` is never used for `https:`.
 * - A value without a scheme (`proxy:3128`, `user:pass@10.0.0.1:3128`) is taken as `http://`.
 * - `NO_PROXY` (else `no_proxy`) is a comma-separated list of exceptions: `*` (no proxy at all), IP addresses
 *   (`10.0.0.1`, `fd00::1`), CIDR blocks (`10.0.0.0/8`, `fd00::/8`), domain names (`example.com` matches
 *   `example.com` and its subdomains, `.example.com` and `*.example.com` its subdomains only), each IP address or
 *   domain name optionally with a port (`10.0.0.1:6443`, `[fd00::1]:6443`, `example.com:6443`).
 * - `localhost` and loopback addresses (`127.0.0.0/8`, `::1`, `::ffff:127.0.0.1`) are never proxied.
 * - When `REQUEST_METHOD` is set (a CGI process), `HTTP_PROXY` is refused for `http:` servers, because a
 *   client can set it through the `Proxy:` request header (https://golang.org/s/cgihttpproxy).
 *
 * Unlike Go, which silently ignores a proxy value it cannot parse (and then connects directly), a value that
 * would be used but is not a valid `http:`/`https:` proxy URL is a {@link ConfigError}: the message names the
 * variable, never its value (which may hold the proxy's password).
 *
 * Pure and free of Node built-ins: it only reads the `env` it is given.
 */
import { ConfigError } from '../errors/config-errors.js';

/** The names of the variables read, uppercase first (Go's `getEnvAny`). */
const HTTPS_PROXY = ['HTTPS_PROXY', 'https_proxy'] as const;
const HTTP_PROXY = ['HTTP_PROXY', 'http_proxy'] as const;
const NO_PROXY = ['NO_PROXY', 'no_proxy'] as const;

/**
 * The proxy that kubectl would use for `server` given the environment `env`, or `undefined` to connect directly:
 * `HTTPS_PROXY`/`https_proxy` for an `https:` server, `HTTP_PROXY`/`http_proxy` for an `http:` one, unless the
 * server is `localhost`, a loopback address, or matches `NO_PROXY`/`no_proxy`. See the module's documentation for
 * the rules (those of Go's `golang.org/x/net/http/httpproxy`).
 *
 * @param server The API server's URL.
 * @param env The environment variables, e.g. `process.env`.
 * @returns The proxy's URL (`http:` or `https:`, user info kept for `Proxy-Authorization`), or `undefined`.
 * @throws ConfigError when the variable that applies is not a valid `http:`/`https:` proxy URL (the message
 *   names the variable but never quotes its value), or is `HTTP_PROXY` in a CGI process (`REQUEST_METHOD` set).
 * @internal
 */
export function proxyFromEnvironment(server: URL, env: Readonly<Record<string, string | undefined>>): URL | undefined {
  let chosen: readonly [name: string, value: string] | undefined;
  if (server.protocol === 'https:') chosen = firstSet(env, HTTPS_PROXY);
  else if (server.protocol === 'http:') {
    chosen = firstSet(env, HTTP_PROXY);
    if (chosen && env['REQUEST_METHOD']) {
      throw new ConfigError(`createClient: refusing to use ${chosen[0]} in a CGI environment (REQUEST_METHOD is set); see https://golang.org/s/cgihttpproxy`);
    }
  }
  if (!chosen) return undefined;
  if (!useProxy(server, firstSet(env, NO_PROXY)?.[1] ?? '')) return undefined;
  return parseProxyValue(chosen[0], chosen[1]);
}

/** Go's `getEnvAny`: the first of `names` with a non-empty value, and that value. */
function firstSet(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): readonly [string, string] | undefined {
  for (const name of names) {
    const value = env[name];
    if (value) return [name, value];
  }
  return undefined;
}

/** `scheme://` at the start: anything else is `host[:port]`, possibly with user info, and gets `http://`. */
const HAS_SCHEME = /^\s*[a-z][a-z0-9+.-]*:\/\//i;

/** Go's `parseProxy`, limited to the proxies kubex-rx can tunnel through (http:, https:). */
function parseProxyValue(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(HAS_SCHEME.test(value) ? value : `http://${value}`);
  } catch {
    throw new ConfigError(`createClient: ${name} is not a valid proxy URL (expected http://[user:password@]host[:port])`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // Go also speaks socks5 here; kubex-rx tunnels through HTTP(S) proxies only.
    throw new ConfigError(`createClient: ${name} names a ${url.protocol} proxy, which is not supported (http: and https: are)`);
  }
  return url;
}

/** Go's `useProxy`: whether a request to `server` goes through the proxy, given the `NO_PROXY` list. */
function useProxy(server: URL, noProxy: string): boolean {
  // WHATWG URLs give the host lowercased, IDNA-encoded, IPv4 normalized and IPv6 in brackets.
  const host = server.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  if (host === 'localhost') return false;
  const ip = parseIp(host);
  if (ip && isLoopback(ip)) return false;
  const matchers = parseNoProxy(noProxy);
  if (matchers === 'all') return false;
  if (ip && matchers.ips.some((m) => m(ip, port))) return false;
  return !matchers.domains.some((m) => m(host, port));
}

type IpMatcher = (ip: Ip, port: string) => boolean;
type DomainMatcher = (host: string, port: string) => boolean;

/** Go's `config.init` for `NoProxy`: entries it cannot make sense of are ignored, as Go does. */
function parseNoProxy(noProxy: string): 'all' | { ips: IpMatcher[]; domains: DomainMatcher[] } {
  const ips: IpMatcher[] = [];
  const domains: DomainMatcher[] = [];
  for (const entry of noProxy.split(',')) {
    const p = entry.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return 'all';
    const cidr = parseCidr(p);
    if (cidr) {
      ips.push((ip) => cidr(ip));
      continue;
    }
    let host = p;
    let entryPort = '';
    const split = splitHostPort(p);
    if (split) {
      if (split[0] === '') continue; // no host part: malformed
      [host, entryPort] = split;
      if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    }
    const entryIp = parseIp(host);
    if (entryIp) {
      ips.push((ip, port) => sameIp(entryIp, ip) && (entryPort === '' || entryPort === port));
      continue;
    }
    if (host === '') continue;
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    const suffix = toAscii(matchHost ? `.${host}` : host);
    domains.push((h, port) => (h.endsWith(suffix) || (matchHost && h === suffix.slice(1))) && (entryPort === '' || entryPort === port));
  }
  return { ips, domains };
}

/** Go's `net.SplitHostPort`: `host:port` or `[ipv6]:port`; `undefined` where Go returns an error. */
function splitHostPort(hostport: string): [string, string] | undefined {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 !== i) return undefined;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (hostport.slice(j).includes('[') || hostport.slice(k).includes(']')) return undefined;
  return [host, hostport.slice(i + 1)];
}

/** IDNA (punycode) for a non-ASCII NO_PROXY domain, as Go's `idnaASCII`; WHATWG URL hosts are already ASCII. */
function toAscii(suffix: string): string {
  if ([...suffix].every((c) => c.charCodeAt(0) < 0x80)) return suffix;
  try {
    return `.${new URL(`http://${suffix.slice(1)}`).hostname}`;
  } catch {
    return suffix;
  }
}

/** An IP address as Go's `net.IP` in 16-byte form (IPv4 as `::ffff:a.b.c.d`). */
type Ip = readonly number[];

const DECIMAL_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Go's `ParseIP` for IPv4: four decimal octets, no leading zeros. */
const IPV4 = new RegExp(`^${DECIMAL_OCTET}(?:\\.${DECIMAL_OCTET}){3}$`);

/** Go's `net.ParseIP`: IPv4 dotted decimal or IPv6 (no zone); `undefined` for anything else. */
function parseIp(text: string): Ip | undefined {
  if (IPV4.test(text)) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...text.split('.').map(Number)];
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return undefined;
  // The WHATWG IPv6 parser validates (embedded IPv4 included) and canonicalizes: no zeros left to expand but `::`.
  let canonical: string;
  try {
    canonical = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head = '', tail] = canonical.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Go's `IP.To4() != nil`: an IPv4 address, or IPv4-mapped IPv6. */
function isV4(ip: Ip): boolean {
  return ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

/** Go's `IP.IsLoopback`: `127.0.0.0/8` (also IPv4-mapped) or `::1`. */
function isLoopback(ip: Ip): boolean {
  if (isV4(ip)) return ip[12] === 127;
  return ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
}

/** Go's `IP.Equal`: IPv4 equals its IPv4-mapped IPv6 form. */
function sameIp(a: Ip, b: Ip): boolean {
  return a.every((byte, i) => byte === b[i]);
}

/**
 * Go's `net.ParseCIDR` + `IPNet.Contains`: an IPv4 block contains IPv4 (and IPv4-mapped) addresses only, an
 * IPv6 block IPv6 addresses only.
 */
function parseCidr(text: string): ((ip: Ip) => boolean) | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  const base = parseIp(address);
  if (!base || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const v4 = IPV4.test(address);
  const bits = Number(bitsText);
  if (bits > (v4 ? 32 : 128)) return undefined;
  const offset = v4 ? 12 : 0;
  return (ip) => {
    if (isV4(ip) !== v4) return false;
    for (let bit = 0; bit < bits; bit++) {
      const byte = offset + (bit >> 3);
      const mask = 0x80 >> (bit & 7);
      if ((ip[byte]! & mask) !== (base[byte]! & mask)) return false;
    }
    return true;
  };
}

/**
 * `proxyFromEnvironment`: the rules of Go's `http.ProxyFromEnvironment` (`golang.org/x/net/http/httpproxy`),
 * which kubectl follows when a cluster has no `proxy-url`.
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../lib/errors/config-errors.js';
import { proxyFromEnvironment } from '../../lib/client/proxy-env.js';

const PROXY = 'http://proxy.corp:3128';

/** The proxy chosen for `server`, as an href, or undefined. */
const proxyFor = (server: string, env: Record<string, string | undefined>): string | undefined => proxyFromEnvironment(new URL(server), env)?.href;

/** Whether `server` is proxied with HTTPS_PROXY set and the given NO_PROXY. */
const proxied = (server: string, noProxy: string): boolean => proxyFor(server, { HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY, NO_PROXY: noProxy }) !== undefined;

/** The error `proxyFromEnvironment` throws. */
function errorOf(server: string, env: Record<string, string>): Error {
  try {
    proxyFromEnvironment(new URL(server), env);
  } catch (error) {
    return error as Error;
  }
  throw new Error('no error thrown');
}

describe('which variable', () => {
  it('https: servers use HTTPS_PROXY, never HTTP_PROXY', () => {
    expect(proxyFor('https://api.example.com:6443', { HTTPS_PROXY: PROXY })).toBe(`${PROXY}/`);
    expect(proxyFor('https://api.example.com:6443', { HTTP_PROXY: PROXY, http_proxy: PROXY })).toBeUndefined();
  });

  it('http: servers use HTTP_PROXY, never HTTPS_PROXY', () => {
    expect(proxyFor('http://api.example.com:8080', { HTTP_PROXY: PROXY })).toBe(`${PROXY}/`);
    expect(proxyFor('http://api.example.com:8080', { HTTPS_PROXY: PROXY, https_proxy: PROXY })).toBeUndefined();
  });

  it('the lowercase names work too', () => {
    expect(proxyFor('https://api.example.com', { https_proxy: PROXY })).toBe(`${PROXY}/`);
    expect(proxyFor('http://api.example.com', { http_proxy: PROXY })).toBe(`${PROXY}/`);
  });

  it('the uppercase name wins over the lowercase one; an empty value counts as unset', () => {
    const env = { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', HTTP_PROXY: 'http://upper:3', http_proxy: 'http://lower:4' };
    expect(proxyFor('https://api.example.com', env)).toBe('http://upper:1/');
    expect(proxyFor('http://api.example.com', env)).toBe('http://upper:3/');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: '', https_proxy: 'http://lower:2' })).toBe('http://lower:2/');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: '' })).toBeUndefined();
  });

  it('NO_PROXY wins over no_proxy, which applies when NO_PROXY is unset or empty', () => {
    const env = { HTTPS_PROXY: PROXY, NO_PROXY: 'a.example.com', no_proxy: 'b.example.com' };
    expect(proxyFor('https://a.example.com', env)).toBeUndefined();
    expect(proxyFor('https://b.example.com', env)).toBe(`${PROXY}/`);
    expect(proxyFor('https://b.example.com', { ...env, NO_PROXY: '' })).toBeUndefined();
    expect(proxyFor('https://b.example.com', { HTTPS_PROXY: PROXY, no_proxy: 'b.example.com' })).toBeUndefined();
  });

  it('no variable, no proxy', () => {
    expect(proxyFor('https://api.example.com', {})).toBeUndefined();
    expect(proxyFor('http://api.example.com', { NO_PROXY: 'x' })).toBeUndefined();
  });
});

describe('proxy values', () => {
  it('keeps https: proxies and user info (for Proxy-Authorization)', () => {
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'https://u:p%40ss@proxy.corp:8443' })).toBe('https://u:p%40ss@proxy.corp:8443/');
  });

  it('a value without a scheme is http://, as Go assumes', () => {
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'proxy:3128' })).toBe('http://proxy:3128/');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: '10.0.0.1:3128' })).toBe('http://10.0.0.1:3128/');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: '[fd00::1]:3128' })).toBe('http://[fd00::1]:3128/');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'user:secret@proxy:3128' })).toBe('http://user:secret@proxy:3128/');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'proxy.corp' })).toBe('http://proxy.corp/');
  });

  it('a malformed value is a ConfigError naming the variable, never quoting the value or its credentials', () => {
    for (const [name, value] of [
      ['HTTPS_PROXY', 'http://proxyuser9:hunter2-secret@bad host:3128'],
      ['https_proxy', 'proxyuser9:hunter2-secret@proxy:99999'],
      ['HTTPS_PROXY', 'http://proxyuser9:hunter2-secret@[fd00::1:3128'],
    ] as const) {
      const error = errorOf('https://api.example.com', { [name]: value });
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(name);
      expect(error.message).toMatch(/not a valid proxy URL/);
      expect(error.message).not.toContain('hunter2-secret');
      expect(error.message).not.toContain('proxyuser9');
    }
  });

  it('a proxy scheme other than http: and https: (socks5) is a ConfigError naming the variable and the scheme', () => {
    const error = errorOf('http://api.example.com', { http_proxy: 'socks5://proxyuser9:hunter2-secret@proxy:1080' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/http_proxy names a socks5: proxy, which is not supported/);
    expect(error.message).not.toContain('hunter2-secret');
  });

  it('a malformed value that does not apply to the server is ignored (kubectl would not use it either)', () => {
    expect(proxyFor('https://api.example.com', { HTTP_PROXY: 'http://bad host' })).toBeUndefined();
    expect(proxyFor('https://127.0.0.1:6443', { HTTPS_PROXY: 'http://bad host' })).toBeUndefined();
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'http://bad host', NO_PROXY: 'example.com' })).toBeUndefined();
  });

  it('refuses HTTP_PROXY for http: servers in a CGI process (REQUEST_METHOD set), as Go does', () => {
    const error = errorOf('http://api.example.com', { HTTP_PROXY: PROXY, REQUEST_METHOD: 'GET' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/refusing to use HTTP_PROXY in a CGI environment/);
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: PROXY, REQUEST_METHOD: 'GET' })).toBe(`${PROXY}/`);
    expect(proxyFor('http://api.example.com', { REQUEST_METHOD: 'GET' })).toBeUndefined();
  });
});

describe('never proxied', () => {
  it('localhost, with or without a port, on http: and https:', () => {
    expect(proxied('https://localhost', '')).toBe(false);
    expect(proxied('https://localhost:6443', '')).toBe(false);
    expect(proxied('http://localhost:8001', '')).toBe(false);
    expect(proxied('https://LOCALHOST:6443', '')).toBe(false); // URLs lowercase the host
    expect(proxied('https://localhost.example.com', '')).toBe(true); // only the exact name
  });

  it('loopback addresses: 127.0.0.0/8, ::1, IPv4-mapped 127.0.0.1', () => {
    expect(proxied('https://127.0.0.1:6443', '')).toBe(false);
    expect(proxied('http://127.0.0.1:8001', '')).toBe(false);
    expect(proxied('https://127.8.9.10', '')).toBe(false);
    expect(proxied('https://[::1]:6443', '')).toBe(false);
    expect(proxied('https://[0:0:0:0:0:0:0:1]:6443', '')).toBe(false);
    expect(proxied('https://[::ffff:127.0.0.1]:6443', '')).toBe(false);
  });

  it('but other addresses are proxied: 0.0.0.0, ::, 128.0.0.1, ::2, a private address', () => {
    for (const server of ['https://0.0.0.0', 'https://[::]', 'https://128.0.0.1', 'https://[::2]', 'https://10.96.0.1', 'https://[fd00::1]:6443']) {
      expect(proxied(server, '')).toBe(true);
    }
  });
});

describe('NO_PROXY', () => {
  it('"*" turns the proxy off for every host', () => {
    expect(proxied('https://api.example.com', '*')).toBe(false);
    expect(proxied('https://10.0.0.1', 'foo.com, *')).toBe(false);
    expect(proxied('https://api.example.com', '*.')).toBe(true); // not "*"
  });

  it('a host name matches itself and its subdomains, not other names ending the same way', () => {
    expect(proxied('https://example.com', 'example.com')).toBe(false);
    expect(proxied('https://api.example.com:6443', 'example.com')).toBe(false);
    expect(proxied('https://a.b.example.com', 'example.com')).toBe(false);
    expect(proxied('https://notexample.com', 'example.com')).toBe(true);
    expect(proxied('https://example.com.evil.net', 'example.com')).toBe(true);
    expect(proxied('https://example.org', 'example.com')).toBe(true);
  });

  it('a leading dot (or "*.") matches subdomains only', () => {
    expect(proxied('https://api.example.com', '.example.com')).toBe(false);
    expect(proxied('https://example.com', '.example.com')).toBe(true);
    expect(proxied('https://api.example.com', '*.example.com')).toBe(false);
    expect(proxied('https://example.com', '*.example.com')).toBe(true);
  });

  it('entries are trimmed and case-insensitive; empty entries are skipped', () => {
    expect(proxied('https://api.example.com', ' ,, Other.org ,  EXAMPLE.com ')).toBe(false);
    expect(proxied('https://api.example.net', ' ,, Other.org ,  EXAMPLE.com ')).toBe(true);
  });

  it('a port restricts a host or IP entry to that port (the scheme default when the URL has none)', () => {
    expect(proxied('https://api.example.com:6443', 'example.com:6443')).toBe(false);
    expect(proxied('https://api.example.com:8443', 'example.com:6443')).toBe(true);
    expect(proxied('https://api.example.com', 'example.com:443')).toBe(false);
    expect(proxied('http://api.example.com', 'example.com:80')).toBe(false);
    expect(proxied('http://api.example.com', 'example.com:443')).toBe(true);
    expect(proxied('https://10.0.0.1:6443', '10.0.0.1:6443')).toBe(false);
    expect(proxied('https://10.0.0.1:443', '10.0.0.1:6443')).toBe(true);
    expect(proxied('https://[fd00::1]:6443', '[fd00::1]:6443')).toBe(false);
    expect(proxied('https://[fd00::1]:443', '[fd00::1]:6443')).toBe(true);
  });

  it('an IP address matches that address only (IPv6 in any spelling; IPv4 and its IPv4-mapped form alike)', () => {
    expect(proxied('https://10.96.0.1', '10.96.0.1')).toBe(false);
    expect(proxied('https://10.96.0.10', '10.96.0.1')).toBe(true); // not a string prefix
    expect(proxied('https://10.96.0.1', '10.96.0.10')).toBe(true);
    expect(proxied('https://[fd00::1]', 'fd00::1')).toBe(false);
    expect(proxied('https://[fd00::1]', 'FD00:0:0:0:0:0:0:1')).toBe(false);
    expect(proxied('https://[fd00::1]', '[fd00::1]')).toBe(true); // brackets without a port: not an IP, as in Go
    expect(proxied('https://[fd00::2]', 'fd00::1')).toBe(true);
    expect(proxied('https://[::ffff:10.96.0.1]', '10.96.0.1')).toBe(false);
    expect(proxied('https://10.96.0.1', '::ffff:10.96.0.1')).toBe(false);
  });

  it('an IPv4 CIDR block matches the addresses in it', () => {
    expect(proxied('https://10.96.0.1', '10.96.0.0/12')).toBe(false);
    expect(proxied('https://10.111.255.254', '10.96.0.0/12')).toBe(false);
    expect(proxied('https://10.112.0.1', '10.96.0.0/12')).toBe(true);
    expect(proxied('https://192.168.1.7', '192.168.1.7/32')).toBe(false);
    expect(proxied('https://192.168.1.8', '192.168.1.7/32')).toBe(true);
    expect(proxied('https://8.8.8.8', '0.0.0.0/0')).toBe(false);
    expect(proxied('https://[::ffff:10.96.0.1]', '10.0.0.0/8')).toBe(false); // IPv4-mapped
    expect(proxied('https://[fd00::1]', '0.0.0.0/0')).toBe(true); // an IPv4 block holds no IPv6 address
    expect(proxied('https://api.example.com', '0.0.0.0/0')).toBe(true); // nor names (not resolved)
  });

  it('an IPv6 CIDR block matches the addresses in it', () => {
    expect(proxied('https://[fd00::1]:6443', 'fd00::/8')).toBe(false);
    expect(proxied('https://[fdff:ffff::1]', 'fd00::/8')).toBe(false);
    expect(proxied('https://[fe80::1]', 'fd00::/8')).toBe(true);
    expect(proxied('https://[2001:db8:1::5]', '2001:db8::/32')).toBe(false);
    expect(proxied('https://[2001:db9::5]', '2001:db8::/32')).toBe(true);
    expect(proxied('https://[2001:db8::5]', '2001:db8::5/128')).toBe(false);
    expect(proxied('https://[2001:db8::6]', '2001:db8::5/128')).toBe(true);
    expect(proxied('https://10.0.0.1', '::/0')).toBe(true); // an IPv6 block holds no IPv4 address, as in Go
  });

  it('IP entries match no host name, and a malformed CIDR is not an IP entry', () => {
    expect(proxied('https://api.example.com', '10.0.0.1')).toBe(true);
    expect(proxied('https://10.0.0.1', '10.0.0.1/33')).toBe(true);
    expect(proxied('https://10.0.0.1', '10.0.0/8')).toBe(true);
  });

  it('the in-cluster case: the service IP in NO_PROXY (kubeadm-style lists)', () => {
    const noProxy = 'localhost,127.0.0.1,10.96.0.0/12,192.168.0.0/16,.svc,.cluster.local';
    expect(proxied('https://10.96.0.1:443', noProxy)).toBe(false);
    expect(proxied('https://kubernetes.default.svc', noProxy)).toBe(false);
    expect(proxied('https://kubernetes.default.svc.cluster.local', noProxy)).toBe(false);
    expect(proxied('https://api.example.com', noProxy)).toBe(true);
  });

  it('non-ASCII entries match the punycode host of the URL', () => {
    expect(proxied('https://api.bücher.de', 'bücher.de')).toBe(false);
    expect(proxied('https://api.xn--bcher-kva.de', '.bücher.de')).toBe(false);
    expect(proxied('https://api.bucher.de', 'bücher.de')).toBe(true);
  });

  it('malformed entries are ignored, as in Go', () => {
    expect(proxied('https://api.example.com', ':6443, [, ]')).toBe(true);
    expect(proxied('https://api.example.com', ':6443, example.com')).toBe(false);
  });
});

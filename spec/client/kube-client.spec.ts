import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { ConfigError, createClient } from '../../lib/client/create-client.js';
import { KubeClient } from '../../lib/client/kube-client.js';
import { describeRequest, toTransportError } from '../../lib/client/transport-error.js';
import type { FetchInitLike, FetchLike, FetchResponseLike } from '../../lib/client/fetch.js';
import { TransportError } from '../../lib/errors/kubex-error.js';

const TOKEN = 'sekret-token-value';

/** A transport that records what it was asked (a unit test of request building: no network involved). */
function recordingFetch(): { fetch: FetchLike; calls: Array<{ url: string; init: FetchInitLike }> } {
  const calls: Array<{ url: string; init: FetchInitLike }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return { status: 200, statusText: 'OK', ok: true, headers: { get: () => null }, body: null, text: async () => '' } satisfies FetchResponseLike;
  };
  return { fetch, calls };
}

describe('createClient', () => {
  it('rejects with a ConfigError without a server, with a bad URL, or with credentials in the URL', async () => {
    // Nothing to find: no KUBECONFIG, an empty home, not in a cluster.
    await expect(createClient({ environment: { env: {}, homeDir: '/nonexistent-kubex-home' } })).rejects.toBeInstanceOf(ConfigError);
    await expect(createClient({ server: 'not a url' })).rejects.toThrow(/not a valid URL/);
    await expect(createClient({ server: 'ftp://x' })).rejects.toThrow(/http\(s\)/);
    await expect(createClient({ server: 'https://u:p@x' })).rejects.toThrow(/credentials in the server URL/);
  });

  it('sends the bearer token, Accept and extra headers to server + path + query', async () => {
    const { fetch, calls } = recordingFetch();
    const client = await createClient({ server: 'https://k8s.example:6443/prefix/', token: TOKEN, fetch, headers: { 'X-Extra': '1' } });
    await client.request({ path: '/api/v1/pods', query: new URLSearchParams({ watch: 'true' }) });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://k8s.example:6443/prefix/api/v1/pods?watch=true');
    expect(calls[0]!.init).toMatchObject({ method: 'GET', headers: { Accept: 'application/json', Authorization: `Bearer ${TOKEN}`, 'X-Extra': '1' } });
    expect(client.namespace).toBe('default');
  });

  it('never shows the token in String(), JSON or util.inspect', async () => {
    const { fetch } = recordingFetch();
    const client = await createClient({ server: 'https://k8s.example:6443', token: TOKEN, fetch, namespace: 'team-a' });
    for (const text of [String(client), JSON.stringify(client), inspect(client, { showHidden: true, depth: 10 })]) {
      expect(text).not.toContain(TOKEN);
      expect(text).toContain('k8s.example:6443');
    }
  });
});

describe('KubeClient headers', () => {
  it('sends a record normally, and [name, value] pairs when a credential header repeats (one line per group)', async () => {
    const { fetch, calls } = recordingFetch();
    const client = new KubeClient({
      server: new URL('https://k8s.example'),
      namespace: 'default',
      fetch,
      headers: { 'X-Extra': '1' },
      userAgent: 'kube-client-spec/1',
      auth: { credentials: () => ({ headers: [['Authorization', 'Bearer t'], ['Impersonate-Group', 'a'], ['Impersonate-Group', 'b']] }) },
    });
    await client.request({ path: '/api', headers: { authorization: 'overridden' } });
    expect(calls[0]!.init.headers).toEqual([
      ['Accept', 'application/json'],
      ['User-Agent', 'kube-client-spec/1'],
      ['X-Extra', '1'],
      ['Authorization', 'Bearer t'],
      ['Impersonate-Group', 'a'],
      ['Impersonate-Group', 'b'],
    ]);
  });

  it('on a 401 asks the provider to refresh and retries once, only when the credentials changed', async () => {
    let token = 'old';
    const refreshes: string[] = [];
    const seen: string[] = [];
    const fetch: FetchLike = async (_url, init) => {
      const auth = (init.headers as Record<string, string>)['Authorization']!;
      seen.push(auth);
      const status = auth === 'Bearer new' ? 200 : 401;
      return { status, statusText: '', ok: status === 200, headers: { get: () => null }, body: null, text: async () => '' };
    };
    const client = new KubeClient({
      server: new URL('https://k8s.example'),
      namespace: 'default',
      fetch,
      auth: {
        credentials: () => ({ headers: { Authorization: `Bearer ${token}` } }),
        refresh: (used) => {
          refreshes.push(JSON.stringify(used.headers));
          if (token === 'old') token = 'new';
        },
      },
    });
    expect((await client.request({ path: '/api' })).status).toBe(200);
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
    token = 'stale';
    seen.length = 0;
    expect((await client.request({ path: '/api' })).status).toBe(401); // refresh changed nothing: no retry
    expect(seen).toEqual(['Bearer stale']);
    expect(refreshes).toHaveLength(2);
  });
});

describe('toTransportError', () => {
  it('names the request once, then the reason without the URL node-fetch repeats in it; keeps the cause and the code', () => {
    const cause = Object.assign(new Error('request to https://user:pw@h:1/api/v1/pods?token=abc failed, reason: connect ECONNREFUSED 10.0.0.1:1'), { code: 'ECONNREFUSED' });
    const error = toTransportError(cause, describeRequest('GET', 'https://user:pw@h:1/api/v1/pods?labelSelector=x'));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.cause).toBe(cause);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toBe('GET https://h:1/api/v1/pods failed: connect ECONNREFUSED 10.0.0.1:1');
  });

  it('undici: the system error of the cause instead of "fetch failed", its code added when the text lacks it', () => {
    const undici = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }) });
    expect(toTransportError(undici).message).toBe('connect refused (ECONNREFUSED)');
    const both = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:6443'), new Error('connect ECONNREFUSED 127.0.0.1:6443')], ''), { code: 'ECONNREFUSED' }),
    });
    expect(toTransportError(both, 'GET http://localhost:6443/api').message).toBe(
      'GET http://localhost:6443/api failed: connect ECONNREFUSED ::1:6443; connect ECONNREFUSED 127.0.0.1:6443',
    );
  });

  it('a body that broke off says so once, with the reason node-fetch gave after its own copy of the URL', () => {
    const cause = new Error('Invalid response body while trying to fetch https://h:1/api/v1/pods?watch=true: Premature close');
    expect(toTransportError(cause, 'GET https://h:1/api/v1/pods', 'body').message).toBe('GET https://h:1/api/v1/pods: the response broke off: Premature close');
  });

  it('strips user info and queries from any other URL in the reason (a proxy\'s)', () => {
    const message = toTransportError(new Error('proxy http://u:secret@p:3128/x?y=1 answered 502')).message;
    expect(message).toBe('proxy http://p:3128/x answered 502');
  });
});

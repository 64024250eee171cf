/**
 * The FakeApiServer in HTTPS mode with authentication, spoken to with plain `node:https` (not the SDK): the
 * generated CA and server certificate, and every authenticator (token, basic, client certificate, anonymous),
 * impersonation and authorization, answered with kube-apiserver's 401/403 bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpsRequest } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { FakeApiServer, createTestPki, testResources, type AuthorizationAttributes, type TestCertificate } from '../../lib/testing/index.js';
import { fetchRaw } from './http-helpers.js';

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One HTTPS GET; `headers` may repeat a name (pairs). */
function get(server: FakeApiServer, path: string, options: { headers?: [string, string][]; cert?: TestCertificate; ca?: string } = {}): Promise<Answer> {
  const url = new URL(path, server.url);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of options.headers ?? []) {
    const prev = headers[k];
    headers[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { headers, agent: false, ca: options.ca ?? server.ca, ...(options.cert ? { cert: options.cert.cert, key: options.cert.key } : {}) },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const PODS = '/api/v1/namespaces/default/pods';
const UNAUTHORIZED = '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n';

describe('FakeApiServer over HTTPS with authentication', () => {
  let server: FakeApiServer;
  const decisions: AuthorizationAttributes[] = [];

  beforeAll(async () => {
    server = await FakeApiServer.start({
      tls: true,
      auth: {
        tokens: { 'token-alice': { username: 'alice', groups: ['dev'] }, 'token-bob': 'bob' },
        basic: { carol: 'carol-password' },
        authorize: (a) => {
          decisions.push(a);
          if (a.verb === 'impersonate') return a.user.username === 'alice';
          return a.user.username !== 'bob';
        },
      },
    });
  });
  afterAll(() => server.close());

  it('serves HTTPS with a certificate for 127.0.0.1 signed by its CA', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = new X509Certificate(server.ca!);
    expect(ca.ca).toBe(true);
    // Without the CA the handshake fails: verification is real.
    await expect(get(server, PODS, { ca: (await createTestPki()).ca.cert })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    expect((await get(server, PODS, { headers: [['Authorization', 'Bearer token-alice']] })).status).toBe(200);
  });

  it('answers 401 with the real Status body without credentials and with a wrong token or password', async () => {
    for (const headers of [[], [['Authorization', 'Bearer nope']], [['Authorization', `Basic ${Buffer.from('carol:wrong').toString('base64')}`]]] as [string, string][][]) {
      const answer = await get(server, PODS, { headers });
      expect(answer).toEqual({ status: 401, body: UNAUTHORIZED });
    }
    expect(server.requests.at(-1)!.auth).toBeUndefined();
  });

  it('authenticates bearer tokens and basic auth, and records who and how', async () => {
    server.clearRequests();
    expect((await get(server, PODS, { headers: [['Authorization', 'Bearer token-alice']] })).status).toBe(200);
    expect(server.requests.at(-1)!.auth).toEqual({
      method: 'token',
      authenticated: { username: 'alice', groups: ['dev', 'system:authenticated'] },
      user: { username: 'alice', groups: ['dev', 'system:authenticated'] },
      impersonated: false,
    });
    const basic = `Basic ${Buffer.from('carol:carol-password').toString('base64')}`;
    expect((await get(server, PODS, { headers: [['Authorization', basic]] })).status).toBe(200);
    expect(server.requests.at(-1)!.auth).toMatchObject({ method: 'basic', user: { username: 'carol' } });
  });

  it('authenticates client certificates of its CA (CN = user, O = groups) and refuses others with 401', async () => {
    const cert = await server.issueClientCertificate('dave', ['ops', 'oncall']);
    expect((await get(server, PODS, { cert })).status).toBe(200);
    expect(server.requests.at(-1)!.auth).toMatchObject({ method: 'clientCertificate', user: { username: 'dave', groups: ['ops', 'oncall', 'system:authenticated'] } });
    const stranger = await (await createTestPki()).issue({ commonName: 'mallory', usage: ['client'] });
    expect(await get(server, PODS, { cert: stranger })).toEqual({ status: 401, body: UNAUTHORIZED });
  });

  it('answers 403 with the authorizer message when authorization says no', async () => {
    const answer = await get(server, '/api/v1/namespaces/default/pods?watch=true', { headers: [['Authorization', 'Bearer token-bob']] });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({
      reason: 'Forbidden',
      message: 'pods is forbidden: User "bob" cannot watch resource "pods" in API group "" in the namespace "default"',
    });
    expect(decisions.at(-1)).toMatchObject({ verb: 'watch', resource: 'pods', namespace: 'default' });
  });

  it('honours impersonation headers (each Impersonate-Group line one group) and records them', async () => {
    const headers: [string, string][] = [
      ['Authorization', 'Bearer token-alice'],
      ['Impersonate-User', 'eve'],
      ['Impersonate-Group', 'a, b'],
      ['Impersonate-Group', 'c'],
      ['Impersonate-Uid', 'uid-1'],
      ['Impersonate-Extra-scopes%2Fx', 'view'],
    ];
    expect((await get(server, PODS, { headers })).status).toBe(200);
    expect(server.requests.at(-1)!.auth).toEqual({
      method: 'token',
      authenticated: { username: 'alice', groups: ['dev', 'system:authenticated'] },
      user: { username: 'eve', uid: 'uid-1', groups: ['a, b', 'c', 'system:authenticated'], extra: { 'scopes/x': ['view'] } },
      impersonated: true,
    });
    // bob may not impersonate: 403 naming the impersonated user.
    const denied = await get(server, PODS, { headers: [['Authorization', 'Bearer token-bob'], ['Impersonate-User', 'eve']] });
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body).message).toBe('users "eve" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it('lets tests rotate tokens at run time', async () => {
    server.auth!.tokens.set('token-next', { username: 'alice' });
    server.auth!.tokens.delete('token-alice');
    expect((await get(server, PODS, { headers: [['Authorization', 'Bearer token-alice']] })).status).toBe(401);
    expect((await get(server, PODS, { headers: [['Authorization', 'Bearer token-next']] })).status).toBe(200);
  });
});

describe('FakeApiServer authentication options', () => {
  it('serves requests without credentials as system:anonymous when anonymous is on', async () => {
    const server = await FakeApiServer.start({ tls: true, auth: { anonymous: true, tokens: { t: 'u' } } });
    try {
      expect((await get(server, PODS)).status).toBe(200);
      expect(server.requests.at(-1)!.auth).toMatchObject({ method: 'anonymous', user: { username: 'system:anonymous' } });
      // Wrong credentials are still a 401, never anonymous.
      expect((await get(server, PODS, { headers: [['Authorization', 'Bearer wrong']] })).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('keeps plain HTTP with no authentication by default', async () => {
    const server = await FakeApiServer.start();
    try {
      expect(server.url).toMatch(/^http:\/\//);
      expect(server.ca).toBeUndefined();
      expect(server.auth).toBeUndefined();
      expect((await fetchRaw(`${server.url}${PODS}`)).status).toBe(200);
      expect(server.requests.at(-1)!.auth).toBeUndefined();
      await expect(server.issueClientCertificate('x')).rejects.toThrow(/tls: true/);
    } finally {
      await server.close();
    }
  });

  it('checks plain-HTTP auth too (tokens over http)', async () => {
    const server = await FakeApiServer.start({ auth: { tokens: { t: 'u' } } });
    try {
      server.create(testResources.Pod, { metadata: { name: 'p', namespace: 'default' } });
      expect((await fetchRaw(`${server.url}${PODS}`)).status).toBe(401);
      const ok = await fetchRaw(`${server.url}${PODS}`, { headers: { Authorization: 'Bearer t' } });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body).items).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

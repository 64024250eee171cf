/**
 * The create-only review APIs (authorization.k8s.io/v1 SelfSubjectAccessReview & co., authentication.k8s.io/v1
 * SelfSubjectReview, TokenReview), answered from the FakeApiServer's auth settings over real HTTP.
 */
import { describe, expect, it } from '@jest/globals';
import { FakeApiServer } from '../../lib/testing/index.js';
import { fetchRaw } from './http-helpers.js';
import { serverHarness } from './server-harness.js';

const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const SSR = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

function ssar(resourceAttributes: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } };
}

async function post(server: FakeApiServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetchRaw(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  return { status: res.status, body: JSON.parse(res.body) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('review APIs with auth configured', () => {
  const h = serverHarness(
    {
      auth: {
        tokens: { 'alice-token': { username: 'alice', uid: 'u-1', groups: ['devs'], extra: { scopes: ['a', 'b'] } }, 'admin-token': 'admin' },
        // alice may not touch secrets; impersonation is for admin only.
        authorize: (a) => (a.verb === 'impersonate' ? a.user.username === 'admin' : !(a.user.username === 'alice' && a.resource === 'secrets')),
      },
    },
    { each: false },
  );

  it('SelfSubjectAccessReview answers the authorizer’s decision for the requesting user', async () => {
    const alice = { Authorization: 'Bearer alice-token' };
    const yes = await post(h.server, SSAR, ssar({ verb: 'get', resource: 'pods', namespace: 'default' }), alice);
    expect(yes.status).toBe(201);
    expect(yes.body).toMatchObject({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } }, status: { allowed: true } });
    const no = await post(h.server, SSAR, ssar({ verb: 'get', resource: 'secrets', namespace: 'default' }), alice);
    expect(no.status).toBe(201);
    expect(no.body['status']).toEqual({ allowed: false });
    // Another user is allowed the same thing; an impersonated alice is not.
    expect((await post(h.server, SSAR, ssar({ verb: 'get', resource: 'secrets' }), { Authorization: 'Bearer admin-token' })).body['status']).toEqual({ allowed: true });
    const asAlice = await post(h.server, SSAR, ssar({ verb: 'get', resource: 'secrets' }), { Authorization: 'Bearer admin-token', 'Impersonate-User': 'alice' });
    expect(asAlice.body['status']).toEqual({ allowed: false });
  });

  it('validates the spec (422) and is create-only: GET is 405, an item path 404', async () => {
    const alice = { Authorization: 'Bearer alice-token' };
    const invalid = await post(h.server, SSAR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} }, alice);
    expect(invalid.status).toBe(422);
    expect(invalid.body['message']).toBe(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    expect((await fetchRaw(`${h.server.url}${SSAR}`, { headers: alice })).status).toBe(405);
    expect((await fetchRaw(`${h.server.url}${SSAR}/x`, { headers: alice })).status).toBe(404);
  });

  it('SelfSubjectReview answers the authenticated user, or the impersonated one', async () => {
    const me = await post(h.server, SSR, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, { Authorization: 'Bearer alice-token' });
    expect(me.status).toBe(201);
    expect(me.body).toMatchObject({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: expect.any(String) } });
    expect(me.body['status']).toEqual({ userInfo: { username: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a', 'b'] } } });
    const imp = await post(h.server, SSR, {}, { Authorization: 'Bearer admin-token', 'Impersonate-User': 'bob', 'Impersonate-Group': 'qa' });
    expect(imp.body['status']).toEqual({ userInfo: { username: 'bob', groups: ['qa', 'system:authenticated'] } });
    expect((await post(h.server, SSR, {})).status).toBe(401);
  });

  it('TokenReview checks a token against the accepted tokens', async () => {
    const admin = { Authorization: 'Bearer admin-token' };
    const good = await post(h.server, '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: 'alice-token' } }, admin);
    expect(good.body['status']).toMatchObject({ authenticated: true, user: { username: 'alice', groups: ['devs', 'system:authenticated'] } });
    const bad = await post(h.server, '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: 'nope' } }, admin);
    expect(bad.body['status']['authenticated']).toBeUndefined();
  });
});

describe('review APIs without auth', () => {
  const h = serverHarness({ resources: 'v1.35' }, { each: false });

  it('everything is allowed and the user is the config user (system:anonymous)', async () => {
    expect((await post(h.server, SSAR, ssar({ verb: 'delete', resource: 'nodes' }))).body['status']).toEqual({ allowed: true });
    const nonResource = await post(h.server, SSAR, { spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } });
    expect(nonResource.body['status']).toEqual({ allowed: true });
    expect((await post(h.server, SSR, {})).body['status']).toEqual({ userInfo: { username: 'system:anonymous', groups: ['system:unauthenticated'] } });
  });

  it('discovery lists the review resources with the create verb only', async () => {
    const res = JSON.parse((await fetchRaw(`${h.server.url}/apis/authorization.k8s.io/v1`)).body) as { resources: { name: string; verbs: string[] }[] };
    expect(res.resources.map((r) => r.name).sort()).toEqual(['localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews']);
    for (const r of res.resources) expect(r.verbs).toEqual(['create']);
    const authn = JSON.parse((await fetchRaw(`${h.server.url}/apis/authentication.k8s.io/v1`)).body) as { resources: { name: string }[] };
    expect(authn.resources.map((r) => r.name).sort()).toEqual(['selfsubjectreviews', 'tokenreviews']);
  });

  it('SelfSubjectRulesReview is empty and incomplete (the fake authorizer cannot list rules)', async () => {
    const rules = await post(h.server, '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { spec: { namespace: 'default' } });
    expect(rules.status).toBe(201);
    expect(rules.body['status']).toMatchObject({ resourceRules: [], nonResourceRules: [], incomplete: true });
  });
});

/**
 * The FakeApiServer's part of kube-apiserver's filter chain (`k8s.io/apiserver/pkg/server/filters`,
 * `pkg/endpoints/filters`): CORS, and authentication with impersonation.
 * @internal
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, impersonationOf, type FakeAuth, type FakeUser, type RequestAuth } from './auth.js';
import { badRequestStatus, forbiddenStatus, unauthorizedStatus, type StatusBody } from './status.js';

/**
 * CORS as kube-apiserver's `WithCORS` filter does it (k8s.io/apiserver/pkg/server/filters/cors.go): an allowed
 * `Origin` is echoed with credentials allowed; a preflight `OPTIONS` is answered 204 at once. Also exposes the headers
 * clients read (`Retry-After` of 429s, `Audit-Id`), which the real filter leaves to `Date`.
 * Returns whether the request was answered (a preflight).
 * @internal
 */
export function answerCors(cors: true | { readonly origins: readonly (string | RegExp)[] }, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  const allowed =
    origin !== undefined && (cors === true || cors.origins.some((o) => (typeof o === 'string' ? o === origin : o.test(origin))));
  res.setHeader('Vary', 'Origin');
  if (!allowed) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', 'Date, Retry-After, Audit-Id, Content-Type, Warning');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS, PUT, DELETE, PATCH',
    'Access-Control-Allow-Headers':
      req.headers['access-control-request-headers'] ??
      'Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since',
    'Access-Control-Max-Age': '600',
  });
  res.end();
  return true;
}

/**
 * Authenticates a request and applies `Impersonate-*` headers (each impersonated attribute must be allowed by
 * the authorizer as verb `impersonate`, as kube-apiserver's impersonation filter asks). Returns who the request
 * acts as, or the Status to answer instead (401, 403, 400).
 * @internal
 */
export function authenticateRequest(auth: FakeAuth, req: IncomingMessage): { auth?: RequestAuth; denial?: StatusBody } {
  const result = authenticate(auth, req);
  if (!result.ok) return { denial: unauthorizedStatus() };
  const impersonation = impersonationOf(req);
  if (!impersonation) return { auth: { method: result.method, authenticated: result.user, user: result.user, impersonated: false } };
  const base = { method: result.method, authenticated: result.user, user: result.user, impersonated: false };
  if (impersonation.user === undefined) {
    return { auth: base, denial: badRequestStatus('impersonating groups, a uid or extra fields requires Impersonate-User') };
  }
  const asks: { resource: string; name: string }[] = [
    { resource: 'users', name: impersonation.user },
    ...impersonation.groups.map((name) => ({ resource: 'groups', name })),
    ...(impersonation.uid !== undefined ? [{ resource: 'uids', name: impersonation.uid }] : []),
    ...Object.entries(impersonation.extra).flatMap(([key, values]) => values.map((name) => ({ resource: `userextras/${key}`, name }))),
  ];
  for (const ask of asks) {
    if (auth.authorize && !auth.authorize({ user: result.user, verb: 'impersonate', resource: ask.resource, group: '', name: ask.name })) {
      const status = forbiddenStatus({ user: result.user.username, verb: 'impersonate', plural: ask.resource, group: '', name: ask.name });
      return { auth: base, denial: status };
    }
  }
  const user: FakeUser = {
    username: impersonation.user,
    ...(impersonation.uid !== undefined ? { uid: impersonation.uid } : {}),
    // An impersonated user (not a service account) is in system:authenticated, like any authenticated user.
    groups: [...impersonation.groups.filter((g) => g !== 'system:authenticated'), 'system:authenticated'],
    ...(Object.keys(impersonation.extra).length > 0 ? { extra: impersonation.extra } : {}),
  };
  return { auth: { ...base, user, impersonated: true } };
}

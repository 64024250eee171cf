/**
 * Authentication for the FakeApiServer, following kube-apiserver's filter chain: authenticate (x509 client
 * certificate, bearer token, basic auth; anonymous when allowed), then impersonation, then authorization.
 * See https://kubernetes.io/docs/reference/access-authn-authz/authentication/.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * A Kubernetes user as the authenticators see it (`user.Info`).
 * @since 0.1.0
 */
export interface FakeUser {
  /** The user name, e.g. `alice` or `system:anonymous`. */
  readonly username: string;
  /** The user's UID, if any. */
  readonly uid?: string;
  /** The groups the user belongs to. */
  readonly groups?: readonly string[];
  /** Extra attributes: key → values. */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/**
 * How a request was authenticated.
 * @since 0.1.0
 */
export type FakeAuthMethod = 'clientCertificate' | 'token' | 'basic' | 'anonymous';

/**
 * Who a request acts as, recorded in {@link RecordedRequest.auth}.
 * @since 0.1.0
 */
export interface RequestAuth {
  /** Which authenticator accepted the request. */
  readonly method: FakeAuthMethod;
  /** The user the credentials prove (with `system:authenticated` added, as kube-apiserver does). */
  readonly authenticated: FakeUser;
  /** The user the request acts as: the impersonated one when `Impersonate-*` headers were sent, else `authenticated`. */
  readonly user: FakeUser;
  /** Whether `Impersonate-*` headers were honoured. */
  readonly impersonated: boolean;
}

/**
 * What {@link FakeAuthOptions.authorize} is asked: may `user` do `verb` on `resource`? Impersonation is asked
 * as verb `impersonate` on `users`, `groups`, `uids` or `userextras/<key>` (as the real authorizer is).
 * @since 0.1.0
 */
export interface AuthorizationAttributes {
  /** The user the request acts as (after impersonation; for an impersonation check, the authenticated user). */
  readonly user: FakeUser;
  /** The API verb: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection` or `impersonate`. */
  readonly verb: string;
  /** The plural (`pods`), or the impersonation resource. */
  readonly resource: string;
  /** `''` for the core group. */
  readonly group: string;
  /** The namespace of the request path; absent for cluster-scoped and all-namespace requests. */
  readonly namespace?: string;
  /** The object name of the request path, or the impersonated name; absent for collection requests. */
  readonly name?: string;
  /** The subresource of the request path (`status`, `scale`); absent for the main resource. */
  readonly subresource?: string;
}

/**
 * Options of the FakeApiServer's authentication (`FakeApiServer.start({ auth })`). Without `auth` the server
 * authenticates nothing and serves everyone (the default). With it, a request is served only if one method
 * proves who it is (or `anonymous` is on and it presents no credentials); presented but wrong credentials
 * always get 401, as kube-apiserver answers.
 * @since 0.1.0
 */
export interface FakeAuthOptions {
  /** Accepted bearer tokens and the user each proves (a string is a user name). */
  readonly tokens?: Readonly<Record<string, FakeUser | string>>;
  /** Accepted basic-auth users: name → password. */
  readonly basic?: Readonly<Record<string, string>>;
  /**
   * Accept client certificates signed by the server's CA (HTTPS only): CN is the user name, O entries the groups,
   * as kube-apiserver's x509 authenticator reads them. Default `true` with `tls`.
   */
  readonly clientCertificates?: boolean;
  /** Serve requests without credentials as `system:anonymous`. Default `false` (401). */
  readonly anonymous?: boolean;
  /** The authorizer: `false` answers 403 Forbidden with the real message. Default: everything is allowed. */
  readonly authorize?: (attributes: AuthorizationAttributes) => boolean;
}

/**
 * The live authentication settings of a FakeApiServer (`server.auth`): change them during a test, e.g. rotate
 * a token with `server.auth.tokens.delete(old)` and `server.auth.tokens.set(next, { username: 'alice' })`.
 * @since 0.1.0
 */
export class FakeAuth {
  /** Accepted bearer tokens. */
  readonly tokens: Map<string, FakeUser>;
  /** Accepted basic-auth users: name → password. */
  readonly basic: Map<string, string>;
  /** Whether verified client certificates authenticate. */
  clientCertificates: boolean;
  /** Whether requests without credentials are served as `system:anonymous`. */
  anonymous: boolean;
  /** The authorizer; `undefined` allows everything. */
  authorize: ((attributes: AuthorizationAttributes) => boolean) | undefined;

  constructor(options: FakeAuthOptions, tls: boolean) {
    this.tokens = new Map(Object.entries(options.tokens ?? {}).map(([t, u]) => [t, typeof u === 'string' ? { username: u } : u]));
    this.basic = new Map(Object.entries(options.basic ?? {}));
    this.clientCertificates = options.clientCertificates ?? tls;
    this.anonymous = options.anonymous ?? false;
    this.authorize = options.authorize;
  }
}

const AUTHENTICATED = 'system:authenticated';

function withAuthenticatedGroup(user: FakeUser): FakeUser {
  const groups = user.groups ?? [];
  return groups.includes(AUTHENTICATED) ? user : { ...user, groups: [...groups, AUTHENTICATED] };
}

/** The result of authentication: who, or why not (401 Unauthorized). */
export type AuthenticationResult = { readonly ok: true; readonly method: FakeAuthMethod; readonly user: FakeUser } | { readonly ok: false };

/**
 * kube-apiserver's union authenticator: the first method that succeeds wins (x509, then bearer token, then
 * basic); credentials presented but not accepted by any method are a 401, never anonymous.
 */
export function authenticate(auth: FakeAuth, req: IncomingMessage): AuthenticationResult {
  let presented = false;
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate === 'function') {
    const cert = socket.getPeerCertificate();
    if (cert && Object.keys(cert).length > 0) {
      presented = true;
      // `authorized` is false for a certificate the server's CA did not sign ("x509: certificate signed by unknown authority").
      if (auth.clientCertificates && socket.authorized === true && typeof cert.subject?.CN === 'string') {
        const o = cert.subject.O as string | string[] | undefined;
        const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
        return { ok: true, method: 'clientCertificate', user: withAuthenticatedGroup({ username: cert.subject.CN, groups }) };
      }
    }
  }
  const header = req.headers.authorization;
  if (header !== undefined) {
    presented = true;
    const [scheme = '', ...rest] = header.split(' ');
    const value = rest.join(' ').trim();
    if (scheme.toLowerCase() === 'bearer') {
      const user = auth.tokens.get(value);
      if (user) return { ok: true, method: 'token', user: withAuthenticatedGroup(user) };
    } else if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      const name = i < 0 ? decoded : decoded.slice(0, i);
      if (i >= 0 && auth.basic.has(name) && auth.basic.get(name) === decoded.slice(i + 1)) {
        return { ok: true, method: 'basic', user: withAuthenticatedGroup({ username: name }) };
      }
    }
  }
  if (!presented && auth.anonymous) return { ok: true, method: 'anonymous', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } };
  return { ok: false };
}

/** The `Impersonate-*` headers of a request (each header line one value, as Go's `http.Header` keeps them). */
export interface ImpersonationRequest {
  readonly user: string | undefined;
  readonly uid: string | undefined;
  readonly groups: readonly string[];
  readonly extra: Readonly<Record<string, readonly string[]>>;
}

/** Reads `Impersonate-User`, `-Uid`, `-Group` (repeatable) and `Impersonate-Extra-<key>` (key percent-encoded). */
export function impersonationOf(req: IncomingMessage): ImpersonationRequest | undefined {
  const distinct = req.headersDistinct;
  const one = (name: string): string | undefined => distinct[name]?.[0];
  const extra: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(distinct)) {
    if (name.startsWith('impersonate-extra-') && values) extra[decodeURIComponent(name.slice('impersonate-extra-'.length))] = [...values];
  }
  const request: ImpersonationRequest = {
    user: one('impersonate-user'),
    uid: one('impersonate-uid'),
    groups: distinct['impersonate-group'] ?? [],
    extra,
  };
  const any = request.user !== undefined || request.uid !== undefined || request.groups.length > 0 || Object.keys(extra).length > 0;
  return any ? request : undefined;
}

/**
 * The create-only review APIs of kube-apiserver, answered from the FakeApiServer's authentication and authorization
 * settings ({@link FakeAuth}): `authorization.k8s.io/v1` SelfSubjectAccessReview, SubjectAccessReview,
 * LocalSubjectAccessReview and SelfSubjectRulesReview, `authentication.k8s.io/v1` SelfSubjectReview and TokenReview.
 * What `kubectl auth can-i` and `kubectl auth whoami` call.
 *
 * Like the real ones they store nothing: POST on the collection answers 201 with the review and its `status`; any
 * other verb on the collection is 405 (go-restful has only the POST route), an item path is 404
 * (`pkg/registry/authorization/selfsubjectaccessreview/rest.go` and its siblings implement `rest.Creater` only).
 * @internal
 */
import type { ServerResponse } from 'node:http';
import type { AuthorizationAttributes, FakeAuth, FakeUser } from './auth.js';
import type { DiscoveryResource } from './discovery.js';
import { badRequestStatus, invalidStatus, requestEntityTooLargeStatus, resourceNotFoundStatus, type FieldError } from './status.js';
import { methodNotAllowed, type Route } from './routing.js';
import { writeRaw, writeStatus } from './responses.js';
import { decodeProtobufBody } from './protobuf.js';

type JsonObject = Record<string, unknown>;

const AUTHZ = 'authorization.k8s.io';
const AUTHN = 'authentication.k8s.io';

/** The review resources: plural → kind, group, scope. */
const REVIEWS: Readonly<Record<string, { kind: string; group: string; namespaced: boolean }>> = {
  selfsubjectaccessreviews: { kind: 'SelfSubjectAccessReview', group: AUTHZ, namespaced: false },
  subjectaccessreviews: { kind: 'SubjectAccessReview', group: AUTHZ, namespaced: false },
  localsubjectaccessreviews: { kind: 'LocalSubjectAccessReview', group: AUTHZ, namespaced: true },
  selfsubjectrulesreviews: { kind: 'SelfSubjectRulesReview', group: AUTHZ, namespaced: false },
  selfsubjectreviews: { kind: 'SelfSubjectReview', group: AUTHN, namespaced: false },
  tokenreviews: { kind: 'TokenReview', group: AUTHN, namespaced: false },
};

/**
 * The review resources as discovery lists them (verbs `create` only), for servers that serve the v1.35 built-ins.
 * @internal
 */
export const REVIEW_DISCOVERY: readonly DiscoveryResource[] = Object.entries(REVIEWS).map(([plural, r]) => ({
  group: r.group,
  version: 'v1',
  plural,
  kind: r.kind,
  namespaced: r.namespaced,
  verbs: ['create'],
}));

/** Whether `route` addresses a review API (`/apis/authorization.k8s.io/v1/...reviews`, `/apis/authentication.k8s.io/v1/...`). @internal */
export function isReviewRoute(route: Route): boolean {
  const r = route.plural === undefined ? undefined : REVIEWS[route.plural];
  return r !== undefined && route.basePath === `/apis/${r.group}/v1`;
}

/**
 * Who a request acts as when the server has no `auth` configured: the server config's `user` (default
 * `system:anonymous`, in `system:unauthenticated`, as kube-apiserver's anonymous authenticator makes it; any other
 * name is in `system:authenticated`). The same user the fake names in its injected 403 messages.
 * @internal
 */
export function unauthenticatedUser(username: string): FakeUser {
  return { username, groups: [username === 'system:anonymous' ? 'system:unauthenticated' : 'system:authenticated'] };
}

/** What answering a review needs. @internal */
export interface ReviewContext {
  /** The user the request acts as (after impersonation). */
  readonly user: FakeUser;
  /** The server's auth settings; `undefined` when it authenticates nothing (everything is then allowed). */
  readonly auth: FakeAuth | undefined;
  readonly method: string;
  /** The request's `Content-Type`: JSON, or protobuf as kubectl's typed clients send. */
  readonly contentType: string | undefined;
  readonly body: Buffer | undefined;
  readonly tooLarge: boolean;
  readonly maxBodyBytes: number;
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

function isMap(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;
}

/** `authorizationutil.ResourceAttributesFrom`: the spec's attributes as the fake's authorizer takes them. */
function resourceAttributes(user: FakeUser, ra: JsonObject): AuthorizationAttributes {
  const str = (k: string): string => (typeof ra[k] === 'string' ? ra[k] : '');
  return {
    user,
    verb: str('verb'),
    resource: str('resource'),
    group: str('group'),
    ...(str('namespace') !== '' ? { namespace: str('namespace') } : {}),
    ...(str('name') !== '' ? { name: str('name') } : {}),
  };
}

/** `ValidateSubjectAccessReviewSpec` / `ValidateSelfSubjectAccessReviewSpec` (pkg/apis/authorization/validation). */
function specErrors(spec: JsonObject, self: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ra = spec['resourceAttributes'];
  const nra = spec['nonResourceAttributes'];
  if (ra != null && nra != null) errs.push({ field: 'spec.nonResourceAttributes', type: 'FieldValueInvalid', value: nra, detail: 'cannot be specified in combination with resourceAttributes' });
  if (ra == null && nra == null) errs.push({ field: 'spec.resourceAttributes', type: 'FieldValueInvalid', value: null, detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' });
  if (!self && !spec['user'] && !(strings(spec['groups'])?.length ?? 0)) {
    errs.push({ field: 'spec.user', type: 'FieldValueInvalid', value: spec['user'] ?? '', detail: 'at least one of user or group must be specified' });
  }
  return errs;
}

/**
 * The access decision as `SubjectAccessReviewStatus`: the fake's `authorize` for resource attributes (no authorizer
 * allows everything, as `--authorization-mode=AlwaysAllow`); a `false` is RBAC's "no opinion" (`allowed: false`,
 * no `denied`). Non-resource requests are never authorized by the fake (it serves discovery and health paths to
 * everyone), so they are allowed.
 */
function decide(auth: FakeAuth | undefined, user: FakeUser, spec: JsonObject): JsonObject {
  const ra = spec['resourceAttributes'];
  if (!isMap(ra) || !auth?.authorize) return { allowed: true };
  return { allowed: auth.authorize(resourceAttributes(user, ra)) };
}

/** The reviewed user of a SubjectAccessReview's spec. */
function specUser(spec: JsonObject): FakeUser {
  const extra = isMap(spec['extra']) ? (spec['extra'] as Record<string, string[]>) : undefined;
  return {
    username: typeof spec['user'] === 'string' ? spec['user'] : '',
    ...(typeof spec['uid'] === 'string' ? { uid: spec['uid'] } : {}),
    groups: strings(spec['groups']) ?? [],
    ...(extra ? { extra } : {}),
  };
}

/** `authenticationapi.UserInfo` in JSON (empty fields omitted). */
function userInfo(user: FakeUser): JsonObject {
  return {
    username: user.username,
    ...(user.uid ? { uid: user.uid } : {}),
    ...(user.groups?.length ? { groups: [...user.groups] } : {}),
    ...(user.extra && Object.keys(user.extra).length > 0 ? { extra: user.extra } : {}),
  };
}

function created(res: ServerResponse, kind: string, group: string, metadata: JsonObject, rest: JsonObject): void {
  writeRaw(res, 201, 'application/json', `${JSON.stringify({ kind, apiVersion: `${group}/v1`, metadata, ...rest })}\n`);
}

/**
 * Answers a request to a review API ({@link isReviewRoute}). Sources: `pkg/registry/authorization/{selfsubjectaccessreview,
 * subjectaccessreview,localsubjectaccessreview,selfsubjectrulesreview}/rest.go` and
 * `pkg/registry/authentication/{selfsubjectreview,tokenreview}/rest.go`, each `Create`.
 * @internal
 */
export function serveReview(res: ServerResponse, route: Route, ctx: ReviewContext): void {
  const review = REVIEWS[route.plural!]!;
  if (route.name !== undefined || route.subresource !== undefined || route.watchPrefix || (route.namespace !== undefined) !== review.namespaced) {
    return writeStatus(res, resourceNotFoundStatus());
  }
  if (ctx.method !== 'POST') return writeStatus(res, methodNotAllowed());
  if (ctx.tooLarge) return writeStatus(res, requestEntityTooLargeStatus(ctx.maxBodyBytes));
  let obj: unknown;
  const body = ctx.body ?? Buffer.alloc(0);
  if ((ctx.contentType ?? '').startsWith(PROTOBUF)) {
    // kubectl auth can-i / whoami send protobuf (the v1.35 messages, lib/testing/protobuf.ts).
    const decoded = decodeProtobufBody({ group: review.group, apiVersion: `${review.group}/v1`, kind: review.kind }, body);
    if ('status' in decoded) return writeStatus(res, decoded.status);
    obj = decoded.object;
  } else {
    try {
      obj = JSON.parse(body.toString('utf8'));
    } catch (err) {
      return writeStatus(res, badRequestStatus(`the object provided is unrecognized (must be of type ${review.kind}): couldn't get version/kind; json parse error: ${(err as Error).message}`));
    }
  }
  if (!isMap(obj)) return writeStatus(res, badRequestStatus(`the object provided is unrecognized (must be of type ${review.kind})`));
  const apiVersion = `${review.group}/v1`;
  if (obj['apiVersion'] !== undefined && obj['apiVersion'] !== apiVersion) {
    return writeStatus(res, badRequestStatus(`the API version in the data (${String(obj['apiVersion'])}) does not match the expected API version (${apiVersion})`));
  }
  const spec = isMap(obj['spec']) ? obj['spec'] : {};
  const meta = isMap(obj['metadata']) ? obj['metadata'] : {};
  const invalid = (errs: FieldError[]): void => writeStatus(res, invalidStatus(review.kind, review.group, '', errs));
  switch (review.kind) {
    case 'SelfSubjectAccessReview':
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview': {
      const self = review.kind === 'SelfSubjectAccessReview';
      const errs = specErrors(spec, self);
      // ValidateLocalSubjectAccessReview: the attributes' namespace must be the request's.
      const ra = spec['resourceAttributes'];
      if (review.namespaced && isMap(ra) && (ra['namespace'] ?? '') !== route.namespace) {
        errs.push({ field: 'spec.resourceAttributes.namespace', type: 'FieldValueInvalid', value: ra['namespace'] ?? '', detail: 'must match metadata.namespace' });
      }
      if (errs.length > 0) return invalid(errs);
      const user = self ? ctx.user : specUser(spec);
      const metadata = review.namespaced ? { namespace: route.namespace } : {};
      return created(res, review.kind, review.group, metadata, { spec, status: decide(ctx.auth, user, spec) });
    }
    case 'SelfSubjectRulesReview': {
      // The fake's authorizer is a predicate and cannot list rules: like a webhook authorizer (no RulesResolver),
      // the answer is empty and `incomplete`.
      const status = {
        resourceRules: [],
        nonResourceRules: [],
        incomplete: true,
        evaluationError: 'the FakeApiServer authorizer cannot enumerate rules',
      };
      return created(res, review.kind, review.group, {}, { spec, status });
    }
    case 'SelfSubjectReview':
      return created(res, review.kind, review.group, { ...meta, creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }, { status: { userInfo: userInfo(ctx.user) } });
    default: {
      // TokenReview: the token is checked against the server's accepted bearer tokens.
      const token = typeof spec['token'] === 'string' ? spec['token'] : '';
      const found = ctx.auth?.tokens.get(token);
      const status = found
        ? { authenticated: true, user: userInfo({ ...found, groups: [...(found.groups ?? []).filter((g) => g !== 'system:authenticated'), 'system:authenticated'] }) }
        : { user: {}, error: '[invalid bearer token, token lookup failed]' };
      return created(res, review.kind, review.group, {}, { spec, status });
    }
  }
}

/**
 * HTTP routing of the FakeApiServer: the path as kube-apiserver's installer lays it out
 * (`/api/v1/...`, `/apis/G/V/...`, `namespaces/NS/<plural>/<name>/<subresource>`, the deprecated `/watch/` prefix),
 * the authorizer's verb of a request, content negotiation of `Accept`, and the answers of routes a verb or media
 * type does not reach (405, 406).
 * @internal
 */
import { makeStatus, type StatusBody } from './status.js';
import type { RecordedRequest } from './server-types.js';

/** @internal */
export interface Route {
  readonly basePath: string;
  readonly group: string;
  readonly watchPrefix: boolean;
  readonly namespace: string | undefined;
  readonly plural: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

/** Kubernetes' bool query conversion: present and not `0`/`false` (any case) is true (§1.1). @internal */
export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** @internal */
export function methodNotAllowed(): StatusBody {
  return makeStatus({ code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', details: {} });
}

/** @internal */
export function notAcceptable(): StatusBody {
  return makeStatus({
    code: 406,
    reason: 'NotAcceptable',
    message: 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  });
}

/**
 * Picks the first JSON media range of `Accept` (§8): plain JSON, PartialObjectMetadata(List) of meta.k8s.io/v1,
 * or a Table of meta.k8s.io v1 or v1beta1 (answered as v1). Protobuf and other ranges are
 * skipped; nothing usable is a 406.
 * @internal
 */
export function negotiate(accept: string | undefined): { metadataOnly: boolean; table?: true } | undefined {
  if (!accept || accept.trim() === '') return { metadataOnly: false };
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((s) => s.trim());
    if (!['application/json', 'application/*', '*/*'].includes(type.toLowerCase())) continue;
    const p = new Map(params.map((kv) => {
      const i = kv.indexOf('=');
      return i < 0 ? [kv, ''] : [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
    }));
    const as = p.get('as');
    if (as === undefined) return { metadataOnly: false };
    if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && p.get('g') === 'meta.k8s.io' && p.get('v') === 'v1') {
      return { metadataOnly: true };
    }
    if (as === 'Table' && p.get('g') === 'meta.k8s.io' && (p.get('v') === 'v1' || p.get('v') === 'v1beta1')) {
      return { metadataOnly: false, table: true };
    }
  }
  return undefined;
}

/** The authorizer's verb word for a request (§4.5: `watch`, `list`, `get`, ...). @internal */
export function verbOf(r: RecordedRequest, route: Route | undefined): string {
  switch (r.method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route?.name === undefined ? 'deletecollection' : 'delete';
    default:
      if (route?.watchPrefix) return 'watch';
      if (route?.name !== undefined) return 'get';
      return boolParam(r.query, 'watch') ? 'watch' : 'list';
  }
}

/**
 * Splits `/api/v1/...` and `/apis/G/V/...` (§1.1), with the deprecated `/watch/` prefix (checklist 2).
 * `undefined` for anything else (Go's plain 404). Throws on malformed percent-encoding.
 * @internal
 */
export function parsePath(pathname: string): Route | undefined {
  const seg = pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  let basePath: string;
  let group = '';
  let rest: string[];
  if (seg[0] === 'api' && seg.length >= 2) {
    basePath = `/api/${seg[1]}`;
    rest = seg.slice(2);
  } else if (seg[0] === 'apis' && seg.length >= 3) {
    group = seg[1]!;
    basePath = `/apis/${group}/${seg[2]}`;
    rest = seg.slice(3);
  } else {
    return undefined;
  }
  const watchPrefix = rest[0] === 'watch';
  if (watchPrefix) rest = rest.slice(1);
  const route = (namespace: string | undefined, plural: string | undefined, name: string | undefined, sub: string[]): Route => ({
    basePath,
    group,
    watchPrefix,
    namespace,
    plural,
    name,
    subresource: sub.length > 0 ? sub.join('/') : undefined,
  });
  if (rest.length === 0) return watchPrefix ? route(undefined, '', undefined, []) : route(undefined, undefined, undefined, []);
  // `namespaces/NS/<plural>...` is a namespaced path; `namespaces` and `namespaces/NAME` are the Namespace kind.
  if (rest[0] === 'namespaces' && rest.length >= 3) return route(rest[1], rest[2], rest[3], rest.slice(4));
  return route(undefined, rest[0], rest[1], rest.slice(2));
}

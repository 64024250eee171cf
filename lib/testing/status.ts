/**
 * Builders for `meta/v1` Status bodies exactly as kube-apiserver writes them: keys in Go field order
 * (protocol sheet §4.1), empty fields omitted as `omitempty` does, `metadata: {}` always present.
 */

/**
 * One cause in `details.causes`; the cause type is the JSON key `reason` (protocol sheet §4.1).
 * @since 0.1.0
 */
export interface StatusCauseBody {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/**
 * `Status.details`.
 * @since 0.1.0
 */
export interface StatusDetailsBody {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly StatusCauseBody[];
  readonly retryAfterSeconds?: number;
}

/**
 * A `meta/v1` Status as serialized on the wire.
 * @since 0.1.0
 */
export interface StatusBody {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status?: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: StatusDetailsBody;
  readonly code?: number;
}

/**
 * What {@link makeStatus} takes. `status` defaults to `Failure`.
 * @since 0.1.0
 */
export interface StatusInput {
  readonly code: number;
  readonly message?: string;
  readonly reason?: string;
  readonly details?: StatusDetailsBody;
  readonly status?: 'Success' | 'Failure';
}

function orderedDetails(d: StatusDetailsBody): StatusDetailsBody {
  const out: Record<string, unknown> = {};
  if (d.name) out['name'] = d.name;
  if (d.group) out['group'] = d.group;
  if (d.kind) out['kind'] = d.kind;
  if (d.uid) out['uid'] = d.uid;
  if (d.causes && d.causes.length > 0) {
    out['causes'] = d.causes.map((c) => {
      const cause: Record<string, string> = {};
      if (c.reason) cause['reason'] = c.reason;
      if (c.message) cause['message'] = c.message;
      if (c.field) cause['field'] = c.field;
      return cause;
    });
  }
  if (d.retryAfterSeconds) out['retryAfterSeconds'] = d.retryAfterSeconds;
  return out as StatusDetailsBody;
}

/**
 * Builds a Status with kube-apiserver's key order (`kind, apiVersion, metadata, status, message, reason,
 * details, code`), dropping empty `message`/`reason` and empty detail fields like Go's `omitempty`.
 * A `details` object that is given but empty stays as `{}` (the generic 404 has `"details":{}`).
 *
 * @example
 * ```ts
 * JSON.stringify(makeStatus({ code: 401, message: 'Unauthorized', reason: 'Unauthorized' }));
 * // {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}
 * ```
 * @since 0.1.0
 */
export function makeStatus(input: StatusInput): StatusBody {
  const out: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: input.status ?? 'Failure' };
  if (input.message) out['message'] = input.message;
  if (input.reason) out['reason'] = input.reason;
  if (input.details) out['details'] = orderedDetails(input.details);
  if (input.code) out['code'] = input.code;
  return out as unknown as StatusBody;
}

/** Group-qualified resource as Kubernetes prints it: `pods`, `deployments.apps`. */
function qualified(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

/**
 * The watch-cache "too old resource version" error (protocol sheet §4.2):
 * `too old resource version: <rv> (<oldest-1>)`, reason `Expired` (or `Gone` for servers up to 1.17), code 410.
 * @since 0.1.0
 */
export function tooOldResourceVersionStatus(requested: string | number, oldestMinusOne: number, reason: 'Expired' | 'Gone' = 'Expired'): StatusBody {
  return makeStatus({ code: 410, reason, message: `too old resource version: ${requested} (${oldestMinusOne})` });
}

/**
 * The "Too large resource version" error (protocol sheet §4.3): code 504, reason `Timeout`, cause
 * `ResourceVersionTooLarge`, `retryAfterSeconds` (1 by default).
 * @since 0.1.0
 */
export function tooLargeResourceVersionStatus(requested: string | number, current: string | number, retryAfterSeconds = 1): StatusBody {
  return makeStatus({
    code: 504,
    reason: 'Timeout',
    message: `Timeout: Too large resource version: ${requested}, current: ${current}`,
    details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds },
  });
}

/**
 * An InternalError (500) as `errors.NewInternalError` builds it: message `Internal error occurred: <msg>`,
 * one cause carrying the bare message (protocol sheet §4.5).
 * @since 0.1.0
 */
export function internalErrorStatus(message: string, retryAfterSeconds?: number): StatusBody {
  return makeStatus({
    code: 500,
    reason: 'InternalError',
    message: `Internal error occurred: ${message}`,
    details: { causes: [{ message }], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) },
  });
}

/**
 * The 401 Status of the authentication filter (protocol sheet §4.5).
 * @since 0.1.0
 */
export function unauthorizedStatus(): StatusBody {
  return makeStatus({ code: 401, message: 'Unauthorized', reason: 'Unauthorized' });
}

/**
 * What {@link forbiddenStatus} takes.
 * @since 0.1.0
 */
export interface ForbiddenInput {
  readonly user: string;
  readonly verb: string;
  readonly plural: string;
  /** `''` for the core group. */
  readonly group: string;
  readonly namespace?: string;
  readonly name?: string;
}

/**
 * The 403 Status of the authorization filter (protocol sheet §4.5): `pods is forbidden: User "alice" cannot watch
 * resource "pods" in API group "" in the namespace "ns"`, or `... at the cluster scope`; `details.kind` is the plural.
 * @since 0.1.0
 */
export function forbiddenStatus(i: ForbiddenInput): StatusBody {
  const scope = i.namespace ? `in the namespace ${JSON.stringify(i.namespace)}` : 'at the cluster scope';
  const reason = `User ${JSON.stringify(i.user)} cannot ${i.verb} resource ${JSON.stringify(i.plural)} in API group ${JSON.stringify(i.group)} ${scope}`;
  const subject = i.name ? `${qualified(i.plural, i.group)} ${JSON.stringify(i.name)}` : qualified(i.plural, i.group);
  return makeStatus({
    code: 403,
    reason: 'Forbidden',
    message: `${subject} is forbidden: ${reason}`,
    details: { name: i.name, group: i.group, kind: i.plural },
  });
}

/**
 * The 404 for an unknown resource in a served group-version (protocol sheet §4.5), with `"details":{}`.
 * @since 0.1.0
 */
export function resourceNotFoundStatus(): StatusBody {
  return makeStatus({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
}

/**
 * The 404 for a missing object: `pods "foo" not found`, details `{name, group, kind: plural}`.
 * @since 0.1.0
 */
export function objectNotFoundStatus(plural: string, group: string, name: string): StatusBody {
  return makeStatus({
    code: 404,
    reason: 'NotFound',
    message: `${qualified(plural, group)} ${JSON.stringify(name)} not found`,
    details: { name, group, kind: plural },
  });
}

/**
 * A 400 BadRequest Status with the given message.
 * @since 0.1.0
 */
export function badRequestStatus(message: string): StatusBody {
  return makeStatus({ code: 400, reason: 'BadRequest', message });
}

/**
 * The JSON 429 of `errors.NewTooManyRequests` (protocol sheet §4.4, watch cache not ready):
 * `Too many requests: <msg>`, `details.retryAfterSeconds`.
 * @since 0.1.0
 */
export function tooManyRequestsStatus(message: string, retryAfterSeconds: number): StatusBody {
  return makeStatus({ code: 429, reason: 'TooManyRequests', message: `Too many requests: ${message}`, details: { retryAfterSeconds } });
}

/**
 * One field error of a failed validation (`field.Error`).
 * @since 0.1.0
 */
export interface FieldError {
  readonly field: string;
  /** `FieldValueForbidden` or `FieldValueNotSupported`. */
  readonly type: 'FieldValueForbidden' | 'FieldValueNotSupported';
  /** For Forbidden: the detail. For NotSupported: the bad value. */
  readonly detail: string;
  /** For NotSupported: the supported values. */
  readonly supported?: readonly string[];
}

function errorBody(e: FieldError): string {
  return e.type === 'FieldValueForbidden'
    ? `Forbidden: ${e.detail}`
    : `Unsupported value: ${JSON.stringify(e.detail)}: supported values: ${(e.supported ?? []).map((s) => JSON.stringify(s)).join(', ')}`;
}

/**
 * The 422 Invalid Status for rejected ListOptions (protocol sheet §1.3): group `meta.k8s.io`, kind `ListOptions`,
 * one cause per error, message `ListOptions.meta.k8s.io "" is invalid: <field>: <body>` (several joined in `[...]`).
 * @since 0.1.0
 */
export function invalidListOptionsStatus(errors: readonly FieldError[]): StatusBody {
  const messages = [...new Set(errors.map((e) => `${e.field}: ${errorBody(e)}`))];
  const aggregate = messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
  return makeStatus({
    code: 422,
    reason: 'Invalid',
    message: `ListOptions.meta.k8s.io "" is invalid: ${aggregate}`,
    details: {
      group: 'meta.k8s.io',
      kind: 'ListOptions',
      causes: errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
    },
  });
}

/**
 * Builders for `meta/v1` Status bodies exactly as kube-apiserver writes them: keys in Go field order
 * (protocol sheet §4.1), empty fields omitted as `omitempty` does, `metadata: {}` always present.
 */

/**
 * One cause in `details.causes`; the cause type is the JSON key `reason` (protocol sheet §4.1).
 * @since 0.1.0
 */
export interface StatusCauseBody {
  /** The cause type, e.g. `FieldValueRequired`. */
  readonly reason?: string;
  /** A human-readable description of the cause. */
  readonly message?: string;
  /** The field path the cause is about, e.g. `spec.containers[0].image`. */
  readonly field?: string;
}

/**
 * `Status.details`.
 * @since 0.1.0
 */
export interface StatusDetailsBody {
  /** The name of the object concerned. */
  readonly name?: string;
  /** Its API group (`''` for core). */
  readonly group?: string;
  /** Its kind, or (as kube-apiserver often sends) the resource plural. */
  readonly kind?: string;
  /** Its UID. */
  readonly uid?: string;
  /** The individual causes, e.g. one per field error. */
  readonly causes?: readonly StatusCauseBody[];
  /** Seconds the client should wait before retrying. */
  readonly retryAfterSeconds?: number;
}

/**
 * A `meta/v1` Status as serialized on the wire.
 * @since 0.1.0
 */
export interface StatusBody {
  /** Always `Status`. */
  readonly kind: 'Status';
  /** Always `v1`. */
  readonly apiVersion: 'v1';
  /** Always `{}`. */
  readonly metadata: Record<string, never>;
  /** `Success` or `Failure`. */
  readonly status?: 'Success' | 'Failure';
  /** The human-readable error message. */
  readonly message?: string;
  /** The machine-readable reason, e.g. `NotFound`, `Expired`. */
  readonly reason?: string;
  /** Details about the object or causes. */
  readonly details?: StatusDetailsBody;
  /** The HTTP status code. */
  readonly code?: number;
}

/**
 * What {@link makeStatus} takes. `status` defaults to `Failure`.
 * @since 0.1.0
 */
export interface StatusInput {
  /** The HTTP status code; `0` omits `code`. */
  readonly code: number;
  /** The message; omitted when empty. */
  readonly message?: string;
  /** The reason; omitted when empty. */
  readonly reason?: string;
  /** The details; empty fields are dropped, an empty object stays `{}`. */
  readonly details?: StatusDetailsBody;
  /** `Success` or `Failure` (the default). */
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
  /** The user name in the message. */
  readonly user: string;
  /** The verb that was denied, e.g. `watch`. */
  readonly verb: string;
  /** The resource plural, e.g. `pods`; also `details.kind`. */
  readonly plural: string;
  /** `''` for the core group. */
  readonly group: string;
  /** The namespace; absent means "at the cluster scope". */
  readonly namespace?: string;
  /** The object name, if the request named one. */
  readonly name?: string;
  /**
   * The subresource (`status`): the message names `pods/status` while `details.kind` stays the resource
   * (AS:`endpoints/handlers/responsewriters/errors.go` `forbiddenMessage`).
   */
  readonly subresource?: string;
}

/**
 * The 403 Status of the authorization filter (protocol sheet §4.5): `pods is forbidden: User "alice" cannot watch
 * resource "pods" in API group "" in the namespace "ns"`, or `... at the cluster scope`; `details.kind` is the plural.
 * @since 0.1.0
 */
export function forbiddenStatus(i: ForbiddenInput): StatusBody {
  const scope = i.namespace ? `in the namespace ${JSON.stringify(i.namespace)}` : 'at the cluster scope';
  const resource = i.subresource ? `${i.plural}/${i.subresource}` : i.plural;
  const reason = `User ${JSON.stringify(i.user)} cannot ${i.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(i.group)} ${scope}`;
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
 * The cause types of `field.Error` (apimachinery `pkg/util/validation/field/errors.go`, `ErrorType`), which become
 * `details.causes[].reason` in a 422 Status.
 * @since 0.1.0
 */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

/**
 * One field error of a failed validation (`field.Error`).
 *
 * The message body follows `field.Error.ErrorBody()`: the type's text (`Required value`, `Invalid value`, ...),
 * then `: <value>` for the types that print the bad value (Invalid, Duplicate, NotSupported, NotFound, TooMany,
 * TypeInvalid; strings are quoted like Go's `%q`), then `: <detail>` when a detail is given.
 *
 * @example
 * ```ts
 * { field: 'spec.prop2', type: 'FieldValueRequired' }                        // spec.prop2: Required value
 * { field: 'metadata.name', type: 'FieldValueInvalid', value: 'A', detail: 'must be lower case' }
 * { field: 'resourceVersionMatch', type: 'FieldValueNotSupported', value: 'Exact', supported: ['NotOlderThan'] }
 * ```
 * @since 0.1.0
 */
export interface FieldError {
  /** The field path, e.g. `spec.containers[0].image`. */
  readonly field: string;
  /** The error type, which becomes the cause's `reason`. */
  readonly type: FieldErrorType;
  /**
   * The detail appended after the type text (and value). For `FieldValueNotSupported` without `value`, the bad value
   * itself (the original meaning of this field, kept for compatibility).
   */
  readonly detail?: string;
  /** The bad value, for the types that print it. `undefined` omits it (Go's `omitValue`); `null` prints `null`. */
  readonly value?: unknown;
  /** For NotSupported: the supported values. */
  readonly supported?: readonly string[];
}

const FIELD_ERROR_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueNotFound: 'Not found',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

/** Go's rendering of a bad value in `ErrorBody`: `%q` for strings, `%v` for numbers/bools, `%#v` for string slices. */
function goValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  return JSON.stringify(v);
}

/**
 * The message body of one field error, as `field.Error.ErrorBody()` builds it (without the `<field>: ` prefix).
 * @since 0.1.0
 */
export function fieldErrorBody(e: FieldError): string {
  const text = FIELD_ERROR_TEXT[e.type];
  if (e.type === 'FieldValueNotSupported') {
    const value = e.value !== undefined ? e.value : e.detail;
    const supported = e.supported && e.supported.length > 0 ? `: supported values: ${e.supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
    return `${text}${value !== undefined ? `: ${goValue(value)}` : ''}${supported}`;
  }
  // Required, Forbidden, TooLong and Internal never print the value (ErrorBody's first cases).
  const printsValue = !['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError'].includes(e.type);
  let s = printsValue && e.value !== undefined ? `${text}: ${goValue(e.value)}` : text;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/**
 * The 422 Invalid Status of `errors.NewInvalid(qualifiedKind, name, errs)`: message
 * `<Kind>[.<group>] "<name>" is invalid: <field>: <body>` (several errors joined as `[a, b]`, duplicates dropped
 * as `ToAggregate` does), `details: {name, group, kind, causes}` with one cause per error. Compare
 * `fixtures/status-422-invalid.json`.
 * @example
 * ```ts
 * invalidStatus('FooBar', 'example.com', 'fb3', [{ field: 'spec.prop2', type: 'FieldValueRequired' }]);
 * // message: FooBar.example.com "fb3" is invalid: spec.prop2: Required value
 * ```
 * @since 0.1.0
 */
export function invalidStatus(kind: string, group: string, name: string, errors: readonly FieldError[]): StatusBody {
  const messages = [...new Set(errors.map((e) => `${e.field}: ${fieldErrorBody(e)}`))];
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const aggregate = messages.length === 0 ? '' : `: ${messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`}`;
  return makeStatus({
    code: 422,
    reason: 'Invalid',
    message: `${qualifiedKind} ${JSON.stringify(name)} is invalid${aggregate}`,
    details: { name, group, kind, causes: errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })) },
  });
}

/**
 * The 422 Invalid Status for rejected ListOptions (protocol sheet §1.3): group `meta.k8s.io`, kind `ListOptions`,
 * one cause per error, message `ListOptions.meta.k8s.io "" is invalid: <field>: <body>` (several joined in `[...]`).
 * @since 0.1.0
 */
export function invalidListOptionsStatus(errors: readonly FieldError[]): StatusBody {
  return invalidStatus('ListOptions', 'meta.k8s.io', '', errors);
}

/**
 * 409 AlreadyExists of `errors.NewAlreadyExists`: `pods "x" already exists`, details `{name, group, kind: plural}`.
 * @since 0.1.0
 */
export function alreadyExistsStatus(plural: string, group: string, name: string): StatusBody {
  return makeStatus({
    code: 409,
    reason: 'AlreadyExists',
    message: `${qualified(plural, group)} ${JSON.stringify(name)} already exists`,
    details: { name, group, kind: plural },
  });
}

/** The optimistic-lock text of `registry/generic/registry.OptimisticLockErrorMsg`. @since 0.1.0 */
export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

/**
 * 409 Conflict of `errors.NewConflict(resource, name, err)`: `Operation cannot be fulfilled on pods "x": <why>`,
 * details `{name, group, kind: resource}`. `why` defaults to the optimistic-lock message.
 * @since 0.1.0
 */
export function conflictStatus(resource: string, group: string, name: string, why: string = OPTIMISTIC_LOCK_MESSAGE): StatusBody {
  return makeStatus({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${qualified(resource, group)} ${JSON.stringify(name)}: ${why}`,
    details: { name, group, kind: resource },
  });
}

/**
 * 415 of `negotiation.NewUnsupportedMediaTypeError`: `the body of the request was in an unknown format - accepted
 * media types include: <types>`, no details.
 * @since 0.1.0
 */
export function unsupportedMediaTypeStatus(accepted: readonly string[]): StatusBody {
  return makeStatus({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  });
}

/**
 * 413 of `errors.NewRequestEntityTooLargeError` as `limitedReadBody` raises it: `Request entity too large: limit is N`.
 * @since 0.1.0
 */
export function requestEntityTooLargeStatus(limit: number): StatusBody {
  return makeStatus({ code: 413, reason: 'RequestEntityTooLarge', message: `Request entity too large: limit is ${limit}` });
}

/**
 * The `Success` Status a DELETE answers for kinds whose registry does not return the deleted object
 * (`Store.finalizeDelete` without `ReturnDeletedObject`): no message, no code, details
 * `{name, group, kind: plural, uid}`. Compare `fixtures/status-delete-success.json`.
 * @since 0.1.0
 */
export function deleteSuccessStatus(plural: string, group: string, name: string, uid: string | undefined): StatusBody {
  return makeStatus({ code: 0, status: 'Success', details: { name, group, kind: plural, uid } });
}

/**
 * The options of the FakeApiServer's write verbs as kube-apiserver reads and validates them: `CreateOptions`,
 * `UpdateOptions` (`dryRun`) and `DeleteOptions` (body or query; AS:`handlers/delete.go`, AM:`apis/meta/v1/validation`).
 * @internal
 */
import { badRequestStatus, internalErrorStatus, invalidStatus, type FieldError } from './status.js';
import type { JsonObject } from './store.js';
import { isMap } from './patch.js';
import { HttpError } from './responses.js';
import { GO_TYPEMETA, goJsonType } from './request-body.js';
import type { PropagationPolicy } from './deletion.js';

/** AM:`apis/meta/v1/validation` `ValidateDryRun`: every value must be `All`. */
export function dryRunErrors(values: readonly string[]): FieldError[] {
  return values.every((v) => v === 'All') ? [] : [{ field: 'dryRun', type: 'FieldValueNotSupported', value: [...values], supported: ['All'] }];
}

export function optionsInvalid(kind: string, errors: readonly FieldError[]): HttpError {
  return new HttpError(invalidStatus(kind, 'meta.k8s.io', '', errors));
}

/** `CreateOptions`/`UpdateOptions` validation: `dryRun` (422 otherwise). Returns whether this is a dry run. */
export function createOrUpdateOptions(kind: 'CreateOptions' | 'UpdateOptions', q: URLSearchParams): boolean {
  const dryRun = q.getAll('dryRun');
  const errs = dryRunErrors(dryRun);
  if (errs.length > 0) throw optionsInvalid(kind, errs);
  return dryRun.length > 0;
}

export interface DeleteOptions {
  readonly dryRun: boolean;
  readonly orphanDependents: boolean | undefined;
  readonly propagationPolicy: PropagationPolicy | undefined;
  readonly gracePeriodSeconds: number | undefined;
  readonly preconditions: { readonly uid?: string; readonly resourceVersion?: string };
}

/**
 * DeleteOptions from the body when there is one, else from the query (AS:`handlers/delete.go`), validated as
 * `ValidateDeleteOptions` does (422 `DeleteOptions.meta.k8s.io "" is invalid`).
 */
export function deleteOptions(q: URLSearchParams, body: string): DeleteOptions {
  let o: JsonObject;
  if (body.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      throw new HttpError(badRequestStatus(`couldn't get version/kind; json parse error: ${(err as Error).message}`));
    }
    if (!isMap(parsed)) throw new HttpError(badRequestStatus(`couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(parsed)} into Go value of type ${GO_TYPEMETA}`));
    if (parsed['kind'] !== undefined && parsed['kind'] !== 'DeleteOptions') throw new HttpError(internalErrorStatus('decoded object cannot be converted to DeleteOptions'));
    o = parsed;
  } else {
    o = {};
    for (const k of ['propagationPolicy', 'gracePeriodSeconds', 'orphanDependents']) {
      const v = q.get(k);
      if (v !== null) o[k] = k === 'gracePeriodSeconds' ? Number(v) : k === 'orphanDependents' ? !(v === '0' || v.toLowerCase() === 'false') : v;
    }
    const dr = q.getAll('dryRun');
    if (dr.length > 0) o['dryRun'] = dr;
  }
  if (o['gracePeriodSeconds'] !== undefined && !Number.isInteger(o['gracePeriodSeconds'])) {
    throw new HttpError(badRequestStatus(`gracePeriodSeconds: invalid value ${JSON.stringify(o['gracePeriodSeconds'])}`));
  }
  const dryRun = Array.isArray(o['dryRun']) ? o['dryRun'].map(String) : [];
  const errs: FieldError[] = [];
  const policy = o['propagationPolicy'];
  const orphan = o['orphanDependents'];
  if (orphan !== undefined && orphan !== null && policy !== undefined && policy !== null) {
    errs.push({ field: 'propagationPolicy', type: 'FieldValueInvalid', value: policy, detail: 'orphanDependents and deletionPropagation cannot be both set' });
  }
  if (policy !== undefined && policy !== null && !['Foreground', 'Background', 'Orphan'].includes(policy as string)) {
    errs.push({ field: 'propagationPolicy', type: 'FieldValueNotSupported', value: policy, supported: ['Foreground', 'Background', 'Orphan', 'nil'] });
  }
  errs.push(...dryRunErrors(dryRun));
  if (errs.length > 0) throw optionsInvalid('DeleteOptions', errs);
  const pre = isMap(o['preconditions']) ? o['preconditions'] : {};
  return {
    dryRun: dryRun.length > 0,
    orphanDependents: typeof orphan === 'boolean' ? orphan : undefined,
    propagationPolicy: typeof policy === 'string' ? (policy as PropagationPolicy) : undefined,
    gracePeriodSeconds: typeof o['gracePeriodSeconds'] === 'number' ? o['gracePeriodSeconds'] : undefined,
    preconditions: {
      ...(typeof pre['uid'] === 'string' ? { uid: pre['uid'] } : {}),
      ...(typeof pre['resourceVersion'] === 'string' ? { resourceVersion: pre['resourceVersion'] } : {}),
    },
  };
}

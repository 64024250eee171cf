/**
 * The built-in `metadata.name` rules of the FakeApiServer's create path (AM:`api/validation/objectmeta.go`
 * `ValidateObjectMetaAccessor` with the kinds' `ValidateXxxName`, and the DNS rules of AM:`util/validation/validation.go`).
 * @internal
 */
import type { FieldError } from './status.js';
import type { JsonObject } from './store.js';

/**
 * Which name rule the built-in validation applies to `metadata.name` (apimachinery `validation/objectmeta.go` and the
 * kinds' `ValidateXxxName`): `subdomain` (RFC 1123 subdomain, most kinds), `label` (RFC 1123 label: Namespace),
 * `label1035` (RFC 1035 label: Service), `none`.
 * @since 0.1.0
 */
export type NameRule = 'subdomain' | 'label' | 'label1035' | 'none';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';

const NAME_RULES: Record<Exclude<NameRule, 'none'>, { max: number; re: RegExp; message: string }> = {
  subdomain: {
    max: 253,
    re: new RegExp(`^${DNS1123_SUBDOMAIN}$`),
    message: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`,
  },
  label: {
    max: 63,
    re: new RegExp(`^${DNS1123_LABEL}$`),
    message: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`,
  },
  label1035: {
    max: 63,
    re: new RegExp(`^${DNS1035_LABEL}$`),
    message: `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_LABEL}')`,
  },
};

/** `IsDNS1123Subdomain` & co.: the length message first, then the format message. `prefix` masks a trailing `-`. */
function nameMessages(rule: NameRule, name: string, prefix: boolean): string[] {
  if (rule === 'none') return [];
  const r = NAME_RULES[rule];
  const v = prefix && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
  const out: string[] = [];
  if (v.length > r.max) out.push(`must be no more than ${r.max} characters`);
  if (!r.re.test(v)) out.push(r.message);
  return out;
}

/** AM:`api/validation/objectmeta.go` `ValidateObjectMetaAccessor`, the name part. */
export function validateObjectMetaName(rule: NameRule, meta: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = meta['generateName'];
  if (typeof generateName === 'string' && generateName !== '') {
    for (const m of nameMessages(rule, generateName, true)) errs.push({ field: 'metadata.generateName', type: 'FieldValueInvalid', value: generateName, detail: m });
  }
  const name = meta['name'];
  if (typeof name !== 'string' || name === '') {
    errs.push({ field: 'metadata.name', type: 'FieldValueRequired', detail: 'name or generateName is required' });
  } else {
    for (const m of nameMessages(rule, name, false)) errs.push({ field: 'metadata.name', type: 'FieldValueInvalid', value: name, detail: m });
  }
  return errs;
}

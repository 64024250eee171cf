/**
 * The string `format`s that codecs generated from a CustomResourceDefinition check at run time, as the API server
 * checks them when it validates a custom object.
 *
 * The API server validates a custom object's `format: X` strings with kube-openapi's format registry
 * (`k8s.io/kube-openapi/pkg/validation/strfmt`, `default.go` and `time.go`), restricted to the formats listed in
 * `k8s.io/apiextensions-apiserver/pkg/apiserver/validation/formats.go` (others are stripped from the schema and
 * never checked). Each predicate here follows the server's, and where they could differ it errs on the side of
 * accepting: an object the API server stored must always decode. Formats not listed here (`uri`, `email`,
 * `duration`, `quantity`, `isbn`, `creditcard`, ...) are not checked client-side; neither are `k8s-short-name`
 * and `k8s-long-name`, which servers older than v1.34 do not validate (so objects they stored may not match).
 *
 * @packageDocumentation
 */

/**
 * A format check: whether a string is valid in that format.
 * @since 0.2.0
 */
export type FormatCheck = (value: string) => boolean;

/**
 * The name under which a format is looked up: without dashes, as go-openapi's registry normalises names
 * (`date-time` and `datetime` are the same format; `formats.go` does the same before its lookup).
 * @since 0.2.0
 */
export function normalizeFormat(name: string): string {
  return name.replace(/-/g, '');
}

// strfmt `IsDate`: Go's time.Parse with the layout "2006-01-02": four-digit year, two-digit month and day, and a
// day that exists in that month (29 February only in leap years).
function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

// strfmt `DateTimePattern`, applied to what follows the first `t` (see isDateTime). `.` is any character there too.
const TIME_OF_DAY = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;

// strfmt `IsDateTime`, step by step: lower-case the text, split it at every `t`, the first part must be a date and
// the second a time with a zone (`z` or `±hh:mm`), hours <= 23, minutes and seconds <= 59.
function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0]!)) return false;
  const time = TIME_OF_DAY.exec(parts[1]!);
  return time !== null && time[1]! <= '23' && time[2]! <= '59' && time[3]! <= '59';
}

// govalidator `IsBase64` (strfmt registers it for `byte`): standard alphabet, padded. The empty string, the
// encoding of no bytes (what Go's encoding/json writes for an empty []byte), is accepted here although the regular
// expression alone rejects it.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

// strfmt `UUIDPattern`, `UUID3Pattern`, ... (`(?i)`: upper case allowed; dashes optional).
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;

// strfmt `HostnamePattern` (RFC 1034 section 3.1, with digits first, Unicode letters and symbols allowed), in
// ECMAScript syntax: `\p{..}` needs the `u` flag, and the hyphen inside a class is escaped (Go's Perl syntax takes
// `[0-9-\p{S}]` as a literal hyphen; the `u` flag would reject it as a range).
const L = String.raw`a-zA-Z0-9\p{S}\p{L}`;
const HOSTNAME = new RegExp(String.raw`^([${L}]((-?[${L}]{0,62})?)|([${L}](([${L}\-]{0,61}[${L}])?)(\.)){1,}([${L}])(-?[${L}]){1,62})$`, 'u');

// strfmt `IsHostname`: the pattern, at most 255 and labels of at most 63. Go counts bytes; this counts UTF-16 code
// units, never more than the bytes, so a non-ASCII name is never rejected here that the server accepts.
function isHostname(value: string): boolean {
  return HOSTNAME.test(value) && value.length <= 255 && value.split('.').every((label) => label.length <= 63);
}

// Go's net.ParseIP for dotted IPv4, as Go before 1.17 and k8s.io/utils/net.ParseIPSloppy read it: four decimal
// fields of at most 255, leading zeros allowed (current servers reject them; objects stored earlier may have them).
function isDottedIPv4(value: string): boolean {
  const fields = value.split('.');
  return fields.length === 4 && fields.every((f) => /^\d+$/.test(f) && Number(f) <= 255);
}

// Go's net.ParseIP for IPv6: eight groups of one to four hex digits, one `::` standing for at least one group,
// and a dotted IPv4 address allowed as the last 32 bits. No zone (`%eth0`), no brackets.
function isColonIPv6(value: string): boolean {
  let text = value;
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return false;
  if (text.includes('.', lastColon)) {
    if (!isDottedIPv4(text.slice(lastColon + 1))) return false;
    text = `${text.slice(0, lastColon + 1)}0:0`; // the IPv4 tail counts as two groups
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** Go's net.ParseIP: an IPv4 or IPv6 address in any form it reads. */
function isIP(value: string): boolean {
  return isDottedIPv4(value) || isColonIPv6(value);
}

// govalidator `IsCIDR`: Go's net.ParseCIDR: an address, `/`, and a prefix length of at most 32 (dotted IPv4) or
// 128 (any IPv6 form).
function isCIDR(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d+$/.test(prefix)) return false;
  if (isDottedIPv4(address)) return Number(prefix) <= 32;
  return isColonIPv6(address) && Number(prefix) <= 128;
}

// govalidator `IsMAC`: Go's net.ParseMAC: 6, 8 or 20 octets as pairs of hex digits separated by all `:` or all
// `-`, or as groups of four hex digits separated by `.`.
const MAC = [6, 8, 20].flatMap((octets) => [
  new RegExp(`^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){${octets - 1}}$`),
  new RegExp(`^[0-9a-fA-F]{2}(-[0-9a-fA-F]{2}){${octets - 1}}$`),
  new RegExp(`^[0-9a-fA-F]{4}(\\.[0-9a-fA-F]{4}){${octets / 2 - 1}}$`),
]);

/**
 * The string formats checked client-side, by normalised name (see {@link normalizeFormat}): `date-time`, `date`,
 * `byte` (base64), `uuid` (and `uuid3`, `uuid4`, `uuid5`), `hostname`, `ipv4`, `ipv6`, `cidr`, `mac`.
 *
 * @example
 * ```ts
 * STRING_FORMATS[normalizeFormat('date-time')]?.('2026-06-15T04:15:58Z');   // true
 * ```
 * @since 0.2.0
 */
export const STRING_FORMATS: Readonly<Record<string, FormatCheck>> = Object.freeze({
  datetime: isDateTime,
  date: isDate,
  byte: (value: string) => value === '' || BASE64.test(value),
  uuid: (value: string) => UUID.test(value),
  uuid3: (value: string) => UUID3.test(value),
  uuid4: (value: string) => UUID4.test(value),
  uuid5: (value: string) => UUID5.test(value),
  hostname: isHostname,
  // govalidator `IsIPv4` / `IsIPv6`: what net.ParseIP reads, with a `.` (resp. a `:`) in it; so `::ffff:1.2.3.4`
  // is both.
  ipv4: (value: string) => isIP(value) && value.includes('.'),
  ipv6: (value: string) => isIP(value) && value.includes(':'),
  cidr: isCIDR,
  mac: (value: string) => MAC.some((pattern) => pattern.test(value)),
});

/**
 * The range of `type: integer` with `format: int32` or `int64`: the values Go's `int32` and `int64` hold, so
 * what a Go client (controller-gen types) can read. The API server itself does not check these ranges.
 * `int64` bounds are the nearest doubles, ±2^63: `9223372036854775807` parses to 2^63 in JavaScript.
 * @since 0.2.0
 */
export const INTEGER_FORMATS: Readonly<Record<'int32' | 'int64', { readonly min: number; readonly max: number }>> = Object.freeze({
  int32: { min: -2147483648, max: 2147483647 },
  int64: { min: -(2 ** 63), max: 2 ** 63 },
});

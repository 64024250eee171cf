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

// Days in each month of a common year (February gets its 29th in leap years).
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The decimal number of the ASCII digits `value[start..end)` (checked as digits by the caller's pattern). */
function digitsAt(value: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + value.charCodeAt(i) - 48;
  return n;
}

/** The date `YYYY-MM-DD` at the start of `value` (its digits already checked) exists: 29 February in leap years. */
function validDate(value: string): boolean {
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 7);
  const day = digitsAt(value, 8, 10);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!);
}

// strfmt `IsDate`: Go's time.Parse with the layout "2006-01-02": four-digit year, two-digit month and day, and a
// day that exists in that month.
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(value: string): boolean {
  return DATE.test(value) && validDate(value);
}

// strfmt `IsDateTime` lower-cases the text, splits it at every `t`, and wants a date before the first `t` and,
// between it and the next, `DateTimePattern`: a time with a zone (`z` or `±hh:mm`), hours <= 23, minutes and
// seconds <= 59. The same without copying the text: a date is ten characters, none of them a `t`, so the first
// `t` is the eleventh, the time `hh:mm:ss` the next eight, and it runs to the next `t` or the end (`[^t\n]` is
// the pattern's `.`: Go's stops at a newline, and the split left no `t`; `/i` stands for the lower-casing).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}:\d{2}([^t\n]\d+)?(z|[+-]\d{2}:\d{2})(t|$)/i;

function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && validDate(value) && digitsAt(value, 11, 13) <= 23 && digitsAt(value, 14, 16) <= 59 && digitsAt(value, 17, 19) <= 59;
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
function hostnamePattern(L: string, flags: string): RegExp {
  return new RegExp(String.raw`^([${L}]((-?[${L}]{0,62})?)|([${L}](([${L}\-]{0,61}[${L}])?)(\.)){1,}([${L}])(-?[${L}]){1,62})$`, flags);
}
const HOSTNAME = hostnamePattern(String.raw`a-zA-Z0-9\p{S}\p{L}`, 'u');
// The same for ASCII text, without Unicode property classes (several times faster): the ASCII characters of
// \p{S} are `$+<=>^\`|~`.
const HOSTNAME_ASCII = hostnamePattern(String.raw`a-zA-Z0-9$+<=>^\`|~`, '');
const ASCII = /^[\x00-\x7f]*$/;
const LONG_LABEL = /[^.]{64}/;

// strfmt `IsHostname`: the pattern, at most 255 and labels of at most 63. Go counts bytes; this counts UTF-16 code
// units, never more than the bytes, so a non-ASCII name is never rejected here that the server accepts.
function isHostname(value: string): boolean {
  return value.length <= 255 && !LONG_LABEL.test(value) && (ASCII.test(value) ? HOSTNAME_ASCII : HOSTNAME).test(value);
}

// Go's net.ParseIP for dotted IPv4, as Go before 1.17 and k8s.io/utils/net.ParseIPSloppy read it: four decimal
// fields of at most 255, leading zeros allowed (current servers reject them; objects stored earlier may have them).
function isDottedIPv4(value: string): boolean {
  let fields = 0;
  let digits = 0;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + c - 48;
      if (n > 255) return false;
      digits++;
    } else if (c === 46 /* . */ && digits > 0 && fields < 3) {
      fields++;
      digits = 0;
      n = 0;
    } else return false;
  }
  return fields === 3 && digits > 0;
}

// Go's net.ParseIP for IPv6: eight groups of one to four hex digits, one `::` standing for at least one group,
// and a dotted IPv4 address allowed as the last 32 bits (two groups). No zone (`%eth0`), no brackets. One pass
// over the characters.
function isColonIPv6(value: string): boolean {
  let groups = 0;
  let digits = 0; // hex digits in the current group
  let ellipsis = false;
  const end = value.length;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) {
      if (++digits > 4) return false;
    } else if (c === 58 /* : */) {
      if (i === 0) {
        if (value.charCodeAt(1) !== 58) return false; // a leading `:` only as `::`
        continue;
      }
      if (digits > 0) groups++;
      else if (value.charCodeAt(i - 1) === 58) {
        if (ellipsis) return false; // a second `::`
        ellipsis = true;
      } else return false;
      digits = 0;
    } else if (c === 46 /* . */) {
      // The group being read starts the dotted tail: from the last `:` on, an IPv4 address, as two groups.
      const start = value.lastIndexOf(':', i) + 1;
      if (start === 0 || !isDottedIPv4(value.slice(start))) return false;
      groups += 2;
      digits = 0;
      return finish();
    } else return false;
  }
  if (digits > 0) groups++;
  else if (end > 0 && value.charCodeAt(end - 1) === 58 && !(end >= 2 && value.charCodeAt(end - 2) === 58)) return false; // a trailing lone `:`
  return finish();

  function finish(): boolean {
    return ellipsis ? groups <= 7 : groups === 8;
  }
}

/** Go's net.ParseIP: an IPv4 or IPv6 address in any form it reads. */
function isIP(value: string): boolean {
  return isDottedIPv4(value) || isColonIPv6(value);
}

const DIGITS = /^\d+$/;

// govalidator `IsCIDR`: Go's net.ParseCIDR: an address, `/`, and a prefix length of at most 32 (dotted IPv4) or
// 128 (any IPv6 form).
function isCIDR(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!DIGITS.test(prefix)) return false;
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

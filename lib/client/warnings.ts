/**
 * The API server's `Warning` response headers: deprecated APIs, unknown or duplicate fields (`fieldValidation=Warn`),
 * admission webhooks' and ValidatingAdmissionPolicies' warnings. kube-apiserver sends each as
 * `299 - "text"` (RFC 7234 §5.5 warn-code, agent, quoted text; k8s.io/apiserver `pkg/endpoints/filters/warning.go`
 * with `net.NewWarningHeader`). client-go parses them with apimachinery's `ParseWarningHeaders` and hands code 299
 * with a non-empty text to its `WarningHandler` (`rest/warnings.go`); kubectl prints each distinct text once
 * (`NewWarningWriter` with `Deduplicate: true` in `kubectl/pkg/cmd/cmd.go`). kubex-rx does the same per client.
 */

/** One warning of a `Warning` header. */
export interface WarningHeader {
  /** The three-digit warn-code (the API server uses 299, "miscellaneous persistent warning"). */
  readonly code: number;
  /** The warn-agent (`-` from the API server). */
  readonly agent: string;
  /** The warning text, unquoted. */
  readonly text: string;
}

/**
 * Parses a `Warning` header value into its warnings, as apimachinery's `ParseWarningHeaders`: comma-separated
 * `code agent "text"` entries, each with an optional quoted date. fetch joins repeated header lines with `, `,
 * which is this same list. At the first malformed entry the rest of the value is skipped, as Go does for one
 * header line. RFC 2047-encoded texts (RFC 2616 style, which no API server sends) are kept encoded.
 */
export function parseWarningHeader(value: string): WarningHeader[] {
  const warnings: WarningHeader[] = [];
  let rest = value.trim();
  while (rest.length > 0) {
    const match = /^(\d{3}) ([^ ]+) /.exec(rest);
    if (!match) break;
    const text = parseQuoted(rest.slice(match[0].length));
    // Go refuses control characters in the agent and the text.
    if (!text || /\p{Cc}/u.test(match[2]!) || /\p{Cc}/u.test(text.value)) break;
    rest = text.rest;
    if (rest.startsWith('"')) {
      // The optional warn-date: no escapes inside.
      const end = rest.indexOf('"', 1);
      if (end < 0) break;
      rest = rest.slice(end + 1).trim();
    }
    // Anything but a comma after the entry makes the entry itself invalid, as in Go.
    if (rest.length > 0 && !rest.startsWith(',')) break;
    warnings.push({ code: Number(match[1]), agent: match[2]!, text: text.value });
    rest = rest.slice(1).trim();
  }
  return warnings;
}

/** A quoted-string with backslash escapes at the start of `input`, and what follows it (trimmed). */
function parseQuoted(input: string): { readonly value: string; readonly rest: string } | undefined {
  if (!input.startsWith('"')) return undefined;
  let value = '';
  for (let i = 1; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\\' && i + 1 < input.length) value += input[++i];
    else if (c === '"') return { value, rest: input.slice(i + 1).trim() };
    else value += c;
  }
  return undefined;
}

/** How many distinct warning texts a client remembers; past it the oldest is forgotten (and could show again). */
export const MAX_REMEMBERED_WARNINGS = 1000;

/**
 * The texts of the warnings in `value` to report now: code 299 with a non-empty text (client-go's
 * `WarningLogger`), each distinct text once while `seen` remembers it. client-go warns that deduplicating in a
 * long-running process grows memory; `seen` is therefore bounded to {@link MAX_REMEMBERED_WARNINGS} texts.
 */
export function newWarnings(value: string | null, seen: Set<string>): string[] {
  if (value === null || value === '') return [];
  const texts: string[] = [];
  for (const warning of parseWarningHeader(value)) {
    if (warning.code !== 299 || warning.text === '' || seen.has(warning.text)) continue;
    if (seen.size >= MAX_REMEMBERED_WARNINGS) seen.delete(seen.values().next().value!);
    seen.add(warning.text);
    texts.push(warning.text);
  }
  return texts;
}

/** Merging the headers of a request from its sources: client defaults, the request's own, credentials. */

/**
 * Headers as name → value, or as `[name, value]` pairs where a name may repeat (`Impersonate-Group` once per
 * group: Kubernetes reads each header line as one value and never splits on commas).
 * @since 0.1.0
 */
export type HeaderInit = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;

/** Header values by lower-case name, each with the casing of the source that set it last, and every value in order. */
export type HeaderTable = Map<string, { name: string; values: string[] }>;

/** Later sources override earlier ones by name (any case); a name repeated within one pair list keeps all values. */
export function mergeHeaders(sources: readonly HeaderInit[]): HeaderTable {
  const table: HeaderTable = new Map();
  for (const source of sources) {
    const seen = new Set<string>();
    const entries: ReadonlyArray<readonly [string, string]> = Array.isArray(source) ? source : Object.entries(source);
    for (const [name, value] of entries) {
      const key = name.toLowerCase();
      if (seen.has(key)) table.get(key)!.values.push(value);
      else table.set(key, { name, values: [value] });
      seen.add(key);
    }
  }
  return table;
}

export function hasHeader(table: HeaderTable, name: string): boolean {
  return table.has(name.toLowerCase());
}

export function appendHeader(table: HeaderTable, name: string, value: string): void {
  table.set(name.toLowerCase(), { name, values: [value] });
}

/** A plain record, unless a header repeats: then `[name, value]` pairs (node-fetch sends each as its own line). */
export function headersForFetch(table: HeaderTable): Record<string, string> | [string, string][] {
  const all = [...table.values()];
  if (all.some((h) => h.values.length > 1)) return all.flatMap((h) => h.values.map((v): [string, string] => [h.name, v]));
  return Object.fromEntries(all.map((h) => [h.name, h.values[0]!]));
}

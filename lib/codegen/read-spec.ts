/**
 * Reading the generator's input: a file or an `http(s)://` URL, JSON or YAML, told apart by the content alone
 * (a CRD published on a web server is YAML whatever its URL ends with or its `Content-Type` says; GitHub serves
 * raw YAML as `text/plain`).
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

/**
 * Reads a spec from a file path or an `http(s)://` URL and parses it with {@link parseSpecText}: JSON, or YAML
 * (a CRD manifest as `kubectl apply` takes it, several documents separated by `---` allowed).
 *
 * Rejects with an `Error` when the file cannot be read, the URL answers with an HTTP error status
 * (`GET URL: HTTP 404`), or the text is neither JSON nor YAML.
 *
 * @example
 * ```ts
 * const crd = await readSpec('https://example.com/crds/foobars.yaml');
 * const spec = await readSpec('http://127.0.0.1:8001/openapi/v2');   // a cluster's own spec, behind kubectl proxy
 * ```
 * @since 0.2.0
 */
export async function readSpec(location: string): Promise<unknown> {
  if (/^https?:\/\//i.test(location)) {
    // Prefer JSON (kube-apiserver's /openapi/v2 also speaks protobuf), accept anything: the content decides.
    const response = await fetch(location, { headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.8' } });
    if (!response.ok) throw new Error(`GET ${location}: HTTP ${response.status}`);
    return parseSpecText(await response.text(), location);
  }
  return parseSpecText(await readFile(location, 'utf8'), location);
}

/**
 * Parses JSON, or else YAML: one document as is, several as an array of the non-empty ones. Text that starts
 * with `{` or `[` is read as JSON first (fast for a cluster's multi-megabyte spec), then as YAML if it is not
 * JSON (YAML flow style, `{kind: CustomResourceDefinition, ...}`, starts the same way).
 *
 * Throws an `Error` naming `source` when the text is neither.
 *
 * @example
 * ```ts
 * parseSpecText('kind: CustomResourceDefinition\n');   // { kind: 'CustomResourceDefinition' }
 * parseSpecText('a: 1\n---\nb: 2\n');                  // [{ a: 1 }, { b: 2 }]
 * ```
 * @since 0.2.0
 */
export function parseSpecText(text: string, source = 'input'): unknown {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON: YAML decides below
    }
  }
  const values: unknown[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`${source}: not JSON, and not valid YAML: ${document.errors[0]!.message}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values.length === 1 ? values[0] : values;
}

/**
 * The FakeApiServer's generated data modules (under `lib/testing/generated/`), and the functions that build them from
 * `vendor/`: `npm run codegen:fake-server-data` (through `main.ts`) writes them, and
 * `spec/testing/fake-server-data.drift.spec.ts` rebuilds the payloads and compares them with the committed ones, so
 * they cannot drift from the vendored sources.
 *
 * Runtime code under `lib/` cannot read `vendor/` (the npm package ships only `dist/`), so the data it needs is
 * compiled into TypeScript modules holding a brotli-compressed, base64-encoded JSON payload, decompressed on first use.
 *
 * For maintainers only: this folder is outside `lib/`, nothing of it is compiled into `dist/` or published.
 */
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import protobuf from 'protobufjs';
import { OPENAPI_DIR, PROTOS_DIR, REPO_ROOT } from '../../vendor/index.js';

/** Where the generated modules go, relative to the repository root. */
export const GENERATED_DIR = 'lib/testing/generated';

/** Every `.proto` file of `vendor/k8s-protos`, relative to it, sorted. */
function protoFiles(dir: string = PROTOS_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.proto')) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The v1.35 swagger, parsed. */
function swagger(): { definitions: Record<string, Record<string, unknown>> } & Record<string, unknown> {
  return JSON.parse(readFileSync(join(OPENAPI_DIR, 'swagger-v1.35.json'), 'utf8')) as never;
}

/**
 * The protobuf payload: `descriptor` is the protobufjs JSON descriptor of every vendored `.proto` file (package names
 * as k8s-pb wrote them, without `k8s.io.`); `kinds` maps `group/version/Kind` (group `''` for core) to the message
 * of that kind, from the swagger definitions carrying one `x-kubernetes-group-version-kind` (definition name without
 * `io.k8s.`, hyphens as underscores: the rule of `vendor/k8s-protos/README.md`).
 */
export function buildProtoPayload(): { descriptor: unknown; kinds: Record<string, string> } {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(PROTOS_DIR, target));
  root.loadSync(protoFiles(), { keepCase: true });
  root.resolveAll();
  const kinds: Record<string, string> = {};
  const defs = swagger().definitions;
  for (const name of Object.keys(defs).sort()) {
    const gvks = defs[name]!['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined;
    if (gvks?.length !== 1) continue;
    const message = name.replace(/^io\.k8s\./, '').replace(/-/g, '_');
    if (!root.lookup(message)) continue;
    const { group, version, kind } = gvks[0]!;
    kinds[`${group}/${version}/${kind}`] = message;
  }
  return { descriptor: root.toJSON({ keepComments: false }), kinds };
}

/** The OpenAPI payload: the v1.35 swagger unchanged (minified). */
export function buildOpenApiPayload(): unknown {
  return swagger();
}

/** Brotli + base64 of a JSON value, as the generated modules hold it. */
function pack(value: unknown): string {
  return brotliCompressSync(Buffer.from(JSON.stringify(value), 'utf8'), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
  }).toString('base64');
}

function moduleText(what: string, source: string, name: string, value: unknown, encode: (value: unknown) => string): string {
  return [
    '/**',
    ` * ${what}`,
    ` * Generated from ${source} by \`npm run codegen:fake-server-data\` (scripts/fake-server-data); do not edit.`,
    ' * JSON, brotli-compressed and base64-encoded; decoded on first use.',
    ' * @internal',
    ' */',
    `export const ${name}: string = '${encode(value)}';`,
    '',
  ].join('\n');
}

/**
 * The generated files: path relative to the repository root → text. `encode` turns a payload into the module's
 * string (brotli + base64; the drift spec passes a cheaper one to compare the text around the payloads).
 */
export function fakeServerDataFiles(encode: (value: unknown) => string = pack): Record<string, string> {
  return {
    [`${GENERATED_DIR}/k8s-protos-v1_35.ts`]: moduleText(
      'The Kubernetes v1.35.0 protobuf definitions as a protobufjs JSON descriptor, and the message of each kind.',
      '`vendor/k8s-protos` (every `generated.proto`) and `vendor/k8s-openapi/swagger-v1.35.json`',
      'K8S_PROTOS_V1_35',
      buildProtoPayload(),
      encode,
    ),
    [`${GENERATED_DIR}/openapi-v1_35.ts`]: moduleText(
      'The Kubernetes v1.35.0 OpenAPI v2 spec (swagger), served by the FakeApiServer at `/openapi/v2` and `/openapi/v3`.',
      '`vendor/k8s-openapi/swagger-v1.35.json`',
      'OPENAPI_V2_V1_35',
      buildOpenApiPayload(),
      encode,
    ),
  };
}

/** Writes {@link fakeServerDataFiles} under `root` (the repository by default). */
export function regenerate(root: string = REPO_ROOT, log: (line: string) => void = console.log): void {
  for (const [path, text] of Object.entries(fakeServerDataFiles())) {
    mkdirSync(join(root, GENERATED_DIR), { recursive: true });
    writeFileSync(join(root, path), text);
    log(`codegen:fake-server-data: wrote ${path} (${text.length} bytes)`);
  }
}

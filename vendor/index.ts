/**
 * The one module that knows where the repository's vendored data lives (see `vendor/README.md`): the Kubernetes
 * OpenAPI specs the built-in models are generated from, and the objects recorded from real API servers that the
 * tests, the code generator and the benchmark read. Everything is inside the repository, so a fresh clone is
 * complete; none of it is published in the npm package.
 *
 * The root is found by walking up to the kubex-rx `package.json`, so this module works both from source (ts-jest)
 * and compiled elsewhere (the benchmark's `bench/.out`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest ancestor of this module holding the kubex-rx package.json. */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** `vendor/`: third-party data kept in the repository with its provenance and licence. */
export const VENDOR_DIR = join(REPO_ROOT, 'vendor');

/** `vendor/fixtures/`: objects recorded from real kube-apiservers (v1.35.6, v1.36.2) and clusters. */
export const FIXTURES_DIR = join(VENDOR_DIR, 'fixtures');

/** `vendor/k8s-openapi/`: the official Kubernetes OpenAPI v2 specs (`swagger-v1.35.json`, `swagger-v1.36.json`). */
export const OPENAPI_DIR = join(VENDOR_DIR, 'k8s-openapi');

/** `vendor/k8s-protos/`: the Kubernetes v1.35.0 protobuf definitions (`generated.proto`), the include root of their imports. */
export const PROTOS_DIR = join(VENDOR_DIR, 'k8s-protos');

/** Every `*.json` fixture, by file name, sorted. */
export function fixtureFiles(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Parses one fixture file of {@link FIXTURES_DIR}. */
export function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8')) as Record<string, unknown>;
}

/** `vendor/fixtures/discovery/`: discovery documents recorded from real kube-apiservers (not objects: not in {@link fixtureFiles}). */
export const DISCOVERY_FIXTURES_DIR = join(FIXTURES_DIR, 'discovery');

/** Parses one discovery document of {@link DISCOVERY_FIXTURES_DIR}, e.g. `apis-v1.35.json`. */
export function readDiscoveryFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(DISCOVERY_FIXTURES_DIR, name), 'utf8')) as Record<string, unknown>;
}

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'kubex-rx') return dir;
    } catch {
      // no package.json here: keep walking up
    }
    if (dirname(dir) === dir) throw new Error(`no kubex-rx package.json above ${from}`);
  }
}

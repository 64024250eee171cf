/**
 * Where the committed generated code lives and how it was generated (`scripts/codegen/targets.ts`, what
 * `npm run codegen` writes), and the inputs the specs read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerateOptions } from '../../lib/codegen/index.js';
import { SPEC_TARGETS } from '../../scripts/codegen/targets.js';
import { FIXTURES_DIR, OPENAPI_DIR, REPO_ROOT } from '../../vendor/index.js';

const fixtureTarget = SPEC_TARGETS.find((target) => target.input.endsWith('/customresourcedefinition.json'))!;

/** The fixture CRD's generated module is committed here (and type-checked with the rest of `spec/`). */
export const CRD_OUT = join(REPO_ROOT, fixtureTarget.out);

/** The options it is generated with: imports go to the in-repo `lib/k8s`, relative to {@link CRD_OUT}. */
export const CRD_OPTIONS: GenerateOptions = fixtureTarget.options;

/** The fixture CRD, parsed (`vendor/fixtures`). */
export function readCrdFixture(): unknown {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, 'customresourcedefinition.json'), 'utf8'));
}

/** A Kubernetes OpenAPI v2 spec from `vendor/k8s-openapi`, parsed. */
export function readSpec(file: string): unknown {
  return JSON.parse(readFileSync(join(OPENAPI_DIR, file), 'utf8'));
}

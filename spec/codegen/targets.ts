/**
 * Where the committed generated code lives and how it was generated: shared by the drift and CRD specs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerateOptions } from '../../lib/codegen/index.js';
import { FIXTURES_DIR, OPENAPI_DIR, REPO_ROOT } from '../../vendor/index.js';

/** The fixture CRD's generated module is committed here (and type-checked with the rest of `spec/`). */
export const CRD_OUT = join(REPO_ROOT, 'spec', 'codegen', 'generated');

/** The options it is generated with: imports go to the in-repo `lib/k8s`, relative to {@link CRD_OUT}. */
export const CRD_OPTIONS: GenerateOptions = {
  modulePrefix: '../../../lib/k8s/v1_35',
  runtimeModule: '../../../lib/k8s/runtime',
  source: 'the fixture CRD `customresourcedefinition.json`',
};

/** The fixture CRD, parsed (`vendor/fixtures`). */
export function readCrdFixture(): unknown {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, 'customresourcedefinition.json'), 'utf8'));
}

/** A Kubernetes OpenAPI v2 spec from `vendor/k8s-openapi`, parsed. */
export function readSpec(file: string): unknown {
  return JSON.parse(readFileSync(join(OPENAPI_DIR, file), 'utf8'));
}

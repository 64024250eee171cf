/**
 * The generated code committed in the repository, and the one function that regenerates it: `npm run codegen`
 * (through `main.ts`) and the drift spec (`spec/codegen/drift.spec.ts`, into a temp dir) both call
 * {@link regenerate}, so the spec checks exactly what the script writes.
 *
 * For maintainers only: this folder is outside `lib/`, so nothing of it is compiled into `dist/` or published
 * (package.json `files`). Users generate their own modules with `kubex-rx codegen`.
 */
import { join } from 'node:path';
import { generate, readSpec, writeFiles, type GenerateOptions } from '../../lib/codegen/index.js';
import { REPO_ROOT } from '../../vendor/index.js';

/**
 * One generated directory: `input` (relative to the repository root) generated into `out` (relative to the root
 * written to) with `options`. `out` is cleaned first: a module that left the input leaves no file behind.
 */
export interface Target {
  readonly input: string;
  readonly out: string;
  readonly options: GenerateOptions;
}

/** The built-in models `kubex-rx/k8s/v1_35/...` and `v1_36/...`, from the OpenAPI specs in `vendor/k8s-openapi`. */
export const BUILTIN_TARGETS: readonly Target[] = [
  {
    input: 'vendor/k8s-openapi/swagger-v1.35.json',
    out: 'lib/k8s/v1_35',
    options: { runtimeModule: '../runtime', source: 'the Kubernetes v1.35.0 OpenAPI v2 spec (`swagger-v1.35.json`; `npm run codegen`)' },
  },
  {
    input: 'vendor/k8s-openapi/swagger-v1.36.json',
    out: 'lib/k8s/v1_36',
    options: { runtimeModule: '../runtime', source: 'the Kubernetes v1.36.0 OpenAPI v2 spec (`swagger-v1.36.json`; `npm run codegen`)' },
  },
];

/**
 * Options of the CRD modules committed under `spec/codegen/generated/NAME`: imports go to the in-repo `lib/k8s`,
 * relative to the output directory (`spec/codegen/generated/NAME`, four levels below the repository root).
 */
function specCrdOptions(source: string): GenerateOptions {
  return { modulePrefix: '../../../../lib/k8s/v1_35', runtimeModule: '../../../../lib/k8s/runtime', source };
}

/**
 * CRD modules the specs import (and `npm test` type-checks): the recorded fixture CRD, and a CRD written for the
 * value checks (`spec/codegen/fixtures/widgets.crd.yaml`, YAML as `kubectl apply` takes it).
 */
export const SPEC_TARGETS: readonly Target[] = [
  {
    input: 'vendor/fixtures/customresourcedefinition.json',
    out: 'spec/codegen/generated/fixture',
    options: specCrdOptions('the fixture CRD `customresourcedefinition.json`'),
  },
  {
    input: 'spec/codegen/fixtures/widgets.crd.yaml',
    out: 'spec/codegen/generated/widgets',
    options: specCrdOptions('the test CRD `spec/codegen/fixtures/widgets.crd.yaml`'),
  },
];

/** Every directory of generated code in the repository. */
export const TARGETS: readonly Target[] = [...BUILTIN_TARGETS, ...SPEC_TARGETS];

/**
 * Regenerates every {@link TARGETS} directory under `root` (the repository itself by default), reading the
 * inputs from the repository. Logs one line per directory: `codegen: wrote N modules under OUT`.
 */
export async function regenerate(root: string = REPO_ROOT, log: (line: string) => void = console.log): Promise<void> {
  for (const target of TARGETS) {
    const files = generate(await readSpec(join(REPO_ROOT, target.input)), target.options);
    writeFiles(files, join(root, target.out), true);
    log(`codegen: wrote ${files.length} modules under ${target.out}`);
  }
}

/**
 * Generated code compiles in a user's strictest project: the repository's tsc, spawned on a temp project with
 * `strict`, `noUnusedLocals`, `noUnusedParameters`, `exactOptionalPropertyTypes` and `noUncheckedIndexedAccess`,
 * checks CRD modules generated as a user generates them (default options: `kubex-rx/k8s/...` imports, mapped to
 * this repository's sources), the committed CRD modules, and what they import (the runtime, the built-in
 * `meta/v1`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generate, listTsFiles, readSpec, writeFiles } from '../../lib/codegen/index.js';
import { SPEC_TARGETS } from '../../scripts/codegen/targets.js';
import { REPO_ROOT } from '../../vendor/index.js';

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const STRICTEST = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: false, // the generated checks read `u.name` of an index signature on purpose
};

let project: string;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'kubex-codegen-strict-'));
  // `io-ts` and `@types/node` as a user has them installed.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  for (const target of SPEC_TARGETS) {
    writeFiles(generate(await readSpec(join(REPO_ROOT, target.input)), { source: target.input }), join(project, 'src', target.out.split('/').pop()!));
  }
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** Runs the repository's tsc on the project with `compilerOptions`; resolves to its diagnostics, one per line. */
async function tsc(compilerOptions: Record<string, unknown>, files: readonly string[]): Promise<string[]> {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022'],
        types: ['node'],
        noEmit: true,
        skipLibCheck: true,
        // What `kubex-rx/k8s/...` resolves to once installed, here from source.
        paths: { 'kubex-rx/k8s/*': [join(REPO_ROOT, 'lib', 'k8s', '*.ts')] },
        ...compilerOptions,
      },
      files,
    }),
  );
  try {
    await promisify(execFile)(process.execPath, [TSC, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
    return [];
  } catch (error) {
    const e = error as { stdout?: string; message: string };
    const lines = (e.stdout ?? '').split('\n').filter((l) => l.trim() !== '');
    return lines.length > 0 ? lines : [e.message];
  }
}

describe('generated CRD modules under the strictest compiler options', () => {
  it('compile without a diagnostic: generated as a user does, and as committed', async () => {
    const fresh = listTsFiles(join(project, 'src')).map((f) => join(project, 'src', f));
    const committed = SPEC_TARGETS.flatMap((target) => listTsFiles(join(REPO_ROOT, target.out)).map((f) => join(REPO_ROOT, target.out, f)));
    expect(fresh.length).toBe(committed.length);
    expect(await tsc(STRICTEST, [...fresh, ...committed])).toEqual([]);
  }, 120_000);

  it('the check is real: a planted unused parameter and an unused local are reported', async () => {
    const planted = join(project, 'src', 'planted.ts');
    writeFileSync(planted, "import * as t from 'io-ts';\nexport const f = (u: unknown, r: t.Props): boolean => { const unused = 1; return u !== undefined; };\n");
    const diagnostics = await tsc(STRICTEST, [planted]);
    expect(diagnostics).toEqual([expect.stringContaining("error TS6133: 'r' is declared but its value is never read."), expect.stringContaining("error TS6133: 'unused' is declared but its value is never read.")]);
  }, 120_000);
});

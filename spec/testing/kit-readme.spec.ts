/**
 * The README's "Testing your pipeline in virtual time" example compiles and runs. Its text is read from the
 * README section, must equal samples/testing-pipeline.ts (which `tsc -p tsconfig.json` type-checks, and
 * readme-snippets.spec.ts compiles strictly against the packed tarball), and is run here as it is: a copy whose
 * `kubex-rx` imports point at lib/, imported as a module. The example asserts with node:assert, so a wrong marble
 * or recorded call throws and fails this test.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../vendor/index.js';

const SECTION = 'Testing your pipeline in virtual time';
const SOURCE = join(REPO_ROOT, 'README.md');

/** The first ```ts block under the `## ` heading `section`. */
function exampleOf(markdown: string, section: string): string {
  const start = markdown.indexOf(`## ${section}\n`);
  if (start < 0) throw new Error(`no section "${section}"`);
  const next = markdown.indexOf('\n## ', start + 1);
  const body = markdown.slice(start, next < 0 ? undefined : next);
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(body);
  if (block === null) throw new Error(`no \`\`\`ts block in "${section}"`);
  return block[1]!;
}

describe(`README: ${SECTION}`, () => {
  const example = exampleOf(readFileSync(SOURCE, 'utf8'), SECTION);

  it('is samples/testing-pipeline.ts, as it is', () => {
    expect(example).toBe(readFileSync(join(REPO_ROOT, 'samples', 'testing-pipeline.ts'), 'utf8'));
  });

  it('runs: its marbles and its assertions on the recorded requests hold', async () => {
    // The package's own names, mapped to the sources as tsconfig.json's paths do (jest does not read them).
    const local = example.replace(/from 'kubex-rx'/g, "from '../../lib/index.js'").replace(/from 'kubex-rx\/testing'/g, "from '../../lib/testing/index.js'");
    expect(local).not.toContain("'kubex-rx");
    const file = join(REPO_ROOT, 'spec', 'testing', `readme-example.${process.pid}.gen.ts`);
    writeFileSync(file, local);
    try {
      await expect(import(pathToFileURL(file).href)).resolves.toHaveProperty('widgetChanges');
    } finally {
      rmSync(file, { force: true });
    }
  });
});

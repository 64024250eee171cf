/**
 * The committed generated code must be exactly what the generator writes today: a stale `lib/k8s/v1_3x` (or a
 * generator change without `npm run codegen`) fails here.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_TARGETS, generate, listTsFiles, writeFiles, type GeneratedFile } from '../../lib/codegen/index.js';
import { main } from '../../lib/codegen/cli.js';
import { OPENAPI_DIR, REPO_ROOT } from '../../vendor/index.js';
import { CRD_OPTIONS, CRD_OUT, readCrdFixture, readSpec } from './targets.js';

/** Writes the files to a temp dir and reads them back, so the comparison covers what `writeFiles` produces. */
function throughDisk(files: readonly GeneratedFile[]): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'kubex-codegen-'));
  try {
    writeFiles(files, dir, true);
    return new Map(listTsFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function committed(dir: string): Map<string, string> {
  return new Map(listTsFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

function expectSame(fresh: Map<string, string>, dir: string): void {
  const current = committed(dir);
  // File sets first (a module missing or left over), then contents, file by file for a readable failure.
  expect([...current.keys()]).toEqual([...fresh.keys()]);
  const stale = [...fresh].filter(([file, text]) => current.get(file) !== text).map(([file]) => file);
  expect(stale).toEqual([]);
}

describe('generated code is up to date (run `npm run codegen` if this fails)', () => {
  it('lib/k8s/v1_35 and lib/k8s/v1_36: `kubex-rx builtins` (what `npm run codegen` runs) into a temp dir', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kubex-codegen-root-'));
    try {
      const log: string[] = [];
      expect(await main(['builtins', '--root', root, '--openapi', OPENAPI_DIR], (l) => log.push(l), (l) => log.push(l))).toBe(0);
      for (const target of BUILTIN_TARGETS) {
        const fresh = committed(join(root, target.out));
        expect(fresh.size).toBeGreaterThan(30);
        expectSame(fresh, join(REPO_ROOT, target.out));
      }
      expect(log).toEqual(BUILTIN_TARGETS.map((t) => expect.stringContaining(t.out)));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('spec/codegen/generated (the fixture CRD)', () => {
    expectSame(throughDisk(generate(readCrdFixture(), CRD_OPTIONS)), CRD_OUT);
  });

  it('is deterministic: the order of definitions, properties and paths in the input does not matter', () => {
    const spec = readSpec('swagger-v1.35.json');
    const a = generate(spec, BUILTIN_TARGETS[0]!.options);
    const b = generate(reverseKeys(spec), BUILTIN_TARGETS[0]!.options);
    expect(b.map((f) => f.path)).toEqual(a.map((f) => f.path));
    expect(b.filter((f, i) => f.text !== a[i]!.text).map((f) => f.path)).toEqual([]);
  });
});

/** A deep copy with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

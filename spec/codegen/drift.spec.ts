/**
 * The committed generated code must be exactly what the generator writes today: a stale `lib/k8s/v1_3x` or
 * `spec/codegen/generated` (or a generator change without `npm run codegen`) fails here. The fresh copy is
 * written by `regenerate`, the function `npm run codegen` runs, into a temp dir.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, listTsFiles } from '../../lib/codegen/index.js';
import { BUILTIN_TARGETS, regenerate, TARGETS, type Target } from '../../scripts/codegen/targets.js';
import { REPO_ROOT } from '../../vendor/index.js';
import { readSpec } from './targets.js';

function filesUnder(dir: string): Map<string, string> {
  return new Map(listTsFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('generated code is up to date (run `npm run codegen` if this fails)', () => {
  let root: string;
  const log: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kubex-codegen-root-'));
    await regenerate(root, (line) => log.push(line));
  }, 60_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('regenerates every target, one line each', () => {
    expect(log).toEqual(TARGETS.map((t) => expect.stringMatching(new RegExp(`^codegen: wrote [1-9]\\d* modules under ${t.out}$`))));
  });

  it.each(TARGETS.map((target): [string, Target] => [target.out, target]))('%s', (_out, target) => {
    const current = filesUnder(join(REPO_ROOT, target.out));
    const fresh = filesUnder(join(root, target.out));
    // File sets first (a module missing or left over), then contents, file by file for a readable failure.
    expect([...current.keys()]).toEqual([...fresh.keys()]);
    const stale = [...fresh].filter(([file, text]) => current.get(file) !== text).map(([file]) => file);
    expect(stale).toEqual([]);
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

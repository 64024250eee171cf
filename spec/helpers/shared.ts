import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is spec/helpers/shared.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared` beside the checkout: the fixtures and specs are data read in place, never copied into the repo. */
export const SHARED_DIR = process.env['KUBEX_SHARED_DIR'] ?? resolve(REPO_ROOT, '..', 'shared');

export const FIXTURES_DIR = join(SHARED_DIR, 'fixtures');

/** Every `*.json` fixture, by file name. */
export function fixtureFiles(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Parses one fixture file. */
export function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8')) as Record<string, unknown>;
}

/**
 * NestJS stays optional: nothing reachable from the main entry point (`kubex-rx`, lib/index.ts) imports it, while
 * `kubex-rx/nestjs` does. Follows the static and dynamic imports of the sources.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const lib = resolve(dirname(fileURLToPath(import.meta.url)), '../../lib');

/** Every package (bare specifier) imported by `entry` and the local modules it reaches. */
function packagesReachableFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  };
  visit(entry);
  return packages;
}

describe('entry points', () => {
  it('kubex-rx (lib/index.ts) reaches no NestJS (nor Angular) package', () => {
    const packages = [...packagesReachableFrom(resolve(lib, 'index.ts'))];
    expect(packages).toContain('rxjs'); // the walk does find packages
    expect(packages.filter((p) => p.startsWith('@nestjs/') || p.startsWith('@angular/') || p === 'reflect-metadata')).toEqual([]);
  });

  it('kubex-rx/nestjs needs @nestjs/common only (Terminus, core and platform packages stay optional)', () => {
    const packages = [...packagesReachableFrom(resolve(lib, 'nestjs/index.ts'))];
    expect(packages.filter((p) => p.startsWith('@nestjs/'))).toEqual(['@nestjs/common']);
  });
});

/** The version compiled into dist (lib/client/version.ts) is package.json's: the User-Agent reports it. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../../lib/client/version.js';
import { REPO_ROOT } from '../../vendor/index.js';

describe('VERSION', () => {
  it('is the version in package.json (bump both together)', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(manifest.version);
  });
});

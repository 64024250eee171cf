/**
 * Every TypeScript block of README.md compiles, as a user would paste it, against the packed tarball installed in
 * a fresh project (spec/packaging/consumer.ts: the tarball is packed once and shared with pack.spec), in three
 * apps side by side:
 *
 * - plain blocks, each a file of one ESM project, in one tsc run with `strict`, `exactOptionalPropertyTypes`,
 *   `noUncheckedIndexedAccess`, `module`/`moduleResolution` `nodenext` and the library's declarations checked; the
 *   Quick start also with `bundler` (module `esnext`) and with `node16`;
 * - NestJS blocks in a stand-in for a `nest new` app (NestJS 12, ESM), with the tsconfig `nest new` writes;
 * - Angular blocks in a stand-in for an `ng new` app (Angular 21), compiled by Angular's own compiler (`ngc`, with
 *   `strictTemplates`, as `ng build` does) under TypeScript 5.9, the version `ng new` installs; the root
 *   component's selector must be the element of the generated index.html, or the page stays blank.
 *
 * The stand-ins' files are in spec/packaging/stand-ins/ (with their provenance). A failure lists the compiler's
 * messages with the README line each comes from. samples/nestjs and samples/angular must hold the README's
 * `// file:` blocks as they are, so the samples CI runs are the README's code.
 *
 * Slow: one npm install (from npm's cache when it can) and five compiler runs, side by side in `beforeAll`; each
 * test then reads its run's diagnostics. Most of the time is the strict checks of the library's declarations.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../vendor/index.js';
import { createConsumer, TSC } from './consumer.js';
import { readmeCode, readmeDiagnostics, type BlockKind, type ReadmeBlock } from './readme-blocks.js';

const STAND_INS = join(REPO_ROOT, 'spec', 'packaging', 'stand-ins');
const { blocks, fragments } = readmeCode();
const ofKind = (kind: BlockKind): ReadmeBlock[] => blocks.filter((b) => b.kind === kind);
const quickStart = ofKind('node').filter((b) => b.section === 'Quick start');

/** The version of a package the repository has installed: the stand-ins use the versions the library is tested with. */
const installed = (name: string): string => (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const pinned = (...names: string[]): string[] => names.map((name) => `${name}@${installed(name)}`);

/** The strict options every plain block compiles with (the library's declarations are checked too). */
const STRICT = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  target: 'es2022',
  lib: ['es2022'],
  types: ['node'],
  noEmit: true,
  pretty: false,
};

const projects: string[] = [];
/** What each compiler run printed, and the project it ran in. */
const runs: Record<string, { readonly project: string; readonly output: string }> = {};

/** Writes `blocks` into `project` at their paths. */
function writeBlocks(project: string, list: readonly ReadmeBlock[]): void {
  for (const block of list) {
    mkdirSync(dirname(join(project, block.path)), { recursive: true });
    writeFileSync(join(project, block.path), block.text);
  }
}

/** Copies a stand-in's files into `project`, dropping the `.template` suffix. */
function copyStandIn(name: string, project: string): void {
  const from = join(STAND_INS, name);
  cpSync(from, project, { recursive: true });
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') visit(path);
      else if (entry.name.endsWith('.template')) cpSync(path, path.slice(0, -'.template'.length));
    }
  };
  visit(project);
}

/** Runs a compiler; returns what it printed, whatever its exit code (the diagnostics are the result). */
async function compile(project: string, command: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...command], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
  }
}

/** Prepares an app in `dir`, then runs its compilers side by side (each run is one CPU-bound process). */
async function app(dir: string, prepare: (dir: string) => void, compilers: Record<string, readonly string[]>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  prepare(dir);
  await Promise.all(Object.entries(compilers).map(async ([name, command]) => (runs[name] = { project: dir, output: await compile(dir, command) })));
}

/**
 * One consumer project holds the three apps, each in a folder of its own with its own package.json, and
 * node_modules above them: one npm install instead of three (what the plain blocks and the NestJS app install is
 * a subset of the whole, and the Angular app's TypeScript 5.9 is used only by ngc, the others run ours).
 * Installing the frameworks next to each other changes nothing a type-check sees: each app imports only its own,
 * and `types` names the global types it gets.
 */
beforeAll(async () => {
  const root = await createConsumer({
    install: [
      '@types/node@^20.19',
      // The README's logging example uses pino.
      ...pinned('pino'),
      // What `nest new` installs (and @nestjs/terminus, which the README's app adds).
      ...pinned('@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/terminus', 'reflect-metadata', 'rxjs'),
      // What `ng new` installs and `ng build` compiles with (not the CLI and its bundler: ngc is Angular's compiler).
      ...pinned('@angular/core', '@angular/common', '@angular/compiler', '@angular/platform-browser'),
      `@angular/compiler-cli@${installed('@angular/compiler')}`,
      'tslib@^2.3.0',
      'typescript@~5.9.2',
    ],
  });
  projects.push(root);
  const ngc = join(root, 'node_modules', '@angular', 'compiler-cli', 'bundles', 'src', 'bin', 'ngc.js');
  await Promise.all([
    app(
      join(root, 'plain'),
      (dir) => {
        writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'plain', private: true, type: 'module' }));
        writeBlocks(dir, ofKind('node'));
        const config = (options: object, files: readonly ReadmeBlock[]) => JSON.stringify({ compilerOptions: { ...STRICT, ...options }, files: files.map((b) => b.path) });
        writeFileSync(join(dir, 'tsconfig.json'), config({ module: 'nodenext', moduleResolution: 'nodenext' }, ofKind('node')));
        writeFileSync(join(dir, 'tsconfig.bundler.json'), config({ module: 'esnext', moduleResolution: 'bundler' }, quickStart));
        writeFileSync(join(dir, 'tsconfig.node16.json'), config({ module: 'node16', moduleResolution: 'node16' }, quickStart));
      },
      { nodenext: [TSC, '-p', 'tsconfig.json'], bundler: [TSC, '-p', 'tsconfig.bundler.json'], node16: [TSC, '-p', 'tsconfig.node16.json'] },
    ),
    // `nest build` compiles tsconfig.build.json with the app's TypeScript (6.0, as ours).
    app(
      join(root, 'nest-app'),
      (dir) => {
        writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'nest-app', private: true, type: 'module' })); // nest new's ESM app
        copyStandIn('nestjs', dir);
        writeBlocks(dir, ofKind('nestjs'));
      },
      { nestjs: [TSC, '-p', 'tsconfig.build.json', '--pretty', 'false'] },
    ),
    app(
      join(root, 'ng-app'),
      (dir) => {
        writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ng-app', private: true })); // `ng new` writes no "type"
        copyStandIn('angular', dir);
        writeBlocks(dir, ofKind('angular'));
      },
      { angular: [ngc, '-p', 'tsconfig.app.json', '--pretty', 'false'] },
    ),
  ]);
}, 400_000);

afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

/** The diagnostics of a compiler run, each naming the README line it comes from; `[]` when it compiled. */
const diagnostics = (run: string): string[] => readmeDiagnostics(runs[run]!.output, blocks);

describe('README.md', () => {
  it('has TypeScript blocks of every kind, and few fragments', () => {
    expect(quickStart.length).toBeGreaterThanOrEqual(1);
    expect(ofKind('nestjs').map((b) => b.path)).toEqual(expect.arrayContaining(['src/app.module.ts', 'src/pods.controller.ts', 'src/main.ts']));
    expect(ofKind('angular').map((b) => b.path)).toEqual(expect.arrayContaining(['src/app/app.config.ts', 'src/app/app.ts']));
    // Each fragment must say in the text why it cannot be a file; more than two means the rule is being worn down.
    expect(fragments.length).toBeLessThanOrEqual(2);
    // Two blocks writing the same file would hide one of them from the compiler.
    const paths = blocks.map((b) => `${b.kind}:${b.path}`);
    expect(paths.filter((p, i) => paths.indexOf(p) !== i)).toEqual([]);
  });

  it('compiles every plain block (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, nodenext)', () => {
    expect(diagnostics('nodenext')).toEqual([]);
  });

  it.each(['bundler', 'node16'])('compiles the Quick start with moduleResolution %s', (name) => {
    expect(diagnostics(name)).toEqual([]);
  });

  it('compiles the NestJS blocks in a `nest new` app (its tsconfig, `nest build`’s file set)', () => {
    expect(diagnostics('nestjs')).toEqual([]);
    // Compiled, not skipped: `nest build` emits every README file.
    const { project } = runs['nestjs']!;
    for (const block of ofKind('nestjs')) expect(existsSync(join(project, 'dist', block.path.replace(/^src\//, '').replace(/\.ts$/, '.js')))).toBe(true);
  });

  it('compiles the Angular blocks with ngc in an `ng new` app, and its root component is the element index.html holds', () => {
    expect(diagnostics('angular')).toEqual([]);
    const { project } = runs['angular']!;
    for (const block of ofKind('angular')) expect(existsSync(join(project, 'out-tsc', 'app', block.path.replace(/^src\//, '').replace(/\.ts$/, '.js')))).toBe(true);

    // `ng new`'s main.ts bootstraps `App` from ./app/app (compiled above); the page renders only if its selector
    // is the element the generated index.html holds.
    const app = ofKind('angular').find((b) => b.path === 'src/app/app.ts')!;
    const selector = /selector: '([^']+)'/.exec(app.text)?.[1];
    expect(readFileSync(join(project, 'src', 'index.html'), 'utf8')).toContain(`<${selector}></${selector}>`);
  });
});

describe('samples/nestjs and samples/angular', () => {
  it.each(['nestjs', 'angular'] as const)('samples/%s/src holds the README blocks as they are, and nothing else', (kind) => {
    const named = ofKind(kind).filter((b) => b.named);
    const root = join(REPO_ROOT, 'samples', kind);
    for (const block of named) {
      const file = join(root, block.path);
      // Equal text, so the sample CI runs is the README's code; on a difference, copy the README's block over.
      expect({ file: relative(REPO_ROOT, file), text: existsSync(file) ? readFileSync(file, 'utf8') : '(missing)' }).toEqual({ file: relative(REPO_ROOT, file), text: block.text });
    }
    const files = (readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath, e.name)))
      .sort();
    expect(files).toEqual(named.map((b) => b.path).sort());
  });
});

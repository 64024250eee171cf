/**
 * The published package, as a user gets it: `npm pack` (which runs `prepack`, the build) on a copy of the
 * repository, then the tarball installed into a fresh project with npm, and there:
 * - what the tarball holds: dist/, the README, the CHANGELOG, the LICENSE, and nothing of the tests or vendor/;
 * - `import` from ESM and `require()` from CommonJS (require(esm), Node >= 20.19);
 * - a browser bundle (esbuild, as Angular's builder runs it) made of ES modules only;
 * - a strict `tsc` type-check of consumers with the library's declarations checked, under each moduleResolution
 *   (nodenext with ESM `.ts` and CommonJS `.cts`, node16, bundler, node10 through typesVersions), every subpath of
 *   the exports map typed;
 * - every subpath of the exports map imported (`./k8s/*` through a representative module), with the framework
 *   adapters' peers present;
 * - `kubex-rx` itself imported while Angular and NestJS are absent (they are optional peers).
 *
 * Slow (a build and an npm install, from npm's cache when it can): about 30-60 s.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build as esbuild } from 'esbuild';
import { REPO_ROOT } from '../../vendor/index.js';
import { createConsumer, sh, TSC } from './consumer.js';

/** The module `./k8s/*` is checked through. */
const K8S_SAMPLE = 'v1_35/core/v1';
/** Adapters in lib/ that must be published as subpaths, and the peers they need at run time. */
const ADAPTERS: Readonly<Record<string, readonly string[]>> = {
  angular: ['@angular/core'],
  nestjs: ['@nestjs/common', '@nestjs/core', 'reflect-metadata'],
};
const FRAMEWORKS = ['@angular', '@nestjs'];

type Exports = Record<string, string | Record<string, string>>;

let project: string;
let manifest: { exports: Exports; license?: string; repository?: unknown; homepage?: string; bugs?: unknown; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>; dependencies?: Record<string, string> };

/** Runs a script with node in the consumer project; returns its stdout. */
function node(args: readonly string[]): Promise<string> {
  return sh(process.execPath, ['--no-warnings', ...args], project);
}

/** Subpaths of the exports map to import, `./k8s/*` made concrete. */
function subpaths(exports: Exports): string[] {
  return Object.keys(exports)
    .filter((key) => key !== './package.json')
    .map((key) => key.replace('*', K8S_SAMPLE))
    .map((key) => (key === '.' ? 'kubex-rx' : `kubex-rx/${key.slice(2)}`));
}

/** A strict consumer of the main entry point and a generated model (ESM syntax; also compiled as a `.cts`). */
const CONSUMER = `
  import { Api, EventType, createClient, type WatchEvent, type InformerState } from 'kubex-rx';
  import { Pod } from 'kubex-rx/k8s/${K8S_SAMPLE}';
  import { map, type Observable } from 'rxjs';
  export async function names(): Promise<Observable<string[]>> {
    const client = await createClient({ server: 'http://127.0.0.1:8001' });
    const pods = new Api(Pod, { client, namespace: 'default' });
    const events: Observable<WatchEvent<Pod>> = pods.watch$({ allowBookmarks: true });
    events.subscribe((e) => { if (e.type !== EventType.BOOKMARK) { const image: string | undefined = e.object.spec?.containers[0]?.image; void image; } });
    const informer = pods.informer({ labelSelector: 'app=web' });
    informer.state$.subscribe((s: InformerState) => s.phase);
    return informer.store$.pipe(map((store) => [...store.values()].map((p) => p.metadata?.name ?? '')));
  }
  // @ts-expect-error a Pod has no 'bogus' field: the types are real, not any
  export const bogus = (p: Pod): unknown => p.bogus;
`;

/** A module/moduleResolution pair a consumer may compile with. */
interface Resolution {
  readonly module: string;
  readonly moduleResolution: string;
  /** Also check a CommonJS consumer (`.cts`). */
  readonly cjs: boolean;
  /** Subpaths not checked under this resolution (see where it is declared for why). */
  readonly skip?: readonly string[];
  readonly ignoreDeprecations?: string;
}

/** The resolutions consumers' types must work under. */
const RESOLUTIONS: readonly Resolution[] = [
  // CommonJS files may import the package: nodenext models require(esm) (TypeScript >= 5.8).
  { module: 'nodenext', moduleResolution: 'nodenext', cjs: true },
  // ESM files only: node16 keeps Node 16's rule that require() cannot load an ES module (TS1479); use nodenext.
  { module: 'node16', moduleResolution: 'node16', cjs: false },
  { module: 'esnext', moduleResolution: 'bundler', cjs: false },
  { module: 'preserve', moduleResolution: 'bundler', cjs: false },
  // node10 reads no exports map: the subpaths are found through typesVersions. Deprecated by TypeScript 6. Angular's
  // own declarations import its subpaths through its exports map (`@angular/core/primitives/di`), so Angular (and
  // kubex-rx/angular with it) does not type-check under node10 at all.
  { module: 'commonjs', moduleResolution: 'node10', cjs: false, skip: ['kubex-rx/angular'], ignoreDeprecations: '6.0' },
];
/** The resolution checked with the declarations of every library (skipLibCheck off); the others resolve the same files. */
const FULL_CHECK = RESOLUTIONS[0]!;

/** The files under dir, as paths relative to it with `/`, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

const checks = new Map<Resolution, Promise<string[]>>();

/**
 * Type-checks {@link CONSUMER} (and a `.cts` copy if `resolution.cjs`) and an import of every subpath under
 * `resolution` with tsc; fails on any error. Returns the files of kubex-rx tsc read (relative to the package). Once
 * per resolution.
 */
function typeCheck(resolution: Resolution): Promise<string[]> {
  let check = checks.get(resolution);
  if (check === undefined) {
    check = runTypeCheck(resolution);
    checks.set(resolution, check);
  }
  return check;
}

async function runTypeCheck(resolution: Resolution): Promise<string[]> {
  linkFrameworks(); // the adapters' declarations import their framework's types
  const { module, moduleResolution, ignoreDeprecations } = resolution;
  const name = `${module}-${moduleResolution}`;
  const files = [`${name}.ts`, `${name}-subpaths.ts`];
  writeFileSync(join(project, files[0]!), CONSUMER);
  if (resolution.cjs) {
    files.push(`${name}-cjs.cts`);
    writeFileSync(join(project, files[2]!), CONSUMER.replace("import { map, type Observable } from 'rxjs';", "import { map, type Observable } from 'rxjs';\nexport const viaRequire = typeof require;"));
  }
  // Each subpath of the exports map: found, and typed (a namespace of `any` would not reject a missing export).
  const paths = subpaths(manifest.exports).filter((path) => !(resolution.skip ?? []).includes(path));
  writeFileSync(
    join(project, files[1]!),
    paths.map((path, i) => `import * as m${i} from '${path}';\n// @ts-expect-error no such export: ${path} is typed\nm${i}.noSuchExport;\n`).join('') + 'export {};\n',
  );
  writeFileSync(
    join(project, `tsconfig.${name}.json`),
    JSON.stringify({
      compilerOptions: {
        strict: true, module, moduleResolution, target: 'es2022', lib: ['es2022', 'dom'], types: ['node'], noEmit: true,
        skipLibCheck: resolution !== FULL_CHECK, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true,
        ...(ignoreDeprecations ? { ignoreDeprecations } : {}),
      },
      files,
    }),
  );
  const listed = await sh(process.execPath, [TSC, '-p', `tsconfig.${name}.json`, '--listFiles'], project);
  const root = `${join(project, 'node_modules', 'kubex-rx')}${sep}`;
  return listed.split('\n').filter((file) => file.startsWith(root)).map((file) => file.slice(root.length).split(sep).join('/')).sort();
}

/** Links the frameworks from the repository's devDependencies into the project (as symlinks); once. */
function linkFrameworks(): void {
  for (const name of [...FRAMEWORKS, 'reflect-metadata']) {
    if (!existsSync(join(project, 'node_modules', name))) symlinkSync(join(REPO_ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
}

beforeAll(async () => {
  // @types/node for the type-check.
  project = await createConsumer({ install: ['@types/node@^20.19'] });
  manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'kubex-rx', 'package.json'), 'utf8')) as typeof manifest;
}, 240_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed tarball, installed in a fresh project', () => {
  it('installs without Angular or NestJS: they are optional peers, and the required peers are installed', () => {
    for (const framework of FRAMEWORKS) expect(existsSync(join(project, 'node_modules', framework))).toBe(false);
    for (const peer of ['rxjs', 'io-ts', 'fp-ts']) expect(existsSync(join(project, 'node_modules', peer, 'package.json'))).toBe(true);
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (FRAMEWORKS.some((f) => name.startsWith(`${f}/`))) expect({ name, range, ...manifest.peerDependenciesMeta?.[name] }).toEqual({ name, range, optional: true });
    }
    expect(Object.keys(manifest.dependencies ?? {}).filter((d) => FRAMEWORKS.some((f) => d.startsWith(`${f}/`)))).toEqual([]);
  });

  it('ships dist/, README, CHANGELOG and the Apache 2.0 LICENSE in full; no spec/, vendor/ or test data; no map pointing at a file it lacks', () => {
    const root = join(project, 'node_modules', 'kubex-rx');
    const files = filesUnder(root);
    expect(files.filter((file) => !file.startsWith('dist/')).sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
    expect(files.filter((file) => /(^|\/)(spec|vendor|fixtures?|__tests__)(\/|$)|\.(spec|test)\.|\.tgz$/.test(file))).toEqual([]);
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    for (const part of ['Apache License', 'Version 2.0, January 2004', 'TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION', 'END OF TERMS AND CONDITIONS']) {
      expect(license).toContain(part);
    }
    expect(manifest).toMatchObject({
      license: 'Apache-2.0',
      repository: { url: expect.stringContaining('github.com/kubex-rx/kubex-rx') },
      homepage: expect.stringContaining('github.com/kubex-rx/kubex-rx'),
      bugs: { url: expect.stringContaining('github.com/kubex-rx/kubex-rx') },
    });
    // A source or declaration map is only worth shipping with what it points at: sources inlined, or shipped.
    const unresolved: string[] = [];
    for (const file of files) {
      if (file.endsWith('.js') || file.endsWith('.d.ts')) {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, file), 'utf8'))?.[1];
        if (url !== undefined && !url.startsWith('data:') && !existsSync(join(root, dirname(file), url))) unresolved.push(`${file} -> ${url}`);
      }
      if (!file.endsWith('.map')) continue;
      const map = JSON.parse(readFileSync(join(root, file), 'utf8')) as { sourceRoot?: string; sources: string[]; sourcesContent?: (string | null)[] };
      map.sources.forEach((source, i) => {
        const path = resolve(root, dirname(file), map.sourceRoot ?? '', source);
        if (typeof map.sourcesContent?.[i] !== 'string' && !(path.startsWith(root) && existsSync(path))) unresolved.push(`${file} -> ${source}`);
      });
    }
    expect(unresolved).toEqual([]);
  });

  it('`import`s kubex-rx from ESM, without Angular or NestJS installed, and lists pods through the default transport', async () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      `import { Api, createClient, defineResource, EventType, GoneError, KubexError, WatchCursor, trackBookmarks, retryOnGone, reconnectOnTimeout } from 'kubex-rx';
       import { Pod } from 'kubex-rx/k8s/${K8S_SAMPLE}';
       import { FakeApiServer } from 'kubex-rx/testing';
       import { firstValueFrom } from 'rxjs';
       const fake = await FakeApiServer.start();
       fake.create(Pod, { metadata: { name: 'web-0', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
       const client = await createClient({ server: fake.url }); // no fetch given: node-fetch, loaded from the consumer's node_modules
       const pods = new Api(Pod, { client });
       const list = await firstValueFrom(pods.list$());
       await fake.close();
       console.log(JSON.stringify({ names: list.items.map((p) => p.metadata.name), ns: pods.namespace, added: EventType.ADDED, gone: new GoneError('x') instanceof KubexError,
         ops: [trackBookmarks, retryOnGone, reconnectOnTimeout, defineResource].map((f) => typeof f), cursor: typeof WatchCursor }));`,
    );
    expect(JSON.parse(await node(['esm.mjs']))).toEqual({
      names: ['web-0'], ns: 'default', added: 'ADDED', gone: true, ops: ['function', 'function', 'function', 'function'], cursor: 'function',
    });
  });

  it('`require()`s kubex-rx from CommonJS (require(esm), Node >= 20.19)', async () => {
    writeFileSync(
      join(project, 'cjs.cjs'),
      `const { Api, createClient, EventType } = require('kubex-rx');
       const { Pod } = require('kubex-rx/k8s/${K8S_SAMPLE}');
       const testing = require('kubex-rx/testing');
       console.log(JSON.stringify({ api: typeof Api, create: typeof createClient, added: EventType.ADDED, pod: Pod.kind, fake: typeof testing.FakeApiServer }));`,
    );
    expect(JSON.parse(await node(['cjs.cjs']))).toEqual({ api: 'function', create: 'function', added: 'ADDED', pod: 'Pod', fake: 'function' });
  });

  it('bundles for the browser from ES modules only, as Angular builds want it (fp-ts through its ES build, once)', async () => {
    writeFileSync(
      join(project, 'browser.mjs'),
      `import { Api, createClient } from 'kubex-rx';
       import { Pod } from 'kubex-rx/k8s/${K8S_SAMPLE}';
       import { provideKubex } from 'kubex-rx/angular';
       console.log(Api, createClient, Pod, provideKubex);`,
    );
    // The Angular CLI's esbuild settings (@angular/build): it warns about every CommonJS input ("not ESM").
    const { metafile } = await esbuild({
      absWorkingDir: project, entryPoints: ['browser.mjs'], bundle: true, write: false, outdir: 'out', platform: 'browser', format: 'esm',
      target: 'es2022', mainFields: ['es2020', 'es2015', 'browser', 'module', 'main'], conditions: ['es2020', 'es2015', 'module'],
      external: ['@angular/*'], metafile: true, logLevel: 'silent',
    });
    const inputs = Object.entries(metafile.inputs);
    expect(inputs.filter(([, input]) => input.format === 'cjs').map(([path]) => path)).toEqual([]);
    expect(inputs.some(([path]) => path.includes('node_modules/fp-ts/es6/'))).toBe(true);
    expect(inputs.some(([path]) => path.includes('node_modules/fp-ts/lib/'))).toBe(false);
  }, 60_000);

  it.each(RESOLUTIONS)(
    'type-checks strict consumers against the published declarations, every subpath typed: module $module, moduleResolution $moduleResolution',
    async (resolution) => {
      const reached = await typeCheck(resolution);
      if (resolution === FULL_CHECK) return;
      // Checked with skipLibCheck (a full check of rxjs, Node's and the frameworks' declarations takes ~15 s a run):
      // the declarations must reach the very files the full check read, or an import in them failed to resolve.
      const skipped = (resolution.skip ?? []).map((path) => `dist/${path.slice('kubex-rx/'.length)}/`);
      const expected = (await typeCheck(FULL_CHECK)).filter((file) => !skipped.some((dir) => file.startsWith(dir)));
      expect(reached).toEqual(expected);
    },
    60_000,
  );

  it('publishes every adapter in lib/ as a subpath, and every subpath imports (with its framework peers present)', async () => {
    const expected = ['.', './testing', './k8s/*', ...Object.keys(ADAPTERS).filter((a) => existsSync(join(REPO_ROOT, 'lib', a, 'index.ts'))).map((a) => `./${a}`)];
    expect(Object.keys(manifest.exports)).toEqual(expect.arrayContaining(expected));

    linkFrameworks();
    const paths = subpaths(manifest.exports);
    writeFileSync(
      join(project, 'subpaths.mjs'),
      `import 'reflect-metadata';
       const out = {};
       for (const path of ${JSON.stringify(paths)}) out[path] = Object.keys(await import(path)).length;
       console.log(JSON.stringify(out));`,
    );
    const counts = JSON.parse(await node(['subpaths.mjs'])) as Record<string, number>;
    expect(Object.keys(counts)).toEqual(paths);
    for (const path of paths) expect([path, counts[path]! > 0]).toEqual([path, true]);
  }, 60_000);
});

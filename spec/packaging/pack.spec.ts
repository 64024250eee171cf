/**
 * The published package, as a user gets it: `npm pack` (which runs `prepack`, the build) on a copy of the
 * repository, then the tarball installed into a fresh project with npm, and there:
 * - `import` from ESM and `require()` from CommonJS (require(esm), Node >= 20.19);
 * - a strict `tsc` type-check of consumers (ESM `.ts` and CommonJS `.cts`) with the library's declarations checked;
 * - every subpath of the exports map imported (`./k8s/*` through a representative module), with the framework
 *   adapters' peers present;
 * - `kubex-rx` itself imported while Angular and NestJS are absent (they are optional peers).
 *
 * Slow (a build and an npm install, from npm's cache when it can): about 30-60 s.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
let manifest: { exports: Exports; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>; dependencies?: Record<string, string> };

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

  it('type-checks strict consumers (ESM and CommonJS) against the published declarations', async () => {
    const consumer = `
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
    writeFileSync(join(project, 'consumer.ts'), consumer);
    writeFileSync(join(project, 'consumer-cjs.cts'), consumer.replace("import { map, type Observable } from 'rxjs';", "import { map, type Observable } from 'rxjs';\nexport const viaRequire = typeof require;"));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: ['node'], noEmit: true, skipLibCheck: false, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true },
        files: ['consumer.ts', 'consumer-cjs.cts'],
      }),
    );
    await sh(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
  }, 60_000);

  it('publishes every adapter in lib/ as a subpath, and every subpath imports (with its framework peers present)', async () => {
    const expected = ['.', './testing', './k8s/*', ...Object.keys(ADAPTERS).filter((a) => existsSync(join(REPO_ROOT, 'lib', a, 'index.ts'))).map((a) => `./${a}`)];
    expect(Object.keys(manifest.exports)).toEqual(expect.arrayContaining(expected));

    // The frameworks, from the repository's devDependencies (resolved from there, as symlinks).
    for (const framework of FRAMEWORKS) symlinkSync(join(REPO_ROOT, 'node_modules', framework), join(project, 'node_modules', framework), 'dir');
    symlinkSync(join(REPO_ROOT, 'node_modules', 'reflect-metadata'), join(project, 'node_modules', 'reflect-metadata'), 'dir');
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

/**
 * `kubex-rx/nestjs` in the NestJS applications users have. For each NestJS major the peer range declares, a fresh
 * project as `nest new` of that major makes it (CommonJS, its tsconfig.json, its TypeScript), where a plain
 * `npm install` (no --legacy-peer-deps, no --force: the peers must resolve) adds the packed tarball and that major's
 * @nestjs/common, @nestjs/core, @nestjs/platform-express and @nestjs/terminus from the registry. Then:
 * - tsc compiles the app as `nest new` configures it (and type-checks it again with `nest new --strict`'s flags);
 * - the compiled app runs: `KubexModule.forRoot` against a FakeApiServer from `kubex-rx/testing`, an injected
 *   `Api<Pod>` lists pods over HTTP, an injected `Informer<Pod>` serves its store, a `@Sse()` route streams the
 *   watch (closing the HTTP connection closes the watch request), Terminus reports the informer up and a failed
 *   one down (503), and `app.close()` ends every watch: the process then exits by itself.
 *
 * Slow (an npm install per major, from npm's cache when it can, and a compile): about 30 s per major.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConsumer, sh } from './consumer.js';

/** A NestJS major and what `nest new` of that major gives a project. */
interface NestMajor {
  readonly nest: 10 | 11 | 12;
  /** The @nestjs/terminus range installed beside it: kubex-rx's peer range (>= 11) that supports this major. */
  readonly terminus: string;
  /** The TypeScript range of the template's devDependencies. */
  readonly typescript: string;
  /** The template's tsconfig.json, rendered with `--strict` or without (the default). */
  readonly tsconfig: (strict: boolean) => Record<string, unknown>;
}

/** The options the templates of Nest 11 and 12 share (12 drops `baseUrl`, adds `types`/`rootDir`, and has `strict`). */
const NODENEXT_TEMPLATE = {
  module: 'nodenext', moduleResolution: 'nodenext', resolvePackageJsonExports: true, esModuleInterop: true, isolatedModules: true,
  declaration: true, removeComments: true, emitDecoratorMetadata: true, experimentalDecorators: true, allowSyntheticDefaultImports: true,
  target: 'ES2023', sourceMap: true, outDir: './dist', incremental: true, skipLibCheck: true,
};

/**
 * The application template of @nestjs/schematics (`dist/lib/application/files/ts/tsconfig.json`) of each major,
 * 10.2.3, 11.1.0 and 12.0.6; `<%= strict %>` filled in. No project of these has `"type"` in its package.json: the
 * app is CommonJS, and requires kubex-rx (ESM) through require(esm).
 */
const MAJORS: readonly NestMajor[] = [
  {
    nest: 10,
    terminus: '^11.0.0', // Terminus 10 counts a returned `down` result as up; 11 supports Nest 10
    typescript: '^5.1.3',
    // module commonjs and no moduleResolution: node10 resolution, which finds the subpaths through typesVersions.
    tsconfig: (strict) => ({
      compilerOptions: {
        module: 'commonjs', declaration: true, removeComments: true, emitDecoratorMetadata: true, experimentalDecorators: true,
        allowSyntheticDefaultImports: true, target: 'ES2021', sourceMap: true, outDir: './dist', baseUrl: './', incremental: true,
        skipLibCheck: true, strictNullChecks: strict, noImplicitAny: strict, strictBindCallApply: strict,
        forceConsistentCasingInFileNames: strict, noFallthroughCasesInSwitch: strict,
      },
    }),
  },
  {
    nest: 11,
    terminus: '^11.0.0',
    typescript: '^5.7.3',
    tsconfig: (strict) => ({
      compilerOptions: {
        ...NODENEXT_TEMPLATE, baseUrl: './', strictNullChecks: true, forceConsistentCasingInFileNames: true,
        noImplicitAny: strict, strictBindCallApply: strict, noFallthroughCasesInSwitch: strict,
      },
    }),
  },
  {
    nest: 12,
    terminus: '^12.0.0',
    typescript: '^6.0.2',
    tsconfig: (strict) => ({
      compilerOptions: {
        ...NODENEXT_TEMPLATE,
        types: ['node'], // the template's ['node', 'jest']: this project has no jest
        rootDir: '.', strict, strictPropertyInitialization: false,
      },
    }),
  },
];

/** The app, written as a Nest user writes one (extensionless relative imports, as `nest new`'s files do). */
const APP: Readonly<Record<string, string>> = {
  'src/app.module.ts': `
    import { Module, DynamicModule } from '@nestjs/common';
    import { TerminusModule } from '@nestjs/terminus';
    import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
    import { KubexModule } from 'kubex-rx/nestjs';
    import { HealthController, PodsController } from './pods.controller';

    @Module({})
    export class AppModule {
      static forServer(server: string): DynamicModule {
        return {
          module: AppModule,
          imports: [
            TerminusModule.forRoot({ logger: false }),
            KubexModule.forRoot({ client: { server }, resources: [{ resource: Pod, informer: true }] }),
          ],
          controllers: [PodsController, HealthController],
        };
      }
    }
  `,
  'src/pods.controller.ts': `
    import { Controller, Get, Sse } from '@nestjs/common';
    import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
    import { Api, Informer } from 'kubex-rx';
    import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
    import { InjectApi, InjectInformer, KubexHealthIndicator, toServerSentEvents, WatchMessageEvent } from 'kubex-rx/nestjs';
    import { firstValueFrom, map, Observable } from 'rxjs';

    @Controller('pods')
    export class PodsController {
      constructor(
        @InjectApi(Pod) private readonly pods: Api<Pod>,
        @InjectInformer(Pod) private readonly informer: Informer<Pod>,
      ) {}

      @Get()
      list(): Observable<string[]> {
        return this.pods.list$().pipe(map((list) => list.items.map((pod) => pod.metadata?.name ?? '')));
      }

      @Get('store')
      async store(): Promise<string[]> {
        return [...(await firstValueFrom(this.informer.store$)).keys()];
      }

      @Sse('events')
      events(): Observable<WatchMessageEvent<Pod>> {
        return this.pods.watch$().pipe(toServerSentEvents());
      }
    }

    @Controller('health')
    export class HealthController {
      constructor(
        private readonly health: HealthCheckService,
        private readonly kubex: KubexHealthIndicator,
        @InjectInformer(Pod) private readonly informer: Informer<Pod>,
      ) {}

      @Get()
      @HealthCheck()
      check() {
        return this.health.check([() => this.kubex.isHealthy('pods', this.informer)]);
      }

      /** An informer that failed (a 403, say): Terminus must answer 503. */
      @Get('failed')
      @HealthCheck()
      failed() {
        const state = { phase: 'failed', synced: true, error: new Error('forbidden') } as const;
        return this.health.check([() => this.kubex.isHealthy('crds', { state })]);
      }
    }
  `,
  'src/main.ts': `
    import { NestFactory } from '@nestjs/core';
    import { Pod } from 'kubex-rx/k8s/v1_35/core/v1';
    import { FakeApiServer } from 'kubex-rx/testing';
    import { request, IncomingMessage } from 'node:http';
    import { AppModule } from './app.module';

    /** GET url, on a connection of its own (no idle keep-alive socket to hold up the server's close). */
    function get(url: string): Promise<IncomingMessage> {
      return new Promise((resolve, reject) => request(url, { agent: false }, resolve).on('error', reject).end());
    }

    async function getJson(url: string): Promise<{ status: number; body: unknown }> {
      const res = await get(url);
      let text = '';
      for await (const chunk of res) text += chunk;
      return { status: res.statusCode ?? 0, body: JSON.parse(text) };
    }

    /** Opens the event stream at url and reads its first server-sent event; close() closes the connection. */
    async function openEvents(url: string): Promise<{ first: string; close(): void }> {
      const res = await get(url);
      res.setEncoding('utf8');
      return new Promise((resolve, reject) => {
        let text = '';
        res.on('data', (chunk: string) => {
          text += chunk;
          // Events end with a blank line; Nest starts the stream with a line break (no event) to send the headers.
          const first = text.split('\\n\\n').slice(0, -1).find((block) => block.includes('data:'));
          if (first !== undefined) resolve({ first, close: () => res.destroy() });
        });
        res.on('end', () => reject(new Error('the event stream ended before its first event: ' + text)));
      });
    }

    async function main(): Promise<void> {
      const fake = await FakeApiServer.start();
      fake.create(Pod, { metadata: { name: 'web-0', namespace: 'default' }, spec: { containers: [{ name: 'main', image: 'nginx' }] } });
      const app = await NestFactory.create(AppModule.forServer(fake.url), { logger: ['error', 'warn'] });
      await app.listen(0, '127.0.0.1');
      const url = await app.getUrl();

      // The informer was started at bootstrap: its store answers once it has the complete state, and from then on
      // Terminus reports it up.
      const store = await getJson(url + '/pods/store');
      const health = await getJson(url + '/health');
      const failed = await getJson(url + '/health/failed');
      const pods = await getJson(url + '/pods');

      const before = new Set(fake.watches.map((w) => w.id));
      const events = await openEvents(url + '/pods/events');
      const sse = fake.watches.find((w) => !before.has(w.id));
      events.close();
      const sseClosedBy = sse === undefined ? 'no new watch request' : await sse.closed;
      const event = events.first;

      const openBeforeClose = fake.openWatches;
      await app.close();
      const openAfterClose = await fake.waitForOpenWatches(0);
      await fake.close();
      console.log(JSON.stringify({ health, failed, pods, store, event: event.split('\\n').filter((l) => l !== '' && !l.startsWith('id:')), sseClosedBy, openBeforeClose, openAfterClose }));
    }

    main().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  `,
};

/** What a major's app reported. */
interface Report {
  readonly health: { readonly status: number; readonly body: { status: string; info: Record<string, { status: string; phase: string; synced: boolean }> } };
  readonly failed: { readonly status: number; readonly body: { status: string; error: Record<string, { status: string; phase: string }> } };
  readonly pods: { readonly status: number; readonly body: string[] };
  readonly store: { readonly status: number; readonly body: string[] };
  readonly event: string[];
  readonly sseClosedBy: string;
  readonly openBeforeClose: number;
  readonly openAfterClose: number;
}

const tsc = (project: string, args: readonly string[]): Promise<string> => sh(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), ...args], project);

describe.each(MAJORS)('a `nest new` application of NestJS $nest', (major) => {
  let project: string;

  beforeAll(async () => {
    project = await createConsumer({
      packageJson: { type: 'commonjs' },
      install: [
        `@nestjs/common@^${major.nest}`, `@nestjs/core@^${major.nest}`, `@nestjs/platform-express@^${major.nest}`,
        `@nestjs/terminus@${major.terminus}`, 'reflect-metadata@^0.2.2', 'rxjs@^7.8.1', `typescript@${major.typescript}`, '@types/node@^20.19',
      ],
    });
    mkdirSync(join(project, 'src'));
    for (const [file, text] of Object.entries(APP)) writeFileSync(join(project, file), text);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(major.tsconfig(false), null, 2));
    writeFileSync(join(project, 'tsconfig.strict.json'), JSON.stringify(major.tsconfig(true), null, 2));
  }, 240_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('installs kubex-rx beside that major with a plain `npm install` (the peer ranges resolve)', () => {
    const version = (name: string): string => (JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    expect(version('@nestjs/common').split('.')[0]).toBe(String(major.nest));
    expect(version('@nestjs/core').split('.')[0]).toBe(String(major.nest));
    expect(version('kubex-rx')).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("compiles with `nest new`'s tsconfig, and type-checks with `nest new --strict`'s", async () => {
    await Promise.all([tsc(project, ['-p', 'tsconfig.json']), tsc(project, ['-p', 'tsconfig.strict.json', '--noEmit'])]);
  }, 120_000);

  it('runs: KubexModule against a FakeApiServer, Api and Informer injected, pods over HTTP and SSE, Terminus health, a clean close', async () => {
    const main = ['dist/main.js', 'dist/src/main.js'].find((path) => existsSync(join(project, path)));
    expect(main).toBeDefined();
    // The process must exit by itself once the app and the server are closed: nothing is left open.
    const report = JSON.parse(await sh(process.execPath, [main!], project, {}, { timeoutMs: 60_000 })) as Report;
    expect(report.health.status).toBe(200);
    expect(report.health.body.status).toBe('ok');
    expect(report.health.body.info['pods']).toMatchObject({ status: 'up', phase: 'watching', synced: true });
    expect(report.failed.status).toBe(503);
    expect(report.failed.body.error['crds']).toMatchObject({ status: 'down', phase: 'failed' });
    expect(report.pods).toEqual({ status: 200, body: ['web-0'] });
    expect(report.store).toEqual({ status: 200, body: ['default/web-0'] });
    expect(report.event[0]).toBe('event: ADDED');
    expect(JSON.parse(report.event[1]!.replace(/^data: /, ''))).toMatchObject({ kind: 'Pod', metadata: { name: 'web-0', namespace: 'default' } });
    expect(report.sseClosedBy).toBe('client');
    expect(report.openBeforeClose).toBe(1); // the informer's
    expect(report.openAfterClose).toBe(0);
  }, 90_000);
});

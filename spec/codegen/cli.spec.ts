/**
 * The `kubex-rx` command and its `codegen` command: help, usage errors (exit code 2), errors (exit code 1), and
 * specs read from URLs over a real loopback HTTP server (JSON or YAML, decided by the content: never by the URL's
 * extension or the `Content-Type`). The maintainers' `builtins` is no command of the published CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify as stringifyYaml } from 'yaml';
import { main, USAGE } from '../../lib/cli.js';
import { CODEGEN_USAGE, runCodegen } from '../../lib/codegen/cli.js';
import { generate, listTsFiles, parseSpecText, type GeneratedFile } from '../../lib/codegen/index.js';
import { REPO_ROOT } from '../../vendor/index.js';
import { readCrdFixture } from './targets.js';

/** Runs `kubex-rx ARGS`; resolves to the exit code and what went to stdout and stderr. */
async function kubexRx(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('kubex-rx --help', () => {
  it.each([['--help'], ['-h'], ['help']])('`kubex-rx %s` prints the commands to stdout, exit code 0', async (flag) => {
    const r = await kubexRx(flag);
    expect(r).toEqual({ code: 0, out: USAGE, err: '' });
    expect(USAGE).toMatch(/^ {2}codegen {3}/m);
    expect(USAGE).toMatch(/^ {2}fake-server {3}/m);
  });

  it.each([[['codegen', '--help']], [['codegen', '-h']], [['help', 'codegen']], [['codegen', '--spec', 'x.yaml', '--help']]])(
    '`kubex-rx %s` prints the codegen usage to stdout, exit code 0',
    async (args) => {
      const r = await kubexRx(...args);
      expect(r).toEqual({ code: 0, out: CODEGEN_USAGE, err: '' });
      for (const option of ['--spec <file|url>', '--out <dir>', '--module-prefix', '--runtime-module', '--source', '--clean', '--help']) expect(CODEGEN_USAGE).toContain(option);
    },
  );

  it('`kubex-rx help fake-server` is the fake server command’s help', async () => {
    const r = await kubexRx('help', 'fake-server');
    expect(r.code).toBe(0);
    expect(r.out).toContain('kubex-rx fake-server [--port <n>]');
  });
});

describe('usage errors: exit code 2, the problem and the usage on stderr, nothing on stdout', () => {
  it.each<[string, string[], string, string]>([
    ['no command', [], 'kubex-rx: no command', USAGE],
    ['an unknown command', ['generate'], 'kubex-rx: unknown command generate', USAGE],
    ['an option instead of a command', ['--spec', 'x.json'], 'kubex-rx: unknown option --spec', USAGE],
    ['an unknown option', ['codegen', '--spec', 'x.json', '--out', 'o', '--yaml'], 'kubex-rx codegen: unknown option --yaml', CODEGEN_USAGE],
    ['an unknown short option', ['codegen', '-x'], 'kubex-rx codegen: unknown option -x', CODEGEN_USAGE],
    ['an option without its value', ['codegen', '--out', 'o', '--spec'], 'kubex-rx codegen: --spec needs a value', CODEGEN_USAGE],
    ['an option followed by another option', ['codegen', '--spec', 'x.json', '--out', '--clean'], 'kubex-rx codegen: --out needs a value', CODEGEN_USAGE],
    ['a missing --spec', ['codegen', '--out', 'o'], 'kubex-rx codegen: missing --spec', CODEGEN_USAGE],
    ['a missing --out', ['codegen', '--spec', 'x.json'], 'kubex-rx codegen: missing --out', CODEGEN_USAGE],
    ['a positional argument', ['codegen', 'x.json', '--out', 'o'], 'kubex-rx codegen: unexpected argument x.json', CODEGEN_USAGE],
  ])('%s', async (_what, args, message, usage) => {
    const r = await kubexRx(...args);
    expect(r).toEqual({ code: 2, out: '', err: `${message}\n${usage}` });
  });

  it('a flag given a value (`--clean=yes`): Node’s own message', async () => {
    const r = await kubexRx('codegen', '--spec', 'x.json', '--out', 'o', '--clean=yes');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^kubex-rx codegen: Option '--clean' does not take an argument/);
  });

  it('a file that does not exist is an error, not a usage error: exit code 1, the message alone', async () => {
    const r = await kubexRx('codegen', '--spec', '/nonexistent/spec.json', '--out', 'o');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ENOENT: no such file or directory, open '\/nonexistent\/spec.json'$/);
  });
});

describe('`builtins` (regenerating lib/k8s) is a maintainers’ script, not a command of the published CLI', () => {
  it('is an unknown command, and no help text mentions it', async () => {
    const r = await kubexRx('builtins');
    expect(r).toEqual({ code: 2, out: '', err: `kubex-rx: unknown command builtins\n${USAGE}` });
    expect(`${USAGE}\n${CODEGEN_USAGE}`).not.toMatch(/builtin/i);
  });

  it('nothing under lib/ (what is compiled into dist/) imports scripts/', () => {
    const importers = listTsFiles(join(REPO_ROOT, 'lib')).filter((f) => /from '(\.\.\/)+scripts\//.test(readFileSync(join(REPO_ROOT, 'lib', f), 'utf8')));
    expect(importers).toEqual([]);
  });

  it('the npm tarball holds no file of scripts/ (`npm pack --dry-run`)', async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { stdout } = await promisify(execFile)(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    const files = (JSON.parse(stdout) as [{ files: Array<{ path: string }> }])[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md']));
    expect(readdirSync(join(REPO_ROOT, 'scripts', 'codegen'))).toContain('targets.ts');
    expect(files.filter((f) => f.startsWith('scripts/') || f.includes('codegen/targets'))).toEqual([]);
  }, 60_000);
});

describe('kubex-rx codegen --spec URL (loopback HTTP server, no mocked fetch)', () => {
  const crd = readCrdFixture() as { metadata: { name: string }; spec: { names: { kind: string; plural: string } } };
  const widgetsYaml = readFileSync(join(REPO_ROOT, 'spec', 'codegen', 'fixtures', 'widgets.crd.yaml'), 'utf8');
  /** A second CRD of another group, for multi-document YAML. */
  const gadget = { ...crd, metadata: { name: 'gadgets.example.org' }, spec: { ...crd.spec, group: 'example.org', names: { kind: 'Gadget', plural: 'gadgets' } } };
  /** path → [content-type, body]: what a web server, GitHub raw or kube-apiserver may answer. */
  const routes: Record<string, [string, string]> = {
    '/crds/widgets.yaml': ['text/plain; charset=utf-8', widgetsYaml], // GitHub raw: YAML as text/plain
    '/crds/widgets.json': ['application/json', widgetsYaml], // an extension and a type that lie
    '/crds/fixture.yaml': ['application/yaml', JSON.stringify(crd)], // JSON behind a YAML name
    '/crds/flow': ['application/yaml', stringifyYaml(crd, { collectionStyle: 'flow' })], // starts with `{`, not JSON
    '/crds/all.yaml': ['application/yaml', `${stringifyYaml(crd)}---\n${stringifyYaml(gadget)}`],
    '/crds/broken.yaml': ['application/yaml', 'kind: [unclosed\n'],
    '/openapi/v2': ['application/json', JSON.stringify({ swagger: '2.0', definitions: { 'com.example.v1.Thing': { type: 'object', properties: { mode: { type: 'string', enum: ['A'] } } } } })],
  };
  const accepts: string[] = [];
  let server: Server;
  let url: string;
  let out: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      accepts.push(req.headers.accept ?? '');
      const route = routes[req.url ?? ''];
      if (route === undefined) res.writeHead(404).end('not found');
      else res.writeHead(200, { 'content-type': route[0] }).end(route[1]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    out = mkdtempSync(join(tmpdir(), 'kubex-codegen-url-'));
  });

  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  });

  /** Runs codegen on `url + path` into a fresh directory; the files written, by path. */
  async function codegenUrl(path: string): Promise<{ code: number; files: Map<string, string>; err: string }> {
    const dir = mkdtempSync(join(out, 'run-'));
    const err: string[] = [];
    const code = await runCodegen(['--spec', `${url}${path}`, '--out', dir, '--source', 'S'], { log: () => {}, error: (l) => err.push(l) });
    return { code, files: new Map(listTsFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')])), err: err.join('\n') };
  }

  const asMap = (files: GeneratedFile[]): Map<string, string> => new Map(files.map((f) => [f.path, f.text]));

  it.each([
    ['YAML served as text/plain', '/crds/widgets.yaml', () => parseSpecText(widgetsYaml)],
    ['YAML behind a .json URL and application/json', '/crds/widgets.json', () => parseSpecText(widgetsYaml)],
    ['JSON behind a .yaml URL and application/yaml', '/crds/fixture.yaml', () => crd],
    ['flow-style YAML (starts with `{`, is no JSON)', '/crds/flow', () => crd],
    ['several YAML documents', '/crds/all.yaml', () => [crd, gadget]],
    ['a cluster’s /openapi/v2 (JSON)', '/openapi/v2', () => JSON.parse(routes['/openapi/v2']![1])],
  ])('reads %s as a file would be read', async (_what, path, input) => {
    const r = await codegenUrl(path);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.files).toEqual(asMap(generate(input(), { source: 'S' })));
    expect(r.files.size).toBeGreaterThan(0);
  });

  it('asks for JSON first, and takes anything', () => {
    expect(accepts.length).toBeGreaterThan(0);
    for (const accept of accepts) expect(accept).toBe('application/json, application/yaml;q=0.9, */*;q=0.8');
  });

  it('an HTTP error status, or a body that is neither JSON nor YAML: exit code 1 and the reason', async () => {
    const missing = await codegenUrl('/crds/missing.yaml');
    expect([missing.code, missing.err]).toEqual([1, `GET ${url}/crds/missing.yaml: HTTP 404`]);
    const broken = await codegenUrl('/crds/broken.yaml');
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(new RegExp(`^${url}/crds/broken.yaml: not JSON, and not valid YAML: `));
    expect(missing.files.size + broken.files.size).toBe(0);
  });
});

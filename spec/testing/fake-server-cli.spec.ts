import { describe, it, expect, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFakeServer, parseSeedText } from '../../lib/testing/cli.js';
import { main } from '../../lib/cli.js';
import type { FakeApiServer } from '../../lib/testing/index.js';
import { createUntilEvicted, fetchRaw, openPaused, type PausedClient } from './http-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kubex-fake-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly lines: string[];
  readonly errors: string[];
  readonly url: Promise<string>;
  readonly done: Promise<number>;
  /** The running server, once it listens. */
  readonly server: Promise<FakeApiServer>;
  stop(): void;
}

function run(args: string[], via: 'function' | 'dispatcher' = 'function'): Run {
  const lines: string[] = [];
  const errors: string[] = [];
  const controller = new AbortController();
  let gotUrl!: (u: string) => void;
  const url = new Promise<string>((r) => (gotUrl = r));
  const log = (l: string): void => {
    lines.push(l);
    const m = /^listening on (\S+)$/.exec(l);
    if (m && lines.length === 1) gotUrl(m[1]!);
  };
  const error = (l: string): void => void errors.push(l);
  let listening!: (s: FakeApiServer) => void;
  const server = new Promise<FakeApiServer>((r) => (listening = r));
  const done =
    via === 'function'
      ? runFakeServer(args, { signal: controller.signal, log, error, onListening: listening })
      : main(['fake-server', ...args], { signal: controller.signal, log, error });
  return { lines, errors, url, done, server, stop: () => controller.abort() };
}

describe('kubex-rx fake-server', () => {
  it('prints the URL first, serves every v1.35 kind, stops cleanly with exit code 0', async () => {
    const r = run([]);
    const url = await r.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const cronjobs = await fetchRaw(`${url}/apis/batch/v1/namespaces/default/cronjobs`);
    expect(JSON.parse(cronjobs.body)).toMatchObject({ kind: 'CronJobList', items: [] });
    const version = await fetchRaw(`${url}/version`);
    expect(JSON.parse(version.body).gitVersion).toBe('v1.35.0');
    r.stop();
    await expect(r.done).resolves.toBe(0);
    expect(r.errors).toEqual([]);
    await expect(fetchRaw(`${url}/version`)).rejects.toThrow();
  });

  it('loads seed files: a JSON List, a typed list, and multi-document YAML', async () => {
    const list = join(dir, 'list.json');
    writeFileSync(
      list,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: '1' } },
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
        ],
      }),
    );
    const typed = join(dir, 'pods.json');
    writeFileSync(typed, JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p1', namespace: 'team' } }] }));
    const yaml = join(dir, 'objects.yaml');
    writeFileSync(
      yaml,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team\nspec:\n  replicas: 2\n---\n# empty documents are skipped\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\n  namespace: team\n`,
    );
    const r = run(['--port', '0', '--host', '127.0.0.1', '--seed', list, typed, '--seed', yaml]);
    const url = await r.url;
    try {
      expect(r.lines.slice(1)).toEqual([`seeded 2 objects from ${list}`, `seeded 1 object from ${typed}`, `seeded 2 objects from ${yaml}`]);
      const cm = JSON.parse((await fetchRaw(`${url}/api/v1/namespaces/default/configmaps/cfg`)).body);
      expect(cm).toMatchObject({ kind: 'ConfigMap', data: { a: '1' }, metadata: { uid: expect.any(String) } });
      expect(JSON.parse((await fetchRaw(`${url}/api/v1/namespaces/team/pods/p1`)).body).kind).toBe('Pod');
      expect(JSON.parse((await fetchRaw(`${url}/apis/apps/v1/namespaces/team/deployments/web`)).body).spec.replicas).toBe(2);
      expect(JSON.parse((await fetchRaw(`${url}/apis/batch/v1/namespaces/team/jobs/once`)).body).kind).toBe('Job');
    } finally {
      r.stop();
    }
    await expect(r.done).resolves.toBe(0);
  });

  it('runs the controllers unless --no-controllers; a seed into a namespace nobody creates fails', async () => {
    const seedFile = join(dir, 'ns.yaml');
    // The Namespace comes after its content in the file: seeding creates a file's Namespaces first.
    writeFileSync(seedFile, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: late\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: late\nspec:\n  finalizers: [kubernetes]\n');
    for (const [flags, expected] of [[[], 404], [['--no-controllers'], 200]] as const) {
      const r = run(['--seed', seedFile, ...flags]);
      const url = await r.url;
      try {
        expect((await fetchRaw(`${url}/api/v1/namespaces/late`, { method: 'DELETE' })).status).toBe(200);
        let status = 0;
        for (let i = 0; i < 200; i++) {
          status = (await fetchRaw(`${url}/api/v1/namespaces/late`)).status;
          if (status === expected) break;
          await new Promise((res) => setTimeout(res, 10));
        }
        expect(status).toBe(expected);
      } finally {
        r.stop();
      }
      await expect(r.done).resolves.toBe(0);
    }
    const orphan = join(dir, 'orphan.yaml');
    writeFileSync(orphan, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: nowhere\n');
    const bad = run(['--seed', orphan]);
    await expect(bad.done).resolves.toBe(1);
    expect(bad.errors.join('\n')).toContain('namespaces "nowhere" not found');
  });

  it('the dispatcher routes fake-server; a bad seed is exit code 1, a bad flag 2', async () => {
    const viaMain = run([], 'dispatcher');
    expect(await viaMain.url).toMatch(/^http:\/\//);
    viaMain.stop();
    await expect(viaMain.done).resolves.toBe(0);

    const unknown = join(dir, 'unknown.yaml');
    writeFileSync(unknown, 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
    const bad = run(['--seed', unknown]);
    await expect(bad.done).resolves.toBe(1);
    expect(bad.lines).toEqual([]);
    expect(bad.errors.join('\n')).toContain('no served kind Widget in example.com/v1');

    const usage = run(['--port', 'abc']);
    await expect(usage.done).resolves.toBe(2);
    expect(usage.errors.join('\n')).toContain('--port: not a port number');
    const errors: string[] = [];
    await expect(main(['nope'], { error: (l) => void errors.push(l) })).resolves.toBe(2);
    expect(errors.join('\n')).toContain('fake-server');
  });

  it('--max-watch-queue-bytes sets the bound after which a watch that does not keep up is closed as unresponsive', async () => {
    const r = run(['--max-watch-queue-bytes', '65536']);
    const server = await r.server;
    let client: PausedClient | undefined;
    try {
      client = await openPaused(`${await r.url}/api/v1/namespaces/ns/pods?watch=1&resourceVersion=${server.resourceVersion}`);
      await server.waitForOpenWatches(1);
      const watch = server.watches[0]!;
      // ~2 KiB per event: a 64 KiB bound (plus the socket buffers) is passed within a few hundred events; the 64 MiB
      // default would take tens of thousands.
      const created = await createUntilEvicted(server, watch, 5_000);
      expect(watch.closeReason).toBe('unresponsive');
      expect(created).toBeLessThan(5_000);
    } finally {
      client?.close();
      r.stop();
    }
    await expect(r.done).resolves.toBe(0);

    const off = run(['--max-watch-queue-bytes=false']);
    expect(await off.url).toMatch(/^http:\/\//);
    off.stop();
    await expect(off.done).resolves.toBe(0);
    for (const bad of ['0', '-1', '1.5', 'lots']) {
      const usage = run([`--max-watch-queue-bytes=${bad}`]); // `--flag -1` would be an ambiguous option to parseArgs

      await expect(usage.done).resolves.toBe(2);
      expect(usage.errors.join('\n')).toContain('--max-watch-queue-bytes: not a positive number of bytes or false');
    }
  });

  it('parseSeedText skips nulls and keeps plain arrays', () => {
    expect(parseSeedText('[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}]')).toEqual([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }]);
    expect(parseSeedText('---\n---\n')).toEqual([]);
  });
});

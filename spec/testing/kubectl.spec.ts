/**
 * The FakeApiServer driven by a real `kubectl` (discovery, Table output, create/get/apply/delete, `get -w`).
 * Skipped, with a message, when no kubectl binary is found (kubectl-helpers.ts).
 */
import { it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { KUBECTL, describeWithKubectl, kubectlFor, type KubectlEnv } from './kubectl-helpers.js';

let server: FakeApiServer;
let env: KubectlEnv;
let dir: string;
let kubeconfig: string;
const kubectl = (...args: string[]): Promise<{ stdout: string; stderr: string }> => env.kubectl(...args);

function pod(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

describeWithKubectl('kubectl against the FakeApiServer', () => {
  beforeAll(async () => {
    server = await FakeApiServer.start({ resources: 'v1.35' });
    env = kubectlFor(server);
    ({ dir, kubeconfig } = env);
  });

  afterAll(async () => {
    if (process.env['KUBECTL_DEBUG']) console.log([...new Set(server.requests.map((r) => `${r.method} ${r.url} ${r.headers.accept ?? ''}`))].join('\n'));
    await server?.close();
    env?.dispose();
  });

  it('version and api-resources read discovery', async () => {
    const { stdout } = await kubectl('version', '-o', 'json');
    expect(JSON.parse(stdout).serverVersion.gitVersion).toBe('v1.35.0');
    const resources = await kubectl('api-resources', '--no-headers');
    expect(resources.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources.stdout).toMatch(/^cronjobs\s+cj\s+batch\/v1\s+true\s+CronJob$/m);
  });

  it('get pods prints the table rows', async () => {
    server.create(testResources.Pod, pod('table-a'));
    server.create(testResources.Pod, pod('table-b'));
    const { stdout } = await kubectl('get', 'pods');
    const lines = stdout.trim().split('\n');
    // The Pod printer's columns (kubectl.wire.spec.ts covers them with real values).
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(expect.arrayContaining(['table-a', 'table-b']));
    const short = await kubectl('get', 'po', 'table-a', '--no-headers');
    // Seeded without status: no phase, so the STATUS cell is empty.
    expect(short.stdout).toMatch(/^table-a\s+0\/1\s+0\s+\d+s$/m);
  });

  it('get pods -o json prints a List of full objects', async () => {
    server.create(testResources.Pod, pod('json-a'));
    const { stdout } = await kubectl('get', 'pods', '-o', 'json');
    const list = JSON.parse(stdout);
    expect(list.kind).toBe('List');
    const item = list.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'json-a');
    expect(item).toMatchObject({ kind: 'Pod', apiVersion: 'v1', spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  });

  it('create -f, get NAME, delete', async () => {
    const file = join(dir, 'created.json');
    writeFileSync(file, JSON.stringify(pod('created')));
    const created = await kubectl('create', '-f', file);
    // Default validation (strict): kubectl finds `fieldValidation` in the skeleton OpenAPI v3 and leaves it to the server.
    expect(created.stdout.trim()).toBe('pod/created created');
    expect(created.stderr).toBe('');
    expect(server.requests.find((r) => r.method === 'POST')?.query.get('fieldValidation')).toBe('Strict');
    expect(server.get(testResources.Pod, 'created', 'default')).toBeDefined();
    const got = await kubectl('get', 'pod', 'created', '-o', 'jsonpath={.metadata.name} {.metadata.uid}');
    expect(got.stdout).toMatch(/^created [0-9a-f-]{36}$/);
    const deleted = await kubectl('delete', 'pod', 'created', '--wait=false');
    expect(deleted.stdout.trim()).toBe('pod "created" deleted');
    expect(server.get(testResources.Pod, 'created', 'default')).toBeUndefined();
  });

  it('apply -f twice: create with last-applied, then a strategic merge patch', async () => {
    const file = join(dir, 'applied.json');
    writeFileSync(file, JSON.stringify(pod('applied', { v: '1' })));
    const first = await kubectl('apply', '-f', file);
    expect(first.stdout.trim()).toBe('pod/applied created');
    const stored = server.get(testResources.Pod, 'applied', 'default') as { metadata: { annotations?: Record<string, string> } };
    const lastApplied = JSON.parse(stored.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}');
    expect(lastApplied.metadata.labels).toEqual({ v: '1' });

    writeFileSync(file, JSON.stringify(pod('applied', { v: '2' })));
    const second = await kubectl('apply', '-f', file);
    expect(second.stdout.trim()).toBe('pod/applied configured');
    expect(`${first.stderr}${second.stderr}`).toBe('');
    const patch = server.requests.find((r) => r.method === 'PATCH' && r.path === '/api/v1/namespaces/default/pods/applied');
    expect(patch?.headers['content-type']).toBe('application/strategic-merge-patch+json');
    const after = server.get(testResources.Pod, 'applied', 'default') as { metadata: { labels: Record<string, string>; annotations: Record<string, string> } };
    expect(after.metadata.labels).toEqual({ v: '2' });
    expect(JSON.parse(after.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']!).metadata.labels).toEqual({ v: '2' });
  });

  it('get pods -w shows a pod created and deleted while it watches', async () => {
    const child = spawn(KUBECTL!, ['--kubeconfig', kubeconfig, 'get', 'pods', '-w', '--output-watch-events', '-l', 'w=1'], {
      env: { ...process.env, HOME: dir, KUBECACHEDIR: join(dir, 'cache') },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const waitFor = async (re: RegExp): Promise<void> => {
      const deadline = Date.now() + 15_000;
      while (!re.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`kubectl get -w: no ${re} in ${JSON.stringify(out)} (stderr ${err})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await server.nextRequest((r) => r.path === '/api/v1/namespaces/default/pods' && r.query.get('watch') === 'true', 15_000);
      await server.waitForOpenWatches(1, 15_000);
      server.create(testResources.Pod, pod('watched', { w: '1' }));
      await waitFor(/^ADDED\s+watched\s/m);
      server.delete(testResources.Pod, 'watched', 'default');
      await waitFor(/^DELETED\s+watched\s/m);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

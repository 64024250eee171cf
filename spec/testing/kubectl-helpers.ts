/**
 * A real `kubectl` pointed at a FakeApiServer, for the kubectl specs (`kubectl*.spec.ts`): where the binary is,
 * a temp kubeconfig and cache dir per server, and `kubectl(...args)` that resolves with stdout/stderr or rejects with
 * kubectl's own message. Without a kubectl binary the specs say so; in CI (which installs it) that is a failure.
 */
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer, type FakeApiServerOptions } from '../../lib/testing/index.js';
import type { StartServer } from './server-harness.js';

function findKubectl(): string | undefined {
  const fromEnv = process.env['KUBECTL'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const candidate of ['/usr/bin/kubectl', '/usr/local/bin/kubectl']) if (existsSync(candidate)) return candidate;
  try {
    const path = execFileSync('which', ['kubectl'], { encoding: 'utf8' }).trim();
    return path === '' ? undefined : path;
  } catch {
    return undefined;
  }
}

/** The kubectl binary, if one is found (`KUBECTL`, /usr/bin, /usr/local/bin, PATH). */
export const KUBECTL = findKubectl();

/**
 * `describe` when kubectl exists; otherwise one test that says kubectl is missing (and fails when `CI` is set, since
 * `.ci/run` installs it).
 */
export function describeWithKubectl(name: string, fn: () => void): void {
  if (KUBECTL) {
    describe(name, fn);
    return;
  }
  describe(name, () => {
    it('needs kubectl (Debian: apt-get install -y kubernetes-client; or KUBECTL=/path/to/kubectl); required in CI', () => {
      if (process.env['CI']) throw new Error('CI is set but no kubectl was found');
      console.warn(`${name}: no kubectl binary found (set KUBECTL=/path/to/kubectl); the kubectl tests did not run`);
    });
  });
}

/** kubectl bound to one server: its own kubeconfig (context namespace `default`) and HOME/cache dir. */
export interface KubectlEnv {
  /** The temp dir (kubeconfig, cache, files to pass with `-f`). */
  readonly dir: string;
  /** The kubeconfig file (for kubectl spawned by hand, e.g. `get -w`). */
  readonly kubeconfig: string;
  /** Runs kubectl with `--kubeconfig` and a request timeout; rejects with stderr when it exits non-zero. */
  kubectl(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Removes the temp dir. */
  dispose(): void;
}

/** A kubectl environment for `server` (call `dispose()` in `afterAll`). */
export function kubectlFor(server: FakeApiServer): KubectlEnv {
  const dir = mkdtempSync(join(tmpdir(), 'kubex-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: server.url } }],
      users: [{ name: 'fake', user: {} }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: 'default' } }],
      'current-context': 'fake',
    }),
  );
  return {
    dir,
    kubeconfig,
    kubectl: (...args) =>
      new Promise((resolve, reject) => {
        execFile(
          KUBECTL!,
          ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args],
          { timeout: 30_000, env: { ...process.env, HOME: dir, KUBECACHEDIR: join(dir, 'cache') } },
          (err, stdout, stderr) => {
            if (err) reject(new Error(`kubectl ${args.join(' ')} failed: ${err.message}\n${stderr}`));
            else resolve({ stdout, stderr });
          },
        );
      }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A server and kubectl for the tests of a `describe` (see {@link kubectlHarness}). */
export interface KubectlHarness {
  /** The server (started in `beforeAll`). */
  readonly server: FakeApiServer;
  /** The kubectl environment bound to it. */
  readonly env: KubectlEnv;
  /** The temp dir of the kubectl environment (files to pass with `-f`). */
  readonly dir: string;
  /** Runs kubectl against the server (see {@link KubectlEnv.kubectl}). */
  kubectl(...args: string[]): Promise<{ stdout: string; stderr: string }>;
}

/**
 * Registers `beforeAll`/`afterAll` that start a FakeApiServer (with these options, or by calling `start`) and a
 * kubectl environment for it, then dispose of both. Call it inside the `describeWithKubectl` callback.
 */
export function kubectlHarness(start: StartServer | FakeApiServerOptions = {}): KubectlHarness {
  let server: FakeApiServer | undefined;
  let env: KubectlEnv | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('kubectlHarness: used outside its describe (no server started)');
    return value;
  };
  beforeAll(async () => {
    server = typeof start === 'function' ? await start() : await FakeApiServer.start(start);
    env = kubectlFor(server);
  });
  afterAll(async () => {
    env?.dispose();
    await server?.close();
  });
  return {
    get server() {
      return need(server);
    },
    get env() {
      return need(env);
    },
    get dir() {
      return need(env).dir;
    },
    kubectl: (...args) => need(env).kubectl(...args),
  };
}

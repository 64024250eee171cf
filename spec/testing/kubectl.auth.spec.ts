/**
 * `kubectl auth can-i` and `kubectl auth whoami` against the FakeApiServer: the SelfSubjectAccessReview and
 * SelfSubjectReview APIs answered from the fake's auth settings.
 */
import { beforeAll, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithKubectl, KUBECTL, kubectlHarness, type KubectlEnv } from './kubectl-helpers.js';

/** Runs kubectl and resolves with its exit code and stdout, whatever the code (`can-i` answers `no` with exit 1). */
function run(env: KubectlEnv, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL!, ['--kubeconfig', env.kubeconfig, ...args], { timeout: 30_000, env: { ...process.env, HOME: env.dir } }, (err, stdout) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? -1) : 0, stdout });
    });
  });
}

describeWithKubectl('kubectl auth', () => {
  // HTTPS: kubectl sends a bearer token only over TLS.
  const k = kubectlHarness({
    resources: 'v1.35',
    tls: true,
    auth: {
      tokens: { 'alice-token': { username: 'alice', groups: ['devs'] } },
      // alice may do anything but create pods.
      authorize: (a) => !(a.resource === 'pods' && a.verb === 'create'),
    },
  });
  beforeAll(() => {
    ca = join(k.dir, 'ca.crt');
    writeFileSync(ca, k.server.ca!);
  });
  let ca: string;
  const as = (...args: string[]) => k.kubectl('--certificate-authority', ca, '--token', 'alice-token', ...args);

  it('can-i answers yes when the authorizer allows, no (exit 1) when it does not', async () => {
    const tls = ['--certificate-authority', ca, '--token', 'alice-token'];
    expect(await run(k.env, [...tls, 'auth', 'can-i', 'list', 'pods'])).toEqual({ code: 0, stdout: 'yes\n' });
    expect(await run(k.env, [...tls, 'auth', 'can-i', 'create', 'pods'])).toEqual({ code: 1, stdout: 'no\n' });
  });

  it('whoami -o json shows the user', async () => {
    const { stdout } = await as('auth', 'whoami', '-o', 'json');
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'SelfSubjectReview', status: { userInfo: { username: 'alice', groups: ['devs', 'system:authenticated'] } } });
  });
});

describeWithKubectl('kubectl auth without auth configured', () => {
  const k = kubectlHarness({ resources: 'v1.35' });

  it('can-i create pods is yes; whoami is system:anonymous', async () => {
    expect((await k.kubectl('auth', 'can-i', 'create', 'pods')).stdout.trim()).toBe('yes');
    const { stdout } = await k.kubectl('auth', 'whoami', '-o', 'json');
    expect(JSON.parse(stdout).status.userInfo).toEqual({ username: 'system:anonymous', groups: ['system:unauthenticated'] });
  });
});

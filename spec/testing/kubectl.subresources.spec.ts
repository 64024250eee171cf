/**
 * The status and scale subresources of the FakeApiServer driven by a real kubectl (v1.32): `kubectl scale` finds
 * `deployments/scale` through discovery and patches it; `kubectl patch` of status through the pod is ignored;
 * `kubectl patch --subresource=status` writes it.
 */
import { it, expect, beforeAll, afterAll } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { describeWithKubectl, kubectlFor, type KubectlEnv } from './kubectl-helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- objects are inspected as plain JSON */

describeWithKubectl('kubectl against the FakeApiServer: status and scale subresources', () => {
  let server: FakeApiServer;
  let env: KubectlEnv;

  beforeAll(async () => {
    server = await FakeApiServer.start({ watchListDefaulting: false });
    env = kubectlFor(server);
  });

  afterAll(async () => {
    env.dispose();
    await server.close();
  });

  const get = (resource: any, name: string): any => server.get(resource, name, 'default');

  it('kubectl scale deployment x --replicas=3 sets spec.replicas through /scale', async () => {
    // `kubectl create deployment` sends protobuf, which the fake does not decode: create from a manifest.
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labels: { app: 'x' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
    };
    writeFileSync(join(env.dir, 'deploy.json'), JSON.stringify(manifest));
    await env.kubectl('create', '-f', join(env.dir, 'deploy.json'));
    const { stdout } = await env.kubectl('scale', 'deployment', 'x', '--replicas=3');
    expect(stdout.trim()).toBe('deployment.apps/x scaled');
    const deploy = get(testResources.Deployment, 'x');
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.metadata.generation).toBe(2);
    expect(deploy.metadata.managedFields.some((e: any) => e.subresource === 'scale')).toBe(true);
    expect(server.requests.some((r) => r.method === 'PATCH' && r.path === '/apis/apps/v1/namespaces/default/deployments/x/scale')).toBe(true);
  });

  it("kubectl patch pod x --type merge -p '{\"status\":{\"phase\":\"Succeeded\"}}' leaves the pod Pending", async () => {
    await env.kubectl('run', 'x', '--image=busybox', '--restart=Never');
    expect(get(testResources.Pod, 'x').status.phase).toBe('Pending');
    await env.kubectl('patch', 'pod', 'x', '--type', 'merge', '-p', '{"status":{"phase":"Succeeded"}}');
    expect(get(testResources.Pod, 'x').status.phase).toBe('Pending');
  });

  it('kubectl patch --subresource=status writes the status (and only it)', async () => {
    await env.kubectl('run', 'y', '--image=busybox', '--restart=Never');
    const { stdout } = await env.kubectl('patch', 'pod', 'y', '--subresource=status', '--type', 'merge', '-p', '{"spec":{"activeDeadlineSeconds":9},"status":{"phase":"Succeeded"}}');
    expect(stdout.trim()).toBe('pod/y patched');
    const pod = get(testResources.Pod, 'y');
    expect(pod.status.phase).toBe('Succeeded');
    expect(pod.spec.activeDeadlineSeconds).toBeUndefined();
    const out = await env.kubectl('get', 'pod', 'y', '--subresource=status', '-o', 'jsonpath={.status.phase}');
    expect(out.stdout).toBe('Succeeded');
  });
});

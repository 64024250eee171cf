/**
 * Issue #13 items 4 and 6 through a real kubectl: objects it creates come back defaulted (and a Service with a
 * ClusterIP), and an invalid one is refused with kubectl's own rendering of the 422 causes.
 */
import { it, expect } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithKubectl, kubectlHarness } from './kubectl-helpers.js';

function deployment(name: string, templateLabels: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: templateLabels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  };
}

describeWithKubectl('kubectl: defaults and validation of built-in kinds', () => {
  const k = kubectlHarness({ resources: 'v1.35' });

  it('create -f of a Deployment and a Service: get -o jsonpath shows the defaults and the allocated ClusterIP', async () => {
    const deployFile = join(k.dir, 'web-deployment.json');
    const serviceFile = join(k.dir, 'web-service.json');
    writeFileSync(deployFile, JSON.stringify(deployment('web', { app: 'web' })));
    writeFileSync(serviceFile, JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }));
    const created = await k.kubectl('create', '-f', deployFile, '-f', serviceFile);
    expect(created.stdout.trim().split('\n')).toEqual(['deployment.apps/web created', 'service/web created']);
    const d = await k.kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.strategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit} {.spec.template.spec.containers[0].imagePullPolicy}');
    expect(d.stdout).toBe('25% 10 Always');
    const s = await k.kubectl('get', 'service', 'web', '-o', 'jsonpath={.spec.type} {.spec.clusterIP} {.spec.ports[0].targetPort}');
    expect(s.stdout).toMatch(/^ClusterIP 10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+ 80$/);
  });

  it('the Pod kubectl run generates passes validation and comes back defaulted', async () => {
    expect((await k.kubectl('run', 'solo', '--image=busybox:1.36', '--restart=Never')).stdout.trim()).toBe('pod/solo created');
    const p = await k.kubectl('get', 'pod', 'solo', '-o', 'jsonpath={.spec.restartPolicy} {.spec.dnsPolicy} {.spec.enableServiceLinks} {.spec.containers[0].terminationMessagePath}');
    expect(p.stdout).toBe('Never ClusterFirst true /dev/termination-log');
  });

  it('create -f of an invalid Deployment fails with the server’s message', async () => {
    const file = join(k.dir, 'bad.json');
    writeFileSync(file, JSON.stringify(deployment('bad', { app: 'other' })));
    await expect(k.kubectl('create', '-f', file)).rejects.toThrow(
      'The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
  });
});

/**
 * kubectl against the FakeApiServer's versions: discovery of a default v1.35 server (`kubectl api-versions`) and an
 * HorizontalPodAutoscaler written as autoscaling/v2 read back as autoscaling/v1 (one store, converted).
 */
import { expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithKubectl, kubectlHarness } from './kubectl-helpers.js';

describeWithKubectl('kubectl and API versions', () => {
  const k = kubectlHarness({ resources: 'v1.35' });

  it('api-versions lists GA versions only', async () => {
    const versions = (await k.kubectl('api-versions')).stdout.trim().split('\n');
    expect(versions).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'autoscaling/v1', 'autoscaling/v2', 'resource.k8s.io/v1', 'coordination.k8s.io/v1']));
    expect(versions.filter((v) => /alpha|beta/.test(v))).toEqual([]);
  });

  it('an HPA applied as autoscaling/v2 reads back as autoscaling/v1', async () => {
    const file = join(k.dir, 'hpa.json');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          maxReplicas: 4,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } } }],
        },
      }),
    );
    await k.kubectl('apply', '-f', file);
    const v1 = JSON.parse((await k.kubectl('get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'json')).stdout);
    expect(v1).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { maxReplicas: 4, targetCPUUtilizationPercentage: 65 } });
    const v2 = JSON.parse((await k.kubectl('get', 'hpa', 'web', '-o', 'json')).stdout);
    expect(v2).toMatchObject({ apiVersion: 'autoscaling/v2', spec: { metrics: [{ resource: { target: { averageUtilization: 65 } } }] } });
  });
});

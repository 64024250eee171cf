/**
 * Issue #13 items 3 and 5 with a real kubectl: cascading deletes wait for the garbage collector, namespace deletion
 * waits for the namespace controller, `--force --grace-period=0` ends a pod's grace period.
 */
import { it, expect } from '@jest/globals';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { describeWithKubectl, kubectlHarness } from './kubectl-helpers.js';
import { until as pollUntil } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- objects are inspected as plain JSON */

const ReplicaSet = defineResource({ apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true });
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };

/** Polls a condition of the server's state every 10 ms, for up to 10 s. */
const until = (cond: () => boolean): Promise<void> => pollUntil(cond, 10_000, 10);

describeWithKubectl('kubectl delete against the FakeApiServer', () => {
  const k = kubectlHarness(async () => {
    const server = await FakeApiServer.start();
    server.register(ReplicaSet);
    return server;
  });

  it('delete deployment --cascade=foreground: the Deployment stays until its ReplicaSet is gone, and kubectl waits for it', async () => {
    const deploy = k.server.create<any>(testResources.Deployment, { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } });
    // The ReplicaSet is held by a finalizer of its own, so the foreground deletion has to wait.
    k.server.create(ReplicaSet, {
      metadata: {
        name: 'web-1',
        finalizers: ['example.com/hold'],
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deploy.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { selector: { matchLabels: { app: 'web' } }, template },
    });
    let done = false;
    const run = k.kubectl('delete', 'deployment', 'web', '--cascade=foreground').finally(() => {
      done = true;
    });
    await until(() => k.server.get<any>(ReplicaSet, 'web-1')?.metadata.deletionTimestamp !== undefined);
    const marked = k.server.get<any>(testResources.Deployment, 'web');
    expect(marked.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(done).toBe(false);
    const rs = k.server.get<any>(ReplicaSet, 'web-1');
    k.server.update(ReplicaSet, { ...rs, metadata: { ...rs.metadata, finalizers: [] } });
    const { stdout } = await run;
    expect(stdout.trim()).toBe('deployment.apps "web" deleted');
    expect(k.server.get(testResources.Deployment, 'web')).toBeUndefined();
    expect(k.server.get(ReplicaSet, 'web-1')).toBeUndefined();
  }, 30_000);

  it('delete namespace waits until the namespace controller has emptied it', async () => {
    k.server.create(testResources.Namespace, { metadata: { name: 'team-k' }, spec: { finalizers: ['kubernetes'] } });
    k.server.create(testResources.ConfigMap, { metadata: { name: 'c', namespace: 'team-k' } });
    const { stdout } = await k.kubectl('delete', 'namespace', 'team-k');
    expect(stdout.trim()).toBe('namespace "team-k" deleted');
    expect(k.server.get(testResources.Namespace, 'team-k')).toBeUndefined();
    expect(k.server.get(testResources.ConfigMap, 'c', 'team-k')).toBeUndefined();
  }, 30_000);

  it('delete pod --force --grace-period=0 ends a bound pod at once', async () => {
    k.server.create(testResources.Pod, { metadata: { name: 'p' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x' }] } });
    const { stdout } = await k.kubectl('delete', 'pod', 'p', '--force', '--grace-period=0');
    expect(stdout).toContain('pod "p" force deleted');
    expect(k.server.get(testResources.Pod, 'p')).toBeUndefined();
  }, 30_000);
});

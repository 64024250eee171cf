/**
 * kubectl's typed `create <kind>` commands (protobuf request bodies) and OpenAPI readers (`explain`,
 * `get --raw /openapi/v2`) against the FakeApiServer serving every v1.35 kind. Each created object is checked in the
 * server's store.
 */
import { it, expect, beforeAll, afterAll } from '@jest/globals';
import { FakeApiServer } from '../../lib/testing/index.js';
import { ConfigMap, Namespace, Secret } from '../../lib/k8s/v1_35/core/v1.js';
import { Deployment } from '../../lib/k8s/v1_35/apps/v1.js';
import { describeWithKubectl, kubectlFor, type KubectlEnv } from './kubectl-helpers.js';

let server: FakeApiServer;
let env: KubectlEnv;
const kubectl = (...args: string[]): Promise<{ stdout: string; stderr: string }> => env.kubectl(...args);

/** The requests kubectl sent to `path` with `method`: their Content-Type and Accept. */
function sent(method: string, path: string): { contentType: string | undefined; accept: string | undefined }[] {
  return server.requests.filter((r) => r.method === method && r.path === path).map((r) => ({ contentType: r.headers['content-type'], accept: r.headers.accept }));
}

describeWithKubectl('kubectl create <kind> and explain against the FakeApiServer', () => {
  beforeAll(async () => {
    server = await FakeApiServer.start({ resources: 'v1.35' });
    env = kubectlFor(server);
  });

  afterAll(async () => {
    await server?.close();
    env?.dispose();
  });

  it('create configmap --from-literal sends protobuf; the ConfigMap is stored with its data', async () => {
    const { stdout } = await kubectl('create', 'configmap', 'x', '--from-literal=a=b');
    expect(stdout.trim()).toBe('configmap/x created');
    expect(sent('POST', '/api/v1/namespaces/default/configmaps')).toEqual([
      { contentType: 'application/vnd.kubernetes.protobuf', accept: expect.stringContaining('application/json') },
    ]);
    const cm = server.get(ConfigMap, 'x', 'default') as unknown as Record<string, unknown>;
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { a: 'b' } });
    expect(cm['binaryData']).toBeUndefined();
  });

  it('create namespace', async () => {
    const { stdout } = await kubectl('create', 'namespace', 'y');
    expect(stdout.trim()).toBe('namespace/y created');
    const ns = server.get(Namespace, 'y') as unknown as Record<string, unknown>;
    expect(ns).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'y' } });
    expect((ns['metadata'] as Record<string, unknown>)['namespace']).toBeUndefined();
  });

  it('create deployment --image: the Deployment keeps its selector, template and defaults', async () => {
    const { stdout } = await kubectl('create', 'deployment', 'web', '--image=nginx');
    expect(stdout.trim()).toBe('deployment.apps/web created');
    const d = server.get(Deployment, 'web', 'default') as unknown as Record<string, any>;
    expect(d).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, generation: 1 },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
      },
    });
    // Zero values gogo-protobuf writes for non-pointer strings are not kept: the container has no `imagePullPolicy: ""`.
    expect(d['spec']['template']['spec']['containers'][0]['terminationMessagePath']).not.toBe('');
    expect(d['spec']['template']['metadata']['creationTimestamp']).toBeUndefined();
  });

  it('create secret generic --from-literal: bytes are base64 in the stored Secret', async () => {
    const { stdout } = await kubectl('create', 'secret', 'generic', 's', '--from-literal=k=v');
    expect(stdout.trim()).toBe('secret/s created');
    const s = server.get(Secret, 's', 'default') as unknown as Record<string, unknown>;
    expect(s).toMatchObject({ kind: 'Secret', metadata: { name: 's' }, data: { k: Buffer.from('v').toString('base64') } });
    const { stdout: out } = await kubectl('get', 'secret', 's', '-o', 'jsonpath={.data.k}');
    expect(Buffer.from(out, 'base64').toString()).toBe('v');
  });
});

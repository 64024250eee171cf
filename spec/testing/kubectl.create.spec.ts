/**
 * kubectl's typed `create <kind>` commands (protobuf request bodies) and OpenAPI readers (`explain`,
 * `get --raw /openapi/v2`) against the FakeApiServer serving every v1.35 kind. Each created object is checked in the
 * server's store.
 */
import { it, expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMap, Namespace, Secret } from '../../lib/k8s/v1_35/core/v1.js';
import { Deployment } from '../../lib/k8s/v1_35/apps/v1.js';
import { KUBECTL, describeWithKubectl, kubectlHarness } from './kubectl-helpers.js';

describeWithKubectl('kubectl create <kind> and explain against the FakeApiServer', () => {
  const k = kubectlHarness({ resources: 'v1.35' });
  const { kubectl } = k;

  /** The requests kubectl sent to `path` with `method`: their Content-Type and Accept. */
  function sent(method: string, path: string): { contentType: string | undefined; accept: string | undefined }[] {
    return k.server.requests.filter((r) => r.method === method && r.path === path).map((r) => ({ contentType: r.headers['content-type'], accept: r.headers.accept }));
  }

  it('create configmap --from-literal sends protobuf; the ConfigMap is stored with its data', async () => {
    const { stdout } = await kubectl('create', 'configmap', 'x', '--from-literal=a=b');
    expect(stdout.trim()).toBe('configmap/x created');
    expect(sent('POST', '/api/v1/namespaces/default/configmaps')).toEqual([
      { contentType: 'application/vnd.kubernetes.protobuf', accept: expect.stringContaining('application/json') },
    ]);
    const cm = k.server.get(ConfigMap, 'x', 'default') as unknown as Record<string, unknown>;
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { a: 'b' } });
    expect(cm['binaryData']).toBeUndefined();
  });

  it('create namespace', async () => {
    const { stdout } = await kubectl('create', 'namespace', 'y');
    expect(stdout.trim()).toBe('namespace/y created');
    const ns = k.server.get(Namespace, 'y') as unknown as Record<string, unknown>;
    expect(ns).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'y' } });
    expect((ns['metadata'] as Record<string, unknown>)['namespace']).toBeUndefined();
  });

  it('create deployment --image: the Deployment keeps its selector, template and defaults', async () => {
    const { stdout } = await kubectl('create', 'deployment', 'web', '--image=nginx');
    expect(stdout.trim()).toBe('deployment.apps/web created');
    const d = k.server.get(Deployment, 'web', 'default') as unknown as Record<string, any>;
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
    const s = k.server.get(Secret, 's', 'default') as unknown as Record<string, unknown>;
    expect(s).toMatchObject({ kind: 'Secret', metadata: { name: 's' }, data: { k: Buffer.from('v').toString('base64') } });
    const { stdout: out } = await kubectl('get', 'secret', 's', '-o', 'jsonpath={.data.k}');
    expect(Buffer.from(out, 'base64').toString()).toBe('v');
  });

  it('explain pods.spec prints the field documentation from /openapi/v3/api/v1', async () => {
    const { stdout } = await kubectl('explain', 'pods.spec');
    expect(stdout).toMatch(/^KIND:\s+Pod$/m);
    expect(stdout).toMatch(/^VERSION:\s+v1$/m);
    expect(stdout).toMatch(/^FIELD: spec <PodSpec>$/m);
    expect(stdout).toContain('PodSpec is a description of a pod.');
    expect(stdout).toMatch(/^\s+containers\s+<\[\]Container> -required-$/m);
    const deep = await kubectl('explain', 'deployments.spec.strategy.rollingUpdate.maxSurge');
    expect(deep.stdout).toMatch(/^GROUP:\s+apps$/m);
    expect(deep.stdout).toMatch(/^FIELD: maxSurge <string>$/m);
    // The field's description and the referenced IntOrString's (the v3 `allOf` wrapping of a described `$ref`).
    expect(deep.stdout).toContain('The maximum number of pods that can be scheduled above the desired number of');
    expect(deep.stdout).toContain('IntOrString is a type that can hold an int32 or a string.');
    expect(k.server.requests.some((r) => r.path === '/openapi/v3/api/v1')).toBe(true);
  });

  it('get --raw /openapi/v2 prints the swagger of v1.35', async () => {
    // 2.8 MB of JSON: past kubectlFor's default output buffer.
    const { stdout } = await promisify(execFile)(KUBECTL!, ['--kubeconfig', k.env.kubeconfig, 'get', '--raw', '/openapi/v2'], {
      maxBuffer: 64 << 20,
      timeout: 30_000,
      env: { ...process.env, HOME: k.dir },
    });
    const doc = JSON.parse(stdout);
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(Object.keys(doc.paths)).toContain('/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
  });

  it('create -f and apply still work with the full OpenAPI documents', async () => {
    const file = join(k.dir, 'cm.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '1' } }));
    expect((await kubectl('create', '-f', file)).stdout.trim()).toBe('configmap/applied created');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '2' } }));
    expect((await kubectl('apply', '-f', file)).stdout.trim()).toMatch(/^configmap\/applied (configured|serverside-applied)$/);
    expect((k.server.get(ConfigMap, 'applied', 'default') as unknown as { data: unknown }).data).toEqual({ a: '2' });
  });
});

/**
 * A real kubectl (v1.32) against the FakeApiServer: a CRD applied with `kubectl apply` becomes Established
 * (`kubectl wait --for condition=established`), and its custom resources are created, listed (with the CRD's short
 * name too), rejected with the server's validation message, and gone once the CRD is deleted.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeApiServer } from '../../lib/testing/index.js';
import { describeWithKubectl, kubectlFor, type KubectlEnv } from './kubectl-helpers.js';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer' } } } },
          },
        },
      },
    ],
  },
};

describeWithKubectl('kubectl with custom resources', () => {
  let server: FakeApiServer;
  let env: KubectlEnv;

  beforeAll(async () => {
    server = await FakeApiServer.start();
    env = kubectlFor(server);
  });

  afterAll(async () => {
    env.dispose();
    await server.close();
  });

  it('apply a CRD, wait for Established, create and get custom resources, delete the CRD', async () => {
    const crdFile = join(env.dir, 'crd.json');
    writeFileSync(crdFile, JSON.stringify(crd));
    expect((await env.kubectl('apply', '-f', crdFile)).stdout).toContain('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created');
    expect((await env.kubectl('wait', '--for', 'condition=established', '--timeout=10s', 'crd/widgets.example.com')).stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met',
    );

    const crFile = join(env.dir, 'cr.json');
    writeFileSync(crFile, JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3, junk: true } }));
    expect((await env.kubectl('create', '-f', crFile)).stdout).toContain('widget.example.com/w1 created');
    const got = await env.kubectl('get', 'widgets');
    expect(got.stdout).toMatch(/^NAME\s+AGE\n/);
    expect(got.stdout).toMatch(/\nw1\s+\d+s\n/);
    expect((await env.kubectl('get', 'wd', 'w1', '-o', 'jsonpath={.spec}')).stdout).toBe('{"size":3}');

    const badFile = join(env.dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 'big' } }));
    await expect(env.kubectl('create', '-f', badFile)).rejects.toThrow(
      'The Widget "w2" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
    );

    expect((await env.kubectl('delete', 'crd', 'widgets.example.com')).stdout).toContain('customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted');
    // kubectl still has the resource in its discovery cache: the server's 404 comes through.
    await expect(env.kubectl('get', 'widgets')).rejects.toThrow('the server could not find the requested resource (get widgets.example.com)');
  });
});

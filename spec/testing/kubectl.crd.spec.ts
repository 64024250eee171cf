/**
 * A real kubectl (v1.32) against the FakeApiServer: a CRD applied with `kubectl apply` becomes Established
 * (`kubectl wait --for condition=established`), and its custom resources are created, listed (with the CRD's short
 * name too), rejected with the server's validation message, and gone once the CRD is deleted.
 */
import { expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithKubectl, kubectlHarness } from './kubectl-helpers.js';

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
  const k = kubectlHarness();

  it('apply a CRD, wait for Established, create and get custom resources, delete the CRD', async () => {
    const crdFile = join(k.dir, 'crd.json');
    writeFileSync(crdFile, JSON.stringify(crd));
    expect((await k.kubectl('apply', '-f', crdFile)).stdout).toContain('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created');
    expect((await k.kubectl('wait', '--for', 'condition=established', '--timeout=10s', 'crd/widgets.example.com')).stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met',
    );

    const crFile = join(k.dir, 'cr.json');
    writeFileSync(crFile, JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3, junk: true } }));
    expect((await k.kubectl('create', '-f', crFile)).stdout).toContain('widget.example.com/w1 created');
    const got = await k.kubectl('get', 'widgets');
    expect(got.stdout).toMatch(/^NAME\s+AGE\n/);
    expect(got.stdout).toMatch(/\nw1\s+\d+s\n/);
    expect((await k.kubectl('get', 'wd', 'w1', '-o', 'jsonpath={.spec}')).stdout).toBe('{"size":3}');

    const badFile = join(k.dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 'big' } }));
    await expect(k.kubectl('create', '-f', badFile)).rejects.toThrow(
      'The Widget "w2" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
    );

    expect((await k.kubectl('delete', 'crd', 'widgets.example.com')).stdout).toContain('customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted');
    // kubectl still has the resource in its discovery cache: the server's 404 comes through.
    await expect(k.kubectl('get', 'widgets')).rejects.toThrow('the server could not find the requested resource (get widgets.example.com)');
  });
});

/**
 * Field selectors per kind (the kind's field label conversion func and ToSelectableFields): list, watch (an object
 * entering or leaving the selector is ADDED or DELETED), and the 400 answers for labels a kind does not support.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { fetchRaw, openWatch } from './http-helpers.js';

const Event = defineResource({ apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true });

function pod(name: string, nodeName: string | undefined, phase: string): Record<string, unknown> {
  return { metadata: { name, namespace: 'default' }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'c' }] }, status: { phase } };
}

describe('field selectors per kind', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await FakeApiServer.start({ resources: 'v1.35' });
    server.create(testResources.Pod, pod('a-run', 'n1', 'Running'));
    server.create(testResources.Pod, pod('b-done', 'n1', 'Succeeded'));
    server.create(testResources.Pod, pod('c-fail', 'n1', 'Failed'));
    server.create(testResources.Pod, pod('d-other', 'n2', 'Running'));
    server.create(testResources.Pod, pod('e-pending', undefined, 'Pending'));
  });
  afterAll(() => server.close());

  async function names(path: string, fieldSelector: string): Promise<string[]> {
    const res = await fetchRaw(`${server.url}${path}?fieldSelector=${encodeURIComponent(fieldSelector)}`);
    expect(res.status).toBe(200);
    return (JSON.parse(res.body) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);
  }

  it('pods: spec.nodeName and status.phase, with = and != (what kubectl describe node asks for)', async () => {
    expect(await names('/api/v1/pods', 'spec.nodeName=n1')).toEqual(['a-run', 'b-done', 'c-fail']);
    expect(await names('/api/v1/pods', 'spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed')).toEqual(['a-run']);
    expect(await names('/api/v1/namespaces/default/pods', 'spec.nodeName=')).toEqual(['e-pending']);
    expect(await names('/api/v1/pods', 'status.phase==Running,metadata.namespace=default')).toEqual(['a-run', 'd-other']);
    // Defaults of ToSelectableFields: hostNetwork is "false" when unset; status.podIPs is accepted but never set.
    expect(await names('/api/v1/pods', 'spec.hostNetwork=false,spec.nodeName=n2')).toEqual(['d-other']);
    expect(await names('/api/v1/pods', 'status.podIPs=')).toHaveLength(5);
    // spec.host, the label of old v1 clients, is converted to spec.nodeName.
    expect(await names('/api/v1/pods', 'spec.host=n2')).toEqual(['d-other']);
  });

  it('an unsupported label is 400 BadRequest: the kind’s conversion func message, or the default one', async () => {
    const pods = await fetchRaw(`${server.url}/api/v1/pods?fieldSelector=spec.foo%3Dx`);
    expect(pods.status).toBe(400);
    expect(JSON.parse(pods.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400, message: 'field label not supported: spec.foo' });
    // Node's conversion func knows only metadata.name and spec.unschedulable.
    const nodes = await fetchRaw(`${server.url}/api/v1/nodes?fieldSelector=metadata.namespace%3D`);
    expect(JSON.parse(nodes.body)).toMatchObject({ code: 400, message: 'field label not supported: metadata.namespace' });
    // A kind without one: runtime.DefaultMetaV1FieldSelectorConversion.
    const cms = await fetchRaw(`${server.url}/api/v1/configmaps?fieldSelector=data.x%3D1`);
    expect(JSON.parse(cms.body)).toMatchObject({ code: 400, message: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"' });
    // Watches are checked the same way.
    const watch = await fetchRaw(`${server.url}/api/v1/pods?watch=1&fieldSelector=spec.foo%3Dx`);
    expect(watch.status).toBe(400);
  });

  it('other kinds: Event involvedObject.*, Secret type, Node spec.unschedulable, Namespace status.phase', async () => {
    server.create(Event, { metadata: { name: 'ev1', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'n1', uid: 'u1' }, reason: 'Ready', type: 'Normal', source: { component: 'kubelet' } });
    server.create(Event, { metadata: { name: 'ev2', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'a-run' }, reason: 'Pulled', type: 'Normal', reportingComponent: 'kubelet' });
    expect(await names('/api/v1/events', 'involvedObject.kind=Node,involvedObject.name=n1,involvedObject.uid=u1,involvedObject.namespace=')).toEqual(['ev1']);
    expect(await names('/api/v1/events', 'source=kubelet')).toEqual(['ev1', 'ev2']);
    server.create(testResources.Secret, { metadata: { name: 'tls', namespace: 'default' }, type: 'kubernetes.io/tls' });
    server.create(testResources.Secret, { metadata: { name: 'plain', namespace: 'default' }, type: 'Opaque' });
    expect(await names('/api/v1/secrets', 'type=kubernetes.io/tls')).toEqual(['tls']);
    server.create(testResources.Node, { metadata: { name: 'cordoned' }, spec: { unschedulable: true } });
    server.create(testResources.Node, { metadata: { name: 'open' } });
    expect(await names('/api/v1/nodes', 'spec.unschedulable=false')).toEqual(['open']);
    server.create(testResources.Namespace, { metadata: { name: 'going' }, status: { phase: 'Terminating' } });
    expect(await names('/api/v1/namespaces', 'status.phase=Terminating')).toEqual(['going']);
  });

  it('a watch filters on them: entering the selector is ADDED, leaving it DELETED with the write’s RV', async () => {
    server.create(testResources.Pod, pod('w', 'n3', 'Pending'));
    const w = await openWatch(`${server.url}/api/v1/namespaces/default/pods?watch=1&resourceVersion=${server.resourceVersion}&fieldSelector=${encodeURIComponent('spec.nodeName=n3,status.phase=Running')}`);
    await server.waitForOpenWatches(1);
    const running = server.update(testResources.Pod, { ...pod('w', 'n3', 'Running') });
    server.update(testResources.Pod, { ...pod('w', 'n3', 'Running'), metadata: { name: 'w', namespace: 'default', labels: { x: '1' } } });
    const done = server.update(testResources.Pod, { ...pod('w', 'n3', 'Succeeded'), metadata: { name: 'w', namespace: 'default', labels: { x: '1' } } });
    const events = await w.events$(3);
    w.close();
    expect(events.map((e) => [e.type, e.object.status.phase, e.object.metadata.resourceVersion])).toEqual([
      ['ADDED', 'Running', (running.metadata as { resourceVersion: string }).resourceVersion],
      ['MODIFIED', 'Running', expect.any(String)],
      // The last state inside the selector, with the RV of the write that moved it out (protocol sheet §10).
      ['DELETED', 'Running', (done.metadata as { resourceVersion: string }).resourceVersion],
    ]);
  });
});

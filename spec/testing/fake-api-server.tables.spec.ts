/**
 * Table output per kind: the column definitions and cells of kube-apiserver's printers
 * (pkg/printers/internalversion/printers.go), as `kubectl get` receives them.
 */
import { describe, it, expect } from '@jest/globals';
import { testResources } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { fetchRaw } from './http-helpers.js';
import { serverHarness } from './server-harness.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const Event = defineResource({ apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true });
const CRD = defineResource({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false });
const Job = defineResource({ apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true });

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}
interface Table {
  kind: string;
  columnDefinitions: Column[] | null;
  rows: { cells: unknown[] }[];
}

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const MIN = 60_000;

describe('Table columns per kind', () => {
  const h = serverHarness({ resources: 'v1.35' }, { each: false });

  async function table(path: string): Promise<Table> {
    const res = await fetchRaw(`${h.server.url}${path}`, { headers: { Accept: TABLE } });
    expect(res.status).toBe(200);
    return JSON.parse(res.body) as Table;
  }
  const cellsOf = (t: Table, name: string): unknown[] | undefined => t.rows.find((r) => r.cells[0] === name || r.cells[r.cells.length - 1] === name)?.cells;

  it('Pod: NAME READY STATUS RESTARTS AGE + priority-1 IP NODE NOMINATED NODE READINESS GATES, with printPod’s status logic', async () => {
    const running = { state: { running: { startedAt: ago(30 * MIN) } }, ready: true };
    h.server.create(testResources.Pod, {
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }], readinessGates: [{ conditionType: 'x/ready' }] },
      status: {
        phase: 'Running',
        podIPs: [{ ip: '10.0.0.5' }],
        conditions: [{ type: 'x/ready', status: 'True' }, { type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'a', restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(20 * MIN) } }, ...running },
          { name: 'b', restartCount: 0, ...running },
        ],
      },
    });
    h.server.create(testResources.Pod, {
      metadata: { name: 'crash', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'c' }] },
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'c', restartCount: 4, ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(20 * MIN) } } }],
      },
    });
    h.server.create(testResources.Pod, {
      metadata: { name: 'init', namespace: 'default' },
      spec: { initContainers: [{ name: 'i1', image: 'i' }, { name: 'i2', image: 'i' }], containers: [{ name: 'c', image: 'c' }] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', state: { terminated: { exitCode: 0 } } },
          { name: 'i2', state: { running: {} } },
        ],
        containerStatuses: [{ name: 'c', state: { waiting: { reason: 'PodInitializing' } } }],
      },
    });
    h.server.create(testResources.Pod, {
      metadata: { name: 'init-fail', namespace: 'default' },
      spec: { initContainers: [{ name: 'i1', image: 'i' }], containers: [{ name: 'c', image: 'c' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', restartCount: 1, state: { terminated: { exitCode: 1, reason: 'Error' } } }] },
    });
    h.server.create(testResources.Pod, {
      metadata: { name: 'stopping', namespace: 'default', finalizers: ['x/y'] },
      spec: { containers: [{ name: 'c', image: 'c' }] },
      status: { phase: 'Running' },
    });
    h.server.delete(testResources.Pod, 'stopping', 'default');

    const t = await table('/api/v1/namespaces/default/pods');
    expect(t.columnDefinitions!.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
    // Descriptions are the printers' texts (SwaggerDoc of the named fields).
    expect(t.columnDefinitions![1]!.description).toBe('The aggregate readiness state of this pod for accepting traffic.');
    expect(t.columnDefinitions![5]!.description).toMatch(/^podIP address allocated to the pod/);
    const age = expect.stringMatching(/^\d+s$/);
    expect(cellsOf(t, 'web')).toEqual(['web', '2/2', 'Running', '2 (20m ago)', age, '10.0.0.5', 'n1', '<none>', '1/1']);
    expect(cellsOf(t, 'crash')).toEqual(['crash', '0/1', 'CrashLoopBackOff', '4 (20m ago)', age, '<none>', '<none>', '<none>', '<none>']);
    expect(cellsOf(t, 'init')).toEqual(['init', '0/1', 'Init:1/2', '0', age, '<none>', '<none>', '<none>', '<none>']);
    expect(cellsOf(t, 'init-fail')).toEqual(['init-fail', '0/1', 'Init:Error', '1', age, '<none>', '<none>', '<none>', '<none>']);
    expect(cellsOf(t, 'stopping')?.[2]).toBe('Terminating');
  });

  it('Deployment: READY UP-TO-DATE AVAILABLE AGE + CONTAINERS IMAGES SELECTOR', async () => {
    h.server.create(testResources.Deployment, {
      metadata: { name: 'd', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'd' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1' }, { name: 'side', image: 'side:2' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    });
    const t = await table('/apis/apps/v1/namespaces/default/deployments/d');
    expect(t.columnDefinitions!.map((c) => `${c.name}:${c.priority}`)).toEqual(['Name:0', 'Ready:0', 'Up-to-date:0', 'Available:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1']);
    expect(t.rows[0]!.cells).toEqual(['d', '2/3', 3, 2, expect.any(String), 'nginx,side', 'nginx:1,side:2', 'app=d,tier in (be,fe)']);
  });

  it('Service: TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE + SELECTOR', async () => {
    h.server.create(testResources.Service, {
      metadata: { name: 's', namespace: 'default' },
      spec: { type: 'NodePort', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 53, protocol: 'UDP' }, { port: 80, nodePort: 30080, protocol: 'TCP' }], selector: { app: 's' } },
    });
    h.server.create(testResources.Service, {
      metadata: { name: 'lb', namespace: 'default' },
      spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [{ port: 443, protocol: 'TCP' }] },
      status: { loadBalancer: {} },
    });
    const t = await table('/api/v1/namespaces/default/services');
    expect(t.columnDefinitions!.map((c) => c.name)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
    expect(cellsOf(t, 's')).toEqual(['s', 'NodePort', '10.96.0.10', '<none>', '53/UDP,80:30080/TCP', expect.any(String), 'app=s']);
    expect(cellsOf(t, 'lb')).toEqual(['lb', 'LoadBalancer', '10.96.0.11', '<pending>', '443/TCP', expect.any(String), '<none>']);
  });

  it('ConfigMap, Secret, Namespace, Node: their counts and statuses', async () => {
    h.server.create(testResources.ConfigMap, { metadata: { name: 'cm', namespace: 'default' }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } });
    h.server.create(testResources.Secret, { metadata: { name: 'sec', namespace: 'default' }, type: 'Opaque', data: { k: 'dg==' } });
    h.server.create(testResources.Node, {
      metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.35.0' }, addresses: [{ type: 'InternalIP', address: '192.168.0.2' }] },
    });
    expect(cellsOf(await table('/api/v1/namespaces/default/configmaps'), 'cm')).toEqual(['cm', 3, expect.any(String)]);
    expect(cellsOf(await table('/api/v1/namespaces/default/secrets'), 'sec')).toEqual(['sec', 'Opaque', 1, expect.any(String)]);
    h.server.create(testResources.Namespace, { metadata: { name: 'team' }, status: { phase: 'Terminating' } });
    expect(cellsOf(await table('/api/v1/namespaces'), 'team')).toEqual(['team', 'Terminating', expect.any(String)]);
    const nodes = await table('/api/v1/nodes');
    expect(nodes.columnDefinitions!.map((c) => c.name)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
    expect(cellsOf(nodes, 'n1')).toEqual(['n1', 'Ready,SchedulingDisabled', 'control-plane', expect.any(String), 'v1.35.0', '192.168.0.2', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });

  it('Event: its own column order, Name last at priority 1', async () => {
    h.server.create(Event, {
      metadata: { name: 'web.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
      type: 'Warning',
      reason: 'BackOff',
      message: ' Back-off restarting failed container \n',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: ago(60 * MIN),
      lastTimestamp: ago(20 * MIN),
      count: 7,
    });
    const t = await table('/api/v1/namespaces/default/events');
    expect(t.columnDefinitions!.map((c) => `${c.name}:${c.priority}:${c.format}`)).toEqual([
      'Last Seen:0:',
      'Type:0:',
      'Reason:0:',
      'Object:0:',
      'Subobject:1:',
      'Source:1:',
      'Message:0:',
      'First Seen:1:',
      'Count:1:',
      'Name:1:name',
    ]);
    expect(t.rows[0]!.cells).toEqual(['20m', 'Warning', 'BackOff', 'pod/web', '', 'kubelet, n1', 'Back-off restarting failed container', '60m', 7, 'web.1']);
  });

  it('Job: STATUS COMPLETIONS DURATION; CRD: the default convertor’s Created At', async () => {
    h.server.create(Job, {
      metadata: { name: 'j', namespace: 'default' },
      spec: { completions: 2, template: { spec: { containers: [{ name: 'w', image: 'w' }] } } },
      status: { succeeded: 2, startTime: ago(30 * MIN), completionTime: ago(10 * MIN), conditions: [{ type: 'Complete', status: 'True' }] },
    });
    expect((await table('/apis/batch/v1/namespaces/default/jobs')).rows[0]!.cells.slice(0, 4)).toEqual(['j', 'Complete', '2/2', '20m']);
    const crd = h.server.create(CRD, { metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { plural: 'widgets', kind: 'Widget' }, scope: 'Namespaced', versions: [] } });
    const t = await table('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    expect(t.columnDefinitions!.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect(cellsOf(t, 'widgets.example.com')).toEqual(['widgets.example.com', (crd.metadata as { creationTimestamp: string }).creationTimestamp]);
  });

  it('a kind without a printer keeps NAME and AGE', async () => {
    const PodTemplateLess = defineResource({ apiVersion: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true });
    h.server.create(PodTemplateLess, { metadata: { name: 'lr', namespace: 'default' } });
    const t = await table('/api/v1/namespaces/default/limitranges');
    expect(t.columnDefinitions!.map((c) => c.name)).toEqual(['Name', 'Age']);
  });
});

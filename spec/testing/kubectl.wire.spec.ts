/**
 * A real kubectl on the FakeApiServer's per-kind wire behaviour: the printers' Table columns (`get pods`,
 * `get pods -o wide`, `get deploy`) and field selectors (`describe node`, which lists the node's pods with
 * `spec.nodeName=<node>,status.phase!=Succeeded,status.phase!=Failed`). Skipped when no kubectl is found.
 */
import { it, expect, beforeAll } from '@jest/globals';
import { testResources } from '../../lib/testing/index.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { describeWithKubectl, kubectlHarness } from './kubectl-helpers.js';

const Event = defineResource({ apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true });

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describeWithKubectl('kubectl: per-kind columns and field selectors', () => {
  const k = kubectlHarness({ resources: 'v1.35' });

  beforeAll(() => {
    k.server.create(testResources.Node, {
      metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
      spec: {},
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: ago(10_000), lastTransitionTime: ago(3_600_000) }],
        addresses: [{ type: 'InternalIP', address: '192.168.0.2' }],
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
        nodeInfo: { kubeletVersion: 'v1.35.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'containerd://2.0', architecture: 'amd64', operatingSystem: 'linux' },
      },
    });
    const running = (restarts: number) => ({ restartCount: restarts, ready: true, state: { running: { startedAt: ago(60_000) } } });
    k.server.create(testResources.Pod, {
      metadata: { name: 'web-1', namespace: 'default' },
      spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] },
      status: { phase: 'Running', podIP: '10.0.0.7', podIPs: [{ ip: '10.0.0.7' }], containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ...running(3), lastState: { terminated: { exitCode: 1, finishedAt: ago(30 * 60_000) } } }] },
    });
    k.server.create(testResources.Pod, {
      metadata: { name: 'done-1', namespace: 'default' },
      spec: { nodeName: 'n1', containers: [{ name: 'job', image: 'busybox' }] },
      status: { phase: 'Succeeded', containerStatuses: [{ name: 'job', restartCount: 0, ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
    });
    k.server.create(testResources.Pod, {
      metadata: { name: 'elsewhere', namespace: 'default' },
      spec: { nodeName: 'n2', containers: [{ name: 'app', image: 'nginx' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'app', ...running(0) }] },
    });
    k.server.create(testResources.Deployment, {
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
      status: { replicas: 2, readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
    });
  });

  it('get pods: NAME READY STATUS RESTARTS AGE with the printer’s values', async () => {
    const { stdout } = await k.kubectl('get', 'pods');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines).toContainEqual(expect.stringMatching(/^web-1\s+1\/1\s+Running\s+3 \(30m ago\)\s+\d+s$/));
    expect(lines).toContainEqual(expect.stringMatching(/^done-1\s+0\/1\s+Completed\s+0\s+\d+s$/));
  });

  it('get pods -o wide adds IP, NODE, NOMINATED NODE, READINESS GATES', async () => {
    const { stdout } = await k.kubectl('get', 'pods', '-o', 'wide');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(lines).toContainEqual(expect.stringMatching(/^web-1\s+1\/1\s+Running\s+3 \(30m ago\)\s+\d+s\s+10\.0\.0\.7\s+n1\s+<none>\s+<none>$/));
  });

  it('get deploy: NAME READY UP-TO-DATE AVAILABLE AGE', async () => {
    const { stdout } = await k.kubectl('get', 'deploy');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(lines[1]).toMatch(/^web\s+1\/2\s+2\s+1\s+\d+s$/);
    const wide = await k.kubectl('get', 'deploy', '-o', 'wide', '--no-headers');
    expect(wide.stdout.trim()).toMatch(/^web\s+1\/2\s+2\s+1\s+\d+s\s+app\s+nginx\s+app=web$/);
  });

  it('get events: LAST SEEN TYPE REASON OBJECT MESSAGE (Name is a wide column at the end)', async () => {
    k.server.create(Event, {
      metadata: { name: 'web-1.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: ago(2 * 3_600_000),
      lastTimestamp: ago(20 * 60_000),
      count: 7,
    });
    const { stdout } = await k.kubectl('get', 'events');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(lines[1]).toMatch(/^20m\s+Warning\s+BackOff\s+pod\/web-1\s+Back-off restarting failed container$/);
    const wide = await k.kubectl('get', 'events', '-o', 'wide');
    expect(wide.stdout.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$/);
  });

  it('describe node lists the node’s non-terminated pods (field selector spec.nodeName, status.phase!=)', async () => {
    const { stdout } = await k.kubectl('describe', 'node', 'n1');
    expect(stdout).toMatch(/^Name:\s+n1$/m);
    expect(stdout).toMatch(/Non-terminated Pods:\s+\(1 in total\)/);
    expect(stdout).toMatch(/^\s+default\s+web-1\s+100m/m);
    expect(stdout).not.toContain('done-1');
    expect(stdout).not.toContain('elsewhere');
    const podList = k.server.requests.find((r) => r.path === '/api/v1/pods' && r.query.has('fieldSelector'));
    expect(podList?.query.get('fieldSelector')).toContain('spec.nodeName=n1');
  });
});

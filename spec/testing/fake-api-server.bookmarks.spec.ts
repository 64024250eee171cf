/**
 * BOOKMARK objects per kind: the typed zero object with only metadata.resourceVersion (+ the initial-events-end
 * annotation) set, keeping the fields Go's encoding/json does not omit (protocol sheet §3.1).
 */
import { describe, it, expect } from '@jest/globals';
import { openWatch } from './http-helpers.js';
import { serverHarness } from './server-harness.js';

const TEMPLATE = '"template":{"metadata":{},"spec":{"containers":null}}';

describe('bookmark skeletons per kind', () => {
  const h = serverHarness({ resources: 'v1.35' }, { each: false });

  async function bookmarkLine(collection: string): Promise<string> {
    // An empty collection: the initial-events-end BOOKMARK is the first line.
    const w = await openWatch(`${h.server.url}${collection}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    expect(w.status).toBe(200);
    await w.events$(1);
    w.close();
    return w.lines[0]!;
  }
  const meta = (): string => `"metadata":{"resourceVersion":"${h.server.resourceVersion}","annotations":{"k8s.io/initial-events-end":"true"}}`;

  it.each([
    ['/api/v1/pods', 'Pod', 'v1', '"spec":{"containers":null},"status":{}'],
    ['/api/v1/configmaps', 'ConfigMap', 'v1', ''],
    [
      '/api/v1/nodes',
      'Node',
      'v1',
      '"spec":{},"status":{"daemonEndpoints":{"kubeletEndpoint":{"Port":0}},"nodeInfo":{"machineID":"","systemUUID":"","bootID":"","kernelVersion":"","osImage":"","containerRuntimeVersion":"","kubeletVersion":"","kubeProxyVersion":"","operatingSystem":"","architecture":""}}',
    ],
    ['/api/v1/events', 'Event', 'v1', '"involvedObject":{},"source":{},"firstTimestamp":null,"lastTimestamp":null,"eventTime":null,"reportingComponent":"","reportingInstance":""'],
    ['/apis/apps/v1/statefulsets', 'StatefulSet', 'apps/v1', `"spec":{"selector":null,${TEMPLATE},"updateStrategy":{}},"status":{"replicas":0,"availableReplicas":0}`],
    ['/apis/apps/v1/replicasets', 'ReplicaSet', 'apps/v1', `"spec":{"selector":null,${TEMPLATE}},"status":{"replicas":0}`],
    [
      '/apis/apps/v1/daemonsets',
      'DaemonSet',
      'apps/v1',
      `"spec":{"selector":null,${TEMPLATE},"updateStrategy":{}},"status":{"currentNumberScheduled":0,"numberMisscheduled":0,"desiredNumberScheduled":0,"numberReady":0}`,
    ],
    ['/apis/batch/v1/cronjobs', 'CronJob', 'batch/v1', `"spec":{"schedule":"","jobTemplate":{"metadata":{},"spec":{${TEMPLATE}}}},"status":{}`],
    ['/apis/discovery.k8s.io/v1/endpointslices', 'EndpointSlice', 'discovery.k8s.io/v1', '"addressType":"","endpoints":null,"ports":null'],
    ['/apis/autoscaling/v2/horizontalpodautoscalers', 'HorizontalPodAutoscaler', 'autoscaling/v2', '"spec":{"scaleTargetRef":{"kind":"","name":""},"maxReplicas":0},"status":{"desiredReplicas":0}'],
    ['/apis/coordination.k8s.io/v1/leases', 'Lease', 'coordination.k8s.io/v1', '"spec":{}'],
    ['/apis/rbac.authorization.k8s.io/v1/clusterroles', 'ClusterRole', 'rbac.authorization.k8s.io/v1', '"rules":null'],
    ['/apis/rbac.authorization.k8s.io/v1/rolebindings', 'RoleBinding', 'rbac.authorization.k8s.io/v1', '"roleRef":{"apiGroup":"","kind":"","name":""}'],
  ])('%s: %s', async (collection, kind, apiVersion, rest) => {
    const line = await bookmarkLine(collection);
    expect(line).toBe(`{"type":"BOOKMARK","object":{"kind":"${kind}","apiVersion":"${apiVersion}",${meta()}${rest === '' ? '' : `,${rest}`}}}`);
  });
});

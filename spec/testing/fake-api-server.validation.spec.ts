/**
 * Issue #13 item 6: the FakeApiServer validates built-in kinds as kube-apiserver v1.35 does
 * (`pkg/apis/<group>/validation/validation.go` and the strategies' `ValidateUpdate`): 422 Invalid with the real
 * message and one `details.causes` entry per field error. Every test talks to the server over loopback HTTP.
 */
import { describe, it, expect } from '@jest/globals';
import { testResources } from '../../lib/testing/index.js';
import { JSON_CT, MERGE, serverHarness } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const PODS = '/api/v1/namespaces/default/pods';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const JOBS = '/apis/batch/v1/namespaces/default/jobs';
const SERVICES = '/api/v1/namespaces/default/services';

const h = serverHarness({ resources: 'v1.35' });
const { call } = h;

/** The 422 a write got: its message and causes (and nothing was written). */
async function invalid(method: string, path: string, body: unknown, headers: Record<string, string> = JSON_CT): Promise<{ message: string; causes: unknown[] }> {
  const rv = h.server.resourceVersion;
  const res = await call(method, path, body, headers);
  expect([res.status, res.headers['content-type']]).toEqual([422, 'application/json']);
  expect(h.server.resourceVersion).toBe(rv);
  const status = JSON.parse(res.body);
  expect(status).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
  return { message: status.message, causes: status.details.causes };
}

async function ok(method: string, path: string, body: unknown, headers: Record<string, string> = JSON_CT): Promise<any> {
  const res = await call(method, path, body, headers);
  expect([res.status, res.status < 300 ? '' : res.body]).toEqual([method === 'POST' ? 201 : 200, '']);
  return JSON.parse(res.body);
}

const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
});

function deployment(name: string, selector: Record<string, string>, labels: Record<string, string> = selector): Record<string, any> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { selector: { matchLabels: selector }, template: template(labels) } };
}

describe('Pod (ValidatePodSpec)', () => {
  it('no containers: spec.containers: Required value', async () => {
    const { message, causes } = await invalid('POST', PODS, { metadata: { name: 'p' }, spec: {} });
    expect(message).toBe('Pod "p" is invalid: spec.containers: Required value');
    expect(causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }]);
  });

  it('containers need a DNS-label name, an image, unique names; ports and volume mounts are checked', async () => {
    const spec = {
      containers: [
        { name: 'Web', image: 'nginx' },
        { name: 'sidecar' },
        { name: 'sidecar', image: 'busybox', ports: [{ containerPort: 70000 }], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
      ],
      restartPolicy: 'Sometimes',
    };
    const { causes } = await invalid('POST', PODS, { metadata: { name: 'p' }, spec });
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message:
          "Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        field: 'spec.containers[0].name',
      },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[1].image' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: 70000: must be between 1 and 65535, inclusive', field: 'spec.containers[2].ports[0].containerPort' },
      { reason: 'FieldValueNotFound', message: 'Not found: "data"', field: 'spec.containers[2].volumeMounts[0].name' },
      { reason: 'FieldValueDuplicate', message: 'Duplicate value: "sidecar"', field: 'spec.containers[2].name' },
      { reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"', field: 'spec.restartPolicy' },
    ]);
  });
});

describe('Pod updates (ValidatePodUpdate)', () => {
  it('only images, activeDeadlineSeconds, tolerations and a negative grace period may change; containers stay', async () => {
    await ok('POST', PODS, { metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
    const renamed = await ok('PATCH', `${PODS}/p`, { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } }, MERGE);
    expect(renamed.spec.containers[0].image).toBe('nginx:1.28');
    const env = await invalid('PATCH', `${PODS}/p`, { spec: { containers: [{ name: 'web', image: 'nginx:1.28', env: [{ name: 'A', value: '1' }] }] } }, MERGE);
    expect(env.causes).toEqual([
      {
        reason: 'FieldValueForbidden',
        message: expect.stringMatching(
          /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
        ),
        field: 'spec',
      },
    ]);
    const added = await invalid('PATCH', `${PODS}/p`, { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }, { name: 'side', image: 'busybox' }] } }, MERGE);
    expect(added.message).toBe('Pod "p" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers');
  });
});

describe('Deployment (ValidateDeploymentSpec, strategy ValidateUpdate)', () => {
  it('selector required; selector must match the template labels; replicas >= 0', async () => {
    const noSelector = deployment('web', {});
    delete noSelector.spec.selector;
    expect((await invalid('POST', DEPLOYS, noSelector)).message).toBe('Deployment.apps "web" is invalid: spec.selector: Required value');
    const mismatch = deployment('web', { app: 'web' }, { app: 'other', tier: 'fe' });
    mismatch.spec.replicas = -1;
    const { message, causes } = await invalid('POST', DEPLOYS, mismatch);
    expect(message).toBe(
      'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: map[string]string{"app":"other", "tier":"fe"}: `selector` does not match template `labels`]',
    );
    expect(causes).toHaveLength(2);
  });

  it('the selector is immutable: PUT and PATCH answer `field is immutable` with Go’s rendering of the new selector', async () => {
    await ok('POST', DEPLOYS, deployment('web', { app: 'web' }));
    const stored = await ok('PATCH', `${DEPLOYS}/web`, { metadata: { labels: { touched: 'yes' } } }, MERGE);
    const changed = { ...deployment('web', { app: 'web2' }), metadata: { name: 'web', resourceVersion: stored.metadata.resourceVersion } };
    const { message, causes } = await invalid('PUT', `${DEPLOYS}/web`, changed);
    const rendered = 'v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}';
    expect(message).toBe(`Deployment.apps "web" is invalid: spec.selector: Invalid value: ${rendered}: field is immutable`);
    expect(causes).toEqual([{ reason: 'FieldValueInvalid', message: `Invalid value: ${rendered}: field is immutable`, field: 'spec.selector' }]);
    const patch = { spec: { selector: { matchLabels: { app: 'web', extra: 'x' } }, template: { metadata: { labels: { extra: 'x' } } } } };
    expect((await invalid('PATCH', `${DEPLOYS}/web`, patch, MERGE)).message).toContain('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "extra":"x"}');
    // Scaling, a new image: fine.
    await ok('PATCH', `${DEPLOYS}/web`, { spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } }, MERGE);
  });
});

describe('ReplicationController', () => {
  it('the selector defaults to the template labels; a different one must match them', async () => {
    const rcs = '/api/v1/namespaces/default/replicationcontrollers';
    const rc = await ok('POST', rcs, { metadata: { name: 'rc' }, spec: { template: template({ app: 'rc' }) } });
    expect([rc.spec.selector, rc.metadata.labels, rc.spec.replicas]).toEqual([{ app: 'rc' }, { app: 'rc' }, 1]);
    const { message } = await invalid('POST', rcs, { metadata: { name: 'bad' }, spec: { selector: { app: 'x' }, template: template({ app: 'rc' }) } });
    expect(message).toBe('ReplicationController "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"rc"}: `selector` does not match template `labels`');
  });
});

describe('StatefulSet, Job, CronJob', () => {
  it('StatefulSet: only some spec fields may be updated', async () => {
    const sts = { metadata: { name: 'db' }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template({ app: 'db' }) } };
    await ok('POST', '/apis/apps/v1/namespaces/default/statefulsets', sts);
    const { message } = await invalid('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/db', { spec: { serviceName: 'other' } }, MERGE);
    expect(message).toBe(
      "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
    await ok('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/db', { spec: { replicas: 2 } }, MERGE);
  });

  it('Job: restartPolicy OnFailure or Never; the template is immutable', async () => {
    const job = { metadata: { name: 'pi' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } } } };
    const { message } = await invalid('POST', JOBS, job);
    expect(message).toBe('Job.batch "pi" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
    (job.spec.template.spec as any).restartPolicy = 'Never';
    await ok('POST', JOBS, job);
    const { causes } = await invalid('PATCH', `${JOBS}/pi`, { spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl:5.36' }] } } } }, MERGE);
    expect(causes).toEqual([expect.objectContaining({ reason: 'FieldValueInvalid', field: 'spec.template', message: expect.stringMatching(/field is immutable$/) })]);
  });

  it('CronJob: schedule required', async () => {
    const cj = { metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } };
    expect((await invalid('POST', '/apis/batch/v1/namespaces/default/cronjobs', cj)).message).toBe('CronJob.batch "cj" is invalid: spec.schedule: Required value');
  });
});

describe('Service (ValidateService, ValidateServiceUpdate)', () => {
  it('ports are required unless headless or ExternalName; port numbers in range; names required with several ports', async () => {
    expect((await invalid('POST', SERVICES, { metadata: { name: 's' }, spec: { selector: { app: 's' } } })).message).toBe('Service "s" is invalid: spec.ports: Required value');
    const { causes } = await invalid('POST', SERVICES, { metadata: { name: 's' }, spec: { ports: [{ port: 0 }, { name: 'b', port: 80, targetPort: 70000 }] } });
    expect(causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be between 1 and 65535, inclusive', field: 'spec.ports[0].port' },
      // targetPort was defaulted to the port (SetDefaults_Service), so it is invalid too.
      { reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be between 1 and 65535, inclusive', field: 'spec.ports[0].targetPort' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: 70000: must be between 1 and 65535, inclusive', field: 'spec.ports[1].targetPort' },
    ]);
    await ok('POST', SERVICES, { metadata: { name: 'headless' }, spec: { clusterIP: 'None' } });
  });

  it('the ClusterIP may not change once set', async () => {
    const svc = await ok('POST', SERVICES, { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
    const { message } = await invalid('PATCH', `${SERVICES}/s`, { spec: { clusterIP: '10.96.0.99' } }, MERGE);
    expect(message).toBe('Service "s" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set');
    expect((await ok('GET', `${SERVICES}/s`, undefined)).spec.clusterIP).toBe(svc.spec.clusterIP);
  });
});

describe('ConfigMap, Secret, Lease, Event', () => {
  it('ConfigMap and Secret keys must be valid config keys; a Secret keeps its type; an immutable ConfigMap keeps its data', async () => {
    const detail =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    expect((await invalid('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'c' }, data: { 'bad key': 'v' } })).message).toBe(
      `ConfigMap "c" is invalid: data[bad key]: Invalid value: "bad key": ${detail}`,
    );
    expect((await invalid('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 's' }, data: { '..x': 'eA==' } })).causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "..x": must not start with \'..\'', field: 'data[..x]' },
    ]);
    await ok('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 's' }, stringData: { a: 'b' } });
    expect((await invalid('PATCH', '/api/v1/namespaces/default/secrets/s', { type: 'kubernetes.io/basic-auth', data: { username: 'dQ==' } }, MERGE)).message).toBe(
      'Secret "s" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    );
    await ok('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'frozen' }, data: { a: '1' }, immutable: true });
    expect((await invalid('PATCH', '/api/v1/namespaces/default/configmaps/frozen', { data: { a: '2' } }, MERGE)).message).toBe(
      'ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
  });

  it('a ConfigMap over 1 MiB is too long', async () => {
    const { message } = await invalid('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'big' }, data: { a: 'x'.repeat(1024 * 1024), b: 'y' } });
    expect(message).toBe('ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes');
  });

  it('Lease durations are positive; an Event lives in its object’s namespace', async () => {
    expect((await invalid('POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', { metadata: { name: 'l' }, spec: { leaseDurationSeconds: 0 } })).message).toBe(
      'Lease.coordination.k8s.io "l" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    );
    const event = { metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'kube-system' }, reason: 'Started', message: 'x', type: 'Normal' };
    expect((await invalid('POST', '/api/v1/namespaces/default/events', event)).message).toBe(
      'Event "e" is invalid: involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace',
    );
    await ok('POST', '/api/v1/namespaces/default/events', { ...event, involvedObject: { ...event.involvedObject, namespace: 'default' } });
  });
});

describe('the seeding API is not validated', () => {
  it('server.create stores an invalid Pod (tests seed any state they need)', () => {
    const p = h.server.create(testResources.Pod, { metadata: { name: 'bare', namespace: 'default' }, spec: {} }) as any;
    expect(p.spec).toMatchObject({ restartPolicy: 'Always' });
  });
});

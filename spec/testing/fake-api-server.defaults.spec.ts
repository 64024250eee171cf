/**
 * Issue #13 item 4: the FakeApiServer defaults built-in kinds as kube-apiserver v1.35 does (`pkg/apis/<group>/v1/
 * defaults.go`), and allocates a Service's ClusterIP from its own service CIDR. Every test talks to the server over
 * loopback HTTP; the recorded objects of a real v1.35 cluster (vendor/fixtures) are the ground truth where they exist.
 */
import { describe, it, expect } from '@jest/globals';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { readFixture } from '../../vendor/index.js';
import { createOn, serverHarness } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const PODS = '/api/v1/namespaces/default/pods';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const SERVICES = '/api/v1/namespaces/default/services';

const h = serverHarness({ resources: 'v1.35' });
const { call, create } = h;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Deletes `obj[key]` when it holds `value` (a field a real server would have defaulted to that value). */
function dropDefault(obj: any, key: string, value: unknown): void {
  if (obj && JSON.stringify(obj[key]) === JSON.stringify(value)) delete obj[key];
}

/** Strips from a recorded pod spec every field that equals what defaulting would put there. */
function stripPodSpecDefaults(spec: any): void {
  for (const [k, v] of Object.entries({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler', enableServiceLinks: true })) {
    dropDefault(spec, k, v);
  }
  delete spec.serviceAccount; // the v1 conversion mirrors serviceAccountName into it
  for (const c of spec.containers) {
    dropDefault(c, 'terminationMessagePath', '/dev/termination-log');
    dropDefault(c, 'terminationMessagePolicy', 'File');
    dropDefault(c, 'imagePullPolicy', 'IfNotPresent');
    for (const p of c.ports ?? []) dropDefault(p, 'protocol', 'TCP');
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
      if (!probe) continue;
      for (const [k, v] of Object.entries({ timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 })) dropDefault(probe, k, v);
      dropDefault(probe.httpGet, 'scheme', 'HTTP');
    }
  }
  for (const v of spec.volumes ?? []) {
    for (const k of ['configMap', 'secret', 'projected', 'downwardAPI']) dropDefault(v[k], 'defaultMode', 420);
    for (const src of v.projected?.sources ?? []) for (const item of src.downwardAPI?.items ?? []) dropDefault(item.fieldRef, 'apiVersion', 'v1');
  }
}

describe('defaults match the objects a real v1.35 server stored (vendor/fixtures)', () => {
  it('Deployment kube-system/coredns: strategy, revisionHistoryLimit, progressDeadlineSeconds and the pod template', async () => {
    const recorded = readFixture('deployment.json') as any;
    const sent = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', labels: recorded.metadata.labels }, spec: clone(recorded.spec) };
    dropDefault(sent.spec.strategy.rollingUpdate, 'maxSurge', '25%');
    dropDefault(sent.spec, 'revisionHistoryLimit', 10);
    dropDefault(sent.spec, 'progressDeadlineSeconds', 600);
    stripPodSpecDefaults(sent.spec.template.spec);
    expect(JSON.stringify(sent.spec).length).toBeLessThan(JSON.stringify(recorded.spec).length - 200);
    const obj = await create(DEPLOYS, sent);
    expect(obj.spec).toEqual(recorded.spec);
  });

  it('Pod kube-system/coredns-…: container, probe, port and volume defaults, enableServiceLinks', async () => {
    const recorded = readFixture('pod.json') as any;
    const spec = clone(recorded.spec);
    delete spec.nodeName; // bound by the scheduler through pods/binding
    const sent = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'coredns' }, spec: clone(spec) };
    stripPodSpecDefaults(sent.spec);
    const obj = await create(PODS, sent);
    expect(obj.spec).toEqual(spec);
  });
});

describe('workload defaults', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
  const templateDefaults = {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers: [{ name: 'web', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    },
  };

  it('a minimal Deployment gets replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600', async () => {
    const obj = await create(DEPLOYS, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } });
    expect(obj.spec).toEqual({
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: templateDefaults,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect((await call('GET', `${DEPLOYS}/web`)).body).toBe(JSON.stringify(obj) + '\n');
  });

  it('imagePullPolicy: Always for :latest or no tag, IfNotPresent for a tag or a digest', async () => {
    const images = ['nginx', 'nginx:latest', 'nginx:1.27', 'registry.local:5000/team/app', 'registry.local:5000/team/app:v2', `nginx@sha256:${'a'.repeat(64)}`];
    const containers = images.map((image, i) => ({ name: `c${i}`, image }));
    const obj = await create(PODS, { metadata: { name: 'p' }, spec: { containers } });
    expect(obj.spec.containers.map((c: any) => c.imagePullPolicy)).toEqual(['Always', 'Always', 'IfNotPresent', 'Always', 'IfNotPresent', 'IfNotPresent']);
    expect(obj.spec.enableServiceLinks).toBe(true);
  });

  it('ReplicaSet, StatefulSet, DaemonSet and CronJob get their SetDefaults_<Kind>', async () => {
    const selector = { matchLabels: { app: 'web' } };
    const rs = await create('/apis/apps/v1/namespaces/default/replicasets', { metadata: { name: 'rs' }, spec: { selector, template } });
    expect(rs.spec).toEqual({ replicas: 1, selector, template: templateDefaults });
    const sts = await create('/apis/apps/v1/namespaces/default/statefulsets', { metadata: { name: 'sts' }, spec: { selector, template, serviceName: 'web' } });
    expect(sts.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: templateDefaults,
    });
    const ds = await create('/apis/apps/v1/namespaces/default/daemonsets', { metadata: { name: 'ds' }, spec: { selector, template } });
    expect(ds.spec).toEqual({ selector, template: templateDefaults, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
    const jobTemplate = { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.36' }] } } } };
    const cj = await create('/apis/batch/v1/namespaces/default/cronjobs', { metadata: { name: 'cj' }, spec: { schedule: '*/5 * * * *', jobTemplate } });
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec.jobTemplate.spec.template.spec).toMatchObject({ restartPolicy: 'OnFailure', dnsPolicy: 'ClusterFirst', containers: [{ imagePullPolicy: 'IfNotPresent' }] });
    expect(cj.spec.jobTemplate.spec.backoffLimit).toBeUndefined(); // SetDefaults_Job is for Jobs, not job templates
  });

  it('Job: SetDefaults_Job, and PrepareForCreate generates the selector and labels from the uid it is created with', async () => {
    const job = await create('/apis/batch/v1/namespaces/default/jobs', {
      metadata: { name: 'pi' },
      spec: { template: { metadata: { labels: { team: 'a' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
    });
    const uid = job.metadata.uid;
    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.metadata.labels).toEqual({ team: 'a' }); // copied from the template before the generated labels are added
    expect(job.spec).toMatchObject({
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
    });
    expect(job.spec.template.metadata.labels).toEqual({
      team: 'a',
      'controller-uid': uid,
      'batch.kubernetes.io/controller-uid': uid,
      'job-name': 'pi',
      'batch.kubernetes.io/job-name': 'pi',
    });
  });

  it('the seeding API defaults too, but does not validate (a Deployment without selector or containers is stored)', () => {
    const d = h.server.create(testResources.Deployment, { metadata: { name: 'seed', namespace: 'default' }, spec: { template: { spec: {} } } }) as any;
    expect(d.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, template: { spec: { restartPolicy: 'Always' } } });
  });
});

describe('Service: defaults and a ClusterIP from the server’s own 10.96.0.0/12', () => {
  const inServiceCidr = (ip: string): boolean => {
    const [a, b] = ip.split('.').map(Number);
    return a === 10 && b! >= 96 && b! <= 111;
  };
  const svc = (name: string, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
  });

  it('a minimal Service: type ClusterIP, sessionAffinity None, TCP, targetPort = port, one IPv4 SingleStack address', async () => {
    const obj = await create(SERVICES, svc('web'));
    expect(inServiceCidr(obj.spec.clusterIP)).toBe(true);
    expect(obj.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      clusterIP: obj.spec.clusterIP,
      clusterIPs: [obj.spec.clusterIP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
  });

  it('every Service gets its own address; a requested one is kept, a taken one is 422 as the allocator says', async () => {
    const a = await create(SERVICES, svc('a'));
    const b = await create(SERVICES, svc('b'));
    expect(a.spec.clusterIP).not.toBe(b.spec.clusterIP);
    // An address asked for explicitly is skipped by later dynamic allocations.
    const next = b.spec.clusterIP.replace(/\d+$/, (n: string) => String(Number(n) + 1));
    await create(SERVICES, svc('asked', { clusterIP: next }));
    const c = await create(SERVICES, svc('c'));
    expect([a.spec.clusterIP, b.spec.clusterIP, next]).not.toContain(c.spec.clusterIP);
    const fixed = await create(SERVICES, svc('fixed', { clusterIP: '10.96.0.10' }));
    expect(fixed.spec.clusterIPs).toEqual(['10.96.0.10']);
    const rv = h.server.resourceVersion;
    const taken = await call('POST', SERVICES, svc('again', { clusterIP: '10.96.0.10' }));
    expect([taken.status, JSON.parse(taken.body).message]).toEqual([
      422,
      'Service "again" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    ]);
    const outside = await call('POST', SERVICES, svc('outside', { clusterIP: '192.168.0.1' }));
    expect(JSON.parse(outside.body).details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: []string{"192.168.0.1"}: failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
        field: 'spec.clusterIPs',
      },
    ]);
    expect(h.server.resourceVersion).toBe(rv);
    // Deleting the Service frees its address.
    expect((await call('DELETE', `${SERVICES}/fixed`)).status).toBe(200);
    await create(SERVICES, svc('again', { clusterIP: '10.96.0.10' }));
  });

  it('the allocator is per server: a second FakeApiServer hands out the same first address', async () => {
    const other = await FakeApiServer.start({ resources: 'v1.35' });
    try {
      const mine = await create(SERVICES, svc('web'));
      const theirs = await createOn(other, SERVICES, svc('web'));
      expect(theirs.spec.clusterIP).toBe(mine.spec.clusterIP);
    } finally {
      await other.close();
    }
  });

  it('a dry run takes no address; headless keeps None; ExternalName gets none', async () => {
    const dry = await call('POST', `${SERVICES}?dryRun=All`, svc('dry'));
    const dryIP = JSON.parse(dry.body).spec.clusterIP as string;
    expect(inServiceCidr(dryIP)).toBe(true);
    await create(SERVICES, svc('real', { clusterIP: dryIP }));
    const headless = await create(SERVICES, svc('db', { clusterIP: 'None' }));
    expect(headless.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    // initIPFamilyFields: headless without selector defaults to RequireDualStack and lists both families.
    const selectorless = await create(SERVICES, { metadata: { name: 'ext-db' }, spec: { clusterIP: 'None' } });
    expect(selectorless.spec).toMatchObject({ clusterIPs: ['None'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' });
    // Anything else asking for dual-stack fails on this single-stack cluster, before validation.
    const dual = await call('POST', SERVICES, svc('dual', { ipFamilyPolicy: 'RequireDualStack' }));
    expect([dual.status, JSON.parse(dual.body).message]).toEqual([
      422,
      'Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    ]);
    const ext = await create(SERVICES, { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    expect(ext.spec).toEqual({ type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' });
  });

  it('NodePort: node ports from 30000-32767, externalTrafficPolicy Cluster; a replace without them keeps the allocated values', async () => {
    const obj = await create(SERVICES, svc('np', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, targetPort: 'https' }] }));
    const ports = obj.spec.ports.map((p: any) => p.nodePort as number);
    expect(ports.every((p: number) => p >= 30000 && p <= 32767)).toBe(true);
    expect(new Set(ports).size).toBe(2);
    expect(obj.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', ports: [{ targetPort: 80 }, { targetPort: 'https' }] });
    const sent = svc('np', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, targetPort: 'https' }] }) as any;
    sent.metadata.labels = { changed: 'yes' };
    const res = await call('PUT', `${SERVICES}/np`, sent);
    expect(res.status).toBe(200);
    const replaced = JSON.parse(res.body);
    expect(replaced.spec.clusterIPs).toEqual(obj.spec.clusterIPs);
    expect(replaced.spec.ports.map((p: any) => p.nodePort)).toEqual(ports);
    // The same port number over TCP and UDP shares one node port (initNodePorts).
    const dns = await create(SERVICES, svc('dns', { type: 'NodePort', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }] }));
    const [udp, tcp] = dns.spec.ports.map((p: any) => p.nodePort as number);
    expect(udp).toBe(tcp);
    expect(ports).not.toContain(udp);
  });
});

describe('config kinds', () => {
  it('Secret: stringData is folded into data (base64), type Opaque; ConfigMap: data {}; Namespace: its name label', async () => {
    const secret = await create('/api/v1/namespaces/default/secrets', { metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { b: 'hello' } });
    expect(secret).toMatchObject({ data: { a: 'YQ==', b: 'aGVsbG8=' }, type: 'Opaque' });
    expect(secret.stringData).toBeUndefined();
    const cm = await create('/api/v1/namespaces/default/configmaps', { metadata: { name: 'c' } });
    expect(cm.data).toEqual({});
    const ns = await create('/api/v1/namespaces', { metadata: { name: 'team-a' } });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(ns.status).toMatchObject({ phase: 'Active' });
  });
});

/**
 * Protobuf request bodies (`application/vnd.kubernetes.protobuf`: `k8s\x00` + `runtime.Unknown`) posted to the
 * FakeApiServer over HTTP. Bodies are encoded here with protobufjs from the vendored v1.35 `.proto` files (and one by
 * hand, byte by byte); each created object must equal the one its JSON twin creates.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { isAbsolute, join } from 'node:path';
import protobuf from 'protobufjs';
import { defineResource } from '../../lib/index.js';
import { FakeApiServer } from '../../lib/testing/index.js';
import { goDuration } from '../../lib/testing/protobuf.js';
import { PROTOS_DIR } from '../../vendor/index.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from('k8s\0', 'latin1');

let server: FakeApiServer;
let root: protobuf.Root;

/** `k8s\0` + runtime.Unknown{typeMeta, raw = message(fields)}, as client-go's protobuf serializer writes it. */
function envelope(apiVersion: string, kind: string, message: string, fields: Record<string, unknown>): Buffer {
  const type = root.lookupType(message);
  const err = type.verify(fields);
  if (err) throw new Error(`${message}: ${err}`);
  const raw = type.encode(type.fromObject(fields)).finish();
  const unknown = root.lookupType('apimachinery.pkg.runtime.Unknown');
  const body = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([MAGIC, body]);
}

async function post(path: string, body: Buffer | string, contentType: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': contentType, Accept: `${PROTOBUF},application/json` }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  expect(res.headers.get('content-type')).toBe('application/json');
  return { status: res.status, body: await res.json() };
}

/** The created object without what differs between two creations (name, uid, RV, timestamps). */
function comparable(obj: any): any {
  const copy = JSON.parse(JSON.stringify(obj));
  for (const k of ['name', 'uid', 'resourceVersion', 'creationTimestamp']) delete copy.metadata[k];
  for (const m of copy.metadata.managedFields ?? []) delete m.time;
  return copy;
}

/** POSTs `pb` as protobuf and `json` as JSON (named `<name>-pb`, `<name>-json`); both must be created alike. */
async function twins(path: string, apiVersion: string, kind: string, message: string, name: string, pb: Record<string, any>, json: Record<string, any>): Promise<any> {
  const p = await post(path, envelope(apiVersion, kind, message, { ...pb, metadata: { ...pb['metadata'], name: `${name}-pb` } }), PROTOBUF);
  const j = await post(path, JSON.stringify({ apiVersion, kind, ...json, metadata: { ...json['metadata'], name: `${name}-json` } }), 'application/json');
  expect([p.status, j.status]).toEqual([201, 201]);
  expect(p.body.metadata.name).toBe(`${name}-pb`);
  expect(comparable(p.body)).toEqual(comparable(j.body));
  return p.body;
}

describe('FakeApiServer protobuf request bodies', () => {
  beforeAll(async () => {
    server = await FakeApiServer.start({ resources: 'v1.35' });
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(PROTOS_DIR, target));
    root.loadSync(['api/core/v1/generated.proto', 'api/apps/v1/generated.proto'], { keepCase: true });
    root.resolveAll();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('decodes a body written byte by byte as Go writes it (empty contentEncoding/contentType at the end)', async () => {
    const typeMeta = Buffer.concat([Buffer.from([0x0a, 0x02]), Buffer.from('v1'), Buffer.from([0x12, 0x09]), Buffer.from('ConfigMap')]);
    const meta = Buffer.concat([Buffer.from([0x0a, 0x04]), Buffer.from('demo'), Buffer.from([0x1a, 0x07]), Buffer.from('default')]);
    const cm = Buffer.concat([Buffer.from([0x0a, meta.length]), meta, Buffer.from([0x12, 0x06, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76])]);
    const body = Buffer.concat([MAGIC, Buffer.from([0x0a, typeMeta.length]), typeMeta, Buffer.from([0x12, cm.length]), cm, Buffer.from([0x1a, 0x00, 0x22, 0x00])]);
    expect(body.length).toBe(52);
    const res = await post('/api/v1/namespaces/default/configmaps', body, PROTOBUF);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo', namespace: 'default' }, data: { k: 'v' } });
  });

  it('ConfigMap: labels, annotations, data, binaryData (bytes → base64), immutable', async () => {
    const created = await twins(
      '/api/v1/namespaces/default/configmaps',
      'v1',
      'ConfigMap',
      'api.core.v1.ConfigMap',
      'cm',
      { metadata: { labels: { a: 'b' }, annotations: { note: '' } }, data: { k: 'v', empty: '' }, binaryData: { bin: Buffer.from([0, 1, 2, 255]) }, immutable: true },
      { metadata: { labels: { a: 'b' }, annotations: { note: '' } }, data: { k: 'v', empty: '' }, binaryData: { bin: Buffer.from([0, 1, 2, 255]).toString('base64') }, immutable: true },
    );
    expect(created.binaryData).toEqual({ bin: 'AAEC/w==' });
    expect(created.metadata.namespace).toBe('default');
  });

  it('Secret: bytes of data are base64', async () => {
    const created = await twins('/api/v1/namespaces/default/secrets', 'v1', 'Secret', 'api.core.v1.Secret', 's', { data: { k: Buffer.from('v') }, type: 'Opaque' }, { data: { k: 'dg==' }, type: 'Opaque' });
    expect(created.data).toEqual({ k: 'dg==' });
  });

  it('Deployment: IntOrString, Quantity, inlined structs (probe handler, volume source, local object reference), explicit zero replicas', async () => {
    const pbPodSpec = {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { limits: { cpu: { string: '500m' }, memory: { string: '64Mi' } } },
          readinessProbe: { handler: { httpGet: { path: '/', port: { type: 1, strVal: 'http' } } }, periodSeconds: 5 },
          env: [{ name: 'E', valueFrom: { configMapKeyRef: { localObjectReference: { name: 'cm' }, key: 'k' } } }],
        },
      ],
      volumes: [{ name: 'v', volumeSource: { configMap: { localObjectReference: { name: 'cm' }, defaultMode: 420 } } }],
    };
    const jsonPodSpec = {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { limits: { cpu: '500m', memory: '64Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
          env: [{ name: 'E', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }],
        },
      ],
      volumes: [{ name: 'v', configMap: { name: 'cm', defaultMode: 420 } }],
    };
    const spec = (podSpec: unknown, surge: unknown, unavailable: unknown): Record<string, unknown> => ({
      replicas: 0,
      selector: { matchLabels: { app: 'a' } },
      template: { metadata: { labels: { app: 'a' } }, spec: podSpec },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
    });
    const created = await twins(
      '/apis/apps/v1/namespaces/default/deployments',
      'apps/v1',
      'Deployment',
      'api.apps.v1.Deployment',
      'd',
      { spec: spec(pbPodSpec, { type: 1, strVal: '25%' }, { type: 0, intVal: 1 }) },
      { spec: spec(jsonPodSpec, '25%', 1) },
    );
    expect(created.spec.replicas).toBe(0);
    expect(created.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: 1 });
    expect(created.spec.template.spec.volumes[0]).toMatchObject({ name: 'v', configMap: { name: 'cm' } });
  });

  it('Event: metav1.Time and MicroTime become RFC 3339 strings', async () => {
    const seconds = Date.UTC(2026, 0, 2, 3, 4, 5) / 1000;
    const reporting = { action: 'Pull', reportingComponent: 'example.com/puller', reportingInstance: 'puller-0' };
    const created = await twins(
      '/api/v1/namespaces/default/events',
      'v1',
      'Event',
      'api.core.v1.Event',
      'ev',
      // An Event with an eventTime is a "new" one: legacyValidateEvent requires its reporting fields and action.
      { involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'R', firstTimestamp: { seconds, nanos: 0 }, eventTime: { seconds, nanos: 123456789 }, count: 2, ...reporting },
      { involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'R', firstTimestamp: '2026-01-02T03:04:05Z', eventTime: '2026-01-02T03:04:05.123456Z', count: 2, ...reporting },
    );
    expect([created.firstTimestamp, created.eventTime]).toEqual(['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.123456Z']);
  });

  it('malformed bodies are the real 400s; other media types 415', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const notPb = await post(path, '{"metadata":{"name":"x"}}', PROTOBUF);
    expect([notPb.status, notPb.body.reason, notPb.body.message]).toEqual([
      400,
      'BadRequest',
      'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (7b226d65746164617461223a7b226e616d65223a2278227d7d)',
    ]);
    const empty = await post(path, Buffer.alloc(0), PROTOBUF);
    expect([empty.status, empty.body.message]).toEqual([400, 'the object provided is unrecognized (must be of type ConfigMap): empty data (<empty>)']);
    const good = envelope('v1', 'ConfigMap', 'api.core.v1.ConfigMap', { metadata: { name: 'cut' }, data: { k: 'v' } });
    const cut = await post(path, good.subarray(0, good.length - 12), PROTOBUF);
    expect(cut.status).toBe(400);
    expect(cut.body.message).toMatch(/^the object provided is unrecognized \(must be of type ConfigMap\): unexpected EOF \([0-9a-f]+( \.\.\.)?\)$/);
    const wrongKind = await post(path, envelope('v1', 'Secret', 'api.core.v1.ConfigMap', { metadata: { name: 'wk' } }), PROTOBUF);
    expect([wrongKind.status, wrongKind.body.message]).toEqual([400, 'Secret in version "v1" cannot be handled as a ConfigMap: the kind in the body does not match the resource of the path']);
    const yaml = await post(path, 'metadata: {name: y}\n', 'application/yaml');
    expect([yaml.status, yaml.body.message]).toEqual([415, 'the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf']);
    expect(server.list((await import('../../lib/k8s/v1_35/core/v1.js')).ConfigMap, 'default').map((c) => c.metadata?.name)).not.toContain('cut');
  });

  it('custom resources take no protobuf (415 listing JSON), as on a real server', async () => {
    const Widget = defineResource({ apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: true });
    server.register(Widget);
    const res = await post('/apis/example.com/v1/namespaces/default/widgets', envelope('v1', 'ConfigMap', 'api.core.v1.ConfigMap', { metadata: { name: 'w' } }), PROTOBUF);
    expect([res.status, res.body.message]).toEqual([415, 'the body of the request was in an unknown format - accepted media types include: application/json']);
  });

  it('PUT takes protobuf too', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    await post(path, envelope('v1', 'ConfigMap', 'api.core.v1.ConfigMap', { metadata: { name: 'put' }, data: { k: '1' } }), PROTOBUF);
    const res = await fetch(`${server.url}${path}/put`, {
      method: 'PUT',
      headers: { 'Content-Type': PROTOBUF },
      body: new Uint8Array(envelope('v1', 'ConfigMap', 'api.core.v1.ConfigMap', { metadata: { name: 'put' }, data: { k: '2' } })),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown }).data).toEqual({ k: '2' });
  });

  it("metav1.Duration is Go's time.Duration string", () => {
    expect([goDuration(0), goDuration(1.5e9), goDuration(3.6e12), goDuration(300e6), goDuration(5400e9 + 1.25e9)]).toEqual(['0s', '1.5s', '1h0m0s', '300ms', '1h30m1.25s']);
  });
});

/**
 * Issue #13 item 6, custom-resource part: a custom resource is validated against its CRD's structural schema with
 * the real messages (422 Invalid, one cause per error), pruned of unknown fields and defaulted from the schema.
 * Every write goes over loopback HTTP to a CRD created over HTTP.
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { defineResource } from '../../lib/resource/define-resource.js';
import { readFixture } from '../../vendor/index.js';
import { serverHarness } from './server-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are inspected as plain JSON */

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const GIZMOS = '/apis/schema.example.com/v1/namespaces/default/gizmos';

const gizmoSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['replicas'],
      properties: {
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
        mode: { type: 'string', enum: ['fast', 'slow'], default: 'slow' },
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        when: { type: 'string', format: 'date-time' },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        level: { type: 'string', default: 'info' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3, minItems: 1, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } } },
        },
        limits: { type: 'object', default: {}, properties: { cpu: { type: 'string', default: '1' } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
        },
      },
    },
  },
};

function gizmoCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gizmos.schema.example.com' },
    spec: {
      group: 'schema.example.com',
      names: { plural: 'gizmos', kind: 'Gizmo' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: gizmoSchema } }],
    },
  };
}

const h = serverHarness({}, { each: false });
const { call, body } = h;

beforeAll(async () => {
  expect((await call('POST', CRDS, gizmoCrd())).status).toBe(201);
});

let n = 0;
function gizmo(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'schema.example.com/v1', kind: 'Gizmo', metadata: { name: `g${++n}` }, spec, ...extra };
}

/** The causes of a rejected create, as `field: message`. */
async function causes(spec: Record<string, unknown>): Promise<string[]> {
  const res = await call('POST', GIZMOS, gizmo(spec));
  expect(res.status).toBe(422);
  return body(res).details.causes.map((c: any) => `${c.reason} ${c.field}: ${c.message}`);
}

describe('custom resource validation', () => {
  it('answers what a real server answered for the fixture CRD (vendor/fixtures/status-422-invalid.json)', async () => {
    const fixture = readFixture('customresourcedefinition.json') as any;
    const crd = { apiVersion: fixture.apiVersion, kind: fixture.kind, metadata: { name: fixture.metadata.name }, spec: fixture.spec };
    expect((await call('POST', CRDS, crd)).status).toBe(201);
    const path = '/apis/k8s-openapi-tests-custom-resource-definition.com/v1/namespaces/default/foobars';
    const fb3 = { apiVersion: 'k8s-openapi-tests-custom-resource-definition.com/v1', kind: 'FooBar', metadata: { name: 'fb3' }, spec: { prop1: 'value1', prop4: 5, prop5: 'x' } };
    const res = await call('POST', path, fb3);
    expect(res.status).toBe(422);
    expect(body(res)).toEqual(readFixture('status-422-invalid.json'));
  });

  it('a wrong type is TypeInvalid with the JSON type as the value', async () => {
    const res = await call('POST', GIZMOS, gizmo({ replicas: 'three' }));
    expect(body(res)).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'Gizmo.schema.example.com "g' + n + '" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      details: { name: `g${n}`, group: 'schema.example.com', kind: 'Gizmo', causes: [{ reason: 'FieldValueTypeInvalid', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"', field: 'spec.replicas' }] },
    });
  });

  it('required, enum, bounds, lengths, pattern, format, items', async () => {
    expect(await causes({ mode: 'medium' })).toEqual([
      'FieldValueNotSupported spec.mode: Unsupported value: "medium": supported values: "fast", "slow"',
      'FieldValueRequired spec.replicas: Required value',
    ]);
    expect(await causes({ replicas: 0, ratio: 1 })).toEqual([
      'FieldValueInvalid spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      'FieldValueInvalid spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1',
    ]);
    expect(await causes({ replicas: 11, name: 'ABCDEF', when: 'yesterday' })).toEqual([
      'FieldValueInvalid spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
      'FieldValueTooLong spec.name: Too long: may not be longer than 5',
      'FieldValueInvalid spec.name: Invalid value: "ABCDEF": spec.name in body should match \'^[a-z]+$\'',
      'FieldValueTypeInvalid spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
    ]);
    expect(await causes({ replicas: 1, name: 'a', tags: [] })).toEqual([
      'FieldValueInvalid spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long',
      'FieldValueInvalid spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items',
    ]);
    expect(await causes({ replicas: 1, tags: ['a', 'b', 'c', 'd'], ports: [{ port: 1 }] })).toEqual([
      'FieldValueTooMany spec.tags: Too many: 4: must have at most 3 items',
      'FieldValueRequired spec.ports[0].name: Required value',
    ]);
  });

  it('nullable fields take null; others are defaulted when they have a default, else rejected', async () => {
    const ok = await call('POST', GIZMOS, gizmo({ replicas: 1, note: null, level: null }));
    expect(ok.status).toBe(201);
    expect(body(ok).spec).toMatchObject({ note: null, level: 'info' });
    expect(await causes({ replicas: 1, name: null })).toEqual(['FieldValueTypeInvalid spec.name: Invalid value: "null": spec.name in body must be of type string: "null"']);
  });

  it('x-kubernetes-int-or-string takes an integer or a string, nothing else', async () => {
    expect((await call('POST', GIZMOS, gizmo({ replicas: 1, port: 8080 }))).status).toBe(201);
    expect((await call('POST', GIZMOS, gizmo({ replicas: 1, port: 'http' }))).status).toBe(201);
    expect(await causes({ replicas: 1, port: true })).toEqual([
      'FieldValueTypeInvalid spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ]);
  });

  it('x-kubernetes-list-type set and map reject duplicates', async () => {
    expect(await causes({ replicas: 1, tags: ['a', 'b', 'a'], ports: [{ name: 'x' }, { name: 'y' }, { name: 'x', port: 1 }] })).toEqual([
      'FieldValueDuplicate spec.tags[2]: Duplicate value: "a"',
      'FieldValueDuplicate spec.ports[2]: Duplicate value: {"name":"x"}',
    ]);
  });

  it('ratchets on update: errors about values the update left unchanged are dropped (CRDValidationRatcheting)', async () => {
    const gizmos = defineResource({ apiVersion: 'schema.example.com/v1', kind: 'Gizmo', plural: 'gizmos', namespaced: true });
    h.server.create(gizmos, { metadata: { name: 'legacy' }, spec: { replicas: 50, name: 'UPPER' } });
    const MERGE = { 'Content-Type': 'application/merge-patch+json' };
    expect((await call('PATCH', `${GIZMOS}/legacy`, { metadata: { labels: { a: 'b' } } }, MERGE)).status).toBe(200);
    const res = await call('PATCH', `${GIZMOS}/legacy`, { spec: { replicas: 60, mode: 'medium' } }, MERGE);
    expect(res.status).toBe(422);
    expect(body(res).details.causes.map((c: any) => c.field)).toEqual(['spec.replicas', 'spec.mode']);
  });

  it('validates updates too', async () => {
    const created = body(await call('POST', GIZMOS, gizmo({ replicas: 1 })));
    const res = await call('PUT', `${GIZMOS}/${created.metadata.name}`, { ...created, spec: { replicas: 'x' } });
    expect(res.status).toBe(422);
    expect(body(res).details.causes[0].field).toBe('spec.replicas');
  });
});

describe('custom resource pruning and defaulting', () => {
  it('drops fields the schema does not specify, except under x-kubernetes-preserve-unknown-fields and the type meta of embedded resources', async () => {
    const res = await call(
      'POST',
      GIZMOS,
      gizmo(
        {
          replicas: 1,
          unknown: 'x',
          labels: { a: 'b' },
          free: { anything: { deep: true }, known: { a: 'kept', b: 'pruned' } },
          template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { image: 'nginx', extra: 1 }, other: 2 },
        },
        { extra: 'root', status: { what: 1 } },
      ),
    );
    expect(res.status).toBe(201);
    const obj = body(res);
    expect(obj.extra).toBeUndefined();
    expect(obj.status).toBeUndefined();
    expect(obj.spec.unknown).toBeUndefined();
    expect(obj.spec.labels).toEqual({ a: 'b' });
    expect(obj.spec.free).toEqual({ anything: { deep: true }, known: { a: 'kept' } });
    expect(obj.spec.template).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { image: 'nginx' } });
  });

  it('fills schema defaults, inside defaulted objects and list items too, on create and on patch', async () => {
    const created = body(await call('POST', GIZMOS, gizmo({ replicas: 1, ports: [{ name: 'http' }] })));
    expect(created.spec).toEqual({ replicas: 1, mode: 'slow', level: 'info', ports: [{ name: 'http', port: 80 }], limits: { cpu: '1' } });
    const patched = await call('PATCH', `${GIZMOS}/${created.metadata.name}`, { spec: { mode: null, ports: [{ name: 'grpc' }] } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(body(patched).spec).toMatchObject({ mode: 'slow', ports: [{ name: 'grpc', port: 80 }] });
  });

  it('applies to programmatic creates (the decoder of a real server prunes and defaults whatever writes)', () => {
    const gizmos = defineResource({ apiVersion: 'schema.example.com/v1', kind: 'Gizmo', plural: 'gizmos', namespaced: true });
    const created = h.server.create(gizmos, { metadata: { name: 'seeded' }, spec: { replicas: 2, bogus: 1 } }) as any;
    expect(created.spec).toEqual({ replicas: 2, mode: 'slow', level: 'info', limits: { cpu: '1' } });
  });
});

/**
 * The OpenAPI v2 front end on small synthetic documents (the real specs are covered by the drift and fixture
 * specs): module naming, resource descriptors from paths, inline objects of a live cluster's CRD definitions,
 * hand-written recursive unions, value checks for CRD definitions only, and the errors. Reading a spec from a URL
 * is in `cli.spec.ts`.
 */
import { describe, expect, it } from '@jest/globals';
import { generate, modulesFromOpenApiV2, modulesOf, type Decl, type Module, type OpenApiV2Document } from '../../lib/codegen/index.js';
import { readSpec } from './targets.js';

const gvk = (group: string, version: string, kind: string) => ({ 'x-kubernetes-group-version-kind': [{ group, version, kind }] });
const list = (path: string, group: string, version: string, kind: string) => ({
  // Operations carry one GVK object (definitions carry a list of them).
  [path]: { get: { 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': { group, version, kind } } },
});

const document: OpenApiV2Document = {
  swagger: '2.0',
  definitions: {
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { type: 'object', properties: { name: { type: 'string' } } },
    'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
    'com.example.stable.v1.CronTab': {
      type: 'object',
      ...gvk('stable.example.com', 'v1', 'CronTab'),
      properties: {
        metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
        spec: {
          type: 'object',
          required: ['schedule'],
          properties: {
            schedule: { type: 'string' },
            at: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time' },
            mode: { type: 'string', enum: ['Fast', 'Slow'] },
            // A nullable field as kube-apiserver publishes it in v2: its type dropped, its enum kept.
            fallback: { enum: ['Fast', 'Slow'] },
          },
        },
      },
    },
    'com.example.stable.v1.CronTabStatusOnly': { type: 'object', properties: { ok: { type: 'boolean' } } },
    'io.k8s.api.things.v1beta1.Thing': { type: 'object', properties: { size: { type: 'integer', format: 'int32', minimum: 1 }, phase: { type: 'string', enum: ['A', 'B'] } } },
    'io.k8s.api.core.v1.Node': { type: 'object', ...gvk('', 'v1', 'Node'), properties: { taints: { type: 'array', items: { type: 'string' } } } },
  },
  paths: {
    ...list('/apis/stable.example.com/v1/namespaces/{namespace}/crontabs', 'stable.example.com', 'v1', 'CronTab'),
    ...list('/apis/stable.example.com/v1/crontabs', 'stable.example.com', 'v1', 'CronTab'),
    ...list('/api/v1/nodes', '', 'v1', 'Node'),
  },
};

const byPath = (modules: Module[]) => Object.fromEntries(modules.map((m) => [m.path, m]));

describe('OpenAPI v2 front end', () => {
  it('names modules by group-version, apimachinery as meta/v1, packages without kinds by their last segments', () => {
    expect(modulesFromOpenApiV2(document).map((m) => m.path)).toEqual(['core/v1', 'meta/v1', 'stable.example.com/v1', 'things/v1beta1']);
  });

  it('reads plural and scope from the list paths', () => {
    const modules = byPath(modulesFromOpenApiV2(document));
    expect(modules['stable.example.com/v1']!.decls.find((d) => d.name === 'CronTab')?.resource).toEqual({
      apiVersion: 'stable.example.com/v1', kind: 'CronTab', plural: 'crontabs', namespaced: true,
    });
    expect(modules['core/v1']!.decls.find((d) => d.name === 'Node')?.resource).toEqual({ apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false });
    expect(modules['stable.example.com/v1']!.decls.find((d) => d.name === 'CronTabStatusOnly')?.resource).toBeUndefined();
  });

  it('hoists inline objects (as a live cluster serves CRDs) and imports across modules', () => {
    const files = Object.fromEntries(generate(document).map((f) => [f.path, f.text]));
    const text = files['stable.example.com/v1.ts']!;
    expect(text).toContain('export interface CronTabSpec {');
    expect(text).toContain('  spec?: CronTabSpec;');
    expect(text).toContain("import { ObjectMeta, Time } from '../meta/v1.js';");
    expect(files['core/v1.ts']).toContain('taints?: string[] | null;'); // an optional array: Go may write null
    expect(files['meta/v1.ts']).toContain('export type Time = string | null;');
  });

  it('writes JSONSchemaProps and its unions as recursive codecs', () => {
    const text = generate(readSpec('swagger-v1.35.json')).find((f) => f.path === 'apiextensions.k8s.io/v1.ts')!.text;
    expect(text).toContain("export const JSONSchemaProps: t.Type<JSONSchemaProps> = t.recursion<JSONSchemaProps>('JSONSchemaProps', () =>");
    expect(text).toContain('export type JSONSchemaPropsOrArray = JSONSchemaProps | JSONSchemaProps[];');
    expect(text).toContain('  $ref?: string;');
    expect(text).toContain('  $schema?: string;');
  });

  it("checks the value rules of a cluster's CRD definitions, never those of io.k8s.* definitions (open enums)", () => {
    const modules = byPath(modulesFromOpenApiV2(document));
    const props = (decls: readonly Decl[], name: string) => {
      const body = decls.find((d) => d.name === name)!.body;
      return body.kind === 'object' ? Object.fromEntries(body.props.map((p) => [p.name, p.type])) : {};
    };
    expect(props(modules['stable.example.com/v1']!.decls, 'CronTabSpec')).toMatchObject({
      mode: { t: 'enum', values: ['Fast', 'Slow'] },
      fallback: { t: 'unknown' }, // untyped: null is allowed, so no enum check
    });
    // The same rules on a Kubernetes definition: a newer server may send a new enum value.
    expect(props(modules['things/v1beta1']!.decls, 'Thing')).toEqual({ phase: { t: 'string' }, size: { t: 'number' } });
  });

  it('fails on clashes, dangling refs and module cycles', () => {
    const clash = { swagger: '2.0', definitions: { 'io.k8s.api.a.v1.X': { type: 'string' }, 'io.k8s.api.b.v1.X': { type: 'string', ...gvk('a', 'v1', 'X') } } };
    expect(() => modulesOf(clash)).toThrow(/two declarations named X in module a\/v1/);
    const dangling = { swagger: '2.0', definitions: { 'io.k8s.api.a.v1.X': { type: 'object', properties: { y: { $ref: '#/definitions/nope' } } } } };
    expect(() => modulesOf(dangling)).toThrow(/unresolved \$ref #\/definitions\/nope/);
    const cycle = {
      swagger: '2.0',
      definitions: {
        'io.k8s.api.a.v1.X': { type: 'object', properties: { y: { $ref: '#/definitions/io.k8s.api.b.v1.Y' } } },
        'io.k8s.api.b.v1.Y': { type: 'object', properties: { x: { $ref: '#/definitions/io.k8s.api.a.v1.X' } } },
      },
    };
    expect(() => modulesOf(cycle)).toThrow(/modules import each other: a\/v1 -> b\/v1 -> a\/v1/);
  });
});

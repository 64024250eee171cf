/**
 * The CRD path of the generator: the fixture CRD's module (committed in `spec/codegen/generated`, kept fresh by
 * the drift spec, type-checked with `spec/`) decodes custom objects and rejects invalid ones; synthetic CRDs
 * cover nesting, nullability, versions and input forms; the command line writes the same files. The value checks
 * are in `checks.spec.ts`, the command line's options and errors in `cli.spec.ts`.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCodegen } from '../../lib/codegen/cli.js';
import { stringify as stringifyYaml } from 'yaml';
import { generate, modulesFromCrds, modulesOf, parseSpecText, type CrdDocument, type Decl } from '../../lib/codegen/index.js';
import { Api } from '../../lib/api/api.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import { formatValidationErrors } from '../../lib/watch/decode-event.js';
import { FIXTURES_DIR, readFixture } from '../../vendor/index.js';
import { FooBar, FooBarList, FooBarSpec } from './generated/fixture/k8s-openapi-tests-custom-resource-definition.com/v1.js';
import { CRD_OPTIONS, readCrdFixture } from './targets.js';

const GROUP = 'k8s-openapi-tests-custom-resource-definition.com';

const sample = {
  apiVersion: `${GROUP}/v1`,
  kind: 'FooBar',
  metadata: { name: 'fb1', namespace: 'default', creationTimestamp: '2026-06-15T04:15:58Z' },
  spec: { prop1: 'value1', prop2: [true, false], prop3: 3, prop4: 4, prop5: 'five' },
};

function errorsOf(result: ReturnType<typeof FooBar.decode>): string[] {
  return result._tag === 'Left' ? formatValidationErrors(result.left) : [];
}

describe('the module generated from the fixture CRD', () => {
  it('describes the resource as the CRD does', () => {
    expect(FooBar).toMatchObject({ apiVersion: `${GROUP}/v1`, group: GROUP, version: 'v1', kind: 'FooBar', plural: 'foobars', namespaced: true, basePath: `/apis/${GROUP}/v1` });
  });

  it('decodes a custom object (int-or-string both ways) and round-trips it', () => {
    const result = FooBar.decode(sample);
    expect(result).toEqual({ _tag: 'Right', right: sample });
    if (result._tag === 'Right') expect(FooBar.encode(result.right)).toEqual(sample);
    expect(FooBarList.decode({ apiVersion: `${GROUP}/v1`, kind: 'FooBarList', metadata: { resourceVersion: '1' }, items: [{ ...sample, apiVersion: undefined, kind: undefined }] })._tag).toBe('Right');
  });

  it('rejects an object without spec.prop2, which the API server rejects too (the fixture Status 422)', () => {
    const status = readFixture('status-422-invalid.json') as { details: { causes: Array<{ field: string }> } };
    expect(status.details.causes.map((c) => c.field)).toEqual(['spec.prop2']);
    const { prop2: _prop2, ...spec } = sample.spec;
    expect(errorsOf(FooBar.decode({ ...sample, spec }))).toEqual(['spec.prop2: expected Array<boolean>, got undefined']);
  });

  it.each<[string, unknown, string]>([
    ['a string prop3', { prop3: '3' }, 'spec.prop3'],
    ['a boolean int-or-string', { prop4: true }, 'spec.prop4'],
    ['a non-boolean item', { prop2: [true, 'yes'] }, 'spec.prop2.1'],
    ['null in a non-nullable field', { prop1: null }, 'spec.prop1'],
  ])('rejects %s', (_what, change, path) => {
    const messages = errorsOf(FooBar.decode({ ...sample, spec: { ...sample.spec, ...(change as object) } }));
    expect(messages.map((m) => m.slice(0, m.indexOf(':')))).toEqual([path]);
  });

  it('is typed: Api<FooBar>, required fields required', () => {
    const typeChecks = (client: KubeClient): void => {
      const api: Api<FooBar> = new Api(FooBar, { client });
      void api;
      // @ts-expect-error prop2 is required
      const spec: FooBarSpec = { prop1: 'a', prop4: 1, prop5: 'b' };
      const prop4: number | string = sample.spec.prop4;
      void [spec, prop4];
    };
    void typeChecks;
    expect(FooBarSpec.is(sample.spec)).toBe(true);
  });
});

/** A CRD around `schema`, with extra versions if given. */
function crd(schema: object, versions: Array<{ name: string; served?: boolean; schema?: object }> = []): CrdDocument {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Cluster',
      versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: schema } }, ...versions.map((v) => ({ ...v, schema: v.schema && { openAPIV3Schema: v.schema } }))],
    },
  } as CrdDocument;
}

const widget = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer' },
        note: { type: 'string', nullable: true },
        tags: { type: 'array', items: { type: 'string' } },
        ports: { type: 'array', items: { type: 'object', required: ['port'], properties: { port: { type: 'integer' }, 'x-name': { type: 'string' } } } },
        limits: { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } },
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        anything: { 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

function decl(name: string, decls: readonly Decl[]): Decl {
  const found = decls.find((d) => d.name === name);
  if (found === undefined) throw new Error(`no ${name} among ${decls.map((d) => d.name).join(', ')}`);
  return found;
}

describe('CRD codegen', () => {
  it('hoists nested objects into named declarations and maps each schema form', () => {
    const [module] = modulesFromCrds([crd(widget)]);
    expect(module?.path).toBe('example.com/v1');
    const decls = module!.decls;
    expect(decls.map((d) => d.name)).toEqual(['Widget', 'WidgetList', 'WidgetSpec', 'WidgetSpecPortsItem', 'WidgetStatus']);
    expect(decl('Widget', decls).resource).toEqual({ apiVersion: 'example.com/v1', kind: 'Widget', plural: 'widgets', namespaced: false });
    const spec = decl('WidgetSpec', decls).body;
    expect(spec.kind === 'object' && Object.fromEntries(spec.props.map((p) => [p.name, [p.required, p.type]]))).toEqual({
      anything: [false, { t: 'unknown' }],
      config: [false, { t: 'unknownRecord' }],
      limits: [false, { t: 'record', values: { t: 'intOrString' } }],
      note: [false, { t: 'nullable', inner: { t: 'string' } }], // nullable: true, and only there
      ports: [false, { t: 'array', items: { t: 'ref', module: 'example.com/v1', name: 'WidgetSpecPortsItem' } }],
      size: [true, { t: 'integer' }],
      tags: [false, { t: 'array', items: { t: 'string' } }],
      template: [false, { t: 'unknownRecord' }],
    });
    const text = generate(crd(widget))[0]!.text;
    expect(text).toContain("import { ListMeta, ObjectMeta } from 'kubex-rx/k8s/v1_35/meta/v1';");
    expect(text).toContain("from 'kubex-rx/k8s/runtime';");
    expect(text).toContain("'x-name'?: string;");
    expect(text).toContain('The `spec` field of {@link Widget}.');
  });

  it('reads the value rules of each schema form into the model (see checks.spec.ts for the generated checks)', () => {
    const rules = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            mode: { type: 'string', enum: ['A', 'B', 'A', null], nullable: true }, // duplicates dropped, null left to nullable
            mixed: { type: 'string', enum: ['A', 1] }, // not all strings: no closed type, a comment
            flag: { type: 'boolean', enum: [true] },
            ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, // JSON Schema's numeric form
            count: { type: 'integer', minimum: 1, exclusiveMinimum: true, format: 'int64' },
            odd: { type: 'integer', format: 'uint8', minimum: 'x' }, // no such format, no number: nothing
            word: { type: 'string', pattern: '\\Aword\\z', format: 'password' },
            items: { type: 'array', minItems: 1, items: { type: 'string', format: 'email', maxLength: -1 } },
          },
        },
      },
    };
    const decls = modulesFromCrds([crd(rules)])[0]!.decls;
    const spec = decl('WidgetSpec', decls).body;
    expect(spec.kind === 'object' && Object.fromEntries(spec.props.map((p) => [p.name, p.type]))).toEqual({
      count: { t: 'integer', rules: { minimum: 1, exclusiveMinimum: true, format: 'int64' } },
      flag: { t: 'enum', values: [true] },
      items: { t: 'array', items: { t: 'string', rules: { unchecked: ['format "email" (no client-side check)'] } }, rules: { minItems: 1 } },
      mixed: { t: 'string', rules: { unchecked: ['enum ["A",1] (not all of type string)'] } },
      mode: { t: 'nullable', inner: { t: 'enum', values: ['A', 'B'] } },
      odd: { t: 'integer' },
      ratio: { t: 'number', rules: { minimum: 0, exclusiveMinimum: true, maximum: 1 } },
      word: { t: 'string', rules: { unchecked: ['pattern "\\\\Aword\\\\z" (not an ECMAScript regular expression: Invalid escape)'] } },
    });
  });

  it('makes one module per served version, skipping unserved ones', () => {
    const files = generate(crd(widget, [{ name: 'v2', schema: widget }, { name: 'v0', served: false, schema: widget }]));
    expect(files.map((f) => f.path)).toEqual(['example.com/v1.ts', 'example.com/v2.ts']);
  });

  it('reads a List of CRDs and a JSON array alike, and puts same-group-version kinds in one module', () => {
    const gadget = { ...crd(widget), spec: { ...crd(widget).spec, names: { kind: 'Gadget', plural: 'gadgets' } } };
    const fromList = generate({ apiVersion: 'v1', kind: 'List', items: [crd(widget), gadget] });
    expect(fromList.map((f) => f.path)).toEqual(['example.com/v1.ts']);
    expect(fromList[0]!.text).toContain('export const Gadget: ResourceCodec<Gadget>');
    expect(fromList[0]!.text).toContain('export const Widget: ResourceCodec<Widget>');
    expect(generate([gadget, crd(widget)])).toEqual(fromList);
  });

  it('refuses what it cannot read', () => {
    expect(() => modulesOf({ kind: 'ConfigMap' })).toThrow(/neither an OpenAPI v2 document/);
    expect(() => modulesOf({ kind: 'List', items: [crd(widget), { kind: 'ConfigMap' }] })).toThrow(/neither/);
    expect(() => modulesOf({ ...crd(widget), spec: { ...crd(widget).spec, group: '' } })).toThrow(/spec.group/);
    const clash = { ...crd(widget), spec: { ...crd(widget).spec, names: { kind: 'Widget', plural: 'widgets', listKind: 'Widget' } } };
    expect(() => modulesOf(clash)).toThrow(/two declarations named Widget/);
  });
});

describe('kubex-rx codegen', () => {
  it('writes the module of the fixture CRD, as the function API does', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubex-codegen-crd-'));
    try {
      const log: string[] = [];
      const code = await runCodegen(['--spec', join(FIXTURES_DIR, 'customresourcedefinition.json'), '--out', out], { log: (l) => log.push(l) });
      expect(code).toBe(0);
      expect(log).toEqual([`codegen: wrote 1 modules under ${out}`]);
      const [expected] = generate(readCrdFixture(), { source: '`customresourcedefinition.json`' });
      expect(readFileSync(join(out, `${GROUP}/v1.ts`), 'utf8')).toBe(expected!.text);
      // The relative-import form, as committed under spec/codegen/generated/fixture:
      const code2 = await runCodegen(
        ['-s', join(FIXTURES_DIR, 'customresourcedefinition.json'), '-o', out, '--clean', '--module-prefix', CRD_OPTIONS.modulePrefix!, '--runtime-module', CRD_OPTIONS.runtimeModule!, '--source', CRD_OPTIONS.source!],
        { log: () => {} },
      );
      expect(code2).toBe(0);
      expect(readFileSync(join(out, `${GROUP}/v1.ts`), 'utf8')).toBe(generate(readCrdFixture(), CRD_OPTIONS)[0]!.text);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('reads a CRD manifest in YAML (several documents), as kubectl apply takes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubex-codegen-yaml-'));
    try {
      // The fixture, written as YAML at test time (never copied into the repo), after an empty document.
      writeFileSync(join(dir, 'crd.yaml'), `---\n${stringifyYaml(readCrdFixture())}---\n`);
      const out = join(dir, 'out');
      expect(await runCodegen(['--spec', join(dir, 'crd.yaml'), '--out', out], { log: () => {} })).toBe(0);
      const [expected] = generate(readCrdFixture(), { source: '`customresourcedefinition.json`' });
      expect(readFileSync(join(out, `${GROUP}/v1.ts`), 'utf8').replace(/crd\.yaml/g, 'customresourcedefinition.json')).toBe(expected!.text);
      expect(() => parseSpecText('a: [unclosed', 'bad.yaml')).toThrow(/bad.yaml: not JSON, and not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with exit code 1 on a document that is neither a spec nor a CRD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubex-codegen-bad-'));
    try {
      writeFileSync(join(dir, 'cm.json'), JSON.stringify(readFixture('configmap.json')));
      const errors: string[] = [];
      expect(await runCodegen(['--spec', join(dir, 'cm.json'), '--out', join(dir, 'out')], { log: () => {}, error: (l) => errors.push(l) })).toBe(1);
      expect(errors.join('\n')).toMatch(/^codegen: the input is neither an OpenAPI v2 document/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

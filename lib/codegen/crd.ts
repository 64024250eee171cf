/**
 * Front end for CustomResourceDefinitions (`apiextensions.k8s.io/v1`): one module per served version, from its
 * structural `openAPIV3Schema`.
 */
import { compareStrings, type Module, type Prop, type TypeRef } from './model.js';
import { META_MODULE } from './openapi-v2.js';
import { ModuleBuilder, SchemaConverter, type SchemaObject } from './schema.js';

/**
 * The parts of a CustomResourceDefinition the generator reads.
 * @since 0.1.0
 */
export interface CrdDocument {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string; readonly plural: string; readonly listKind?: string };
    readonly scope: 'Namespaced' | 'Cluster';
    readonly versions: ReadonlyArray<{
      readonly name: string;
      readonly served?: boolean;
      readonly schema?: { readonly openAPIV3Schema?: SchemaObject };
    }>;
  };
}

/** Whether a parsed document is a CustomResourceDefinition. @since 0.1.0 */
export function isCrd(document: unknown): document is CrdDocument {
  const d = document as Partial<CrdDocument> | null;
  return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'CustomResourceDefinition' && typeof d.spec === 'object';
}

const meta = (name: string): TypeRef => ({ t: 'ref', module: META_MODULE, name });

/**
 * Converts CRDs into modules: for every served version, a module `GROUP/VERSION` with the kind (a resource
 * codec), its `...List`, and one declaration per nested object schema (`FooBarSpec`, `FooBarSpecItemsItem`).
 * `metadata` is always `meta/v1` `ObjectMeta` (the API server serves full metadata whatever the schema says),
 * `apiVersion` and `kind` are optional strings (list items lack them). Several CRDs of one group-version share
 * a module.
 *
 * Throws an `Error` for a CRD without a `spec.group`, `names.kind` or `names.plural`.
 *
 * @since 0.1.0
 */
export function modulesFromCrds(crds: readonly CrdDocument[]): Module[] {
  const builders = new Map<string, ModuleBuilder>();
  const sorted = [...crds].sort((a, b) => compareStrings(`${a.spec?.group}/${a.spec?.names?.kind}`, `${b.spec?.group}/${b.spec?.names?.kind}`));
  for (const crd of sorted) {
    const { group, names, scope, versions } = crd.spec ?? ({} as Partial<CrdDocument['spec']>);
    if (typeof group !== 'string' || group === '' || typeof names?.kind !== 'string' || typeof names.plural !== 'string') {
      throw new Error(`codegen: ${crd.metadata?.name ?? 'a CustomResourceDefinition'} has no spec.group, spec.names.kind or spec.names.plural`);
    }
    for (const version of [...(versions ?? [])].sort((a, b) => compareStrings(a.name, b.name))) {
      if (version.served === false) continue;
      const path = `${group}/${version.name}`;
      if (!builders.has(path)) builders.set(path, new ModuleBuilder(path));
      const builder = builders.get(path)!;
      const converter = new SchemaConverter(
        builder,
        (ref) => {
          throw new Error(`codegen: $ref ${ref} in the schema of ${names.kind} ${path}; structural schemas have none`);
        },
        { optionalCollections: false, valueChecks: true },
      );
      const schema = version.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      const kind = names.kind;
      const listKind = names.listKind ?? `${kind}List`;
      builder.reserve(kind, `CRD ${crd.metadata?.name ?? kind}`);
      builder.reserve(listKind, `CRD ${crd.metadata?.name ?? kind}`);
      const standard: Record<string, Prop> = {
        apiVersion: { name: 'apiVersion', required: false, type: { t: 'string' }, description: schema.properties?.['apiVersion']?.description ?? API_VERSION_DOC },
        kind: { name: 'kind', required: false, type: { t: 'string' }, description: schema.properties?.['kind']?.description ?? KIND_DOC },
        metadata: { name: 'metadata', required: false, type: meta('ObjectMeta'), description: "Standard object's metadata." },
      };
      const resource = { apiVersion: path, kind, plural: names.plural, namespaced: scope === 'Namespaced' };
      const source = `CustomResourceDefinition ${crd.metadata?.name ?? `${names.plural}.${group}`}, version ${version.name}`;
      converter.declare(kind, { description: `${kind} (${path}).`, ...schema }, { resource, source }, standard);
      builder.add({
        name: listKind,
        description: `A list of ${kind}.`,
        source,
        body: {
          kind: 'object',
          props: [
            standard['apiVersion']!,
            { name: 'items', required: true, type: { t: 'array', items: { t: 'ref', module: path, name: kind } }, description: `The ${kind} objects.` },
            standard['kind']!,
            { name: 'metadata', required: false, type: meta('ListMeta'), description: "Standard list metadata." },
          ],
        },
      });
    }
  }
  return [...builders.values()].map((b) => b.build()).sort((a, b) => compareStrings(a.path, b.path));
}

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.';
const KIND_DOC = 'Kind is a string value representing the REST resource this object represents. In CamelCase.';

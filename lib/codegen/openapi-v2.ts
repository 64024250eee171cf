/**
 * Front end for OpenAPI v2 (swagger 2.0) documents: the Kubernetes `api/openapi-spec/swagger.json`, or a live
 * cluster's `/openapi/v2` (which also holds the cluster's CRDs).
 */
import { compareStrings, pascalCase, type Module, type ResourceInfo, type TypeRef } from './model.js';
import { ModuleBuilder, SchemaConverter, type SchemaObject } from './schema.js';

/**
 * The parts of an OpenAPI v2 document the generator reads.
 * @since 0.1.0
 */
export interface OpenApiV2Document {
  readonly swagger?: string;
  readonly info?: { readonly title?: string; readonly version?: string };
  readonly definitions?: Readonly<Record<string, SchemaObject>>;
  readonly paths?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** Definitions whose shape the spec cannot express (no `type`): written by hand, by definition-name suffix. */
const HAND_WRITTEN: ReadonlyArray<readonly [suffix: string, type: (self: (name: string) => TypeRef) => TypeRef]> = [
  // apiextensions: the JSON-schema "X or Y" unions around the self-recursive JSONSchemaProps.
  ['.JSONSchemaPropsOrArray', (ref) => ({ t: 'union', members: [ref('JSONSchemaProps'), { t: 'array', items: ref('JSONSchemaProps') }] })],
  ['.JSONSchemaPropsOrBool', (ref) => ({ t: 'union', members: [ref('JSONSchemaProps'), { t: 'boolean' }] })],
  ['.JSONSchemaPropsOrStringArray', (ref) => ({ t: 'union', members: [ref('JSONSchemaProps'), { t: 'array', items: { t: 'string' } }] })],
];

/** The apimachinery packages: the shared vocabulary of every group (ObjectMeta, Status, Time, Quantity, ...). */
const APIMACHINERY_PREFIX = 'io.k8s.apimachinery.';
/** The module the apimachinery definitions go to (and CRD modules import `ObjectMeta`/`ListMeta` from). @since 0.1.0 */
export const META_MODULE = 'meta/v1';

/**
 * Whether the value rules of a definition are checked (see `SchemaPolicy.valueChecks`): not for Kubernetes' own
 * definitions (`io.k8s.api.*`, `io.k8s.apimachinery.*`, `io.k8s.apiextensions-apiserver.*`,
 * `io.k8s.kube-aggregator.*`, and aggregated APIs built the same way, such as `io.k8s.metrics.*`), whose enums
 * are open-ended; yes for the rest: a live cluster's `/openapi/v2` names its CRDs' definitions after their
 * reversed group (`com.example.stable.v1.CronTab`) and keeps their value rules (apiextensions-apiserver
 * `pkg/controller/openapi/v2` `ToStructuralOpenAPIV2` drops only `allOf`/`anyOf`/`oneOf`/`not`). A CRD whose
 * group ends in `.k8s.io` (`io.k8s.networking.gateway.v1.Gateway`) counts as Kubernetes' here: generate it from
 * its CRD manifest to have its rules checked.
 */
function hasValueChecks(definition: string): boolean {
  return !definition.startsWith('io.k8s.');
}

/** `io.k8s.api.core.v1` of `io.k8s.api.core.v1.Pod`. */
function packageOf(definition: string): string {
  const dot = definition.lastIndexOf('.');
  return dot < 0 ? '' : definition.slice(0, dot);
}

function shortNameOf(definition: string): string {
  const name = definition.slice(definition.lastIndexOf('.') + 1);
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : pascalCase(name);
}

/** The single GVK of a definition, if it has exactly one (DeleteOptions and WatchEvent list one per group-version). */
function gvkOf(schema: SchemaObject): Gvk | undefined {
  const gvks = schema['x-kubernetes-group-version-kind'];
  return gvks !== undefined && gvks.length === 1 ? gvks[0] : undefined;
}

/**
 * The module path of every package: `GROUP/VERSION` from the GVKs of the package's kinds (`core` for the
 * core group), `meta/v1` for apimachinery, else the package's last two segments.
 */
function modulePaths(definitions: Readonly<Record<string, SchemaObject>>): Map<string, string> {
  const groups = new Map<string, Set<string>>();
  for (const [name, schema] of Object.entries(definitions)) {
    const pkg = packageOf(name);
    const gvk = gvkOf(schema);
    if (!groups.has(pkg)) groups.set(pkg, new Set());
    if (gvk !== undefined && !name.startsWith(APIMACHINERY_PREFIX)) groups.get(pkg)!.add(`${gvk.group === '' ? 'core' : gvk.group}/${gvk.version}`);
  }
  const paths = new Map<string, string>();
  for (const [pkg, found] of groups) {
    if (`${pkg}.`.startsWith(APIMACHINERY_PREFIX)) {
      paths.set(pkg, META_MODULE);
    } else if (found.size === 1) {
      paths.set(pkg, [...found][0]!);
    } else if (found.size > 1) {
      throw new Error(`codegen: package ${pkg} holds kinds of several group-versions: ${[...found].sort(compareStrings).join(', ')}`);
    } else {
      const segments = pkg.split('.');
      const version = segments.pop() ?? 'v1';
      paths.set(pkg, `${segments.pop() ?? 'unknown'}/${version}`);
    }
  }
  return paths;
}

/**
 * The kinds served at a REST path, by `group/version/kind`: plural from the `list` operation's path, namespaced
 * if one of the list paths is under `/namespaces/{namespace}/`.
 */
function servedKinds(document: OpenApiV2Document): Map<string, { plural: string; namespaced: boolean }> {
  const kinds = new Map<string, { plural: string; namespaced: boolean }>();
  for (const path of Object.keys(document.paths ?? {}).sort(compareStrings)) {
    const operation = document.paths![path]!['get'] as { 'x-kubernetes-action'?: string; 'x-kubernetes-group-version-kind'?: Gvk } | undefined;
    const gvk = operation?.['x-kubernetes-group-version-kind'];
    if (operation?.['x-kubernetes-action'] !== 'list' || gvk === undefined) continue;
    const plural = path.slice(path.lastIndexOf('/') + 1);
    const namespaced = path.includes('/namespaces/{namespace}/');
    const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
    const known = kinds.get(key);
    if (known !== undefined && known.plural !== plural) throw new Error(`codegen: ${key} is listed as ${known.plural} and ${plural}`);
    kinds.set(key, { plural, namespaced: namespaced || (known?.namespaced ?? false) });
  }
  return kinds;
}

/**
 * Converts an OpenAPI v2 document into modules, one per API group-version.
 *
 * Every definition becomes a declaration of its group-version's module, named after the last segment of its
 * name (`io.k8s.api.core.v1.Pod` → `Pod` in `core/v1`); every kind with a `list` path also gets its resource
 * descriptor. Throws an `Error` when two definitions would share a name in one module.
 *
 * @since 0.1.0
 */
export function modulesFromOpenApiV2(document: OpenApiV2Document): Module[] {
  const definitions = document.definitions ?? {};
  const paths = modulePaths(definitions);
  const served = servedKinds(document);
  const builders = new Map<string, ModuleBuilder>();
  const names = Object.keys(definitions).sort(compareStrings);
  const target = new Map<string, { module: string; name: string }>();
  for (const definition of names) {
    const module = paths.get(packageOf(definition))!;
    if (!builders.has(module)) builders.set(module, new ModuleBuilder(module));
    const name = shortNameOf(definition);
    builders.get(module)!.reserve(name, definition);
    target.set(definition, { module, name });
  }
  const resolve = (ref: string): TypeRef => {
    const definition = ref.replace(/^#\/definitions\//, '');
    const found = target.get(definition);
    if (found === undefined) throw new Error(`codegen: unresolved $ref ${ref}`);
    return { t: 'ref', module: found.module, name: found.name };
  };
  for (const definition of names) {
    const schema = definitions[definition]!;
    const { module, name } = target.get(definition)!;
    const builder = builders.get(module)!;
    const converter = new SchemaConverter(builder, resolve, { optionalCollections: true, valueChecks: hasValueChecks(definition) });
    const gvk = gvkOf(schema);
    const servedAs = gvk === undefined ? undefined : served.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
    const resource: ResourceInfo | undefined =
      gvk === undefined || servedAs === undefined
        ? undefined
        : { apiVersion: gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`, kind: gvk.kind, plural: servedAs.plural, namespaced: servedAs.namespaced };
    const handWritten = HAND_WRITTEN.find(([suffix]) => definition.endsWith(suffix));
    if (handWritten !== undefined) {
      const pkg = packageOf(definition);
      const type = handWritten[1]((short) => resolve(`${pkg}.${short}`));
      builder.add({ name, description: schema.description, body: { kind: 'alias', type }, source: definition, resource });
    } else {
      converter.declare(name, schema, { resource, source: definition });
    }
  }
  return [...builders.values()].map((b) => b.build()).sort((a, b) => compareStrings(a.path, b.path));
}

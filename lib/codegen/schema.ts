/**
 * Schema to model conversion shared by both front ends: OpenAPI v2 definitions (with `$ref`s) and the
 * structural OpenAPI v3 schemas of CRDs (inline, with `nullable` and `x-kubernetes-*` markers).
 */
import { arrayRules, checkedScalar } from './constraints.js';
import { compareStrings, pascalCase, type Decl, type Module, type Prop, type TypeRef } from './model.js';
import type { SchemaObject } from './schema-object.js';

export type { SchemaObject } from './schema-object.js';

/**
 * How a front end's schemas are read: which nulls are accepted (see the section "null" in `lib/codegen/index.ts`)
 * and whether value rules are checked.
 * @since 0.2.0
 */
export interface SchemaPolicy {
  /**
   * Optional arrays, maps and free-form objects accept `null` (Go writes `null` for a nil slice or map whose
   * field has no `omitempty`, e.g. `ClusterRole.rules`). On for built-in types; off for CRDs, whose structural
   * schemas say exactly what is nullable (the API server prunes other nulls).
   */
  readonly optionalCollections: boolean;
  /**
   * The value rules of the schemas (`enum` as a closed literal union, `pattern`, `minimum`, `format`, ...) are
   * checked by the codecs (see `./constraints.ts`). On for CRDs: the API server enforces exactly these rules on
   * custom objects. Off for the built-in models, whose `enum`s are open-ended: Kubernetes adds values to existing
   * enum fields in later releases (api_changes.md, "New enum value in existing field"; "Clients should treat such
   * sets of values as potentially open-ended"; KEP-2887 made them visible in OpenAPI as `enum`), so a client
   * generated from one version must accept the values a newer server sends.
   */
  readonly valueChecks: boolean;
}

/** Resolves a `$ref` of a schema (`#/definitions/NAME`) to a model type; throws for an unknown one. @since 0.1.0 */
export type RefResolver = (ref: string) => TypeRef;

/**
 * Collects the declarations of one module, giving inline object schemas their own (unique) names.
 * @since 0.1.0
 */
export class ModuleBuilder {
  readonly path: string;
  readonly #decls = new Map<string, Decl>();
  readonly #reserved = new Set<string>();

  constructor(path: string) {
    this.path = path;
  }

  /** Reserves a name for a declaration to be added later (a definition), failing on a clash. */
  reserve(name: string, what: string): void {
    if (this.#reserved.has(name)) throw new Error(`codegen: two declarations named ${name} in module ${this.path} (${what})`);
    this.#reserved.add(name);
  }

  /** A name derived from `hint` that is not taken yet: `hint`, `hint2`, `hint3`, ... (and reserves it). */
  fresh(hint: string): string {
    let name = hint;
    for (let i = 2; this.#reserved.has(name); i++) name = `${hint}${i}`;
    this.#reserved.add(name);
    return name;
  }

  /** Adds a declaration whose name was reserved; throws if it was added already. */
  add(decl: Decl): void {
    if (this.#decls.has(decl.name)) throw new Error(`codegen: ${decl.name} declared twice in module ${this.path}`);
    this.#decls.set(decl.name, decl);
  }

  /** Whether a declaration of that name was added. */
  has(name: string): boolean {
    return this.#decls.has(name);
  }

  /** The module, declarations sorted by name (the emitter orders them by dependencies). */
  build(): Module {
    return { path: this.path, decls: [...this.#decls.values()].sort((a, b) => compareStrings(a.name, b.name)) };
  }
}

/**
 * Converts schemas into model types, hoisting inline object schemas into named declarations of `module`.
 * @since 0.1.0
 */
export class SchemaConverter {
  constructor(
    private readonly module: ModuleBuilder,
    private readonly resolveRef: RefResolver,
    private readonly policy: SchemaPolicy,
  ) {}

  /**
   * The model type of a property or item schema. `nameHint` names a hoisted inline object, `where` describes it
   * when the schema has no description (`the \`spec\` field of {@link FooBar}`).
   */
  typeOf(schema: SchemaObject, nameHint: string, where: string, optionalProperty = false): TypeRef {
    const type = this.#baseType(schema, nameHint, where);
    const nullable =
      schema.nullable === true ||
      schema['x-nullable'] === true ||
      (optionalProperty && this.policy.optionalCollections && schema.$ref === undefined && isCollection(type));
    return nullable && type.t !== 'nullable' && type.t !== 'unknown' ? { t: 'nullable', inner: type } : type;
  }

  /** Adds the declaration of an object schema named `name` (already reserved), or an alias if it is no object. */
  declare(name: string, schema: SchemaObject, extra: Pick<Decl, 'resource' | 'source'> = {}, overrides: Readonly<Record<string, Prop>> = {}): void {
    const description = schema.description;
    if (hasProperties(schema) || Object.keys(overrides).length > 0) {
      this.module.add({ name, description, body: { kind: 'object', props: this.#props(name, schema, overrides) }, ...extra });
    } else {
      this.module.add({ name, description, body: { kind: 'alias', type: this.#nonObjectType(schema, name, `{@link ${name}}`) }, ...extra });
    }
  }

  #props(owner: string, schema: SchemaObject, overrides: Readonly<Record<string, Prop>>): Prop[] {
    const required = new Set(schema.required ?? []);
    const names = new Set([...Object.keys(schema.properties ?? {}), ...Object.keys(overrides)]);
    return [...names].sort(compareStrings).map((name) => {
      const override = overrides[name];
      if (override !== undefined) return override;
      const prop = schema.properties![name]!;
      const isRequired = required.has(name);
      return {
        name,
        required: isRequired,
        type: this.typeOf(prop, owner + pascalCase(name), `the \`${name}\` field of {@link ${owner}}`, !isRequired),
        description: prop.description,
      };
    });
  }

  #baseType(schema: SchemaObject, nameHint: string, where: string): TypeRef {
    if (schema.$ref !== undefined) return this.resolveRef(schema.$ref);
    if (hasProperties(schema)) {
      const name = this.module.fresh(nameHint);
      this.declare(name, { ...schema, description: schema.description ?? `${where[0]!.toUpperCase()}${where.slice(1)}.` });
      return { t: 'ref', module: this.module.path, name };
    }
    return this.#nonObjectType(schema, nameHint, where);
  }

  /** A schema without properties. */
  #nonObjectType(schema: SchemaObject, nameHint: string, where: string): TypeRef {
    if (schema.$ref !== undefined) return this.resolveRef(schema.$ref);
    if (schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string') return INT_OR_STRING;
    const type = Array.isArray(schema.type) ? undefined : (schema.type as string | undefined);
    const checks = this.policy.valueChecks;
    switch (type) {
      case 'string': {
        const string = checks ? checkedScalar(schema, 'string') : STRING;
        // date-time: metav1.Time marshals its zero value as null (`lastProbeTime: null`).
        return schema.format === 'date-time' ? { t: 'nullable', inner: string } : string;
      }
      case 'integer':
      case 'number':
        return checks ? checkedScalar(schema, type) : { t: 'number' };
      case 'boolean':
        return checks ? checkedScalar(schema, 'boolean') : { t: 'boolean' };
      case 'array': {
        const items = Array.isArray(schema.items) ? undefined : (schema.items as SchemaObject | undefined);
        const itemType: TypeRef = items === undefined ? { t: 'unknown' } : this.typeOf(items, `${nameHint}Item`, `an item of ${where}`);
        return { t: 'array', items: itemType, ...(checks ? arrayRules(schema) : {}) };
      }
      case 'object': {
        const extra = schema.additionalProperties;
        if (typeof extra === 'object') return { t: 'record', values: this.typeOf(extra, `${nameHint}Value`, `a value of ${where}`) };
        return { t: 'unknownRecord' };
      }
      default:
        // No type: anything (apiextensions JSON, x-kubernetes-preserve-unknown-fields without a type).
        return { t: 'unknown' };
    }
  }
}

const STRING: TypeRef = { t: 'string' };
const INT_OR_STRING: TypeRef = { t: 'intOrString' };

function hasProperties(schema: SchemaObject): boolean {
  return schema.$ref === undefined && schema.properties !== undefined && Object.keys(schema.properties).length > 0;
}

function isCollection(type: TypeRef): boolean {
  return type.t === 'array' || type.t === 'record' || type.t === 'unknownRecord';
}

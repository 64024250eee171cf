/**
 * The emitter: one model {@link Module} to the text of one TypeScript module.
 */
import { compareStrings, declRefs, type Decl, type Module, type Prop, type TypeRef } from './model.js';

/**
 * How generated modules import what they do not declare.
 * @since 0.1.0
 */
export interface EmitOptions {
  /**
   * The runtime helpers (`defineKind`, `nullable`, `ResourceCodec`): a package specifier
   * (`kubex-rx/k8s/runtime`), or a path relative to the output directory (`../runtime`, without extension).
   */
  readonly runtimeModule: string;
  /**
   * Where modules that are not generated in this run live (`meta/v1` for a CRD): a package prefix
   * (`kubex-rx/k8s/v1_35`), or a path relative to the output directory. Modules generated in the same run are
   * always imported by relative path.
   */
  readonly modulePrefix: string;
  /** What the file header says the module was generated from (`swagger-v1.35.json`). */
  readonly source: string;
}

/** Names the emitted code itself uses at module scope. */
const RESERVED = new Set(['t', 'defineKind', 'intOrString', 'nullable', 'objectType', 'recordOf', 'ResourceCodec']);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string literal in the generated code's style. */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : quote(name);
}

/** A TSDoc block; `*\/` in descriptions is escaped so it cannot end the comment. */
function docBlock(text: string | undefined, indent: string): string {
  if (text === undefined || text.trim() === '') return '';
  const lines = text
    .trim()
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => line.trimEnd());
  return `${indent}/**\n${lines.map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)).join('\n')}\n${indent} */\n`;
}

/** The specifier of a module path or relative path, seen from a generated file one directory below the output root. */
function specifier(base: string, modulePath?: string): string {
  const target = modulePath === undefined ? base : `${base}/${modulePath}`;
  return base.startsWith('.') ? `../${target}.js` : target;
}

/** A valid identifier from a module path: `apiextensions.k8s.io/v1` → `apiextensions_k8s_io_v1`. */
function moduleIdentifier(path: string): string {
  return path.replace(/[^A-Za-z0-9_$]/g, '_');
}

/**
 * Orders declarations so that each comes after what it refers to (Tarjan's strongly connected components,
 * visiting names in sorted order, so the output is deterministic). Members of a cycle are flagged: they are
 * emitted with `t.recursion`, whose definition is evaluated lazily.
 */
function orderDecls(module: Module): Array<{ decl: Decl; recursive: boolean }> {
  const byName = new Map(module.decls.map((d) => [d.name, d]));
  const edges = new Map(
    module.decls.map((d) => [d.name, [...new Set(declRefs(d).filter((r) => r.module === module.path).map((r) => r.name))].sort(compareStrings)]),
  );
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: Array<{ decl: Decl; recursive: boolean }> = [];
  let counter = 0;
  const visit = (name: string): void => {
    index.set(name, counter);
    low.set(name, counter);
    counter++;
    stack.push(name);
    onStack.add(name);
    for (const next of edges.get(name) ?? []) {
      if (!byName.has(next)) throw new Error(`codegen: ${module.path}: ${name} refers to undeclared ${next}`);
      if (!index.has(next)) {
        visit(next);
        low.set(name, Math.min(low.get(name)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(name, Math.min(low.get(name)!, index.get(next)!));
      }
    }
    if (low.get(name) === index.get(name)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== name);
      const recursive = component.length > 1 || (edges.get(name) ?? []).includes(name);
      for (const m of component.sort(compareStrings)) out.push({ decl: byName.get(m)!, recursive });
    }
  };
  for (const decl of module.decls) if (!index.has(decl.name)) visit(decl.name);
  return out;
}

/**
 * The text of one generated module.
 *
 * @param module the module to emit.
 * @param generated the paths of every module generated in the same run (imported by relative path).
 * @param options import locations and the source named in the header.
 * @since 0.1.0
 */
export function emitModule(module: Module, generated: ReadonlySet<string>, options: EmitOptions): string {
  const local = new Set(module.decls.map((d) => d.name));
  // Imports: by module, names sorted; aliased when the name is declared here, reserved, or imported twice.
  const imported = new Map<string, Map<string, string>>();
  for (const decl of module.decls) {
    for (const ref of declRefs(decl)) {
      if (ref.module === module.path) continue;
      if (!imported.has(ref.module)) imported.set(ref.module, new Map());
      imported.get(ref.module)!.set(ref.name, ref.name);
    }
  }
  const nameCount = new Map<string, number>();
  for (const names of imported.values()) for (const name of names.keys()) nameCount.set(name, (nameCount.get(name) ?? 0) + 1);
  for (const [path, names] of imported) {
    for (const name of names.keys()) {
      if (local.has(name) || RESERVED.has(name) || nameCount.get(name)! > 1) names.set(name, `${moduleIdentifier(path)}_${name}`);
    }
  }
  const nameOf = (ref: Extract<TypeRef, { t: 'ref' }>): string => (ref.module === module.path ? ref.name : imported.get(ref.module)!.get(ref.name)!);

  const ordered = orderDecls(module);
  const body: string[] = [];
  let usesNullable = false;
  let usesKind = false;
  let usesObject = false;
  let usesRecord = false;
  let usesIntOrString = false;

  const tsType = (type: TypeRef): string => {
    switch (type.t) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'unknown':
        return type.t;
      case 'unknownRecord':
        return '{ [key: string]: unknown }';
      case 'intOrString':
        return 'number | string';
      case 'array': {
        const inner = tsType(type.items);
        return /^[A-Za-z0-9_$]+$/.test(inner) ? `${inner}[]` : `Array<${inner}>`;
      }
      case 'record':
        return `{ [key: string]: ${tsType(type.values)} }`;
      case 'nullable':
        return `${tsType(type.inner)} | null`;
      case 'union':
        return type.members.map(tsType).join(' | ');
      case 'ref':
        return nameOf(type);
    }
  };
  const codec = (type: TypeRef): string => {
    switch (type.t) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'unknown':
        return `t.${type.t}`;
      case 'unknownRecord':
        return 't.UnknownRecord';
      case 'intOrString':
        usesIntOrString = true;
        return 'intOrString';
      case 'array':
        return `t.array(${codec(type.items)})`;
      case 'record':
        usesRecord = true;
        return `recordOf(${codec(type.values)})`;
      case 'nullable':
        usesNullable = true;
        return `nullable(${codec(type.inner)})`;
      case 'union':
        return `t.union([${type.members.map(codec).join(', ')}])`;
      case 'ref':
        return nameOf(type);
    }
  };
  /** The codec expression of a declaration, at an indentation of `indent`. */
  const declCodec = (decl: Decl, indent: string): string => {
    const body = decl.body;
    if (body.kind === 'alias') return codec(body.type);
    usesObject = true;
    const props = (list: readonly Prop[]): string =>
      list.length === 0 ? '{}' : `{\n${list.map((p) => `${indent}  ${propertyKey(p.name)}: ${codec(p.type)},\n`).join('')}${indent}}`;
    const required = body.props.filter((p) => p.required);
    const optional = body.props.filter((p) => !p.required);
    return `objectType(${quote(decl.name)}, ${props(required)}, ${props(optional)}, ${objectCheck(required, optional, indent)})`;
  };
  /**
   * The condition under which `v` FAILS `type`'s `is`, as inline code (`typeof v !== 'string'`, `!ObjectMeta.is(v)`),
   * or `undefined` when it has no inline form (arrays, records, unions: the property's own codec is called).
   * `null` when every value passes (`unknown`).
   */
  const inlineFailure = (type: TypeRef): string | null | undefined => {
    switch (type.t) {
      case 'string':
      case 'number':
      case 'boolean':
        return `typeof v !== '${type.t}'`;
      case 'unknown':
        return null;
      case 'intOrString':
        return "typeof v !== 'number' && typeof v !== 'string'";
      case 'ref':
        return `!${nameOf(type)}.is(v)`;
      case 'nullable': {
        const inner = inlineFailure(type.inner);
        return inner === null || inner === undefined ? inner : `v !== null && ${inner}`;
      }
      default:
        return undefined;
    }
  };
  /**
   * The straight-line `check` of an object codec (the runtime's `ObjectCheck`): one line per property, required
   * ones first, in the order of the props, with literal property names. Accepts exactly what the generic loop of
   * `objectType` accepts: a required property must pass its codec's `is` (absent is `undefined`), an optional one
   * must be `undefined` or pass it; other properties are not looked at.
   */
  const objectCheck = (required: readonly Prop[], optional: readonly Prop[], indent: string): string => {
    const lines: string[] = [];
    const uses = { r: false, o: false };
    const line = (p: Prop, holder: 'r' | 'o'): void => {
      const failure = inlineFailure(p.type);
      if (failure === null) return;
      if (failure === undefined) uses[holder] = true;
      const fails = failure ?? `!${holder}${IDENTIFIER.test(p.name) ? `.${p.name}` : `[${quote(p.name)}]`}.is(v)`;
      const access = IDENTIFIER.test(p.name) ? `u.${p.name}` : `u[${quote(p.name)}]`;
      lines.push(`${indent}  v = ${access}; if (${p.required ? '' : 'v !== undefined && '}${fails}) return false;\n`);
    };
    for (const p of required) line(p, 'r');
    for (const p of optional) line(p, 'o');
    if (lines.length === 0) return '() => true';
    const params = uses.o ? '(u, r, o)' : uses.r ? '(u, r)' : '(u)';
    return `${params} => {\n${indent}  let v: unknown;\n${lines.join('')}${indent}  return true;\n${indent}}`;
  };

  for (const { decl, recursive } of ordered) {
    const from = decl.source === undefined ? '' : ` (\`${decl.source}\`)`;
    // The type.
    if (decl.body.kind === 'object') {
      const members = decl.body.props
        .map((p) => `${docBlock(p.description, '  ')}  ${propertyKey(p.name)}${p.required ? '' : '?'}: ${tsType(p.type)};\n`)
        .join('');
      body.push(`${docBlock(decl.description ?? decl.name, '')}export interface ${decl.name} {\n${members}}\n`);
    } else {
      body.push(`${docBlock(decl.description ?? decl.name, '')}export type ${decl.name} = ${tsType(decl.body.type)};\n`);
    }
    // The codec.
    let expression = recursive ? `t.recursion<${decl.name}>(${quote(decl.name)}, () =>\n  ${declCodec(decl, '  ')},\n)` : declCodec(decl, '');
    let doc = `The io-ts codec of {@link ${decl.name}}${from}.`;
    let annotation = `t.Type<${decl.name}>`;
    const resource = decl.resource;
    if (resource !== undefined) {
      usesKind = true;
      annotation = `ResourceCodec<${decl.name}>`;
      doc =
        `The io-ts codec of {@link ${decl.name}}${from}, and its resource descriptor: \`${resource.apiVersion}\` \`${resource.plural}\`, ` +
        `${resource.namespaced ? 'namespaced' : 'cluster-scoped'}.\n\n` +
        `One value for both uses: \`new Api(${decl.name}, { client })\` watches and lists ${decl.name} objects; ` +
        `\`${decl.name}.decode(x)\` (or \`${decl.name}.codec.decode(x)\`) validates one.`;
      const descriptor = `{ apiVersion: ${quote(resource.apiVersion)}, kind: ${quote(resource.kind)}, plural: ${quote(resource.plural)}, namespaced: ${resource.namespaced} }`;
      const inner = recursive ? `t.recursion<${decl.name}>(${quote(decl.name)}, () =>\n    ${declCodec(decl, '    ')},\n  )` : declCodec(decl, '  ');
      expression = `defineKind<${decl.name}>(\n  ${inner},\n  ${descriptor},\n)`;
    }
    body.push(`${docBlock(doc, '')}export const ${decl.name}: ${annotation} = ${expression};\n`);
  }

  const imports: string[] = ["import * as t from 'io-ts';"];
  const runtime = [...(usesKind ? ['defineKind'] : []), ...(usesIntOrString ? ['intOrString'] : []), ...(usesNullable ? ['nullable'] : []), ...(usesObject ? ['objectType'] : []), ...(usesRecord ? ['recordOf'] : []), ...(usesKind ? ['type ResourceCodec'] : [])];
  if (runtime.length > 0) imports.push(`import { ${runtime.join(', ')} } from ${quote(specifier(options.runtimeModule))};`);
  for (const path of [...imported.keys()].sort(compareStrings)) {
    const names = [...imported.get(path)!.entries()]
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([name, alias]) => (alias === name ? name : `${name} as ${alias}`));
    const from = generated.has(path) ? `../${path}.js` : specifier(options.modulePrefix, path);
    imports.push(`import { ${names.join(', ')} } from ${quote(from)};`);
  }
  const header = docBlock(
    `\`${module.path}\`: io-ts codecs, TypeScript types and resource descriptors.\n\n` +
      `Generated by kubex-rx codegen from ${options.source}. Do not edit: regenerate it.\n\n` +
      '@packageDocumentation',
    '',
  );
  return `${header}${imports.join('\n')}\n\n${body.join('\n')}`;
}

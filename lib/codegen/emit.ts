/**
 * The emitter: one model {@link Module} to the text of one TypeScript module.
 */
import { Expressions, propertyKey, quote, type RefType } from './expressions.js';
import { compareStrings, declRefs, type Module } from './model.js';
import { orderDecls } from './order.js';

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

/** Names the emitted code itself uses at module scope: `t` and the runtime helpers. */
const RESERVED = new Set(['t', 'arrayWith', 'defineKind', 'enumOf', 'intOrString', 'integer', 'integerWith', 'nullable', 'numberWith', 'objectType', 'recordOf', 'ResourceCodec', 'stringWith']);

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
  const nameOf = (ref: RefType): string => (ref.module === module.path ? ref.name : imported.get(ref.module)!.get(ref.name)!);
  const expressions = new Expressions(nameOf);

  const ordered = orderDecls(module);
  const body: string[] = [];

  for (const { decl, recursive } of ordered) {
    const from = decl.source === undefined ? '' : ` (\`${decl.source}\`)`;
    // The type.
    if (decl.body.kind === 'object') {
      const members = decl.body.props
        .map((p) => `${docBlock(p.description, '  ')}  ${propertyKey(p.name)}${p.required ? '' : '?'}: ${expressions.tsType(p.type)};\n`)
        .join('');
      body.push(`${docBlock(decl.description ?? decl.name, '')}export interface ${decl.name} {\n${members}}\n`);
    } else {
      body.push(`${docBlock(decl.description ?? decl.name, '')}export type ${decl.name} = ${expressions.tsType(decl.body.type)};\n`);
    }
    // The codec.
    const codec = (indent: string): string => expressions.declCodec(decl, indent);
    let expression = recursive ? `t.recursion<${decl.name}>(${quote(decl.name)}, () =>\n  ${codec('  ')},\n)` : codec('');
    let doc = `The io-ts codec of {@link ${decl.name}}${from}.`;
    let annotation = `t.Type<${decl.name}>`;
    const resource = decl.resource;
    if (resource !== undefined) {
      expressions.runtime.add('defineKind');
      annotation = `ResourceCodec<${decl.name}>`;
      doc =
        `The io-ts codec of {@link ${decl.name}}${from}, and its resource descriptor: \`${resource.apiVersion}\` \`${resource.plural}\`, ` +
        `${resource.namespaced ? 'namespaced' : 'cluster-scoped'}.\n\n` +
        `One value for both uses: \`new Api(${decl.name}, { client })\` watches and lists ${decl.name} objects; ` +
        `\`${decl.name}.decode(x)\` (or \`${decl.name}.codec.decode(x)\`) validates one.`;
      const descriptor = `{ apiVersion: ${quote(resource.apiVersion)}, kind: ${quote(resource.kind)}, plural: ${quote(resource.plural)}, namespaced: ${resource.namespaced} }`;
      const inner = recursive ? `t.recursion<${decl.name}>(${quote(decl.name)}, () =>\n    ${codec('    ')},\n  )` : codec('  ');
      expression = `defineKind<${decl.name}>(\n  ${inner},\n  ${descriptor},\n)`;
    }
    // An alias's unchecked rules (an object's are beside its properties).
    const notes = expressions.takeNotes().map((note) => `// Left to the API server: ${note}.\n`).join('');
    body.push(`${docBlock(doc, '')}${notes}export const ${decl.name}: ${annotation} = ${expression};\n`);
  }

  const imports: string[] = ["import * as t from 'io-ts';"];
  // Runtime helpers sorted by name, then the type (the order the built-in models have always had).
  const runtime = [...expressions.runtime].sort(compareStrings);
  if (expressions.runtime.has('defineKind')) runtime.push('type ResourceCodec');
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

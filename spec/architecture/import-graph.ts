/**
 * The static import graph of `lib/`: every `import ... from './x.js'` and `export ... from './x.js'` between
 * source files, read with the TypeScript parser (so multi-line and `type`-only imports are seen as the compiler sees
 * them). Dynamic `import()` and `typeof import()` are not edges: they are how a module is loaded lazily on purpose
 * (`createClient` → `resolve-config.ts`, the CLI's sub-commands) and cannot make a load-time cycle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import or re-export of a module of `lib/` by another. */
export interface ImportEdge {
  /** The imported module, relative to `lib/` with `/` separators (`informer/informer.ts`). */
  readonly to: string;
  /** `import type`, `export type`, or every named binding marked `type`: erased from the emitted JavaScript. */
  readonly typeOnly: boolean;
}

/** Module (relative to `lib/`) → its imports of other modules of `lib/`. */
export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function typeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import './x.js'`: run for its effects
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function typeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** Reads the relative imports of every `.ts` file under `root`. */
export function importGraph(root: string): ImportGraph {
  const graph = new Map<string, ImportEdge[]>();
  const name = (path: string) => relative(root, path).split(sep).join('/');
  for (const file of sourceFiles(root)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const edges: ImportEdge[] = [];
    for (const statement of source.statements) {
      let specifier: ts.Expression | undefined;
      let typeOnly = false;
      if (ts.isImportDeclaration(statement)) {
        specifier = statement.moduleSpecifier;
        typeOnly = typeOnlyImport(statement);
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
        specifier = statement.moduleSpecifier;
        typeOnly = typeOnlyExport(statement);
      }
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
      let target = resolve(dirname(file), specifier.text).replace(/\.js$/, '.ts');
      const asDir = target.replace(/\.ts$/, '');
      if (statSync(asDir, { throwIfNoEntry: false })?.isDirectory()) target = join(asDir, 'index.ts');
      edges.push({ to: name(target), typeOnly });
    }
    graph.set(name(file), edges);
  }
  return graph;
}

/**
 * The import cycles of a graph, following only the edges `follow` accepts: each strongly connected component of more
 * than one module (or a module importing itself), as its sorted module names, sorted (Tarjan's algorithm).
 */
export function importCycles(graph: ImportGraph, follow: (from: string, edge: ImportEdge) => boolean = () => true): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const targets = (v: string) => (graph.get(v) ?? []).filter((e) => follow(v, e)).map((e) => e.to);
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of targets(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || targets(v).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

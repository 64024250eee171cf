/**
 * The order of declarations in a generated module: ES modules evaluate `const` codecs top to bottom, so each
 * declaration comes after those it uses.
 */
import { compareStrings, declRefs, type Decl, type Module } from './model.js';

/**
 * Orders declarations so that each comes after what it refers to (Tarjan's strongly connected components,
 * visiting names in sorted order, so the output is deterministic). Members of a cycle are flagged: they are
 * emitted with `t.recursion`, whose definition is evaluated lazily.
 *
 * Throws an `Error` when a declaration refers to one the module does not declare.
 * @since 0.2.0
 */
export function orderDecls(module: Module): Array<{ decl: Decl; recursive: boolean }> {
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

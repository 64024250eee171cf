/**
 * Layering of `lib/` that the compiler does not check (issue #14): no import cycles, and operators that do not know
 * the client. A cycle makes the evaluation order of ES modules depend on which module is imported first (a class
 * used before its module has run is a TDZ ReferenceError), and it makes two modules one: neither can be read, tested
 * or moved without the other.
 *
 * Type-only imports count as well, except inside `lib/testing`: they are erased from the JavaScript, so they cannot
 * break loading, but the cycles #14 names (`api.ts` ↔ `informer.ts`, `create-client.ts` ↔ `resolve-config.ts`) were
 * type-level in one direction, and a type that two modules need belongs to a module both import. The FakeApiServer's
 * store, strategies and kind tables still describe each other's types (known debt, one knot of ~20 files); there
 * only value imports must not loop.
 */
import { describe, expect, it } from '@jest/globals';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraph, type ImportEdge, type ImportGraph } from './import-graph.js';

const lib = resolve(dirname(fileURLToPath(import.meta.url)), '../../lib');
const graph = importGraph(lib);

const inTesting = (module: string) => module.startsWith('testing/');

describe('the import graph of lib/', () => {
  it('is read: it holds the modules and their imports of each kind', () => {
    expect(graph.get('api/api.ts')).toContainEqual({ to: 'informer/informer.ts', typeOnly: false });
    expect(graph.get('informer/informer.ts')).toContainEqual({ to: 'informer/informer-source.ts', typeOnly: true });
    expect(graph.get('index.ts')?.length).toBeGreaterThan(5);
  });

  it('has no cycle of value imports', () => {
    expect(importCycles(graph, (_from, edge) => !edge.typeOnly)).toEqual([]);
  });

  it('has no cycle of imports, type-only ones included, outside lib/testing', () => {
    expect(importCycles(graph, (from, edge) => !(edge.typeOnly && inTesting(from) && inTesting(edge.to)))).toEqual([]);
  });

  it('lets no operator import the client (the transient-error rule reads lib/errors only)', () => {
    const offending = [...graph]
      .filter(([from]) => from.startsWith('operators/'))
      .flatMap(([from, edges]) => edges.filter((e) => e.to.startsWith('client/')).map((e) => `${from} → ${e.to}`));
    expect(offending).toEqual([]);
  });
});

describe('importCycles', () => {
  const edge = (to: string, typeOnly = false): ImportEdge => ({ to, typeOnly });
  const planted: ImportGraph = new Map([
    ['a.ts', [edge('b.ts')]],
    ['b.ts', [edge('c.ts', true)]],
    ['c.ts', [edge('a.ts')]],
    ['d.ts', [edge('d.ts')]],
    ['e.ts', [edge('a.ts')]],
  ]);

  it('finds every cycle, a self-import included, and nothing that only leads into one', () => {
    expect(importCycles(planted)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('follows only the edges it is told to', () => {
    expect(importCycles(planted, (_from, e) => !e.typeOnly)).toEqual([['d.ts']]);
  });
});

/** What kubex-rx reads of Node's `process`: the one place that tells Node from a browser. */
export interface NodeProcessLike {
  readonly versions?: { readonly node?: string };
  readonly platform?: string;
  readonly arch?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Node's `process` when this runtime is Node.js, else `undefined` (browsers, and bundles that define a partial
 * `process` shim without `versions.node`). Looked up through `globalThis` so that bundlers pull in no polyfill.
 * @internal
 */
export function nodeProcess(): NodeProcessLike | undefined {
  const proc = (globalThis as { process?: NodeProcessLike }).process;
  return typeof proc?.versions?.node === 'string' ? proc : undefined;
}

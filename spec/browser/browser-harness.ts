/**
 * Shared by the real-browser tests: finding Chromium, bundling a page for the browser with esbuild (failing on any
 * Node built-in or node-fetch), serving it from a tiny static server, and launching headless Chromium.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

/** Debian's `chromium` (or `KUBEX_CHROMIUM`); `undefined` when not installed. */
export function findChromium(): string | undefined {
  const candidates = [process.env['KUBEX_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => typeof path === 'string' && path !== '' && existsSync(path));
}

/**
 * What a browser bundle must never contain. esbuild with `platform: 'browser'` already refuses `node:` built-ins;
 * this also refuses the bare built-in names and node-fetch (a Node-only dependency), wherever they are imported
 * from, statically or by a literal dynamic `import()`.
 */
export const noNodeInBrowser: Plugin = {
  name: 'no-node-in-browser',
  setup(b) {
    const builtins = /^(node:.*|fs|fs\/promises|http|https|http2|net|tls|os|path|crypto|stream|zlib|url|util|child_process|events|buffer|dns|worker_threads|async_hooks)$/;
    b.onResolve({ filter: builtins }, (args) => ({
      errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer} would be bundled for the browser` }],
    }));
    b.onResolve({ filter: /^node-fetch(\/.*)?$/ }, (args) => ({
      errors: [{ text: `node-fetch imported by ${args.importer} would be bundled for the browser` }],
    }));
  },
};

/** esbuild options of a browser page: ESM, browser platform, no Node built-ins, no polyfills. */
export function browserBuildOptions(entry: string, extra: Partial<BuildOptions> = {}): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    metafile: true,
    plugins: [noNodeInBrowser],
    ...extra,
  };
}

/** Bundles `entry` for the browser; rejects with esbuild's errors. Returns the script and the bundled inputs. */
export async function bundleForBrowser(entry: string, extra: Partial<BuildOptions> = {}): Promise<{ code: string; inputs: string[] }> {
  let result;
  try {
    result = await build(browserBuildOptions(entry, extra));
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    if (!errors) throw error;
    const lines = errors.map((e) => `${e.text}${e.location ? ` (${e.location.file}:${e.location.line})` : ''}`);
    throw new Error(`esbuild could not bundle ${entry} for the browser:\n${[...new Set(lines)].join('\n')}`, { cause: error });
  }
  const output = result.outputFiles?.[0];
  if (output === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return { code: output.text, inputs: Object.keys(result.metafile?.inputs ?? {}) };
}

/** A static server for one page: `/` is `html`, `/page.js` is `script`. */
export async function servePage(html: string, script: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
    else if (path === '/page.js') res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(script);
    else if (path === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404).end();
  });
  // `localhost` vs the fake's `127.0.0.1`: a different origin, so every API call is a real cross-origin request.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Headless Chromium with the flags that work in containers and CI. playwright's `launch` gives every browser a
 * fresh temporary profile (`--user-data-dir`) and deletes it on close (it refuses the flag in `args`).
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

/** The page around a bundled script. */
export function pageHtml(title: string, body = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}<script type="module" src="/page.js"></script></body></html>`;
}

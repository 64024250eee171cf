#!/usr/bin/env node
// `npm run bench`: builds the benchmark with the repo's tsc (bench/tsconfig.json: bench/*.ts and the parts of lib/
// they import, into bench/.out; dist/ is untouched), then runs bench/.out/bench/index.js. See bench/index.ts.
//
// Type errors do not stop the run: lib/ may be mid-edit (or mid-generation) while its JavaScript is still
// perfectly runnable. They are printed, with a warning, and the emitted code is benchmarked.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const bench = fileURLToPath(new URL('.', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const started = Date.now();
const build = spawnSync(process.execPath, [tsc, '-p', `${bench}tsconfig.json`], { stdio: 'inherit' });
const entry = `${bench}.out/bench/index.js`;
if (build.status !== 0) {
  if (!existsSync(entry)) process.exit(build.status ?? 1);
  console.warn('bench: tsc reported the errors above; benchmarking the JavaScript it emitted anyway.');
}
console.log(`bench: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
await import(entry);

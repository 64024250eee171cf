#!/usr/bin/env node
// `npm start` and `npm run sample:*`: runs a sample from samples/, building only what changed.
//
//   node samples/run.mjs <sample> [args for the sample]      e.g. node samples/run.mjs watch-pods --cluster
//
// The samples import `kubex-rx` as a user does: the package's own exports, i.e. the built dist/. Building the
// library takes ~20 s, so it is built only when lib/ (or the build config) changed since the last successful build,
// and the samples only when they or dist/ changed; each step says so before it starts. A second `npm start` starts
// in about a second. A stamp file per step (in dist-samples/, never published) records the last successful build:
// a build that failed half-way is not taken for a good one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const stamps = join(root, 'dist-samples', '.stamps');

const [sample, ...args] = process.argv.slice(2);
if (!sample) {
  console.error('usage: node samples/run.mjs <sample> [args]   (a file under samples/, without .ts: watch-pods, nestjs/main, ...)');
  process.exit(2);
}
// A sample in a folder with its own tsconfig (nestjs/) is compiled with that; the others with samples/tsconfig.json.
const folder = sample.includes('/') ? sample.slice(0, sample.lastIndexOf('/')) : '';
const project = existsSync(join(root, 'samples', folder, 'tsconfig.json')) ? join('samples', folder, 'tsconfig.json') : join('samples', 'tsconfig.json');

step('library', 'dist/index.js', ['lib', 'tsconfig.json', 'tsconfig.build.json', 'package.json'], 'tsconfig.build.json', 'building kubex-rx into dist/ (~20 s)');
step(`samples-${folder || 'top'}`, join('dist-samples', `${sample}.js`), [join('samples', folder), 'dist/.'], project, `compiling ${project.replace(/tsconfig\.json$/, '')}`);

const entry = join(root, 'dist-samples', `${sample}.js`);
if (!existsSync(entry)) {
  console.error(`kubex-rx samples: no sample ${sample} (samples/${sample}.ts)`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [entry, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);

/**
 * Runs `tsc -p config` unless its output exists and every input is older than this step's stamp of its last
 * successful run (`npm run clean` or `npm pack` may have removed dist/ since).
 */
function step(name, output, inputs, config, message) {
  const stamp = join(stamps, name);
  const built = existsSync(stamp) && existsSync(join(root, output)) ? statSync(stamp).mtimeMs : 0;
  if (inputs.every((input) => newest(join(root, input)) < built)) return;
  console.error(`kubex-rx samples: ${message}${built ? ': its sources changed since the last build' : ''}...`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, config)], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  mkdirSync(stamps, { recursive: true });
  // Dated when the build started: an input saved while it ran is newer, and is built next time.
  writeFileSync(stamp, '');
  utimesSync(stamp, new Date(started), new Date(started));
  console.error(`kubex-rx samples: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The newest modification time of a file, or of anything below a directory (`dir/.`: the directory's own files only). */
function newest(path) {
  if (path.endsWith('/.')) {
    const dir = path.slice(0, -2);
    return existsSync(dir) ? Math.max(0, ...readdirSync(dir).map((e) => statSync(join(dir, e)).mtimeMs)) : Infinity;
  }
  if (!existsSync(path)) return Infinity;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

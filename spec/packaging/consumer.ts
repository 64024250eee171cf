/**
 * The published package as a user gets it, for the packaging specs: the tarball `npm pack` makes (its `prepack`
 * builds the library) and fresh consumer projects that install it with npm.
 *
 * Packing builds the whole library (~30 s), so the tarball is made once per content of the package's inputs and
 * shared by every spec file (jest runs them in parallel workers): the first worker packs under an exclusive lock
 * directory, the others wait for its `done` marker.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../vendor/index.js';

const run = promisify(execFile);
export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** The repository's TypeScript compiler. */
export const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** What `npm pack` needs of the repository (copied, so the build never touches the working tree's dist/). */
const PACK_INPUTS = ['lib', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/** Options of {@link sh}. */
export interface ShOptions {
  /**
   * Kill the command (SIGTERM) if it has not exited after this many ms, and fail: for a program that must end by
   * itself (a process still running then has left something open). Default: no limit.
   */
  readonly timeoutMs?: number;
}

/** Runs a command; returns its stdout, or throws with its stdout and stderr in the message. */
export async function sh(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, options: ShOptions = {}): Promise<string> {
  try {
    const { stdout } = await run(file, [...args], { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 0 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string; killed?: boolean };
    const why = e.killed === true ? `still running after ${options.timeoutMs} ms, killed` : e.message;
    throw new Error(`${file} ${args.join(' ')} (in ${cwd}) failed: ${why}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** The path of the packed tarball of the repository as it is now; packs it unless a worker already did. */
export async function packedTarball(): Promise<string> {
  const dir = join(tmpdir(), `kubex-pack-${inputsHash()}`);
  const done = join(dir, 'done');
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(done)) return join(dir, readFileSync(done, 'utf8'));
    try {
      mkdirSync(lock); // atomic: exactly one worker packs
    } catch {
      // A lock left by a worker that died mid-pack (older than any pack takes) is taken over.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 600_000) rmSync(lock, { recursive: true, force: true });
      else await waitFor(() => existsSync(done) || !existsSync(lock), 300_000);
      continue;
    }
    try {
      rmSync(dir, { recursive: true, force: true });
      const source = join(dir, 'source');
      mkdirSync(source, { recursive: true });
      for (const entry of PACK_INPUTS) {
        if (existsSync(join(REPO_ROOT, entry))) cpSync(join(REPO_ROOT, entry), join(source, entry), { recursive: true });
      }
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
      const packed = JSON.parse(await sh(NPM, ['pack', '--json', '--pack-destination', dir], source)) as [{ filename: string }];
      rmSync(source, { recursive: true, force: true });
      writeFileSync(done, packed[0].filename);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Options of {@link createConsumer}. */
export interface ConsumerOptions {
  /** Further packages to install beside the tarball (npm specs, e.g. `@nestjs/common@^11`). */
  readonly install?: readonly string[];
  /** Fields of the consumer's package.json (default: an ESM project). */
  readonly packageJson?: Record<string, unknown>;
}

/** A fresh project in a temp dir with the packed tarball installed by npm; remove it with `rmSync` when done. */
export async function createConsumer(options: ConsumerOptions = {}): Promise<string> {
  const tarball = await packedTarball();
  const project = mkdtempSync(join(tmpdir(), 'kubex-consumer-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', ...options.packageJson }));
  // The peers rxjs, io-ts and fp-ts are installed by npm as (non-optional) peers.
  await sh(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', tarball, ...(options.install ?? [])], project);
  return project;
}

/** A hash of every file `npm pack` reads, so a changed library is packed again. */
function inputsHash(): string {
  const hash = createHash('sha256');
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
      return;
    }
    hash.update(relative(REPO_ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
  };
  for (const entry of PACK_INPUTS) visit(join(REPO_ROOT, entry));
  return hash.digest('hex').slice(0, 16);
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for another worker to pack kubex-rx');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

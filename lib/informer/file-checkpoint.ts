/**
 * A {@link CheckpointStore} in one file (issue #14). Node only: `node:fs` is imported when the store is first used,
 * through specifiers bundlers do not follow, so importing kubex-rx in a browser bundles no Node built-in.
 */
import type { CheckpointStore } from './checkpoint.js';

/* Specifiers bundlers cannot follow (as `createClient` does for its Node-only configuration). */
const FS = 'node:fs/promises';
const PATH = 'node:path';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

let modules: Promise<{ fs: Fs; path: Path }> | undefined;
const node = (): Promise<{ fs: Fs; path: Path }> =>
  (modules ??= Promise.all([
    import(/* webpackIgnore: true */ /* @vite-ignore */ FS) as Promise<Fs>,
    import(/* webpackIgnore: true */ /* @vite-ignore */ PATH) as Promise<Path>,
  ]).then(([fs, path]) => ({ fs, path })));

/**
 * The {@link CheckpointStore} of {@link fileCheckpoint}.
 * @since 0.3.0
 */
export interface FileCheckpoint extends CheckpointStore {
  /** The checkpoint file. */
  readonly path: string;
}

/**
 * A checkpoint kept in one file, for `api.informer({ checkpoint: fileCheckpoint(path) })`.
 *
 * Every save is atomic and durable: the text goes to a temporary file in the same directory (`.NAME.PID.RANDOM.tmp`),
 * which is flushed to disk (`fsync`) and renamed over `path` (atomic on POSIX file systems), then the directory is
 * flushed so the rename itself survives a power cut. A crash mid-save leaves the previous checkpoint intact and at
 * most a temporary file, which is never read and which a later load removes (once a minute old: another
 * process may be saving). The directory must exist; the file is
 * created readable by its owner only (objects such as Secrets may be in it).
 *
 * A missing file loads as "no checkpoint"; any other read error makes the informer start fresh with a warning.
 *
 * @example
 * ```ts
 * const informer = pods.informer({ checkpoint: fileCheckpoint('/var/lib/forwarder/pods.ckpt') });
 * const sub = informer.events$.subscribe(forward);
 * process.on('SIGTERM', async () => {
 *   sub.unsubscribe();                 // the last unsubscribe saves the checkpoint...
 *   await informer.flushCheckpoint();  // ...and this waits for the write
 *   process.exit(0);
 * });
 * ```
 * @since 0.3.0
 */
export function fileCheckpoint(path: string): FileCheckpoint {
  if (typeof path !== 'string' || path === '') throw new TypeError('fileCheckpoint: path must be a non-empty string');
  /** Temporary files this process is writing now: a load must not remove them. */
  const writing = new Set<string>();
  return {
    path,
    description: path,
    async load(): Promise<string | undefined> {
      const { fs } = await node();
      await removeLeftovers(path, writing);
      try {
        return await fs.readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async save(text: string): Promise<void> {
      const { fs, path: p } = await node();
      const dir = p.dirname(path);
      const temp = p.join(dir, `.${p.basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
      writing.add(temp);
      try {
        const file = await fs.open(temp, 'w', 0o600);
        try {
          await file.writeFile(text, 'utf8');
          await file.sync(); // the data is on disk before the rename makes it the checkpoint
        } finally {
          await file.close();
        }
        await fs.rename(temp, path);
      } catch (error) {
        await fs.rm(temp, { force: true }).catch(() => undefined);
        throw error;
      } finally {
        writing.delete(temp);
      }
      // The rename is durable once the directory is flushed. Some platforms (Windows) cannot open a directory:
      // the checkpoint is still consistent there, only possibly older after a power cut.
      try {
        const directory = await fs.open(dir, 'r');
        try {
          await directory.sync();
        } finally {
          await directory.close();
        }
      } catch {
        // best effort, see above
      }
    },
  };
}

/** How old (ms since its last write) a temporary file must be to count as a crashed save's leftover. */
const LEFTOVER_AGE_MS = 60_000;

/** Removes the temporary files a crashed save of this checkpoint left behind (never the ones being written). */
async function removeLeftovers(path: string, writing: ReadonlySet<string>): Promise<void> {
  const { fs, path: p } = await node();
  const dir = p.dirname(path);
  const prefix = `.${p.basename(path)}.`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  await Promise.all(
    names
      .filter((name) => name.startsWith(prefix) && name.endsWith('.tmp') && !writing.has(p.join(dir, name)))
      .map(async (name) => {
        const temp = p.join(dir, name);
        // Another process may be saving right now (a rolling restart overlapping on a shared volume): only a file
        // untouched for a while is a leftover.
        const stat = await fs.stat(temp).catch(() => undefined);
        if (stat !== undefined && now - stat.mtimeMs > LEFTOVER_AGE_MS) await fs.rm(temp, { force: true }).catch(() => undefined);
      }),
  );
}

/**
 * The informer's durable checkpoint (issue #14): where it is kept ({@link CheckpointStore}) and what it holds (the
 * format below, its encoder and its validating decoder). The informer side (restore, throttled saves, the save at
 * shutdown) is in `checkpointing.ts`; the file store in `file-checkpoint.ts`.
 *
 * Neither client-go nor kube-rs keeps a checkpoint: client-go's reflector (`tools/cache/reflector.go`) keeps its
 * `lastSyncResourceVersion` in memory and its first `ListAndWatch` always lists (or watch-lists) everything, and
 * kube-rs's `watcher` (`kube-runtime/src/watcher.rs`) starts in its `Empty` state, which is an initial list; their
 * stores live in memory only. A restarted process therefore replays the world to its handlers. Resuming a watch from a saved resourceVersion is
 * safe only while the server still holds the history after it (etcd's compaction window, ~5 min by default, or the
 * watch cache's size): then the server replays every change since, deletions included, and the restored store
 * becomes exact. When it does not, it answers 410 Gone, and the informer's ordinary relist (watch-list) rebuilds the
 * state, its synthetic DELETED events covering what vanished meanwhile. A stale checkpoint therefore costs one
 * relist, never a wrong store: the saved resourceVersion is only ever sent back to the server, never compared.
 *
 * The format, version 1: UTF-8 text, a header line then one object per line (JSON, the codec's encoding):
 *
 * ```
 * {"format":"kubex-rx/informer-checkpoint","version":1,"for":{...},"resourceVersion":"1234","count":2,"crc32":"1c291ca3","savedAt":"..."}
 * {"apiVersion":"v1","kind":"Pod","metadata":{...},...}
 * {"apiVersion":"v1","kind":"Pod","metadata":{...},...}
 * ```
 *
 * `for` says which informer wrote it (resource, namespace, selectors); `count` and the CRC-32 of everything after
 * the header line catch a truncated or corrupted body that would still parse. Nothing in a checkpoint is trusted
 * before all of that is checked and every object decoded again with the resource's codec.
 */
import type * as t from 'io-ts';
import { formatValidationErrors } from '../watch/decode-event.js';
import { objectKey } from '../store/object-store.js';

/** The `format` field of every checkpoint. */
export const CHECKPOINT_FORMAT = 'kubex-rx/informer-checkpoint';
/** The version of the format this release writes and reads; a file of another version is ignored. */
export const CHECKPOINT_VERSION = 1;

/**
 * Where an informer keeps its checkpoint: one opaque text, loaded once when the informer starts and replaced by
 * every save. {@link fileCheckpoint} keeps it in a file; implement this interface to keep it elsewhere (a volume,
 * Redis, an object store). The informer validates what `load` returns (format, identity, checksum, the codec),
 * so a store needs no validation of its own, but `save` must replace the text atomically: a reader sees the old
 * text or the new one, never a mix.
 *
 * Both methods may answer synchronously (an in-memory store, a marble test in virtual time) or with a Promise.
 *
 * @since 0.3.0
 */
export interface CheckpointStore {
  /** The last text saved, or `undefined` when there is none. May throw or reject: the informer then starts fresh. */
  load(): string | undefined | PromiseLike<string | undefined>;
  /** Replaces the text, atomically. May throw or reject: the informer logs a warning and saves again later. */
  save(text: string): void | PromiseLike<void>;
  /** What the log names when reporting on this store (e.g. the file's path). */
  readonly description?: string;
}

/**
 * What a checkpoint is for: the informer that wrote it. A checkpoint written for another resource, namespace or
 * selector is ignored (its objects and resourceVersion say nothing about this informer's state).
 * @since 0.3.0
 */
export interface CheckpointIdentity {
  /**
   * The API server's URL (the client's `server`), `null` without a client. A resourceVersion means nothing on
   * another cluster: one that happens to be further along would replay its own history onto the other's objects.
   */
  readonly server: string | null;
  /** The resource's `apiVersion` (`v1`, `apps/v1`). */
  readonly apiVersion: string;
  /** The resource's kind (`Pod`). */
  readonly kind: string;
  /** The resource's plural (`pods`). */
  readonly plural: string;
  /** The namespace watched; `null` for all namespaces or a cluster-scoped resource. */
  readonly namespace: string | null;
  /** The label selector; `null` when none. */
  readonly labelSelector: string | null;
  /** The field selector; `null` when none. */
  readonly fieldSelector: string | null;
}

/** A checkpoint that passed every check: the objects (decoded by the codec) and where to resume. */
export interface DecodedCheckpoint<T> {
  readonly resourceVersion: string;
  readonly objects: readonly T[];
  /** When it was written (ISO 8601), as the header says. */
  readonly savedAt: string;
}

/** Why a checkpoint was refused: the text logged with the warning. */
export class CheckpointRejected extends Error {
  override readonly name = 'CheckpointRejected';
}

/** Serializes a checkpoint (objects already encoded by the codec). */
export function encodeCheckpoint(identity: CheckpointIdentity, resourceVersion: string, encoded: readonly unknown[], now: Date = new Date()): string {
  const body = encoded.map((object) => `${JSON.stringify(object)}\n`).join('');
  const header = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    for: identity,
    resourceVersion,
    count: encoded.length,
    crc32: crc32Hex(body),
    savedAt: now.toISOString(),
  };
  return `${JSON.stringify(header)}\n${body}`;
}

/**
 * Parses and checks a checkpoint; throws {@link CheckpointRejected} saying why it cannot be trusted: not this
 * format or version, written for another informer, a count or checksum that does not match (truncated, torn,
 * corrupted), a line that is not JSON, an object the codec rejects, or two objects with one key.
 */
export function decodeCheckpoint<T>(text: string, identity: CheckpointIdentity, codec: t.Type<T, unknown, unknown>): DecodedCheckpoint<T> {
  const newline = text.indexOf('\n');
  if (newline < 0) throw new CheckpointRejected('no header line (empty or truncated)');
  let header: unknown;
  try {
    header = JSON.parse(text.slice(0, newline));
  } catch {
    throw new CheckpointRejected('the header line is not JSON (corrupted, or not a checkpoint)');
  }
  if (typeof header !== 'object' || header === null) throw new CheckpointRejected('the header line is not an object');
  const h = header as Record<string, unknown>;
  if (h['format'] !== CHECKPOINT_FORMAT) throw new CheckpointRejected(`not a kubex-rx informer checkpoint (format ${JSON.stringify(h['format'])})`);
  if (h['version'] !== CHECKPOINT_VERSION) throw new CheckpointRejected(`format version ${JSON.stringify(h['version'])}, this release reads ${CHECKPOINT_VERSION}`);
  const mismatch = identityMismatch(h['for'], identity);
  if (mismatch !== undefined) throw new CheckpointRejected(`written for another informer (${mismatch})`);
  const { resourceVersion, count, crc32, savedAt } = h;
  if (typeof resourceVersion !== 'string' || resourceVersion === '') throw new CheckpointRejected('no resourceVersion');
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw new CheckpointRejected('no object count');
  const body = text.slice(newline + 1);
  if (crc32Hex(body) !== crc32) throw new CheckpointRejected('checksum mismatch (truncated or corrupted)');
  const lines = body === '' ? [] : body.slice(0, -1).split('\n');
  if (lines.length !== count || (body !== '' && !body.endsWith('\n'))) throw new CheckpointRejected(`${lines.length} objects, the header says ${count}`);
  const objects: T[] = [];
  const keys = new Set<string>();
  for (const [i, line] of lines.entries()) {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new CheckpointRejected(`object ${i + 1} is not JSON`);
    }
    const decoded = codec.decode(raw);
    if (decoded._tag === 'Left') throw new CheckpointRejected(`object ${i + 1} does not match ${codec.name}: ${formatValidationErrors(decoded.left).slice(0, 3).join('; ')}`);
    const key = objectKey(decoded.right as { metadata?: { name?: string; namespace?: string } });
    if (keys.has(key)) throw new CheckpointRejected(`two objects with the key ${key}`);
    keys.add(key);
    objects.push(decoded.right);
  }
  return { resourceVersion, objects, savedAt: typeof savedAt === 'string' ? savedAt : '' };
}

/** What differs between the identity a checkpoint records and the expected one; `undefined` when they match. */
function identityMismatch(recorded: unknown, expected: CheckpointIdentity): string | undefined {
  if (typeof recorded !== 'object' || recorded === null) return 'no identity';
  const r = recorded as Record<string, unknown>;
  for (const field of ['server', 'apiVersion', 'kind', 'plural', 'namespace', 'labelSelector', 'fieldSelector'] as const) {
    if (r[field] !== expected[field]) return `${field} ${JSON.stringify(r[field])}, expected ${JSON.stringify(expected[field])}`;
  }
  return undefined;
}

/** CRC-32 (IEEE 802.3, zlib's) of the UTF-8 bytes of `text`, as 8 hex digits. Synchronous, so restores stay in virtual time. */
export function crc32Hex(text: string): string {
  return nativeCrc32 !== undefined ? (nativeCrc32(text) >>> 0).toString(16).padStart(8, '0') : portableCrc32Hex(text);
}

/** {@link crc32Hex} in plain JavaScript (the fallback; exported for its spec). */
export function portableCrc32Hex(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

/**
 * Node's `zlib.crc32` (Node 20.15+, the same function over the same UTF-8 bytes, ~5x faster on a 40 MB checkpoint),
 * loaded in the background when running in Node through a specifier bundlers do not follow; the table below
 * otherwise (browsers, or a checkpoint decoded before the import settles).
 */
let nativeCrc32: ((data: string) => number) | undefined;
const ZLIB = 'node:zlib';
if (typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string') {
  void (import(/* webpackIgnore: true */ /* @vite-ignore */ ZLIB) as Promise<{ crc32?: (data: string) => number }>).then(
    (zlib) => void (nativeCrc32 = typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined),
    () => undefined,
  );
}

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

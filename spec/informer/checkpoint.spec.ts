/**
 * The checkpoint format and `fileCheckpoint` on the real file system (a temporary directory per test): round trip,
 * atomic saves, and every kind of bad file (a crashed save's leftover, truncated, garbage, another informer's,
 * another format version, an object the codec rejects) ignored with a warning when restored.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import * as t from 'io-ts';
import { asyncScheduler, lastValueFrom, NEVER, Subject, toArray } from 'rxjs';
import type { Log } from '../../lib/client/log.js';
import { fileCheckpoint as rootFileCheckpoint } from '../../lib/index.js';
import { crc32Hex, decodeCheckpoint, portableCrc32Hex, encodeCheckpoint, type CheckpointIdentity, type CheckpointStore } from '../../lib/informer/checkpoint.js';
import { Informer } from '../../lib/informer/informer.js';
import type { InformerEvent } from '../../lib/informer/informer-event.js';
import type { WatchEvent } from '../../lib/watch/watch-event.js';
import { Checkpointing } from '../../lib/informer/checkpointing.js';
import { fileCheckpoint } from '../../lib/informer/file-checkpoint.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { ObjectStore } from '../../lib/store/object-store.js';
import { testResources } from '../../lib/testing/resources.js';
import { KubernetesObject } from '../../lib/watch/codecs.js';
import { WatchCursor } from '../../lib/watch/watch-cursor.js';
import { Partition, withOrigin } from '../../lib/informer/informer-partition.js';
import { endBookmark } from '../../lib/informer/informer-state.js';
import { pod } from '../operators/watch-events.js';
import { StubSource } from './stub-source.js';

const { Pod: PodResource } = testResources;
const identity: CheckpointIdentity = { server: null, apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespace: 'default', labelSelector: null, fieldSelector: null };
const pods = [pod('web-0', '101'), pod('web-1', '102')];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubex-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A log that keeps what it is told. */
function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Restores from `path` as an informer over default's Pods would (real timers, real file system). */
async function restoreFrom(path: string, resource = PodResource, options: { namespace?: string; labelSelector?: string } = {}) {
  const log = recordingLog();
  const api = new StubSource(resource, asyncScheduler, []);
  const checkpointing = Checkpointing.of(api, { checkpoint: fileCheckpoint(path), namespace: 'default', ...options }, asyncScheduler, log)!;
  const cursor = new WatchCursor();
  cursor.initialEventsRequired = true;
  // What the informer does with a loaded checkpoint (Partition.restore): its objects as ADDED, the end marker, all
  // `restored`, and the first watch resuming from its resourceVersion.
  const restored = await lastValueFrom(checkpointing.restore(new ObjectStore()).pipe(toArray()));
  const partition = new Partition<KubernetesObject>(undefined, log);
  const events: InformerEvent<KubernetesObject>[] = restored.flatMap(({ objects, resourceVersion }) => {
    cursor.resourceVersion = resourceVersion;
    cursor.initialEventsRequired = false;
    return [...partition.restore(objects, resourceVersion), withOrigin<KubernetesObject>(endBookmark(resourceVersion), 'restored')];
  });
  return { events, cursor, warnings: log.lines.filter((line) => line.startsWith('warn')) };
}

describe('the checkpoint format', () => {
  it('round-trips the objects, the resourceVersion and the time of the save', () => {
    const text = encodeCheckpoint(identity, '110', pods, new Date('2026-01-02T03:04:05Z'));
    expect(text.split('\n')).toHaveLength(4); // header, two objects, the final newline
    expect(decodeCheckpoint(text, identity, KubernetesObject)).toEqual({ resourceVersion: '110', objects: pods, savedAt: '2026-01-02T03:04:05.000Z' });
    expect(decodeCheckpoint(encodeCheckpoint(identity, '7', []), identity, KubernetesObject).objects).toEqual([]);
  });

  it('computes zlib’s CRC-32 over UTF-8, natively in Node and in plain JavaScript alike', () => {
    for (const crc of [crc32Hex, portableCrc32Hex]) {
      expect(crc('123456789')).toBe('cbf43926'); // the standard check value
      expect(crc('')).toBe('00000000');
    }
    const text = encodeCheckpoint(identity, '110', [{ ...pods[0]!, metadata: { ...pods[0]!.metadata, annotations: { note: 'naïve café — 日本語 ✓ 🚀' } } }]);
    expect(portableCrc32Hex(text)).toBe((zlibCrc32(text) >>> 0).toString(16).padStart(8, '0'));
  });

  it.each([
    ['empty', () => '', /no header line/],
    ['garbage', () => 'P\u0000\u0007 not a checkpoint\n{]', /not JSON/],
    ['another format', () => '{"format":"something-else","version":1}\n', /not a kubex-rx informer checkpoint/],
    ['another format version', () => encodeCheckpoint(identity, '110', pods).replace('"version":1', '"version":2'), /format version 2/],
    ['another cluster', () => encodeCheckpoint({ ...identity, server: 'https://other:6443/' }, '110', pods), /another informer \(server "https:\/\/other:6443\/", expected null\)/],
    ['another namespace', () => encodeCheckpoint({ ...identity, namespace: 'team-a' }, '110', pods), /another informer \(namespace "team-a", expected "default"\)/],
    ['another selector', () => encodeCheckpoint({ ...identity, labelSelector: 'app=web' }, '110', pods), /another informer \(labelSelector/],
    ['another resource', () => encodeCheckpoint({ ...identity, kind: 'ConfigMap', plural: 'configmaps' }, '110', pods), /another informer \(kind/],
    ['truncated in the body', () => encodeCheckpoint(identity, '110', pods).slice(0, -40), /checksum mismatch/],
    ['truncated at a line end', () => encodeCheckpoint(identity, '110', pods).replace(/[^\n]*\n$/, ''), /checksum mismatch/],
    ['one byte changed', () => encodeCheckpoint(identity, '110', pods).replace('nginx:1.27', 'nginx:1.28'), /checksum mismatch/],
    ['a forged count', () => encodeCheckpoint(identity, '110', pods).replace('"count":2', '"count":3'), /2 objects, the header says 3/],
  ])('refuses %s', (_, text, why) => {
    expect(() => decodeCheckpoint(text(), identity, KubernetesObject)).toThrow(why);
  });

  it('refuses an object the codec rejects, and two objects with one key', () => {
    const strict = t.intersection([KubernetesObject, t.type({ status: t.type({ phase: t.literal('Pending') }) })], 'PendingPod');
    expect(() => decodeCheckpoint(encodeCheckpoint(identity, '110', pods), identity, strict)).toThrow(/object 1 does not match PendingPod: status.phase/);
    expect(() => decodeCheckpoint(encodeCheckpoint(identity, '110', [pods[0]!, pods[0]!]), identity, KubernetesObject)).toThrow(/two objects with the key default\/web-0/);
  });
});

describe('fileCheckpoint', () => {
  it('is exported from the package root', () => {
    expect(rootFileCheckpoint).toBe(fileCheckpoint);
    expect(() => fileCheckpoint('')).toThrow(TypeError);
  });

  it('loads nothing from a missing file, then what it saved; replaces it on the next save', async () => {
    const store = fileCheckpoint(join(dir, 'pods.ckpt'));
    expect(store.path).toBe(join(dir, 'pods.ckpt'));
    await expect(store.load()).resolves.toBeUndefined();
    await store.save('first\n');
    await expect(store.load()).resolves.toBe('first\n');
    await store.save('second\n');
    await expect(store.load()).resolves.toBe('second\n');
    expect(await readdir(dir)).toEqual(['pods.ckpt']); // no temporary file left behind
    expect((await stat(join(dir, 'pods.ckpt'))).mode & 0o777).toBe(0o600);
  });

  it('never leaves a partial file: a failed save keeps the previous checkpoint and no temporary file', async () => {
    const path = join(dir, 'pods.ckpt');
    await fileCheckpoint(path).save('previous\n');
    // A non-empty directory at the target: the rename fails after the data was written and flushed.
    const blocked = join(dir, 'blocked');
    await mkdir(join(blocked, 'inside'), { recursive: true });
    await expect(fileCheckpoint(blocked).save('new\n')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'pods.ckpt']);
    await expect(fileCheckpoint(join(dir, 'missing-dir', 'pods.ckpt')).save('x')).rejects.toThrow(/ENOENT/);
    await expect(fileCheckpoint(path).load()).resolves.toBe('previous\n');
  });

  it('ignores the temporary file of a crashed save, and removes it once it is a minute old', async () => {
    const path = join(dir, 'pods.ckpt');
    await fileCheckpoint(path).save('valid\n');
    const leftover = join(dir, '.pods.ckpt.4242.abcdef.tmp');
    const fresh = join(dir, '.pods.ckpt.4343.ghijkl.tmp'); // another process may be saving right now
    await writeFile(leftover, '{"format":"kubex-rx/informer-che'); // torn
    await writeFile(fresh, 'being written');
    const old = new Date(Date.now() - 120_000);
    await utimes(leftover, old, old);
    await expect(fileCheckpoint(path).load()).resolves.toBe('valid\n');
    expect((await readdir(dir)).sort()).toEqual(['.pods.ckpt.4343.ghijkl.tmp', 'pods.ckpt']);
  });
});

describe('restoring from a file', () => {
  it('emits the objects and the initial-events-end BOOKMARK as restored, and resumes the cursor from the saved resourceVersion', async () => {
    const path = join(dir, 'pods.ckpt');
    await writeFile(path, encodeCheckpoint(identity, '110', pods));
    const { events, cursor, warnings } = await restoreFrom(path);
    expect(events.map((e) => [e.type, e.origin, e.object.metadata?.resourceVersion])).toEqual([
      ['ADDED', 'restored', '101'],
      ['ADDED', 'restored', '102'],
      ['BOOKMARK', 'restored', '110'],
    ]);
    expect(events[2]!.object.metadata?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(cursor).toMatchObject({ resourceVersion: '110', initialEventsRequired: false });
    expect(warnings).toEqual([]);
  });

  it('restores nothing, silently, without a file', async () => {
    const { events, cursor, warnings } = await restoreFrom(join(dir, 'none.ckpt'));
    expect([events, warnings]).toEqual([[], []]);
    expect(cursor).toMatchObject({ resourceVersion: undefined, initialEventsRequired: true });
  });

  const valid = (): string => encodeCheckpoint(identity, '110', pods);
  it.each([
    ['a truncated file', () => valid().slice(0, valid().length / 2), /checksum mismatch/],
    ['a file cut inside the header', () => valid().slice(0, 30), /no header line/],
    ['random garbage', () => Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)).toString('latin1'), /not JSON|no header/],
    ['valid JSON of another informer', () => encodeCheckpoint({ ...identity, namespace: 'kube-system' }, '110', pods), /another informer/],
    ['another format version', () => valid().replace('"version":1', '"version":0'), /format version 0/],
  ])('ignores %s with a warning', async (_, text, why) => {
    const path = join(dir, 'pods.ckpt');
    await writeFile(path, text(), 'latin1');
    const { events, cursor, warnings } = await restoreFrom(path);
    expect(events).toEqual([]);
    expect(cursor).toMatchObject({ resourceVersion: undefined, initialEventsRequired: true });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(why);
    expect(warnings[0]).toContain(`checkpoint ${path}: ignored`);
  });

  it('ignores a checkpoint whose objects the codec now rejects (a schema change between two runs)', async () => {
    const path = join(dir, 'pods.ckpt');
    await writeFile(path, valid());
    const Strict = defineResource({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, codec: t.intersection([KubernetesObject, t.type({ status: t.type({ phase: t.literal('Pending') }) })], 'PendingPod') });
    const { events, warnings } = await restoreFrom(path, Strict as unknown as typeof PodResource);
    expect(events).toEqual([]);
    expect(warnings[0]).toMatch(/object 1 does not match PendingPod/);
  });

  it('starts fresh with a warning when the file cannot be read', async () => {
    const path = join(dir, 'pods.ckpt');
    await mkdir(path); // EISDIR
    const { events, warnings } = await restoreFrom(path);
    expect(events).toEqual([]);
    expect(warnings[0]).toMatch(/could not be loaded .*EISDIR.*starting without it/);
  });

  it('reads what a save wrote', async () => {
    const path = join(dir, 'pods.ckpt');
    const text = valid();
    await fileCheckpoint(path).save(text);
    expect(await readFile(path, 'utf8')).toBe(text);
    expect((await restoreFrom(path)).events).toHaveLength(3);
  });
});

describe('a restart while the shutdown save is being written', () => {
  it('loads after every pending write, the save that waited for another included', async () => {
    // An asynchronous store whose writes end only when the test says so.
    const pending: (() => void)[] = [];
    const saved: string[] = [];
    let text: string | undefined;
    const slow: CheckpointStore = {
      load: () => Promise.resolve(text),
      save: (next) => new Promise<void>((resolve) => void pending.push(() => ((text = next), saved.push(next), resolve()))),
    };
    const first = new Subject<WatchEvent<KubernetesObject>>();
    const api = new StubSource(PodResource, asyncScheduler, [first, NEVER]);
    const informer = new Informer(api, { checkpoint: slow, namespace: 'default', idleTimeout: false });
    const resumedAt = (t: string): string => t.slice(0, t.indexOf('\n')).match(/"resourceVersion":"(\d+)"/)![1]!;

    const session1 = informer.events$.subscribe();
    await until(() => api.watchCalls.length === 1);
    first.next({ type: 'ADDED', object: pods[0]! });
    first.next({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '110', annotations: { 'k8s.io/initial-events-end': 'true' } } } });
    await until(() => pending.length === 1); // the save of the first sync is being written
    first.next({ type: 'MODIFIED', object: pod('web-0', '120') });
    session1.unsubscribe(); // the shutdown save waits for the first write

    const events: InformerEvent<KubernetesObject>[] = [];
    const session2 = informer.events$.subscribe((e) => events.push(e as InformerEvent<KubernetesObject>));
    pending.shift()!();
    await until(() => pending.length === 1); // the shutdown save, started once the first write ended
    expect(api.watchCalls).toHaveLength(1); // the second session still waits for the writes
    pending.shift()!();
    await until(() => api.watchCalls.length === 2);
    expect(saved.map(resumedAt)).toEqual(['110', '120']);
    expect(events.map((e) => [e.type, e.origin, e.object.metadata?.resourceVersion])).toEqual([
      ['ADDED', 'restored', '120'],
      ['BOOKMARK', 'restored', '120'],
    ]);
    expect(api.watchCalls[1]!.cursor).toEqual({ resourceVersion: '120', initialEventsRequired: false });
    session2.unsubscribe();
    await informer.flushCheckpoint();
  });
});

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met in time: ${String(condition)}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

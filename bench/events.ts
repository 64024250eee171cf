/**
 * The watch stream the benchmark server sends: realistic Pods, each one unique, built from the recorded fixture
 * `vendor/fixtures/pod.json`.
 *
 * Every event line has the same length: the fields that make a Pod unique (name, uid, resourceVersion, and the
 * send timestamp used by the latency test) are fixed-width digit runs patched into a copy of one template line.
 * That makes the server cheap (a memcpy and a few digits per event, so it is never the bottleneck) and the byte
 * count of a stream a closed formula ({@link streamBytes}).
 *
 * Multi-byte characters (2, 3 and 4 bytes in UTF-8) are injected through an annotation, so that chunk boundaries
 * can fall inside a character (see {@link EventTemplate.midCharAt}).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../vendor/index.js';

/** The recorded Pod; `BENCH_POD_FIXTURE` overrides it. */
export const POD_FIXTURE = process.env['BENCH_POD_FIXTURE'] ?? join(FIXTURES_DIR, 'pod.json');
/**
 * `BENCH_POD_MANAGED_FIELDS=0` removes `metadata.managedFields` from the fixture (8.9 KB -> 5.2 KB per Pod): the
 * size of Pods as a server sends them to a client that asks for less, and under the ~512 MiB single-string limit
 * of V8 that a client reading a whole list of 100k Pods as one string (client-node's informer) runs into.
 */
export const POD_MANAGED_FIELDS = process.env['BENCH_POD_MANAGED_FIELDS'] !== '0';

/** The namespace every benchmark watch asks for (the server ignores it). */
export const NAMESPACE = 'bench';
/** The collection path of Pods in {@link NAMESPACE}. */
export const PODS_PATH = `/api/v1/namespaces/${NAMESPACE}/pods`;
/** A BOOKMARK after every this many Pod events. */
export const BOOKMARK_EVERY = 1000;

/** The injected annotation: 2-byte (ï, é, Ω), 3-byte (—, 日本語, ✓) and 4-byte (🚀) characters. */
export const NOTE_KEY = 'bench.kubex.io/note';
export const NOTE = 'naïve café — 日本語 ✓ 🚀 Ω';
/** The annotation carrying the server's send time (ns of the shared monotonic clock), latency test only. */
export const SENT_AT_KEY = 'bench.kubex.io/sent-at';

const NAME_PREFIX = 'coredns-7d764666f9-';
const NAME_DIGITS = 8;
const UID_PREFIX = '928d40b9-3537-40b6-b04b-';
const UID_DIGITS = 12;
const RV_DIGITS = 10;
const RV_BASE = 1_000_000_000;
const SENT_AT_DIGITS = 20;

/** One event line (with its `\n`) and where to patch it. */
export interface EventTemplate {
  /** `{"type":"ADDED","object":<pod>}\n` with placeholder digit runs. Never mutated: copy it. */
  readonly eventLine: Buffer;
  readonly nameAt: number;
  readonly uidAt: number;
  readonly rvAt: number;
  readonly sentAtAt: number;
  /** An offset inside {@link eventLine} that cuts its 4-byte character (🚀) in two. */
  readonly midCharAt: number;
  /** `{"type":"BOOKMARK","object":<pod skeleton>}\n`, as a real server sends it. */
  readonly bookmarkLine: Buffer;
  readonly bookmarkRvAt: number;
  /** Size of the compact Pod JSON alone, in bytes. */
  readonly podBytes: number;
  /** Where the Pod's JSON starts in {@link eventLine} (after `{"type":"ADDED","object":`); it ends before `}\n`. */
  readonly objectAt: number;
}

/** Builds the template from the fixture. */
export function loadTemplate(): EventTemplate {
  const pod = JSON.parse(readFileSync(POD_FIXTURE, 'utf8')) as {
    metadata: Record<string, unknown> & { annotations?: Record<string, string> };
  };
  if (!POD_MANAGED_FIELDS) delete pod.metadata['managedFields'];
  pod.metadata['name'] = NAME_PREFIX + 'N'.repeat(NAME_DIGITS);
  pod.metadata['uid'] = UID_PREFIX + 'U'.repeat(UID_DIGITS);
  pod.metadata['resourceVersion'] = 'R'.repeat(RV_DIGITS);
  pod.metadata.annotations = { ...pod.metadata.annotations, [NOTE_KEY]: NOTE, [SENT_AT_KEY]: 'T'.repeat(SENT_AT_DIGITS) };
  const eventLine = Buffer.from(JSON.stringify({ type: 'ADDED', object: pod }) + '\n', 'utf8');
  const at = (marker: string): number => {
    const offset = eventLine.indexOf(marker);
    if (offset === -1 || eventLine.indexOf(marker, offset + 1) !== -1) throw new Error(`template: marker ${marker} not unique`);
    return offset;
  };
  const bookmark = {
    type: 'BOOKMARK',
    object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: 'R'.repeat(RV_DIGITS) }, spec: { containers: null } },
  };
  const bookmarkLine = Buffer.from(JSON.stringify(bookmark) + '\n', 'utf8');
  const podBytes = Buffer.byteLength(JSON.stringify(pod));
  const objectAt = Buffer.byteLength('{"type":"ADDED","object":');
  if (objectAt + podBytes + 2 !== eventLine.length) throw new Error('template: the Pod is not where a list item is cut from');
  return {
    eventLine,
    nameAt: at('N'.repeat(NAME_DIGITS)),
    uidAt: at('U'.repeat(UID_DIGITS)),
    rvAt: at('R'.repeat(RV_DIGITS)),
    sentAtAt: at('T'.repeat(SENT_AT_DIGITS)),
    midCharAt: at('🚀') + 2,
    bookmarkLine,
    bookmarkRvAt: bookmarkLine.indexOf('R'.repeat(RV_DIGITS)),
    podBytes,
    objectAt,
  };
}

/** The bytes of a stream of `n` Pod events with a BOOKMARK after every {@link BOOKMARK_EVERY}. */
export function streamBytes(template: EventTemplate, n: number): number {
  return n * template.eventLine.length + Math.floor(n / BOOKMARK_EVERY) * template.bookmarkLine.length;
}

/** The name of the Pod of event `index` (0-based). */
export function podName(index: number): string {
  return NAME_PREFIX + String(index).padStart(NAME_DIGITS, '0');
}

/** Writes event `index` (0-based) at `offset` of `target`; returns the offset after it. */
export function writeEvent(template: EventTemplate, target: Buffer, offset: number, index: number, sentAtNs = 0n): number {
  const line = template.eventLine;
  line.copy(target, offset);
  writeDigits(target, offset + template.nameAt, NAME_DIGITS, index);
  writeDigits(target, offset + template.uidAt, UID_DIGITS, index);
  writeDigits(target, offset + template.rvAt, RV_DIGITS, RV_BASE + index);
  const sentAt = sentAtNs.toString().padStart(SENT_AT_DIGITS, '0');
  target.write(sentAt, offset + template.sentAtAt, 'latin1');
  return offset + line.length;
}

/** Writes the BOOKMARK that follows event `index` at `offset` of `target`; returns the offset after it. */
export function writeBookmark(template: EventTemplate, target: Buffer, offset: number, index: number): number {
  template.bookmarkLine.copy(target, offset);
  writeDigits(target, offset + template.bookmarkRvAt, RV_DIGITS, RV_BASE + index);
  return offset + template.bookmarkLine.length;
}

/**
 * The bytes of a PodList of the `n` Pods of a stream (the same objects a watch-list of `n` sends), as a list
 * request gets them: head, the Pods separated by commas, tail.
 */
export function listBytes(template: EventTemplate, n: number): number {
  return listHead(n - 1).length + n * template.podBytes + Math.max(0, n - 1) + LIST_TAIL.length;
}

/** The start of a PodList whose resourceVersion is that of Pod `index`, up to the opening `[` of its items. */
export function listHead(index: number): Buffer {
  return Buffer.from(`{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"${RV_BASE + index}"},"items":[`, 'utf8');
}

/** The end of a PodList. */
export const LIST_TAIL = Buffer.from(']}', 'utf8');

/** Writes Pod `index` (its JSON alone, as a list item) at `offset` of `target`; returns the offset after it. */
export function writeListItem(template: EventTemplate, scratch: Buffer, target: Buffer, offset: number, index: number): number {
  writeEvent(template, scratch, 0, index);
  return offset + scratch.copy(target, offset, template.objectAt, template.objectAt + template.podBytes);
}

/** The BOOKMARK that ends the initial events of a watch-list (KEP-3157), after event `index`. */
export function initialEventsEndLine(index: number): Buffer {
  const bookmark = {
    type: 'BOOKMARK',
    object: {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(RV_BASE + index), annotations: { 'k8s.io/initial-events-end': 'true' } },
      spec: { containers: null },
    },
  };
  return Buffer.from(JSON.stringify(bookmark) + '\n', 'utf8');
}

function writeDigits(target: Buffer, offset: number, width: number, value: number): void {
  for (let i = width - 1; i >= 0; i--) {
    target[offset + i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
}

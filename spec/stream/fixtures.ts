/** Shared helpers for the stream specs. */
import { LineSplitter } from '../../lib/stream/index.js';
import type { LineSplitterOptions } from '../../lib/stream/index.js';

export const encoder = new TextEncoder();

/** Bytes of a string, as a plain Uint8Array. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A realistic watch event with 2-, 3- and 4-byte UTF-8 characters in it. */
export const EVENT_1 = JSON.stringify({
  type: 'ADDED',
  object: {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: 'café-日本',
      namespace: 'default',
      resourceVersion: '12345',
      annotations: { note: '🚀 déployé 日本語 ✓' },
    },
  },
});
export const EVENT_2 = JSON.stringify({
  type: 'MODIFIED',
  object: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'naïve-🦀', resourceVersion: '12346' } },
});

/** Runs chunks through a fresh LineSplitter (push each, then end) and returns the lines. */
export function splitAll(chunks: readonly Uint8Array[], options?: LineSplitterOptions): string[] {
  const splitter = new LineSplitter(options);
  const lines: string[] = [];
  const onLine = (line: string): void => {
    lines.push(line);
  };
  for (const chunk of chunks) splitter.push(chunk, onLine);
  splitter.end(onLine);
  return lines;
}

/** Cuts `data` into consecutive chunks whose sizes cycle through `sizes`. */
export function chunked(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    chunks.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** Deterministic pseudo-random chunk sizes in [min, max] (a small LCG, so failures are reproducible). */
export function randomSizes(count: number, min: number, max: number, seed = 42): number[] {
  const sizes: number[] = [];
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    sizes.push(min + (state % (max - min + 1)));
  }
  return sizes;
}

/** A single JSON line of about `size` bytes with multi-byte characters throughout (no newline). */
export function bigLine(size: number): string {
  const unit = 'abcdé日本🚀xyz"\\'; // JSON-escaped below; mixes 1-4 byte characters
  const text = unit.repeat(Math.ceil(size / encoder.encode(unit).length));
  return JSON.stringify({ type: 'ADDED', object: { data: text } });
}

/**
 * "Endless" sources give up after this many chunks, so that a broken implementation fails the test instead of
 * spinning forever (a microtask-only loop would also starve jest's timeout).
 */
export const SAFETY_CAP = 2000;

/** A ReadableStream that serves `chunks` on demand (cycling if `endless`) and records whether it was cancelled. */
export function trackedStream(chunks: readonly Uint8Array[], endless = false) {
  const state = { cancelled: false, cancelReason: undefined as unknown, pulls: 0 };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls += 1;
      if (state.pulls > SAFETY_CAP) {
        controller.error(new Error('safety cap reached: the reader kept reading'));
        return;
      }
      const chunk = chunks[index];
      index = endless ? (index + 1) % chunks.length : index + 1;
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel(reason) {
      state.cancelled = true;
      state.cancelReason = reason;
    },
  });
  return { stream, state };
}

/** A ReadableStream that serves `first`, then errors with `failure` (a connection reset mid-body). */
export function erroringAfter(first: Uint8Array, failure: Error): ReadableStream<Uint8Array> {
  let sentFirst = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sentFirst) {
        controller.error(failure);
        return;
      }
      sentFirst = true;
      controller.enqueue(first);
    },
  });
}

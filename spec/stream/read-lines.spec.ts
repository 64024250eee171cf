import { describe, it, expect } from '@jest/globals';
import { Readable } from 'node:stream';
import { InvalidUtf8Error, LineTooLongError, readLines } from '../../lib/stream/index.js';
import type { ByteStream } from '../../lib/stream/index.js';
import { EVENT_1, EVENT_2, bigLine, bytes, chunked, randomSizes, erroringAfter, SAFETY_CAP, trackedStream } from './fixtures.js';

async function collect(body: ByteStream, options?: { maxLineBytes?: number }): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(body, options)) lines.push(line);
  return lines;
}

async function* generatorOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}



const BODY = `${EVENT_1}\n${EVENT_2}\n${EVENT_1}`;

describe('readLines: input kinds', () => {
  it('reads an async generator of Uint8Array', async () => {
    expect(await collect(generatorOf(chunked(bytes(BODY), [5, 1, 17])))).toEqual([EVENT_1, EVENT_2, EVENT_1]);
  });

  it('reads a Node Readable of Buffers', async () => {
    const readable = Readable.from(chunked(Buffer.from(BODY), [3, 64, 1]).map((c) => Buffer.from(c)));
    expect(await collect(readable)).toEqual([EVENT_1, EVENT_2, EVENT_1]);
  });

  it('reads a WHATWG ReadableStream through getReader() and releases the lock at the end', async () => {
    const { stream, state } = trackedStream(chunked(bytes(BODY), [1, 2, 3]));
    expect(await collect(stream)).toEqual([EVENT_1, EVENT_2, EVENT_1]);
    expect(state.cancelled).toBe(false);
    expect(stream.locked).toBe(false);
  });

  it('uses getReader() even when the ReadableStream is not async-iterable (Safari)', async () => {
    const { stream } = trackedStream([bytes('a\nb\n')]);
    Object.defineProperty(stream, Symbol.asyncIterator, { value: undefined });
    expect(await collect(stream)).toEqual(['a', 'b']);
  });

  it('decodes every two-chunk split of a multi-byte body from each kind of source', async () => {
    const body = bytes(`${EVENT_1}\n${EVENT_2}\n`);
    for (let i = 0; i <= body.length; i++) {
      const parts = [body.subarray(0, i), body.subarray(i)];
      const sources: ByteStream[] = [
        generatorOf(parts),
        Readable.from(parts.map((p) => Buffer.from(p))),
        trackedStream(parts).stream,
      ];
      for (const source of sources) {
        const lines = await collect(source);
        if (lines.length !== 2 || lines[0] !== EVENT_1 || lines[1] !== EVENT_2) {
          throw new Error(`split at byte ${i} gave ${JSON.stringify(lines)}`);
        }
      }
    }
  });

  it('decodes a 5 MB line arriving in 1-4 KiB chunks', async () => {
    const line = bigLine(5 * 1024 * 1024);
    const chunks = chunked(bytes(`${EVENT_1}\n${line}\n${EVENT_2}`), randomSizes(1000, 1024, 4096, 3));
    const lines = await collect(Readable.from(chunks.map((c) => Buffer.from(c))));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(EVENT_1);
    expect(lines[1]).toBe(line);
    expect(lines[2]).toBe(EVENT_2);
  });

  it('handles the empty stream, a stream of only newlines, and CRLF line ends', async () => {
    expect(await collect(generatorOf([]))).toEqual([]);
    expect(await collect(trackedStream([]).stream)).toEqual([]);
    expect(await collect(Readable.from([Buffer.from('\n')]))).toEqual([]);
    expect(await collect(generatorOf([bytes('a\r'), bytes('\nb\r\n\r\n')]))).toEqual(['a', 'b']);
  });

  it('throws a TypeError at the call for a body that is not a stream', () => {
    expect(() => readLines(null as unknown as ByteStream)).toThrow(/null/);
    expect(() => readLines({} as unknown as ByteStream)).toThrow(TypeError);
  });

  it('throws a RangeError at the call for a bad maxLineBytes', () => {
    expect(() => readLines(generatorOf([]), { maxLineBytes: 0 })).toThrow(RangeError);
  });

  it('rejects a Node stream that was given an encoding (string chunks)', async () => {
    const readable = Readable.from([Buffer.from('a\n')], { objectMode: false });
    readable.setEncoding('utf8');
    await expect(collect(readable)).rejects.toThrow(/setEncoding/);
    expect(readable.destroyed).toBe(true);
  });
});

describe('readLines: stopping early releases the source', () => {
  it('cancels the ReadableStream and releases its lock when the consumer breaks', async () => {
    const { stream, state } = trackedStream([bytes('a\nb\n'), bytes('c\n'), bytes('d\n')]);
    const lines: string[] = [];
    for await (const line of readLines(stream)) {
      lines.push(line);
      if (line === 'a') break;
    }
    expect(lines).toEqual(['a']);
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('cancels the ReadableStream on an explicit return()', async () => {
    const { stream, state } = trackedStream([bytes('a\n'), bytes('b\n')], true);
    const lines = readLines(stream);
    expect(await lines.next()).toEqual({ done: false, value: 'a' });
    expect(await lines.return()).toEqual({ done: true, value: undefined });
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('does not lock the ReadableStream before iteration starts', () => {
    const { stream } = trackedStream([bytes('a\n')]);
    readLines(stream);
    expect(stream.locked).toBe(false);
  });

  it('destroys a Node Readable when the consumer breaks', async () => {
    const readable = Readable.from([Buffer.from('a\nb\n'), Buffer.from('c\n')]);
    for await (const line of readLines(readable)) {
      expect(line).toBe('a');
      break;
    }
    expect(readable.destroyed).toBe(true);
  });

  it('returns an async-iterable source (its finally runs) when the consumer breaks', async () => {
    let finalized = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < SAFETY_CAP; i++) yield bytes('line\n');
      } finally {
        finalized = true;
      }
    }
    let count = 0;
    for await (const line of readLines(source())) {
      expect(line).toBe('line');
      if (++count === 3) break;
    }
    expect(finalized).toBe(true);
  });
});

describe('readLines: errors', () => {
  it('throws LineTooLongError on an endless line instead of hanging, and releases the source', async () => {
    let finalized = false;
    let sent = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        while (sent < SAFETY_CAP * 1024) {
          sent += 1024;
          yield new Uint8Array(1024).fill(0x61);
        }
        throw new Error('safety cap reached: readLines kept reading');
      } finally {
        finalized = true;
      }
    }
    const error = await collect(endless(), { maxLineBytes: 64 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LineTooLongError);
    expect(error).toMatchObject({ maxLineBytes: 65536, seenBytes: 65536 + 1024 });
    expect(sent).toBe(65536 + 1024); // failed on the first chunk past the limit
    expect(finalized).toBe(true);
  });

  it('applies the 32 MiB default limit to an endless ReadableStream and cancels it', async () => {
    const { stream, state } = trackedStream([new Uint8Array(1024 * 1024).fill(0x61)], true);
    const error = await collect(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LineTooLongError);
    expect((error as Error).message).toMatch(/^watch line exceeds maxLineBytes \(33554432 bytes\)/);
    expect(state.pulls).toBeLessThan(40);
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('accepts a line of exactly maxLineBytes spread over chunks', async () => {
    const line = 'x'.repeat(4096);
    expect(await collect(generatorOf(chunked(bytes(`${line}\n${line}`), [1000])), { maxLineBytes: 4096 })).toEqual([
      line,
      line,
    ]);
  });

  it('yields the lines before an invalid UTF-8 line, then throws InvalidUtf8Error', async () => {
    const { stream, state } = trackedStream([
      Uint8Array.from([...bytes('ok1\nok2\n'), 0x62, 0xff, 0x0a, ...bytes('never\n')]),
      bytes('never\n'),
    ]);
    const lines: string[] = [];
    const error = await (async () => {
      for await (const line of readLines(stream)) lines.push(line);
    })().catch((e: unknown) => e);
    expect(lines).toEqual(['ok1', 'ok2']);
    expect(error).toBeInstanceOf(InvalidUtf8Error);
    expect(state.cancelled).toBe(true);
  });

  it('throws InvalidUtf8Error when the stream ends inside a character', async () => {
    await expect(collect(generatorOf([bytes('a\n'), Uint8Array.from([0xe6, 0x97])]))).rejects.toBeInstanceOf(
      InvalidUtf8Error,
    );
  });

  it("propagates the ReadableStream's own error and releases the lock", async () => {
    const failure = new Error('connection reset');
    const stream = erroringAfter(bytes('a\nb'), failure);
    const lines: string[] = [];
    const error = await (async () => {
      for await (const line of readLines(stream)) lines.push(line);
    })().catch((e: unknown) => e);
    expect(error).toBe(failure);
    expect(lines).toEqual(['a']); // the unterminated 'b' is not an event
    expect(stream.locked).toBe(false);
  });

  it("propagates a Node Readable's error", async () => {
    const failure = new Error('socket hang up');
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('a\n');
      throw failure;
    }
    await expect(collect(Readable.from(failing()))).rejects.toBe(failure);
  });
});

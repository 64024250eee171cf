import { describe, it, expect } from '@jest/globals';
import { PassThrough, Readable } from 'node:stream';
import { forEachChunk } from '../../lib/stream/for-each-chunk.js';
import type { ByteStream } from '../../lib/stream/index.js';
import { bytes, erroringAfter, SAFETY_CAP, trackedStream } from './fixtures.js';

const PENDING = Symbol('pending');

/** `promise`, or PENDING if it has not settled within `ms`: a hang fails the test at once instead of timing out. */
function within<T>(promise: Promise<T>, ms = 1000): Promise<T | typeof PENDING> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof PENDING>((resolve) => {
    timer = setTimeout(() => resolve(PENDING), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Lets pending ticks, microtasks and stream events run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}

/** A handler that records every chunk and returns `stopAt(chunk, index)` (never stops by default). */
function recorder(stopAt: (chunk: Uint8Array, index: number) => boolean = () => false) {
  const seen: Uint8Array[] = [];
  const onChunk = (chunk: Uint8Array): boolean => {
    seen.push(chunk);
    return stopAt(chunk, seen.length - 1);
  };
  return { seen, onChunk };
}

/** Asserts `seen` holds the very objects of `expected`, in order. */
function expectSameChunks(seen: readonly Uint8Array[], expected: readonly Uint8Array[]): void {
  expect(seen).toHaveLength(expected.length);
  seen.forEach((chunk, i) => expect(chunk).toBe(expected[i]));
}

/** A Node Readable in paused mode with `chunks` (and the end, if `end`) already pushed into its buffer. */
function preloaded(chunks: readonly Buffer[], end = true): Readable {
  const readable = new Readable({ read() {} });
  for (const chunk of chunks) readable.push(chunk);
  if (end) readable.push(null);
  return readable;
}



/** An async generator of `chunks` (endless: cycling up to SAFETY_CAP) that records how far it got and its finally. */
function trackedGenerator(chunks: readonly Uint8Array[], endless = false) {
  const state = { yielded: 0, finalized: false };
  async function* generate(): AsyncGenerator<Uint8Array> {
    try {
      for (let i = 0; endless ? i < SAFETY_CAP : i < chunks.length; i++) {
        state.yielded += 1;
        yield chunks[i % chunks.length]!;
      }
      if (endless) throw new Error('safety cap reached: forEachChunk kept reading');
    } finally {
      state.finalized = true;
    }
  }
  return { generator: generate(), state };
}

const CHUNKS = (): Buffer[] => [Buffer.from('{"a":1}\n{"b"'), Buffer.from(':2}\n'), Buffer.from('é日🚀\n'), Buffer.from('x')];

describe('forEachChunk: Node Readable', () => {
  it('passes the very Buffers that were pushed, in order, without concatenating those buffered before reading', async () => {
    const chunks = CHUNKS();
    const readable = preloaded(chunks);
    expect(readable.readableLength).toBeGreaterThan(chunks[0]!.length); // several chunks wait in the buffer
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(readable, onChunk))).resolves.toBeUndefined();
    expectSameChunks(seen, chunks);
  });

  it('passes the very Buffers written to a PassThrough (node-fetch body) before and while reading', async () => {
    const chunks = CHUNKS();
    const body = new PassThrough();
    body.write(chunks[0]);
    body.write(chunks[1]);
    const { seen, onChunk } = recorder();
    const done = forEachChunk(body, onChunk);
    await settle();
    body.write(chunks[2]);
    await settle();
    body.end(chunks[3]);
    await expect(within(done)).resolves.toBeUndefined();
    expectSameChunks(seen, chunks);
  });

  it('resolves at the end of the body, not before', async () => {
    const readable = new Readable({ read() {} });
    const { seen, onChunk } = recorder();
    const done = forEachChunk(readable, onChunk);
    readable.push(Buffer.from('a'));
    await settle();
    expect(seen).toHaveLength(1);
    expect(await within(done, 50)).toBe(PENDING);
    readable.push(null);
    await expect(within(done)).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it('resolves for an empty body', async () => {
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(preloaded([]), onChunk))).resolves.toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('stops when the handler returns true: destroys the stream, resolves, delivers no further chunk', async () => {
    const chunks = CHUNKS();
    const readable = preloaded(chunks, false);
    const { seen, onChunk } = recorder((_, index) => index === 1);
    await expect(within(forEachChunk(readable, onChunk))).resolves.toBeUndefined();
    expect(readable.destroyed).toBe(true);
    readable.push(Buffer.from('late')); // ignored by a destroyed stream; must not reach the handler either
    await settle();
    expectSameChunks(seen, chunks.slice(0, 2));
  });

  it('stops when the handler throws: rejects with that very error, destroys the stream, delivers no further chunk', async () => {
    const chunks = CHUNKS();
    const readable = preloaded(chunks, false);
    const failure = new Error('bad line');
    const { seen, onChunk } = recorder((_, index) => {
      if (index === 1) throw failure;
      return false;
    });
    await expect(within(forEachChunk(readable, onChunk))).rejects.toBe(failure);
    expect(readable.destroyed).toBe(true);
    await settle();
    expectSameChunks(seen, chunks.slice(0, 2));
  });

  it("rejects with the stream's own error", async () => {
    const readable = new Readable({ read() {} });
    const failure = new Error('socket hang up');
    const { seen, onChunk } = recorder();
    const done = forEachChunk(readable, onChunk);
    readable.push(Buffer.from('a'));
    await settle();
    readable.destroy(failure);
    await expect(within(done)).rejects.toBe(failure);
    expect(seen).toHaveLength(1);
  });

  it("rejects with a Readable.from source's error", async () => {
    const failure = new Error('connection reset');
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('a\n');
      throw failure;
    }
    await expect(within(forEachChunk(Readable.from(failing()), () => false))).rejects.toBe(failure);
  });

  it('rejects with an Error, rather than hanging, when the stream is destroyed without an error before its end', async () => {
    const readable = new Readable({ read() {} });
    const { seen, onChunk } = recorder();
    const done = forEachChunk(readable, onChunk);
    readable.push(Buffer.from('a'));
    await settle();
    readable.destroy();
    await expect(within(done)).rejects.toBeInstanceOf(Error);
    expect(seen).toHaveLength(1);
  });

  it('reads a stream that was paused explicitly before the call', async () => {
    const chunks = [Buffer.from('a\n'), Buffer.from('b\n')];
    const stream = preloaded(chunks);
    stream.pause();
    const { seen, onChunk } = recorder();
    expect(await within(forEachChunk(stream, onChunk))).toBeUndefined();
    expectSameChunks(seen, chunks);
  });

  it('resolves at once for a stream that already ended (and was not auto-destroyed)', async () => {
    const readable = new Readable({ read() {}, autoDestroy: false });
    readable.push(null);
    readable.resume();
    await new Promise((resolve) => readable.once('end', resolve));
    expect(readable.readableEnded).toBe(true);
    expect(readable.destroyed).toBe(false);
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(readable, onChunk))).resolves.toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('resolves at once for a stream that already ended and was then auto-destroyed (ended before its close)', async () => {
    const readable = preloaded([Buffer.from('a')]);
    readable.resume();
    await new Promise((resolve) => readable.once('close', resolve));
    expect(readable.readableEnded).toBe(true);
    expect(readable.destroyed).toBe(true); // autoDestroy (the default) destroys a stream at its end
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(readable, onChunk))).resolves.toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('rejects at once for a stream destroyed before its end, before the call', async () => {
    const readable = preloaded([Buffer.from('a')], false);
    readable.destroy();
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(readable, onChunk))).rejects.toBeInstanceOf(Error);
    expect(seen).toEqual([]);
  });

  it('rejects at once for a stream that errored before the call', async () => {
    const readable = new Readable({ read() {} });
    readable.on('error', () => undefined);
    readable.destroy(new Error('reset'));
    await settle();
    await expect(within(forEachChunk(readable, () => false))).rejects.toBeInstanceOf(Error);
  });

  describe("keeps an 'error' listener after settling, so a later error (node-fetch aborting the request) is not uncaught", () => {
    // Each case settles the promise its own way on a stream that holds one chunk and has not ended.
    const cases: ReadonlyArray<[string, (readable: Readable) => Promise<void>]> = [
      [
        'at the end',
        (readable) => {
          const done = forEachChunk(readable, () => false);
          readable.push(null);
          return done;
        },
      ],
      ['after the handler stopped', (readable) => forEachChunk(readable, () => true)],
      [
        'after the handler threw',
        (readable) =>
          forEachChunk(readable, () => {
            throw new Error('bad line');
          }),
      ],
      [
        'after the stream errored',
        (readable) => {
          const done = forEachChunk(readable, () => false);
          readable.destroy(new Error('socket hang up'));
          return done;
        },
      ],
      [
        'after a premature close',
        (readable) => {
          const done = forEachChunk(readable, () => false);
          setTimeout(() => readable.destroy(), 5);
          return done;
        },
      ],
    ];
    for (const [name, run] of cases) {
      it(name, async () => {
        const readable = preloaded([Buffer.from('a')], false);
        expect(await within(run(readable).catch(() => 'rejected'))).not.toBe(PENDING);
        await settle();
        expect(readable.listenerCount('error')).toBeGreaterThan(0);
        expect(() => readable.emit('error', new Error('The operation was aborted'))).not.toThrow();
      });
    }

    it('for a stream already destroyed before the call', async () => {
      const readable = preloaded([Buffer.from('a')], false);
      readable.destroy();
      expect(await within(forEachChunk(readable, () => false).catch(() => 'rejected'))).not.toBe(PENDING);
      await settle();
      expect(readable.listenerCount('error')).toBeGreaterThan(0);
      expect(() => readable.emit('error', new Error('The operation was aborted'))).not.toThrow();
    });
  });
});

describe('forEachChunk: WHATWG ReadableStream', () => {
  it('passes every chunk as given, in order, resolves at the end and releases the lock without cancelling', async () => {
    const chunks = [bytes('{"a":1}\n{"b"'), bytes(':2}\n'), bytes('é日🚀\n'), bytes('x')];
    const { stream, state } = trackedStream(chunks);
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(stream, onChunk))).resolves.toBeUndefined();
    expectSameChunks(seen, chunks);
    expect(state.cancelled).toBe(false);
    expect(stream.locked).toBe(false);
  });

  it('resolves at the end of the body, not before', async () => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    const { seen, onChunk } = recorder();
    const done = forEachChunk(stream, onChunk);
    controller.enqueue(bytes('a'));
    await settle();
    expect(seen).toHaveLength(1);
    expect(await within(done, 50)).toBe(PENDING);
    controller.close();
    await expect(within(done)).resolves.toBeUndefined();
  });

  it('reads a ReadableStream that is not async-iterable (Safari) through getReader()', async () => {
    const chunks = [bytes('a'), bytes('b')];
    const { stream } = trackedStream(chunks);
    Object.defineProperty(stream, Symbol.asyncIterator, { value: undefined });
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(stream, onChunk))).resolves.toBeUndefined();
    expectSameChunks(seen, chunks);
  });

  it('stops when the handler returns true: cancels the stream, resolves, delivers no further chunk', async () => {
    const chunks = [bytes('a'), bytes('b'), bytes('c')];
    const { stream, state } = trackedStream(chunks, true);
    const { seen, onChunk } = recorder((_, index) => index === 1);
    await expect(within(forEachChunk(stream, onChunk))).resolves.toBeUndefined();
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
    await settle();
    expectSameChunks(seen, chunks.slice(0, 2));
  });

  it('stops when the handler throws: rejects with that very error, cancels the stream', async () => {
    const chunks = [bytes('a'), bytes('b'), bytes('c')];
    const { stream, state } = trackedStream(chunks, true);
    const failure = new Error('bad line');
    const { seen, onChunk } = recorder((_, index) => {
      if (index === 1) throw failure;
      return false;
    });
    await expect(within(forEachChunk(stream, onChunk))).rejects.toBe(failure);
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
    await settle();
    expectSameChunks(seen, chunks.slice(0, 2));
  });

  it("rejects with the stream's own error and releases the lock", async () => {
    const failure = new Error('connection reset');
    const stream = erroringAfter(bytes('a'), failure);
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(stream, onChunk))).rejects.toBe(failure);
    expect(seen).toHaveLength(1);
    expect(stream.locked).toBe(false);
  });
});

describe('forEachChunk: other async iterables', () => {
  it('passes every chunk as given, in order, and resolves at the end', async () => {
    const chunks = [bytes('a'), bytes('bc'), bytes('def')];
    const { generator, state } = trackedGenerator(chunks);
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(generator, onChunk))).resolves.toBeUndefined();
    expectSameChunks(seen, chunks);
    expect(state.finalized).toBe(true);
  });

  it('stops when the handler returns true: runs the generator finally, resolves, delivers no further chunk', async () => {
    const chunks = [bytes('a'), bytes('b'), bytes('c')];
    const { generator, state } = trackedGenerator(chunks, true);
    const { seen, onChunk } = recorder((_, index) => index === 1);
    await expect(within(forEachChunk(generator, onChunk))).resolves.toBeUndefined();
    expect(state.finalized).toBe(true);
    expect(state.yielded).toBe(2);
    expectSameChunks(seen, chunks.slice(0, 2));
  });

  it('stops when the handler throws: rejects with that very error, runs the generator finally', async () => {
    const chunks = [bytes('a'), bytes('b'), bytes('c')];
    const { generator, state } = trackedGenerator(chunks, true);
    const failure = new Error('bad line');
    const { seen, onChunk } = recorder((_, index) => {
      if (index === 1) throw failure;
      return false;
    });
    await expect(within(forEachChunk(generator, onChunk))).rejects.toBe(failure);
    expect(state.finalized).toBe(true);
    expect(state.yielded).toBe(2);
    expectSameChunks(seen, chunks.slice(0, 2));
  });

  it("rejects with the iterable's own error", async () => {
    const failure = new Error('connection reset');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield bytes('a');
      throw failure;
    }
    const { seen, onChunk } = recorder();
    await expect(within(forEachChunk(failing(), onChunk))).rejects.toBe(failure);
    expect(seen).toHaveLength(1);
  });
});

describe('forEachChunk: not a body', () => {
  it('fails with a TypeError for a body that is none of the three kinds, without calling the handler', async () => {
    const bodies: unknown[] = [null, undefined, 42, 'text', {}, { on() {}, off() {} }, [bytes('a')]];
    for (const body of bodies) {
      const { seen, onChunk } = recorder();
      // At the call or as a rejection: either way a TypeError.
      const error = await within((async () => forEachChunk(body as ByteStream, onChunk))().catch((e: unknown) => e));
      expect(error).toBeInstanceOf(TypeError);
      expect(seen).toEqual([]);
    }
  });
});

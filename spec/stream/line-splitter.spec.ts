import { describe, it, expect, jest, afterEach } from '@jest/globals';
import {
  DEFAULT_MAX_LINE_BYTES,
  InvalidUtf8Error,
  LineSplitter,
  LineTooLongError,
} from '../../lib/stream/index.js';
import { EVENT_1, EVENT_2, bigLine, bytes, chunked, randomSizes, splitAll } from './fixtures.js';

describe('LineSplitter: splitting', () => {
  it('yields one line from a single chunk', () => {
    expect(splitAll([bytes(`${EVENT_1}\n`)])).toEqual([EVENT_1]);
  });

  it('yields many lines from one chunk, in order', () => {
    const events = Array.from({ length: 50 }, (_, i) => JSON.stringify({ type: 'ADDED', n: i, name: `pod-日本-${i}` }));
    expect(splitAll([bytes(events.map((e) => `${e}\n`).join(''))])).toEqual(events);
  });

  it('calls the handler synchronously during push, not only at end', () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    splitter.push(bytes('a\nb\nc'), (line) => lines.push(line));
    expect(lines).toEqual(['a', 'b']);
    expect(splitter.bufferedBytes).toBe(1);
    splitter.end((line) => lines.push(line));
    expect(lines).toEqual(['a', 'b', 'c']);
  });

  it('decodes correctly when the body is split into two chunks at every byte position', () => {
    const body = bytes(`${EVENT_1}\n${EVENT_2}\n`);
    for (let i = 0; i <= body.length; i++) {
      const lines = splitAll([body.subarray(0, i), body.subarray(i)]);
      if (lines.length !== 2 || lines[0] !== EVENT_1 || lines[1] !== EVENT_2) {
        throw new Error(`split at byte ${i} gave ${JSON.stringify(lines)}`);
      }
    }
  });

  it('decodes correctly from one-byte chunks', () => {
    const body = bytes(`${EVENT_1}\n${EVENT_2}\n`);
    expect(splitAll(chunked(body, [1]))).toEqual([EVENT_1, EVENT_2]);
  });

  it('decodes correctly when split into three chunks around every multi-byte character', () => {
    const body = bytes(`${EVENT_1}\n`);
    for (let i = 0; i < body.length; i++) {
      if (body[i]! < 0x80) continue;
      const lines = splitAll([body.subarray(0, i), body.subarray(i, i + 1), body.subarray(i + 1)]);
      expect(lines).toEqual([EVENT_1]);
    }
  });

  it('decodes a 5 MB line arriving in 1-4 KiB chunks', () => {
    const line = bigLine(5 * 1024 * 1024);
    const body = bytes(`${EVENT_1}\n${line}\n${EVENT_2}\n`);
    expect(body.length).toBeGreaterThan(5 * 1024 * 1024);
    const lines = splitAll(chunked(body, randomSizes(1000, 1024, 4096)));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(EVENT_1);
    expect(lines[1]).toBe(line); // toBe: a diff of two 5 MB strings is useless
    expect(lines[2]).toBe(EVENT_2);
  });

  it('yields a final line that has no trailing newline at end()', () => {
    expect(splitAll([bytes(`${EVENT_1}\n${EVENT_2}`)])).toEqual([EVENT_1, EVENT_2]);
    expect(splitAll(chunked(bytes(`${EVENT_1}\n${EVENT_2}`), [7]))).toEqual([EVENT_1, EVENT_2]);
  });

  it('yields nothing for an empty stream or empty chunks', () => {
    expect(splitAll([])).toEqual([]);
    expect(splitAll([new Uint8Array(0), new Uint8Array(0)])).toEqual([]);
    expect(splitAll([bytes('a'), new Uint8Array(0), bytes('b\n'), new Uint8Array(0)])).toEqual(['ab']);
  });

  it('skips empty lines: a stream of only newlines yields nothing', () => {
    expect(splitAll([bytes('\n')])).toEqual([]);
    expect(splitAll([bytes('\n\n\n')])).toEqual([]);
    expect(splitAll([bytes('\na\n\n\nb\n\n')])).toEqual(['a', 'b']);
  });

  it('strips one trailing \\r from each line and skips lines that are only \\r', () => {
    expect(splitAll([bytes('a\r\nb\r\n')])).toEqual(['a', 'b']);
    expect(splitAll([bytes('\r\n\r\n')])).toEqual([]);
    expect(splitAll([bytes('a\r\r\n')])).toEqual(['a\r']); // only one
    expect(splitAll([bytes('a\rb\n')])).toEqual(['a\rb']); // not inside a line
    expect(splitAll([bytes(`${EVENT_1}\r`), bytes('\n')])).toEqual([EVENT_1]); // \r and \n in different chunks
    expect(splitAll([bytes(`${EVENT_1}\r`)])).toEqual([EVENT_1]); // final unterminated line too
  });

  it('does not keep a reference to the pushed chunk: the caller may reuse its buffer', () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    const buffer = bytes('x\nhello');
    splitter.push(buffer, (line) => lines.push(line));
    buffer.fill(0x3f); // '?'
    splitter.push(bytes(' world\n'), (line) => lines.push(line));
    expect(lines).toEqual(['x', 'hello world']);
  });

  it('can be reused after end()', () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    splitter.push(bytes('a\nb'), (line) => lines.push(line));
    splitter.end((line) => lines.push(line));
    splitter.push(bytes('c'), (line) => lines.push(line));
    splitter.end((line) => lines.push(line));
    splitter.end((line) => lines.push(line)); // nothing buffered: no-op
    expect(lines).toEqual(['a', 'b', 'c']);
  });

  it('accepts Node Buffers', () => {
    expect(splitAll([Buffer.from('é\n日'), Buffer.from('本\n')])).toEqual(['é', '日本']);
  });
});

describe('LineSplitter: no quadratic re-buffering', () => {
  // %TypedArray%.prototype.set is where the splitter copies bytes when it concatenates a line's pieces.
  const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as { set: Uint8Array['set'] };
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const copiedBytes = (set: jest.SpiedFunction<Uint8Array['set']>): number =>
    set.mock.calls.reduce((sum, [source]) => sum + (source as ArrayLike<number>).length, 0);

  it('buffers a line spanning many chunks in time linear in its length', () => {
    const line = bigLine(1024 * 1024);
    const body = bytes(`${line}\n`);
    const chunks = chunked(body, randomSizes(500, 1024, 4096, 7));
    const set = jest.spyOn(typedArrayPrototype, 'set');
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (const chunk of chunks.slice(0, -1)) splitter.push(chunk, (l) => lines.push(l));
    expect(lines).toEqual([]);
    expect(splitter.bufferedBytes).toBe(body.length - chunks[chunks.length - 1]!.length);
    splitter.push(chunks[chunks.length - 1]!, (l) => lines.push(l));
    expect(lines[0]).toBe(line);
    // Each piece is copied once into the line buffer, plus what the buffer held each time it doubled (in all less
    // than its final size, itself under twice the line). Concatenating per chunk would copy ~N^2/2 bytes here.
    expect(copiedBytes(set)).toBeGreaterThanOrEqual(body.length - 1);
    expect(copiedBytes(set)).toBeLessThan(3 * body.length);
  });

  it('reuses its line buffer: a later line that fits copies each of its bytes exactly once', () => {
    const line = bigLine(64 * 1024);
    const body = bytes(`${line}\n`);
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (const chunk of chunked(body, randomSizes(100, 512, 2048, 3))) splitter.push(chunk, (l) => lines.push(l));
    const set = jest.spyOn(typedArrayPrototype, 'set');
    for (const chunk of chunked(body, randomSizes(100, 512, 2048, 4))) splitter.push(chunk, (l) => lines.push(l));
    expect(lines).toEqual([line, line]);
    expect(copiedBytes(set)).toBe(body.length - 1); // no regrowth: the buffer grown for the first line is reused
  });

  it('releases a line buffer grown past 1 MiB once its line is done, and still splits correctly after', () => {
    const long = bigLine(2 * 1024 * 1024);
    const short = bigLine(40 * 1024);
    const splitter = new LineSplitter();
    const lines: string[] = [];
    const push = (text: string, seed: number): void => {
      for (const chunk of chunked(bytes(text), randomSizes(200, 4096, 16384, seed))) splitter.push(chunk, (l) => lines.push(l));
    };
    push(`${long}\n`, 5);
    const set = jest.spyOn(typedArrayPrototype, 'set');
    push(`${short}\n`, 6);
    // The 2 MiB buffer was dropped: the short line grows a new one from 16 KiB (copying what it held each time it
    // doubles), where a kept buffer would have copied exactly the line's bytes.
    expect(copiedBytes(set)).toBeGreaterThan(bytes(short).length);
    expect(lines).toEqual([long, short]);
  });

  it('does not copy lines that lie within one chunk', () => {
    const set = jest.spyOn(typedArrayPrototype, 'set');
    expect(splitAll([bytes(`${EVENT_1}\n${EVENT_2}\n${EVENT_1}\n`)])).toEqual([EVENT_1, EVENT_2, EVENT_1]);
    expect(set).not.toHaveBeenCalled();
  });
});

describe('LineSplitter: maxLineBytes', () => {
  it('defaults to 32 MiB', () => {
    expect(DEFAULT_MAX_LINE_BYTES).toBe(33554432);
    expect(new LineSplitter().maxLineBytes).toBe(33554432);
    expect(new LineSplitter({ maxLineBytes: undefined }).maxLineBytes).toBe(33554432);
  });

  it('accepts a line of exactly maxLineBytes, in one chunk, across chunks, and as the final line', () => {
    const ten = '0123456789';
    expect(splitAll([bytes(`${ten}\n`)], { maxLineBytes: 10 })).toEqual([ten]);
    expect(splitAll(chunked(bytes(`${ten}\n${ten}\n`), [3]), { maxLineBytes: 10 })).toEqual([ten, ten]);
    expect(splitAll(chunked(bytes(`${ten}\n${ten}`), [4]), { maxLineBytes: 10 })).toEqual([ten, ten]);
    // The limit is in bytes, not characters: 'é' is 2 bytes.
    expect(splitAll([bytes('ééééé\n')], { maxLineBytes: 10 })).toEqual(['ééééé']);
  });

  it('rejects a line of maxLineBytes + 1 in a single chunk', () => {
    const error = catchError(() => splitAll([bytes('a\n01234567890\n')], { maxLineBytes: 10 }));
    expect(error).toBeInstanceOf(LineTooLongError);
    expect(error).toMatchObject({ name: 'LineTooLongError', maxLineBytes: 10, seenBytes: 11 });
  });

  it('rejects as soon as the buffered partial line exceeds the limit, before any newline', () => {
    const splitter = new LineSplitter({ maxLineBytes: 10 });
    const noop = (): void => undefined;
    splitter.push(bytes('0123'), noop);
    splitter.push(bytes('4567'), noop);
    expect(splitter.bufferedBytes).toBe(8);
    const error = catchError(() => splitter.push(bytes('89a'), noop));
    expect(error).toBeInstanceOf(LineTooLongError);
    expect(error).toMatchObject({ maxLineBytes: 10, seenBytes: 11 });
    expect(splitter.bufferedBytes).toBe(0); // the buffer is freed
  });

  it('rejects when the newline arrives in the chunk that takes a buffered line over the limit', () => {
    const error = catchError(() => splitAll([bytes('01234'), bytes('567890\n')], { maxLineBytes: 10 }));
    expect(error).toMatchObject({ name: 'LineTooLongError', seenBytes: 11 });
  });

  it('counts a trailing \\r towards the limit (the limit bounds what is buffered)', () => {
    expect(catchError(() => splitAll([bytes('0123456789\r\n')], { maxLineBytes: 10 }))).toBeInstanceOf(LineTooLongError);
  });

  it('has a clear message', () => {
    const error = new LineTooLongError(33554432, 33558000);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LineTooLongError');
    expect(error.message).toMatch(/^watch line exceeds maxLineBytes \(33554432 bytes\)/);
    expect(error.message).toContain('33558000');
  });

  it('rejects an invalid maxLineBytes with a RangeError', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new LineSplitter({ maxLineBytes: bad })).toThrow(RangeError);
    }
  });
});

describe('LineSplitter: errors', () => {
  it.each([
    ['a lone continuation byte', [0x80]],
    ['an invalid byte', [0x61, 0xff, 0x62]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated character before the newline', [0x61, 0xe6, 0x97]],
  ])('throws InvalidUtf8Error for %s', (_, invalid) => {
    const error = catchError(() => splitAll([Uint8Array.from([...invalid, 0x0a])]));
    expect(error).toBeInstanceOf(InvalidUtf8Error);
    expect(error).toMatchObject({ name: 'InvalidUtf8Error', lineBytes: invalid.length });
    expect((error as Error).message).toBe(`watch line is not valid UTF-8 (${invalid.length} bytes)`);
    // By name: TextDecoder's TypeError comes from Node's realm, not jest's sandbox, so instanceof would fail here.
    expect((error as Error).cause).toMatchObject({ name: 'TypeError' });
  });

  it('throws InvalidUtf8Error at end() when the stream stops inside a character', () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    splitter.push(Uint8Array.from([0x61, 0x0a, 0x62, 0xc3]), (line) => lines.push(line)); // 'a\nb' + half of 'é'
    expect(lines).toEqual(['a']);
    expect(() => splitter.end((line) => lines.push(line))).toThrow(InvalidUtf8Error);
  });

  it('delivers the lines before a failing line in the same chunk, then throws', () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    const chunk = Uint8Array.from([...bytes('ok1\nok2\n'), 0xff, 0x0a, ...bytes('never\n')]);
    expect(() => splitter.push(chunk, (line) => lines.push(line))).toThrow(InvalidUtf8Error);
    expect(lines).toEqual(['ok1', 'ok2']);
  });

  it('stays failed after an error: later calls rethrow the same error', () => {
    const splitter = new LineSplitter({ maxLineBytes: 4 });
    const noop = (): void => undefined;
    const first = catchError(() => splitter.push(bytes('toolong'), noop));
    expect(first).toBeInstanceOf(LineTooLongError);
    expect(catchError(() => splitter.push(bytes('ok\n'), noop))).toBe(first);
    expect(catchError(() => splitter.end(noop))).toBe(first);
  });

  it('stays failed after the handler throws', () => {
    const splitter = new LineSplitter();
    const boom = new Error('boom');
    expect(() =>
      splitter.push(bytes('a\nb\n'), () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(catchError(() => splitter.push(bytes('c\n'), () => undefined))).toBe(boom);
  });

  it('rejects non-byte chunks with a TypeError', () => {
    const noop = (): void => undefined;
    expect(() => new LineSplitter().push('a\n' as unknown as Uint8Array, noop)).toThrow(/setEncoding/);
    expect(() => new LineSplitter().push(new Uint16Array([10]) as unknown as Uint8Array, noop)).toThrow(TypeError);
    expect(() => new LineSplitter().push(null as unknown as Uint8Array, noop)).toThrow(TypeError);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error to be thrown');
}

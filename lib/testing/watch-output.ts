/**
 * The byte pump of one open watch response: queues framed lines and writes them according to the server's
 * chunking mode, honours stall/resume, backpressure, clean ends and abrupt drops.
 *
 * Internal to `lib/testing`.
 */
import type { ServerResponse } from 'node:http';

/**
 * How the FakeApiServer writes watch lines to the socket (protocol sheet §2: chunk boundaries do not line up with
 * events; checklist 7).
 *
 * - `line` (default): one `res.write` (so one HTTP chunk) per event line, at once.
 * - `split`: every line is cut into pieces of `chunkBytes` bytes (UTF-8 bytes, so a multi-byte character may be cut),
 *   each its own write, with `delayMs` (0 = one `setImmediate`) between pieces so they arrive separately.
 * - `pack`: lines queued in the same tick (up to `maxEvents`, default unlimited) go out in one write.
 *
 * @since 0.1.0
 */
export type ChunkingMode =
  | { readonly mode: 'line' }
  | { readonly mode: 'split'; readonly chunkBytes: number; readonly delayMs?: number }
  | { readonly mode: 'pack'; readonly maxEvents?: number };

/** Server-wide controls every output consults before each write. @internal @since 0.1.0 */
export interface OutputControl {
  readonly chunking: ChunkingMode;
  readonly stalled: boolean;
}

/** How a watch response ended, from the server's point of view. @internal @since 0.1.0 */
export type OutputEnd = 'client' | 'server' | 'dropped';

const tick = (ms: number): Promise<void> =>
  new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/**
 * The writer of one watch response (see the module comment).
 * @internal
 * @since 0.1.0
 */
export class WatchOutput {
  private queue: string[] = [];
  private head = 0;
  private running = false;
  /** `flush`: write everything queued, then end (after an ERROR). `discard`: finish the line being written, then end. */
  private endMode: 'none' | 'flush' | 'discard' = 'none';
  private dropMode: 'none' | 'now' | 'midLine' = 'none';
  private packWaited = false;
  private closedBy: OutputEnd | undefined;
  private endedByServer = false;
  /** No more lines are accepted (an ERROR was queued, or an end was requested). */
  terminal = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly control: OutputControl,
    private readonly onClose: (by: OutputEnd) => void,
  ) {
    const closed = (): void => {
      if (this.closedBy) return;
      this.closedBy = this.dropMode !== 'none' ? 'dropped' : this.endedByServer ? 'server' : 'client';
      this.terminal = true;
      this.queue = [];
      this.head = 0;
      this.onClose(this.closedBy);
    };
    res.on('close', closed);
    res.on('error', () => undefined);
  }

  /** A drop was requested (checked between pieces of a split line, where TS narrowing cannot see the change). */
  private get dropping(): boolean {
    return this.dropMode !== 'none';
  }

  get closed(): boolean {
    return this.closedBy !== undefined;
  }

  /** Queues one framed line (ignored once terminal). */
  push(line: string): void {
    if (this.terminal) return;
    this.queue.push(line);
    this.kick();
  }

  /** Queues a final line (the ERROR event): after it nothing else is accepted and the stream ends cleanly. */
  pushFinal(line: string): void {
    if (this.terminal) return;
    this.queue.push(line);
    this.terminal = true;
    this.endMode = 'flush';
    this.kick();
  }

  /** Ends the stream cleanly at the next line boundary, dropping lines not yet written (like the timeout, §5). */
  end(): void {
    if (this.closed) return;
    this.terminal = true;
    if (this.endMode !== 'discard') this.endMode = 'discard';
    this.kick();
  }

  /** Destroys the socket: at once, or after writing part of the next line (abrupt, not clean; checklist 16). */
  drop(midLine: boolean): void {
    if (this.closed) return;
    // A mid-line drop still needs one more line to cut in half; it turns terminal once that line is taken.
    if (!midLine) this.terminal = true;
    this.dropMode = midLine ? 'midLine' : 'now';
    this.kick();
  }

  /** Re-runs the pump (after resume, or a state change). */
  kick(): void {
    if (this.running || this.closed) return;
    this.running = true;
    void this.run();
  }

  private take(): string | undefined {
    if (this.head >= this.queue.length) return undefined;
    const line = this.queue[this.head]!;
    this.queue[this.head] = '';
    this.head++;
    // Compact now and then so the array does not grow without bound (no O(n) shift per line).
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return line;
  }

  private finish(): void {
    this.endedByServer = true;
    this.res.end();
  }

  private destroy(): void {
    this.res.destroy();
    this.res.socket?.destroy();
  }

  /** Writes; returns a promise only when the socket buffer is full (resolves on `drain` or close). */
  private write(chunk: string | Buffer): Promise<void> | undefined {
    if (this.closed || this.res.write(chunk)) return undefined;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  private async run(): Promise<void> {
    // `running` is cleared in this function's own finally, which runs synchronously when the loop returns without
    // having awaited, so a kick() later in the same tick (say end() right after a push while stalled) is never lost.
    try {
      for (;;) {
        if (this.closed) return;
        if (this.dropMode === 'now') return this.destroy();
        if (this.dropMode === 'midLine') {
          const line = this.take();
          if (line === undefined) return; // armed: the next queued line triggers the drop
          this.terminal = true;
          const bytes = Buffer.from(line);
          const part = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
          await new Promise<void>((resolve) => {
            // Wait until the partial line is handed to the kernel, so the client really receives it before the reset.
            this.res.once('close', () => resolve());
            this.res.write(part, () => resolve());
          });
          return this.destroy();
        }
        if (this.endMode === 'discard') return this.finish();
        if (this.head >= this.queue.length) {
          if (this.endMode === 'flush') this.finish();
          return;
        }
        if (this.control.stalled) return; // resumeWatches() kicks every output
        const chunking = this.control.chunking;
        let pending: Promise<void> | undefined;
        if (chunking.mode === 'pack') {
          if (!this.packWaited) {
            // Let lines queued in the same tick accumulate, so several events share one write.
            this.packWaited = true;
            await tick(0);
            continue;
          }
          this.packWaited = false;
          const max = chunking.maxEvents ?? Number.POSITIVE_INFINITY;
          let batch = '';
          for (let n = 0; n < max; n++) {
            const line = this.take();
            if (line === undefined) break;
            batch += line;
          }
          pending = this.write(batch);
        } else if (chunking.mode === 'split') {
          const bytes = Buffer.from(this.take()!);
          const size = Math.max(1, Math.floor(chunking.chunkBytes));
          for (let off = 0; off < bytes.length && !this.closed && !this.dropping; off += size) {
            if (off > 0) await tick(chunking.delayMs ?? 0);
            await this.write(bytes.subarray(off, off + size));
          }
        } else {
          // One write per line, synchronously: no await on the hot path unless the socket pushes back.
          pending = this.write(this.take()!);
        }
        if (pending) await pending;
      }
    } finally {
      this.running = false;
    }
  }
}

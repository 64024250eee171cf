/**
 * The byte pump of one open watch response: queues framed lines and writes them according to the server's
 * chunking mode, honours stall/resume, backpressure, clean ends, abrupt drops, and the bound on unsent bytes
 * (slow-consumer eviction, protocol sheet §5).
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
  | {
      /** One write per event line. */
      readonly mode: 'line';
    }
  | {
      /** Every line cut into pieces, each its own write. */
      readonly mode: 'split';
      /** Size of each piece in UTF-8 bytes (at least 1). */
      readonly chunkBytes: number;
      /** Pause between pieces in ms; `0` (default) waits one `setImmediate`. */
      readonly delayMs?: number;
    }
  | {
      /** Lines queued in the same tick share one write. */
      readonly mode: 'pack';
      /** Most lines per write. Default unlimited. */
      readonly maxEvents?: number;
    };

/** Server-wide controls every output consults before each write. @internal @since 0.1.0 */
export interface OutputControl {
  readonly chunking: ChunkingMode;
  readonly stalled: boolean;
  /** Bound on the UTF-8 bytes of counted lines queued but not yet written; `false`: unbounded. */
  readonly maxQueueBytes: number | false;
}

/**
 * How a watch response ended, from the server's point of view. `evicted`: closed as unresponsive when its unsent
 * queue passed the bound (or on request); reported at once, while the bytes already written still drain.
 * @internal
 * @since 0.1.0
 */
export type OutputEnd = 'client' | 'server' | 'dropped' | 'evicted';

/**
 * What a queued line is, for the bound on unsent bytes (see {@link WatchOutput.push}):
 * - `event`: a live event (or raw injected text): counted; a line that would pass the bound evicts the watch, as
 *   the cacher's blocking `add` does when a watcher's input channel stays full;
 * - `bookmark`: a periodic bookmark: counted; one that would pass the bound is skipped, not an eviction (the
 *   cacher offers bookmarks with `nonblockingAdd`);
 * - `initial`: the initial events and the replay from history a watch starts with: not counted, never evicts
 *   (the real watcher pulls those from the watch cache at its own pace).
 * @internal
 * @since 0.1.0
 */
export type LineKind = 'event' | 'bookmark' | 'initial';

const tick = (ms: number): Promise<void> =>
  new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/**
 * The writer of one watch response (see the module comment).
 * @internal
 * @since 0.1.0
 */
export class WatchOutput {
  private queue: string[] = [];
  /** Counted UTF-8 size of each queued line (0 for lines not counted), parallel to `queue`. */
  private sizes: number[] = [];
  private head = 0;
  /** Sum of `sizes` from `head` on: the counted bytes queued but not yet written, kept in push/take. */
  private queuedBytes = 0;
  private running = false;
  /** `flush`: write everything queued, then end (after an ERROR). `discard`: finish the line being written, then end. */
  private endMode: 'none' | 'flush' | 'discard' = 'none';
  private dropMode: 'none' | 'now' | 'midLine' = 'none';
  private packWaited = false;
  /** How the stream ended, as reported to the owner (once). Set at eviction, before the socket closes. */
  private closedBy: OutputEnd | undefined;
  /** The response emitted 'close': nothing more can be written. */
  private socketClosed = false;
  private endedByServer = false;
  /** No more lines are accepted (an ERROR was queued, or an end was requested). */
  terminal = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly control: OutputControl,
    private readonly onClose: (by: OutputEnd) => void,
  ) {
    res.on('close', () => {
      this.socketClosed = true;
      this.terminal = true;
      this.clearQueue();
      this.report(this.dropMode !== 'none' ? 'dropped' : this.endedByServer ? 'server' : 'client');
    });
    res.on('error', () => undefined);
  }

  private report(by: OutputEnd): void {
    if (this.closedBy) return;
    this.closedBy = by;
    this.onClose(by);
  }

  private clearQueue(): void {
    this.queue = [];
    this.sizes = [];
    this.head = 0;
    this.queuedBytes = 0;
  }

  /** A drop was requested (checked between pieces of a split line, where TS narrowing cannot see the change). */
  private get dropping(): boolean {
    return this.dropMode !== 'none';
  }

  /** The stream is over from the server's point of view (socket closed, or evicted). */
  get closed(): boolean {
    return this.closedBy !== undefined;
  }

  /**
   * Queues one framed line (ignored once terminal); returns whether it was queued. With a bound, a counted line that
   * would take the unsent bytes past it while something is already queued either evicts the watch (`event`) or is
   * skipped (`bookmark`); see {@link LineKind}. A single line longer than the bound is accepted when nothing counted
   * is queued, so a large object alone never evicts a client that keeps up.
   */
  push(line: string, kind: LineKind = 'event'): boolean {
    if (this.terminal) return false;
    let size = 0;
    const max = this.control.maxQueueBytes;
    if (max !== false && kind !== 'initial') {
      size = Buffer.byteLength(line);
      if (this.queuedBytes > 0 && this.queuedBytes + size > max) {
        if (kind === 'event') this.evict();
        return false;
      }
    }
    this.queue.push(line);
    this.sizes.push(size);
    this.queuedBytes += size;
    this.kick();
    return true;
  }

  /** Queues a final line (the ERROR event): after it nothing else is accepted and the stream ends cleanly. */
  pushFinal(line: string): void {
    if (this.terminal) return;
    this.queue.push(line);
    this.sizes.push(0);
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

  /**
   * Closes the stream as the cacher closes an unresponsive watcher (§5, "Forcing ... watcher close due to
   * unresponsiveness"): cleanly, with no ERROR event. Lines not yet written are discarded at once (freeing their
   * memory); a line being written is finished, then the body ends with the terminating chunk after the bytes
   * already handed to the socket. The owner is told (`evicted`) now, not when the client has read up to the end.
   * Returns `false` (and does nothing) when the stream is already ending, dropping or closed.
   */
  evict(): boolean {
    if (this.terminal || this.closed || this.dropMode !== 'none') return false;
    this.terminal = true;
    this.endMode = 'discard';
    this.clearQueue();
    this.report('evicted');
    this.kick();
    return true;
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
    if (this.running || this.socketClosed) return;
    this.running = true;
    void this.run();
  }

  private take(): string | undefined {
    if (this.head >= this.queue.length) return undefined;
    const line = this.queue[this.head]!;
    this.queue[this.head] = '';
    this.queuedBytes -= this.sizes[this.head]!;
    this.head++;
    // Compact now and then so the array does not grow without bound (no O(n) shift per line).
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
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
    if (this.socketClosed || this.res.write(chunk)) return undefined;
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
        if (this.socketClosed) return;
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
          for (let off = 0; off < bytes.length && !this.socketClosed && !this.dropping; off += size) {
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

/**
 * The floor of the queue measurements: the least a work queue with the reconcile queue's basic guarantees can do,
 * written bare (no RxJS, no priorities, no backoff, no timers, no metrics). It is client-go's workqueue
 * (`util/workqueue/queue.go`: a FIFO of keys, a `dirty` set for "queued", a `processing` set for "running") with a
 * concurrency limit, a gate, and one result record per run, as `reconcileQueue` emits. What `reconcileQueue` adds on
 * top (RxJS plumbing, priority levels, the due heap, the abortable signal, per-key failure state) is what the ratio
 * to this measures.
 */

/** What the bare queue gives the worker: the queue's own context has the same two fields, plus a lazy `signal`. */
export interface BareContext {
  readonly key: string;
  readonly attempt: number;
}

/** The result record of one run (the shape of `ReconcileResult`'s required fields). */
export interface BareResult {
  readonly key: string;
  readonly outcome: 'success' | 'error';
  readonly attempt: number;
  readonly startedAt: number;
  readonly duration: number;
}

interface KeyState {
  /** Queued (in the FIFO, or wanted again after the current run): client-go's `dirty`. */
  dirty: boolean;
  /** Running: client-go's `processing`. */
  running: boolean;
}

/**
 * A key queue: a key triggered while queued is queued once; one run per key at a time (a trigger during a run
 * queues one more run after it); at most `concurrency` runs; nothing runs before {@link BareQueue.open}. A worker
 * may return a value or a thenable.
 */
export class BareQueue {
  readonly #states = new Map<string, KeyState>();
  /** The FIFO: an array with a moving head, compacted when half consumed (no `shift()`, which is O(n) on big arrays). */
  #fifo: string[] = [];
  #head = 0;
  #running = 0;
  #open = false;
  #pumping = false;

  constructor(
    private readonly worker: (context: BareContext) => unknown,
    private readonly concurrency: number,
    private readonly onResult: (result: BareResult) => void,
  ) {}

  trigger(key: string): void {
    let state = this.#states.get(key);
    if (state === undefined) {
      state = { dirty: false, running: false };
      this.#states.set(key, state);
    }
    if (state.dirty) return;
    state.dirty = true;
    if (!state.running) this.#fifo.push(key);
    this.#pump();
  }

  open(): void {
    this.#open = true;
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping) return; // a synchronous worker ending inside #start: the loop below goes on
    this.#pumping = true;
    try {
      while (this.#open && this.#running < this.concurrency && this.#head < this.#fifo.length) {
        const key = this.#fifo[this.#head]!;
        this.#head += 1;
        if (this.#head > 1024 && this.#head * 2 > this.#fifo.length) {
          this.#fifo = this.#fifo.slice(this.#head);
          this.#head = 0;
        }
        this.#start(key, this.#states.get(key)!);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #start(key: string, state: KeyState): void {
    state.dirty = false;
    state.running = true;
    this.#running += 1;
    const startedAt = Date.now();
    let output: unknown;
    try {
      output = this.worker({ key, attempt: 1 });
    } catch {
      this.#end(key, state, startedAt, 'error');
      return;
    }
    if (typeof output === 'object' && output !== null && typeof (output as PromiseLike<unknown>).then === 'function') {
      (output as PromiseLike<unknown>).then(
        () => this.#end(key, state, startedAt, 'success'),
        () => this.#end(key, state, startedAt, 'error'),
      );
    } else {
      this.#end(key, state, startedAt, 'success');
    }
  }

  #end(key: string, state: KeyState, startedAt: number, outcome: BareResult['outcome']): void {
    state.running = false;
    this.#running -= 1;
    this.onResult({ key, outcome, attempt: 1, startedAt, duration: Date.now() - startedAt });
    if (state.dirty) this.#fifo.push(key);
    else this.#states.delete(key); // forgotten, as the reconcile queue forgets a clean key
    this.#pump();
  }
}

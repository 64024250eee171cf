/**
 * The two orders the reconcile queue keeps (internal): keys ready to run, first in first out, and keys due later,
 * by due time. Both use lazy deletion, as kube-rs's scheduler does with its `DelayQueue` keys: an entry carries the
 * sequence number its key had when it was pushed, and the queue skips entries whose key has moved on since (run,
 * rescheduled earlier, raised to high priority), so moving a key costs O(log n) and never a scan.
 */

/** An entry of a {@link Fifo} or {@link DueHeap}: an item and the sequence number it was pushed with. */
export interface Entry<T> {
  readonly item: T;
  readonly seq: number;
}

/** A FIFO over an array with a moving head, compacted when half of it is consumed (amortised O(1) push and shift). */
export class Fifo<T> {
  private items: Entry<T>[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(entry: Entry<T>): void {
    this.items.push(entry);
  }

  shift(): Entry<T> | undefined {
    if (this.head >= this.items.length) return undefined;
    const entry = this.items[this.head];
    this.items[this.head] = undefined as unknown as Entry<T>; // let the entry be collected
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** An entry of a {@link DueHeap}: also the virtual or real time it is due at. */
export interface DueEntry<T> extends Entry<T> {
  readonly at: number;
}

/** A binary min-heap by due time (ties: first pushed first, by `seq`). */
export class DueHeap<T> {
  private readonly heap: DueEntry<T>[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): DueEntry<T> | undefined {
    return this.heap[0];
  }

  push(entry: DueEntry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): DueEntry<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}

function before<T>(a: DueEntry<T>, b: DueEntry<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

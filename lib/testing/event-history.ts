/**
 * The FakeApiServer's event history: a ring buffer of the last writes, in RV order, from which a watch resuming at
 * an RV is replayed (protocol sheet checklist 13); what fell out of it answers 410 Expired.
 * @internal
 */
import type { StoreEvent } from './object-record.js';

/** A ring buffer of the last `capacity` events, in RV order. */
export class EventHistory {
  private readonly buf: (StoreEvent | undefined)[];
  private start = 0;
  private size = 0;

  constructor(
    private readonly capacity: number,
    /** Every event with an RV above this is still in the buffer. */
    public boundaryRV: number,
  ) {
    this.buf = new Array<StoreEvent | undefined>(Math.max(capacity, 0));
  }

  push(e: StoreEvent): void {
    if (this.capacity <= 0) {
      this.boundaryRV = e.rv;
      return;
    }
    if (this.size === this.capacity) {
      const evicted = this.buf[this.start]!;
      this.boundaryRV = evicted.rv;
      this.buf[this.start] = e;
      this.start = (this.start + 1) % this.capacity;
    } else {
      this.buf[(this.start + this.size) % this.capacity] = e;
      this.size++;
    }
  }

  private at(i: number): StoreEvent {
    return this.buf[(this.start + i) % this.capacity]!;
  }

  /** Events with RV greater than `rv`, oldest first (binary search, then a linear copy). */
  since(rv: number): StoreEvent[] {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < this.size; i++) out.push(this.at(i));
    return out;
  }

  clear(boundaryRV: number): void {
    this.buf.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.boundaryRV = boundaryRV;
  }

  get length(): number {
    return this.size;
  }
}

/**
 * The reuse strategy's queue of merge candidates: a binary min-heap by cost, then
 * node, kept in typed arrays. A plan makes one entry per path and one per merge,
 * and runs once per process, mostly before the optimiser has seen the code: an
 * object and a comparator call per entry were a large part of its time.
 */
export class MergeQueue {
  private readonly cost: Float64Array;
  private readonly node: Int32Array;
  private readonly bytes: Float64Array;
  /** Heap of entry slots. */
  private readonly order: Int32Array;
  private entries = 0;
  private length = 0;

  /** `capacity`: the most entries ever pushed. */
  constructor(capacity: number) {
    this.cost = new Float64Array(capacity);
    this.node = new Int32Array(capacity);
    this.bytes = new Float64Array(capacity);
    this.order = new Int32Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(cost: number, node: number, bytes: number): void {
    const slot = this.entries++;
    this.cost[slot] = cost;
    this.node[slot] = node;
    this.bytes[slot] = bytes;
    const order = this.order;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(slot, order[parent]!)) break;
      order[i] = order[parent]!;
      i = parent;
    }
    order[i] = slot;
  }

  /** Takes the cheapest entry out and returns its slot, for `nodeAt` and `bytesAt`. Call only when size > 0. */
  pop(): number {
    const order = this.order;
    const popped = order[0]!;
    const last = order[--this.length]!;
    const length = this.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      const least = right < length && this.before(order[right]!, order[left]!) ? right : left;
      if (!this.before(order[least]!, last)) break;
      order[i] = order[least]!;
      i = least;
    }
    order[i] = last;
    return popped;
  }

  nodeAt(slot: number): number {
    return this.node[slot]!;
  }

  /** The group's bytes when the entry was made: an entry is stale once its group grew. */
  bytesAt(slot: number): number {
    return this.bytes[slot]!;
  }

  private before(a: number, b: number): boolean {
    const ca = this.cost[a]!;
    const cb = this.cost[b]!;
    return ca < cb || (ca === cb && this.node[a]! < this.node[b]!);
  }
}

/**
 * A binary min-heap of ids, lowest `rating[id]` first, equal ratings by lowest
 * `tieBreak[id]`. The ratings live in the caller's arrays (ids index them) and
 * the heap is one Int32Array: Nixery's merging and the reuse strategy's merge
 * queue push and pop thousands of candidates, where an object and a comparator
 * call each were most of their time.
 */
export class RatedHeap {
  private readonly ids: Int32Array;
  private length = 0;

  /** `capacity`: the most ids the heap ever holds at once. */
  constructor(
    private readonly rating: Float64Array,
    private readonly tieBreak: Int32Array,
    capacity: number,
  ) {
    this.ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(id: number): void {
    const ids = this.ids;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(id, ids[parent]!)) break;
      ids[i] = ids[parent]!;
      i = parent;
    }
    ids[i] = id;
  }

  /** Takes the lowest id out. Call only when size > 0. */
  pop(): number {
    const ids = this.ids;
    const popped = ids[0]!;
    const last = ids[--this.length]!;
    const length = this.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      const least = right < length && this.before(ids[right]!, ids[left]!) ? right : left;
      if (!this.before(ids[least]!, last)) break;
      ids[i] = ids[least]!;
      i = least;
    }
    ids[i] = last;
    return popped;
  }

  /** The ids still in the heap, in no particular order. */
  contents(): Int32Array {
    return this.ids.slice(0, this.length);
  }

  private before(a: number, b: number): boolean {
    const ra = this.rating[a]!;
    const rb = this.rating[b]!;
    return ra < rb || (ra === rb && this.tieBreak[a]! < this.tieBreak[b]!);
  }
}

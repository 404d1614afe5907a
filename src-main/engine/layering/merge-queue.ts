/**
 * The reuse strategy's queue of merge candidates: lowest cost first, then lowest
 * node, kept in typed arrays (a RatedHeap over entry slots). A plan makes one
 * entry per path and one per merge, and runs once per process, mostly before the
 * optimiser has seen the code: an object and a comparator call per entry were a
 * large part of its time.
 */
import { RatedHeap } from './rated-heap.js';

export class MergeQueue {
  private readonly cost: Float64Array;
  private readonly node: Int32Array;
  private readonly bytes: Float64Array;
  private readonly heap: RatedHeap;
  private entries = 0;

  /** `capacity`: the most entries ever pushed. */
  constructor(capacity: number) {
    this.cost = new Float64Array(capacity);
    this.node = new Int32Array(capacity);
    this.bytes = new Float64Array(capacity);
    this.heap = new RatedHeap(this.cost, this.node, capacity);
  }

  get size(): number {
    return this.heap.size;
  }

  push(cost: number, node: number, bytes: number): void {
    const slot = this.entries++;
    this.cost[slot] = cost;
    this.node[slot] = node;
    this.bytes[slot] = bytes;
    this.heap.push(slot);
  }

  /** Takes the cheapest entry out and returns its slot, for `nodeAt` and `bytesAt`. Call only when size > 0. */
  pop(): number {
    return this.heap.pop();
  }

  nodeAt(slot: number): number {
    return this.node[slot]!;
  }

  /** The group's bytes when the entry was made: an entry is stale once its group grew. */
  bytesAt(slot: number): number {
    return this.bytes[slot]!;
  }
}

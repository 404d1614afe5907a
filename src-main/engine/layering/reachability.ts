/**
 * For every node, the sum of `weight` over the nodes it reaches (itself included),
 * counting each reached node once however many routes lead to it. This is what
 * both Nixery (closure size of every path) and referencesByPopularity (sums over
 * ancestors) need for every node at once.
 *
 * Summing child sums would count shared dependencies once per route, so each node
 * carries the exact set it reaches, as a bitset built from its neighbours' sets.
 * Target nodes are taken in blocks of BLOCK_BITS so memory stays at
 * nodes x BLOCK_BITS bits whatever the graph size; time is
 * edges x nodes / 32 word operations plus one addition per reached pair.
 *
 * `order` must list every node after all the nodes its `edges` point to.
 */
export function reachableSums(order: ArrayLike<number>, edges: readonly (readonly number[])[], weight: Float64Array): Float64Array {
  const sums = new Float64Array(edges.length);
  sweepReachable(order, edges, (node, bits, base, words, start) => {
    let sum = 0;
    for (let w = 0; w < words; w++) {
      let word = bits[base + w]!;
      const offset = start + (w << 5);
      while (word !== 0) {
        const lowest = word & -word;
        sum += weight[offset + 31 - Math.clz32(lowest)]!;
        word ^= lowest;
      }
    }
    sums[node]! += sum;
  });
  return sums;
}

/** reachableSums with exact integers, for counts that outgrow a double's 53 bits. */
export function reachableBigSums(order: ArrayLike<number>, edges: readonly (readonly number[])[], weight: readonly bigint[]): bigint[] {
  const sums = edges.map(() => 0n);
  sweepReachable(order, edges, (node, bits, base, words, start) => {
    let sum = 0n;
    for (let w = 0; w < words; w++) {
      let word = bits[base + w]!;
      const offset = start + (w << 5);
      while (word !== 0) {
        const lowest = word & -word;
        sum += weight[offset + 31 - Math.clz32(lowest)]!;
        word ^= lowest;
      }
    }
    sums[node]! += sum;
  });
  return sums;
}

/**
 * Builds the reached sets block by block and hands each finished node's set to
 * `visit`: words `bits[base .. base + words)`, bit i of which is node `start + i`.
 */
function sweepReachable(
  order: ArrayLike<number>,
  edges: readonly (readonly number[])[],
  visit: (node: number, bits: Int32Array, base: number, words: number, start: number) => void,
): void {
  const count = edges.length;
  for (let start = 0; start < count; start += BLOCK_BITS) {
    const end = Math.min(count, start + BLOCK_BITS);
    const words = (end - start + 31) >>> 5;
    const bits = new Int32Array(count * words);
    for (let k = 0; k < order.length; k++) {
      const node = order[k]!;
      const base = node * words;
      if (node >= start && node < end) bits[base + ((node - start) >>> 5)]! |= 1 << ((node - start) & 31);
      for (const next of edges[node]!) {
        const from = next * words;
        for (let w = 0; w < words; w++) bits[base + w]! |= bits[from + w]!;
      }
      visit(node, bits, base, words, start);
    }
  }
}

const BLOCK_BITS = 4096;

/**
 * reachableSums (reachability.ts) by walking from every node, for graphs where
 * that beats the bitset sweep: a closure's paths mostly reach a few dozen others.
 *
 * The nodes that nearly every walk would end up in (a closure's libc, zlib...)
 * are taken out of the walks: the first HUBS nodes of `order` are hubs, and each
 * node carries a small bitset of the hubs it reaches, the union of its
 * neighbours'. Since `order` lists a node after everything it points to, those
 * first nodes point only to each other, so a walk never has to pass a hub to
 * reach a node that is not one: it stops at hubs and adds their weights from the
 * bitset, through a table of the weight sums of every byte of hub bits.
 */

/** Hubs per graph: 16 bitset words a node; on the 10,000-path bench closure's references they cut the walks' steps by four fifths. */
const HUBS = 512;

/**
 * The sums, or undefined when the caller must use the sweep: a weight is not a
 * whole number >= 0, a sum passes 2^53, or the walks have cost as many steps
 * as the sweep's word operations (`budget`).
 */
export function walkedSums(order: ArrayLike<number>, edges: readonly (readonly number[])[], weight: Float64Array, budget: number): Float64Array | undefined {
  const count = edges.length;
  // The edges flat (node n's are targets[first[n] .. first[n + 1])): the walks
  // read them many times over, and one typed array reads faster than 10,000 small ones.
  const first = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    // >= 0 too: then no partial sum exceeds the final one, so a final sum below
    // 2^53 means every addition on the way was exact, in whatever order.
    if (!Number.isInteger(weight[i]) || weight[i]! < 0) return undefined;
    first[i + 1] = first[i]! + edges[i]!.length;
  }
  const targets = new Int32Array(first[count]!);
  for (let i = 0; i < count; i++) targets.set(edges[i]!, first[i]!);

  const hubs = Math.min(HUBS, order.length);
  const words = (hubs + 31) >>> 5;
  // hubBit[n]: n's bit among the hubs, -1 if n is not one.
  const hubBit = new Int32Array(count).fill(-1);
  for (let k = 0; k < hubs; k++) hubBit[order[k]!] = k;
  const byteSums = hubByteSums(order, hubs, weight);
  const hubSets = new Int32Array(count * words);

  let work = 0;
  const sums = new Float64Array(count);
  // mark[n] === node: n is already counted in node's walk (one array for all walks).
  const mark = new Int32Array(count).fill(-1);
  const stack = new Int32Array(count);
  for (let k = 0; k < order.length; k++) {
    const node = order[k]!;
    const from = first[node]!;
    const to = first[node + 1]!;
    const base = node * words;
    if (hubBit[node]! >= 0) hubSets[base + (hubBit[node]! >>> 5)]! |= 1 << (hubBit[node]! & 31);
    for (let e = from; e < to; e++) {
      const other = targets[e]! * words;
      for (let w = 0; w < words; w++) hubSets[base + w]! |= hubSets[other + w]!;
    }
    work += (to - from + 1) * words;

    let sum: number;
    if (to - from === 1) {
      // A node with one edge reaches what its neighbour reaches, plus itself:
      // most paths of a closure, and the walk's worst case (long chains), cost nothing.
      sum = weight[node]! + sums[targets[from]!]!;
    } else {
      sum = 0;
      for (let w = 0; w < words; w++) {
        const word = hubSets[base + w]!;
        if (word === 0) continue;
        const table = w << 10;
        sum += byteSums[table | (word & 255)]! + byteSums[table | 256 | ((word >>> 8) & 255)]!;
        sum += byteSums[table | 512 | ((word >>> 16) & 255)]! + byteSums[table | 768 | (word >>> 24)]!;
      }
      if (hubBit[node]! < 0 && to > from) {
        sum += weight[node]!;
        mark[node] = node;
        let top = 0;
        stack[top++] = node;
        while (top > 0) {
          const reached = stack[--top]!;
          const end = first[reached + 1]!;
          work += end - first[reached]! + 1;
          for (let e = first[reached]!; e < end; e++) {
            const next = targets[e]!;
            if (mark[next] === node || hubBit[next]! >= 0) continue;
            mark[next] = node;
            sum += weight[next]!;
            stack[top++] = next;
          }
        }
        if (work > budget) return undefined;
      } else if (hubBit[node]! < 0) {
        sum += weight[node]!;
      }
    }
    if (sum > Number.MAX_SAFE_INTEGER) return undefined;
    sums[node] = sum;
  }
  return sums;
}

/**
 * For each byte of a hub bitset (hubs 8b .. 8b + 7), the weight sum of every
 * subset of its 8 hubs: entry `(b << 8) | bits`. Each entry adds one weight to a
 * smaller entry, so it costs one addition.
 */
function hubByteSums(order: ArrayLike<number>, hubs: number, weight: Float64Array): Float64Array {
  const bytes = ((hubs + 31) >>> 5) * 4;
  const sums = new Float64Array(bytes << 8);
  for (let b = 0; b < bytes; b++) {
    for (let bits = 1; bits < 256; bits++) {
      const lowest = 31 - Math.clz32(bits & -bits);
      const hub = 8 * b + lowest;
      sums[(b << 8) | bits] = sums[(b << 8) | (bits & (bits - 1))]! + (hub < hubs ? weight[order[hub]!]! : 0);
    }
  }
  return sums;
}

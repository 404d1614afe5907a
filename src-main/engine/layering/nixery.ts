/**
 * Nixery's layer grouping (github.com/google/nixery, layers/layers.go), ported.
 *
 * 1. A graph of the closure with one extra node, the image root, which has an edge
 *    to every top-level path and to every path that is popular (popularity >= 100,
 *    see nixery-popularity.ts) or big (its closure is over 100 MB, 10^8 bytes).
 * 2. The dominator tree of that graph from the image root. Each child of the root,
 *    with everything it dominates, is one candidate layer: the paths that are only
 *    reachable through it travel with it.
 * 3. Merge rating of a candidate = popularity of its root path x its size. While
 *    there are more candidates than the budget, the lowest-rated are merged (a
 *    merged layer's rating is the sum of both).
 * 4. Layers come out highest rating first, the order Nixery's manifest uses, so
 *    the layers most images share come first. Equal ratings: by key.
 *
 * Nixery has two flaws that `faithful` keeps and the default corrects:
 * - Size: Nixery adds up the *closure* sizes of a candidate's paths, counting
 *   shared dependencies over and over (a path deep in the subtree is counted once
 *   for itself and again inside every closure above it). Corrected: the sum of
 *   NAR sizes, the bytes the layer really holds.
 * - Merging: Nixery sorts the candidates once and then folds the lowest into the
 *   next one without sorting again, so the merged layer, whose rating only grows,
 *   keeps absorbing the next candidate: all merges collapse into one ever larger
 *   layer. Corrected: after each merge the two lowest-rated layers are merged
 *   next (the merged layer goes back into the order).
 * Go's sort is not stable; both variants break rating ties by the smallest store
 * path of the candidate, so the result is fixed.
 */
import type { IndexedDag } from './dag.js';
import { dominatorTree, immediateDominators, type DominatorTree } from './dominators.js';
import { plannedLayer, type LayerGroup } from './planned-layer.js';
import { RatedHeap } from './rated-heap.js';
import { reachableSums } from './reachability.js';

/** `popularities`: each node's, from nodePopularities. */
export function groupLikeNixery(dag: IndexedDag, popularities: Float64Array, budget: number, faithful: boolean): LayerGroup[] {
  const count = dag.paths.length;
  const closureSizes = reachableSums(dag.topological.slice().reverse(), dag.children, dag.narSize);

  const imageRoot = count;
  const isTop = new Uint8Array(count);
  for (const top of dag.tops) isTop[top] = 1;
  const fromRoot: number[] = [];
  for (let i = 0; i < count; i++) if (isTop[i] || closureSizes[i]! > BIG_CLOSURE_BYTES || popularities[i]! >= POPULAR_COUNT) fromRoot.push(i);
  const tree = dominatorTree(immediateDominators(dag.children.concat([fromRoot]), imageRoot));

  const candidates = candidatesOf(tree, imageRoot, faithful ? closureSizes : dag.narSize, popularities);
  const layers = faithful ? mergeOnceSorted(candidates, budget) : mergeLowestPairs(candidates, budget);
  return layers
    .map((layer) => ({ layer: plannedLayer(dag, layer.members), rating: layer.rating }))
    .sort((a, b) => b.rating - a.rating || (a.layer.key < b.layer.key ? -1 : 1))
    .map(({ layer }) => layer);
}

/** Nixery's thresholds, as in layers.go. */
const BIG_CLOSURE_BYTES = 100 * 1_000_000;
const POPULAR_COUNT = 100;

/**
 * The candidate layers, numbered 0 .. count - 1, in flat arrays. Merges add
 * candidates count, count + 1, ...: `rating` and `smallest` have room for them.
 */
interface Candidates {
  count: number;
  /** Candidate k's nodes are members[start[k] .. start[k + 1]). */
  members: Int32Array;
  start: Int32Array;
  /**
   * Doubles: exact up to 2^53 (popularity 300,000 x 30 GB); past that only
   * ratings within rounding of each other can compare unlike Go's uint64, which
   * would itself wrap around past 2^64.
   */
  rating: Float64Array;
  /** Smallest node index (so smallest store path): the tie-break. */
  smallest: Int32Array;
}

interface RatedLayer {
  members: number[];
  rating: number;
}

/**
 * One candidate per child of the image root: that child and everything it
 * dominates, listed breadth first (so sizes add up in the order they always did).
 */
function candidatesOf(tree: DominatorTree, imageRoot: number, sizeOf: Float64Array, popularities: Float64Array): Candidates {
  const { first, children } = tree;
  const count = first[imageRoot + 1]! - first[imageRoot]!;
  const members = new Int32Array(imageRoot);
  const start = new Int32Array(count + 1);
  const rating = new Float64Array(2 * count);
  const smallest = new Int32Array(2 * count);
  let filled = 0;
  for (let k = 0; k < count; k++) {
    const top = children[first[imageRoot]! + k]!;
    start[k] = filled;
    members[filled++] = top;
    let size = 0;
    let least = top;
    for (let i = start[k]!; i < filled; i++) {
      const node = members[i]!;
      size += sizeOf[node]!;
      if (node < least) least = node;
      for (let c = first[node]!, end = first[node + 1]!; c < end; c++) members[filled++] = children[c]!;
    }
    rating[k] = popularities[top]! * size;
    smallest[k] = least;
  }
  start[count] = filled;
  return { count, members, start, rating, smallest };
}

/** The members of the candidates `ids`, one list. */
function membersOf(candidates: Candidates, ids: ArrayLike<number>): number[] {
  const { members, start } = candidates;
  const list: number[] = [];
  for (let j = 0; j < ids.length; j++) for (let i = start[ids[j]!]!, end = start[ids[j]! + 1]!; i < end; i++) list.push(members[i]!);
  return list;
}

/**
 * Nixery's loop (`merged := layers[0].merge(layers[1]); layers = layers[1:]`,
 * never re-sorted) merges candidates 0..excess into one, in a single step here.
 */
function mergeOnceSorted(candidates: Candidates, budget: number): RatedLayer[] {
  const { rating, smallest } = candidates;
  const sorted = Int32Array.from({ length: candidates.count }, (_, k) => k).sort((a, b) =>
    rating[a]! < rating[b]! ? -1 : rating[a]! > rating[b]! ? 1 : smallest[a]! - smallest[b]!,
  );
  const excess = sorted.length - budget;
  const kept = excess <= 0 ? sorted : sorted.subarray(excess + 1);
  const layers = Array.from(kept, (k) => ({ members: membersOf(candidates, [k]), rating: rating[k]! }));
  if (excess <= 0) return layers;
  const folded = sorted.subarray(0, excess + 1);
  let merged = 0;
  for (const k of folded) merged += rating[k]!;
  return [{ members: membersOf(candidates, folded), rating: merged }, ...layers];
}

function mergeLowestPairs(candidates: Candidates, budget: number): RatedLayer[] {
  const { rating, smallest } = candidates;
  const heap = new RatedHeap(rating, smallest, candidates.count);
  for (let k = 0; k < candidates.count; k++) heap.push(k);
  // mergedInto[id]: the candidate made by merging id, -1 while id is a layer. Merged
  // candidates are numbered upwards, so each is numbered above what it merged.
  const mergedInto = new Int32Array(2 * candidates.count).fill(-1);
  let next = candidates.count;
  while (heap.size > budget) {
    const a = heap.pop();
    const b = heap.pop();
    rating[next] = rating[a]! + rating[b]!;
    smallest[next] = Math.min(smallest[a]!, smallest[b]!);
    mergedInto[a] = next;
    mergedInto[b] = next;
    heap.push(next++);
  }
  const layers = heap.contents();
  // The layer each candidate ended in, from the last made down.
  const layerOf = new Int32Array(next);
  for (let id = next - 1; id >= 0; id--) layerOf[id] = mergedInto[id] === -1 ? id : layerOf[mergedInto[id]!]!;
  const originals: number[][] = [];
  const slot = new Int32Array(next).fill(-1);
  layers.forEach((id, i) => {
    slot[id] = i;
    originals.push([]);
  });
  for (let k = 0; k < candidates.count; k++) originals[slot[layerOf[k]!]!]!.push(k);
  return Array.from(layers, (id, i) => ({ members: membersOf(candidates, originals[i]!), rating: rating[id]! }));
}

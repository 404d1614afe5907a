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
import { dominatorChildren, immediateDominators } from './dominators.js';
import { MinHeap } from './min-heap.js';
import { plannedLayer, type LayerGroup } from './planned-layer.js';
import { reachableSums } from './reachability.js';

/** `popularities`: each node's, from nodePopularities. */
export function groupLikeNixery(dag: IndexedDag, popularities: Float64Array, budget: number, faithful: boolean): LayerGroup[] {
  const count = dag.paths.length;
  const closureSizes = reachableSums(dag.topological.slice().reverse(), dag.children, dag.narSize);

  const imageRoot = count;
  const fromRoot = new Set(dag.tops);
  for (let i = 0; i < count; i++) if (closureSizes[i]! > BIG_CLOSURE_BYTES || popularities[i]! >= POPULAR_COUNT) fromRoot.add(i);
  const successors: (readonly number[])[] = [...dag.children, [...fromRoot].sort((a, b) => a - b)];
  const tree = dominatorChildren(immediateDominators(successors, imageRoot));

  const sizeOf = faithful ? closureSizes : dag.narSize;
  const candidates = tree[imageRoot]!.map((top): Candidate => {
    const members = subtree(tree, top);
    let size = 0;
    for (const i of members) size += sizeOf[i]!;
    return { members, rating: popularities[top]! * size, smallest: smallestOf(members) };
  });

  const layers = faithful ? mergeOnceSorted(candidates, budget) : mergeLowestPairs(candidates, budget);
  return layers
    .map((candidate) => ({ layer: plannedLayer(dag, candidate.members), rating: candidate.rating }))
    .sort((a, b) => b.rating - a.rating || (a.layer.key < b.layer.key ? -1 : 1))
    .map(({ layer }) => layer);
}

/** Nixery's thresholds, as in layers.go. */
const BIG_CLOSURE_BYTES = 100 * 1_000_000;
const POPULAR_COUNT = 100;

interface Candidate {
  members: number[];
  /**
   * A double: exact up to 2^53 (popularity 300,000 x 30 GB); past that only
   * ratings within rounding of each other can compare unlike Go's uint64, which
   * would itself wrap around past 2^64.
   */
  rating: number;
  /** Smallest node index (so smallest store path): the tie-break. */
  smallest: number;
}

const lowerRated = (a: Candidate, b: Candidate): boolean => a.rating < b.rating || (a.rating === b.rating && a.smallest < b.smallest);

function smallestOf(values: readonly number[]): number {
  let least = Infinity;
  for (const v of values) if (v < least) least = v;
  return least;
}

function subtree(tree: readonly (readonly number[])[], top: number): number[] {
  const members = [top];
  for (let i = 0; i < members.length; i++) members.push(...tree[members[i]!]!);
  return members;
}

/**
 * Nixery's loop (`merged := layers[0].merge(layers[1]); layers = layers[1:]`,
 * never re-sorted) merges candidates 0..excess into one, in a single step here.
 */
function mergeOnceSorted(candidates: Candidate[], budget: number): Candidate[] {
  const sorted = [...candidates].sort((a, b) => (lowerRated(a, b) ? -1 : lowerRated(b, a) ? 1 : 0));
  const excess = sorted.length - budget;
  if (excess <= 0) return sorted;
  const folded = sorted.slice(0, excess + 1);
  const merged: Candidate = {
    members: folded.flatMap((c) => c.members),
    rating: folded.reduce((sum, c) => sum + c.rating, 0),
    smallest: smallestOf(folded.map((c) => c.smallest)),
  };
  return [merged, ...sorted.slice(excess + 1)];
}

function mergeLowestPairs(candidates: Candidate[], budget: number): Candidate[] {
  const heap = new MinHeap<Candidate>(lowerRated);
  for (const candidate of candidates) heap.push(candidate);
  while (heap.size > budget) {
    const a = heap.pop()!;
    const b = heap.pop()!;
    // Append the smaller member list to the larger: merging stays n log n overall.
    const [big, small] = a.members.length >= b.members.length ? [a.members, b.members] : [b.members, a.members];
    for (const m of small) big.push(m);
    heap.push({ members: big, rating: a.rating + b.rating, smallest: Math.min(a.smallest, b.smallest) });
  }
  return heap.drain();
}

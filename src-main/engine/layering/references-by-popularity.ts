/**
 * nixpkgs' referencesByPopularity (pkgs/build-support/references-by-popularity/
 * closure-graph.py), the ordering behind dockerTools.buildLayeredImage.
 *
 * The original expands the reference graph into a tree from every path that no
 * other path refers to, then runs a "popularity contest" bottom-up: a subtree
 * hands each of its counts up to its parent plus one, and the subtree's own root
 * counts one. Unrolling that recursion gives a closed form that needs no tree:
 *
 *   routes(x)     = 1 for a path nothing refers to, else the sum of routes(p)
 *                   over the paths p that refer to x (the number of distinct
 *                   reference chains from a top path down to x);
 *   popularity(x) = the sum of routes(a) over x and every path a that reaches x.
 *
 * (The contest's "+1 per level" is what adds the ancestors' route counts.) The
 * test suite checks this against a literal port of the recursive contest.
 *
 * Route counts grow exponentially with depth and Python keeps them exact with big
 * integers. Here they are doubles while every popularity stays below 2^53 (then
 * every partial sum was exact too) and big integers otherwise, so the order is
 * Python's in both cases.
 */
import type { IndexedDag } from './dag.js';
import { reachableBigSums, reachableSums } from './reachability.js';

export function popularityContest(dag: IndexedDag): readonly number[] | readonly bigint[] {
  const popularity = contestInDoubles(dag);
  return popularity === undefined ? contestInBigInts(dag) : Array.from(popularity);
}

/** The contest in doubles, or undefined when a popularity passes 2^53. */
function contestInDoubles(dag: IndexedDag): Float64Array | undefined {
  const routes = new Float64Array(dag.paths.length);
  for (const node of dag.topological) {
    const parents = dag.parents[node]!;
    if (parents.length === 0) routes[node] = 1;
    else for (const parent of parents) routes[node]! += routes[parent]!;
  }
  // Parents before children is the order an ancestor sum needs.
  const popularity = reachableSums(dag.topological, dag.parents, routes);
  return popularity.every((p) => p <= Number.MAX_SAFE_INTEGER) ? popularity : undefined;
}

function contestInBigInts(dag: IndexedDag): bigint[] {
  const bigRoutes = dag.paths.map(() => 0n);
  for (const node of dag.topological) {
    const parents = dag.parents[node]!;
    if (parents.length === 0) bigRoutes[node] = 1n;
    else for (const parent of parents) bigRoutes[node]! += bigRoutes[parent]!;
  }
  return reachableBigSums(dag.topological, dag.parents, bigRoutes);
}

/**
 * Paths most popular first; among equals, ascending by closure-graph.py's
 * `package_name`: the path with its leading `/nix/store/<hash>` moved to the end,
 * so equal names stay in a fixed order even when only their hashes differ.
 */
export function popularityOrder(dag: IndexedDag): number[] {
  const popularity = contestInDoubles(dag);
  if (popularity !== undefined) return byPopularityThenName(dag.paths, popularity);
  const bigPopularity = contestInBigInts(dag);
  const names = dag.paths.map(packageSortName);
  return dag.paths
    .map((_, i) => i)
    .sort((a, b) => compareDescending(bigPopularity[a]!, bigPopularity[b]!) || compareCodeUnits(names[a]!, names[b]!));
}

/**
 * The same order for popularities in doubles, without a comparator call per pair
 * of paths: paths are bucketed by the rank of their popularity among the distinct
 * values (found by one numeric sort), in ascending index, and only buckets of
 * equal popularity are sorted by name, stably, as the one sort over all did.
 */
function byPopularityThenName(paths: readonly string[], popularity: Float64Array): number[] {
  const count = paths.length;
  const values = popularity.slice().sort();
  let distinct = 0;
  for (let k = 0; k < count; k++) if (k === 0 || values[k] !== values[distinct - 1]) values[distinct++] = values[k]!;
  // bucketStart[r]: where the paths of rank r (0 the most popular) begin in the order.
  const rank = new Int32Array(count);
  const bucketStart = new Int32Array(distinct + 1);
  for (let i = 0; i < count; i++) {
    let low = 0;
    let high = distinct - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (values[middle]! < popularity[i]!) low = middle + 1;
      else high = middle;
    }
    rank[i] = distinct - 1 - low;
    bucketStart[rank[i]! + 1]!++;
  }
  for (let r = 0; r < distinct; r++) bucketStart[r + 1]! += bucketStart[r]!;
  const order = new Array<number>(count);
  const filled = bucketStart.slice(0, distinct);
  for (let i = 0; i < count; i++) order[filled[rank[i]!]!++] = i;

  const names = paths.map(packageSortName);
  for (let r = 0; r < distinct; r++) {
    const from = bucketStart[r]!;
    const to = bucketStart[r + 1]!;
    if (to - from < 2) continue;
    const tied = order.slice(from, to).sort((a, b) => compareCodeUnits(names[a]!, names[b]!));
    for (let k = 0; k < tied.length; k++) order[from + k] = tied[k]!;
  }
  return order;
}

/**
 * dockerTools' split of that order: the first `budget - 1` paths get a layer
 * each, and everything after shares the last one. Layers stay in popularity
 * order, the shared layer last.
 */
export function groupByPopularity(dag: IndexedDag, budget: number): number[][] {
  const order = popularityOrder(dag);
  const groups = order.slice(0, budget - 1).map((i) => [i]);
  const rest = order.slice(budget - 1);
  if (rest.length > 0) groups.push(rest);
  return groups;
}

function compareDescending(a: number | bigint, b: number | bigint): number {
  return a > b ? -1 : a < b ? 1 : 0;
}

/** `a-b-c` -> `b-c-a`: closure-graph.py's split on '-', first part moved last. */
function packageSortName(path: string): string {
  const dash = path.indexOf('-');
  return dash === -1 ? path : `${path.slice(dash + 1)}-${path.slice(0, dash)}`;
}

/** Python's string order (code points; the same as code units for store paths, which are ASCII). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
  const routes = new Float64Array(dag.paths.length);
  for (const node of dag.topological) {
    const parents = dag.parents[node]!;
    if (parents.length === 0) routes[node] = 1;
    else for (const parent of parents) routes[node]! += routes[parent]!;
  }
  // Parents before children is the order an ancestor sum needs.
  const popularity = reachableSums(dag.topological, dag.parents, routes);
  if (popularity.every((p) => p <= Number.MAX_SAFE_INTEGER)) return Array.from(popularity);

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
  const popularity = popularityContest(dag);
  const names = dag.paths.map(packageSortName);
  return dag.paths
    .map((_, i) => i)
    .sort((a, b) => compareDescending(popularity[a]!, popularity[b]!) || compareCodeUnits(names[a]!, names[b]!));
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

function packageSortName(path: string): string {
  const parts = path.split('-');
  return [...parts.slice(1), parts[0]].join('-');
}

/** Python's string order (code points; the same as code units for store paths, which are ASCII). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

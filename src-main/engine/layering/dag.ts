import { LaminaError } from '../../../src-shared/errors.js';
import type { ClosureGraph } from '../closure/graph.js';

/**
 * A closure graph flattened to integer indices, which is what the layering
 * algorithms run on. Indices follow the sorted store paths, so everything
 * derived from them is independent of the order Nix (or a caller) listed paths in.
 */
export interface IndexedDag {
  /** Store paths, sorted; a node's index is its position here. */
  readonly paths: readonly string[];
  /** References of each node, self references dropped, ascending indices. */
  readonly children: readonly (readonly number[])[];
  /** Referrers of each node, ascending indices. */
  readonly parents: readonly (readonly number[])[];
  /** Every node once, each before all the nodes it refers to. */
  readonly topological: Int32Array;
  /** The top-level nodes: the requested roots, plus any path nothing refers to. */
  readonly tops: readonly number[];
  readonly narSize: Float64Array;
}

export function indexClosure(graph: ClosureGraph): IndexedDag {
  const paths = [...graph.nodes.keys()].sort();
  const index = new Map<string, number>();
  paths.forEach((path, i) => index.set(path, i));

  const children: number[][] = [];
  const parents: number[][] = paths.map(() => []);
  const narSize = new Float64Array(paths.length);
  paths.forEach((path, i) => {
    const node = graph.nodes.get(path)!;
    narSize[i] = node.narSize;
    const refs: number[] = [];
    for (const ref of node.references) {
      const j = index.get(ref);
      if (j === undefined) throw new LaminaError(`the closure of ${path} is incomplete: ${ref} is missing; query it again with nix path-info -r`, 'closure-incomplete');
      if (j !== i) refs.push(j);
    }
    refs.sort((a, b) => a - b);
    children.push(refs);
    for (const j of refs) parents[j]!.push(i);
  });

  // Requested roots come first, unreferenced paths after: a path that nothing
  // refers to still belongs to the closure as given, and only a top-level edge
  // makes it reachable for the dominator tree.
  const tops = new Set<number>();
  for (const root of graph.roots) {
    const i = index.get(root);
    if (i === undefined) throw new LaminaError(`the requested path ${root} is not in its own closure; query it again with nix path-info -r`, 'closure-incomplete');
    tops.add(i);
  }
  parents.forEach((ps, i) => {
    if (ps.length === 0) tops.add(i);
  });

  return { paths, children, parents, topological: topologicalOrder(paths, children, parents), tops: [...tops], narSize };
}

/** Kahn's algorithm over sorted indices and sorted child lists, so the order is fixed. */
function topologicalOrder(paths: readonly string[], children: readonly (readonly number[])[], parents: readonly (readonly number[])[]): Int32Array {
  const pending = Int32Array.from(parents, (ps) => ps.length);
  const order = new Int32Array(paths.length);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < paths.length; i++) if (pending[i] === 0) order[tail++] = i;
  while (head < tail) {
    const node = order[head++]!;
    for (const child of children[node]!) if (--pending[child]! === 0) order[tail++] = child;
  }
  if (tail < paths.length) {
    const stuck = pending.findIndex((n) => n > 0);
    throw new LaminaError(
      `the closure has a reference cycle through ${paths[stuck]}; Nix store paths cannot refer to each other in a cycle, so this path info is corrupt: query it again with nix path-info -r`,
      'closure-cycle',
    );
  }
  return order;
}

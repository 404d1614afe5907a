import { LaminaError } from '../../../src-shared/errors.js';
import type { ClosureGraph, StorePathInfo } from '../closure/graph.js';

/**
 * A closure graph flattened to integer indices, which is what the layering
 * algorithms run on. Indices follow the sorted store paths, so everything
 * derived from them is independent of the order Nix (or a caller) listed paths in.
 */
export interface IndexedDag {
  /** Store paths, sorted; a node's index is its position here. */
  readonly paths: readonly string[];
  /** Store path -> its index in `paths`. */
  readonly index: ReadonlyMap<string, number>;
  /** References of each node, self references dropped, ascending indices. */
  readonly children: readonly (readonly number[])[];
  /** Referrers of each node, ascending indices. */
  readonly parents: readonly (readonly number[])[];
  /** Every node once, each before all the nodes it refers to. */
  readonly topological: Int32Array;
  /** The top-level nodes: the requested roots, plus any path nothing refers to. */
  readonly tops: readonly number[];
  readonly narSize: Float64Array;
  /** 1 for the nodes whose references list themselves (dropped from `children`), else 0. */
  readonly refersToItself: Uint8Array;
}

export function indexClosure(graph: ClosureGraph): IndexedDag {
  const paths = [...graph.nodes.keys()].sort();
  const count = paths.length;
  const index = new Map<string, number>();
  for (let i = 0; i < count; i++) index.set(paths[i]!, i);

  // References are gathered flat first, so every list below is allocated once at
  // its final length: tens of thousands of small arrays grown by push are most of
  // what the collector would otherwise copy while a plan runs.
  let edges = 0;
  const nodes = new Array<StorePathInfo>(count);
  for (let i = 0; i < count; i++) {
    const node = graph.nodes.get(paths[i]!)!;
    nodes[i] = node;
    edges += node.references.length;
  }
  const flat = new Int32Array(edges);
  const end = new Int32Array(count);
  const parentCount = new Int32Array(count);
  const narSize = new Float64Array(count);
  const refersToItself = new Uint8Array(count);
  let k = 0;
  for (let i = 0; i < count; i++) {
    const node = nodes[i]!;
    narSize[i] = node.narSize;
    const from = k;
    // References come sorted from makeClosureGraph, and indices follow sorted
    // paths, so they usually arrive ascending: sort only when they do not.
    let ascending = true;
    for (const ref of node.references) {
      const j = index.get(ref);
      if (j === undefined) throw new LaminaError(`the closure of ${paths[i]} is incomplete: ${ref} is missing; query it again with nix path-info -r`, 'closure-incomplete');
      if (j === i) {
        refersToItself[i] = 1;
        continue;
      }
      if (k > from && j < flat[k - 1]!) ascending = false;
      flat[k++] = j;
      parentCount[j]!++;
    }
    if (!ascending) flat.subarray(from, k).sort();
    end[i] = k;
  }
  const children = new Array<number[]>(count);
  const parents = new Array<number[]>(count);
  for (let i = 0; i < count; i++) parents[i] = new Array<number>(parentCount[i]!);
  const filled = new Int32Array(count);
  for (let i = 0, from = 0; i < count; from = end[i++]!) {
    const refs = new Array<number>(end[i]! - from);
    for (let e = from; e < end[i]!; e++) {
      const j = flat[e]!;
      refs[e - from] = j;
      // In ascending i, so every parent list is ascending too.
      parents[j]![filled[j]!++] = i;
    }
    children[i] = refs;
  }

  // Requested roots come first, unreferenced paths after: a path that nothing
  // refers to still belongs to the closure as given, and only a top-level edge
  // makes it reachable for the dominator tree.
  const isTop = new Uint8Array(count);
  const tops: number[] = [];
  const addTop = (i: number): void => {
    if (isTop[i]) return;
    isTop[i] = 1;
    tops.push(i);
  };
  for (const root of graph.roots) {
    const i = index.get(root);
    if (i === undefined) throw new LaminaError(`the requested path ${root} is not in its own closure; query it again with nix path-info -r`, 'closure-incomplete');
    addTop(i);
  }
  for (let i = 0; i < count; i++) if (parentCount[i] === 0) addTop(i);

  return { paths, index, children, parents, topological: topologicalOrder(paths, flat, end, parentCount), tops, narSize, refersToItself };
}

/**
 * Kahn's algorithm over sorted indices and sorted child lists, so the order is
 * fixed. Node i's children are `flat[end[i - 1] .. end[i])`; `pending` (each
 * node's referrer count) is used up.
 */
function topologicalOrder(paths: readonly string[], flat: Int32Array, end: Int32Array, pending: Int32Array): Int32Array {
  const order = new Int32Array(paths.length);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < paths.length; i++) if (pending[i] === 0) order[tail++] = i;
  while (head < tail) {
    const node = order[head++]!;
    for (let e = node === 0 ? 0 : end[node - 1]!, stop = end[node]!; e < stop; e++) {
      const child = flat[e]!;
      if (--pending[child]! === 0) order[tail++] = child;
    }
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

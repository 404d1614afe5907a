/**
 * Why is a path in the closure? For each root that pulls it in, one shortest chain
 * of references from the root down to the path, like `nix why-depends` but for all
 * roots at once and on the graph already in memory.
 */
import type { ClosureGraph } from './graph.js';
import { referrers } from './referrers.js';

export interface DependencyChain {
  readonly root: string;
  /** Store paths from `root` to the target, both included; each refers to the next. */
  readonly chain: readonly string[];
}

/** Chains for the roots whose closure holds `target`, in the graph's root order. */
export function whyDepends(graph: ClosureGraph, target: string): DependencyChain[] {
  if (!graph.nodes.has(target)) return [];
  const distance = distancesTo(graph, target);
  const chains: DependencyChain[] = [];
  for (const root of graph.roots) {
    if (!distance.has(root)) continue;
    const chain = [root];
    let at = root;
    while (at !== target) {
      const steps = distance.get(at)! - 1;
      // Of the references one step closer, the first in sorted order: the same answer every time.
      at = graph.nodes.get(at)!.references.find((ref) => distance.get(ref) === steps)!;
      chain.push(at);
    }
    chains.push({ root, chain });
  }
  return chains;
}

// Breadth-first search backwards along references: how many references from each path to `target`.
function distancesTo(graph: ClosureGraph, target: string): Map<string, number> {
  const back = referrers(graph);
  const distance = new Map([[target, 0]]);
  const queue = [target];
  for (let i = 0; i < queue.length; i++) {
    const path = queue[i]!;
    for (const from of back.get(path)!) {
      if (distance.has(from)) continue;
      distance.set(from, distance.get(path)! + 1);
      queue.push(from);
    }
  }
  return distance;
}

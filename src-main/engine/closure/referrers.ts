/** The closure graph's references turned around: who refers to a path. */
import type { ClosureGraph } from './graph.js';

/** Paths that refer to each path (self references left out). */
export function referrers(graph: ClosureGraph): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const path of graph.nodes.keys()) result.set(path, []);
  for (const node of graph.nodes.values()) {
    for (const ref of node.references) if (ref !== node.path) result.get(ref)!.push(node.path);
  }
  return result;
}

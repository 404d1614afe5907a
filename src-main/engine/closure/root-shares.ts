/**
 * What each root costs: its whole closure, and the part only it pulls in (what
 * leaving it out of the image would save). The rest of the closure is shared by
 * two or more roots. The plan view shows these next to each package.
 */
import { closureOf, type ClosureGraph } from './graph.js';

export interface RootShare {
  readonly root: string;
  /** narSize of the root's closure. */
  readonly closureSize: number;
  /** narSize of the paths no other root's closure holds. */
  readonly uniqueSize: number;
}

export interface RootShares {
  readonly roots: readonly RootShare[];
  /** narSize of the paths in two or more roots' closures. */
  readonly sharedSize: number;
}

export function rootShares(graph: ClosureGraph): RootShares {
  const closures = graph.roots.map((root) => closureOf(graph, [root]));
  const holders = new Map<string, number>();
  for (const closure of closures) for (const path of closure) holders.set(path, (holders.get(path) ?? 0) + 1);
  const size = (path: string): number => graph.nodes.get(path)!.narSize;
  let sharedSize = 0;
  for (const [path, count] of holders) if (count > 1) sharedSize += size(path);
  const roots = graph.roots.map((root, i) => {
    const closure = closures[i]!;
    let closureSize = 0;
    let uniqueSize = 0;
    for (const path of closure) {
      closureSize += size(path);
      if (holders.get(path) === 1) uniqueSize += size(path);
    }
    return { root, closureSize, uniqueSize };
  });
  return { roots, sharedSize };
}

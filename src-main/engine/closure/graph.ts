/**
 * The runtime closure of a set of store paths, as Nix reports it. Plain data:
 * every other module (layering, layers, the UI) reads it, none mutates it.
 */
export interface StorePathInfo {
  /** Full store path, e.g. `/nix/store/<hash>-bash-5.2`. */
  readonly path: string;
  /** The part after the hash: `bash-5.2`. */
  readonly name: string;
  /** Size of the path's NAR serialisation, in bytes. */
  readonly narSize: number;
  /** Store paths this path refers to (may include itself; sorted, unique). */
  readonly references: readonly string[];
}

export interface ClosureGraph {
  /** Every path of the closure, keyed by store path. */
  readonly nodes: ReadonlyMap<string, StorePathInfo>;
  /** The paths the user asked for (top-level packages), in the order given. */
  readonly roots: readonly string[];
}

const STORE_PATH = /^\/nix\/store\/([0-9a-z]{32})-(.+)$/;

/** `bash-5.2` from `/nix/store/<hash>-bash-5.2`; the whole path if it is not a store path. */
export function storePathName(path: string): string {
  return STORE_PATH.exec(path)?.[2] ?? path;
}

export function isStorePath(path: string): boolean {
  return STORE_PATH.test(path);
}

/**
 * Builds a graph from path infos. References to paths that are not in `infos`
 * are an error: a closure is closed by definition, and a hole means the input lies.
 */
export function makeClosureGraph(infos: Iterable<StorePathInfo>, roots: readonly string[]): ClosureGraph {
  const nodes = new Map<string, StorePathInfo>();
  for (const info of infos) {
    nodes.set(info.path, {
      path: info.path,
      name: info.name || storePathName(info.path),
      narSize: info.narSize,
      references: [...new Set(info.references)].sort(),
    });
  }
  for (const node of nodes.values()) {
    for (const ref of node.references) {
      if (!nodes.has(ref)) throw new Error(`closure is not closed: ${node.path} refers to ${ref}, which is missing`);
    }
  }
  for (const root of roots) {
    if (!nodes.has(root)) throw new Error(`closure root ${root} is not in the closure`);
  }
  return { nodes, roots: [...roots] };
}

/** All paths reachable from `starts` (inclusive), sorted. */
export function closureOf(graph: ClosureGraph, starts: Iterable<string>): string[] {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const path = stack.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const node = graph.nodes.get(path);
    if (node) for (const ref of node.references) if (!seen.has(ref)) stack.push(ref);
  }
  return [...seen].sort();
}

/** Sum of narSize over the closure of `starts`. */
export function closureSize(graph: ClosureGraph, starts: Iterable<string>): number {
  let total = 0;
  for (const path of closureOf(graph, starts)) total += graph.nodes.get(path)?.narSize ?? 0;
  return total;
}

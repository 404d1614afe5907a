/**
 * Immediate dominators by Cooper, Harvey and Kennedy, "A Simple, Fast Dominance
 * Algorithm" (2001): iterate over the nodes in reverse postorder, intersecting the
 * dominator chains of each node's processed predecessors, until nothing changes.
 * On an acyclic graph the first pass already settles every node and the second
 * only confirms it, so closure graphs cost two linear passes.
 *
 * Returns `idom`: `idom[root] === root`, `idom[n] === -1` for nodes the root
 * cannot reach, otherwise the immediate dominator of `n`.
 */
export function immediateDominators(successors: readonly (readonly number[])[], root: number): Int32Array {
  const count = successors.length;
  const postorder = new Int32Array(count).fill(-1);
  const reversePostorder = depthFirstReversePostorder(successors, root, postorder);

  const predecessors: number[][] = Array.from({ length: count }, () => []);
  for (const node of reversePostorder) for (const next of successors[node]!) predecessors[next]!.push(node);

  const idom = new Int32Array(count).fill(-1);
  idom[root] = root;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (postorder[a]! < postorder[b]!) a = idom[a]!;
      while (postorder[b]! < postorder[a]!) b = idom[b]!;
    }
    return a;
  };

  for (let changed = true; changed; ) {
    changed = false;
    for (const node of reversePostorder) {
      if (node === root) continue;
      let candidate = -1;
      for (const pred of predecessors[node]!) {
        if (idom[pred] === -1) continue;
        candidate = candidate === -1 ? pred : intersect(pred, candidate);
      }
      if (idom[node] !== candidate) {
        idom[node] = candidate;
        changed = true;
      }
    }
  }
  return idom;
}

/** Fills `postorder` (number per reached node) and returns the reached nodes in reverse postorder. */
function depthFirstReversePostorder(successors: readonly (readonly number[])[], root: number, postorder: Int32Array): number[] {
  const finished: number[] = [];
  const visited = new Uint8Array(successors.length);
  const stack = [root];
  const nextChild = [0];
  visited[root] = 1;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top]!;
    const children = successors[node]!;
    const i = nextChild[top]!;
    if (i < children.length) {
      nextChild[top] = i + 1;
      const child = children[i]!;
      if (!visited[child]) {
        visited[child] = 1;
        stack.push(child);
        nextChild.push(0);
      }
    } else {
      postorder[node] = finished.length;
      finished.push(node);
      stack.pop();
      nextChild.pop();
    }
  }
  return finished.reverse();
}

/** Children lists of the dominator tree given by `idom`, ascending; the root is not its own child. */
export function dominatorChildren(idom: Int32Array): number[][] {
  const children: number[][] = Array.from({ length: idom.length }, () => []);
  idom.forEach((parent, node) => {
    if (parent !== -1 && parent !== node) children[parent]!.push(node);
  });
  return children;
}

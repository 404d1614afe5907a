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

  // Predecessors as one flat list (node n's at predecessors[first[n] .. first[n + 1])),
  // each node's in the reverse postorder of its predecessors: one array, not one per node.
  const first = new Int32Array(count + 1);
  for (const node of reversePostorder) for (const next of successors[node]!) first[next + 1]!++;
  for (let n = 0; n < count; n++) first[n + 1]! += first[n]!;
  const predecessors = new Int32Array(first[count]!);
  const filled = first.slice(0, count);
  for (const node of reversePostorder) for (const next of successors[node]!) predecessors[filled[next]!++] = node;

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
      for (let p = first[node]!, end = first[node + 1]!; p < end; p++) {
        const pred = predecessors[p]!;
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
function depthFirstReversePostorder(successors: readonly (readonly number[])[], root: number, postorder: Int32Array): Int32Array {
  const count = successors.length;
  const reverse = new Int32Array(count);
  let finished = 0;
  const visited = new Uint8Array(count);
  // Each node is on the stack at most once, with the index of its next child.
  const stack = new Int32Array(count);
  const nextChild = new Int32Array(count);
  let top = 0;
  stack[0] = root;
  visited[root] = 1;
  while (top >= 0) {
    const node = stack[top]!;
    const children = successors[node]!;
    const i = nextChild[top]!;
    if (i < children.length) {
      nextChild[top] = i + 1;
      const child = children[i]!;
      if (!visited[child]) {
        visited[child] = 1;
        stack[++top] = child;
        nextChild[top] = 0;
      }
    } else {
      postorder[node] = finished;
      reverse[count - 1 - finished++] = node;
      top--;
    }
  }
  return reverse.subarray(count - finished);
}

/**
 * The dominator tree given by `idom`, flat: node n's children are
 * `children[first[n] .. first[n + 1])`, ascending; the root is not its own child.
 */
export interface DominatorTree {
  readonly first: Int32Array;
  readonly children: Int32Array;
}

export function dominatorTree(idom: Int32Array): DominatorTree {
  const count = idom.length;
  const first = new Int32Array(count + 1);
  for (let node = 0; node < count; node++) {
    const parent = idom[node]!;
    if (parent !== -1 && parent !== node) first[parent + 1]!++;
  }
  for (let n = 0; n < count; n++) first[n + 1]! += first[n]!;
  const children = new Int32Array(first[count]!);
  const filled = first.slice(0, count);
  // Ascending nodes, so every child list is ascending.
  for (let node = 0; node < count; node++) {
    const parent = idom[node]!;
    if (parent !== -1 && parent !== node) children[filled[parent]!++] = node;
  }
  return { first, children };
}

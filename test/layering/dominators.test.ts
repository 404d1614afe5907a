import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominatorTree, immediateDominators } from '../../src-main/engine/layering/dominators.js';

/** Graphs of up to 14 nodes; `acyclic` keeps only edges from lower to higher numbers, as in a closure. */
const graphs = (acyclic: boolean) =>
  fc.integer({ min: 1, max: 14 }).chain((count) =>
    fc.tuple(
      fc.constant(count),
      fc.array(fc.tuple(fc.nat(count - 1), fc.nat(count - 1)), { maxLength: count * 3 }),
      fc.nat(count - 1),
    ).map(([n, edges, root]) => {
      const successors: number[][] = Array.from({ length: n }, () => []);
      for (const [a, b] of edges) if ((!acyclic || a < b) && !successors[a]!.includes(b)) successors[a]!.push(b);
      return { successors, root: acyclic ? 0 : root };
    }),
  );

function reachable(successors: number[][], root: number, removed: number): boolean[] {
  const seen = successors.map(() => false);
  if (root === removed) return seen;
  const stack = [root];
  seen[root] = true;
  while (stack.length > 0) {
    for (const next of successors[stack.pop()!]!) {
      if (next !== removed && !seen[next]) {
        seen[next] = true;
        stack.push(next);
      }
    }
  }
  return seen;
}

/** The definition: d dominates n iff n is reachable from the root, and not once d is removed. */
function naiveDominates(successors: number[][], root: number): boolean[][] {
  const all = reachable(successors, root, -1);
  return successors.map((_, d) => {
    const without = reachable(successors, root, d);
    return successors.map((__, n) => all[n]! && !without[n]);
  });
}

function dominatesFromIdom(idom: Int32Array): boolean[][] {
  const result = Array.from(idom, () => Array.from(idom, () => false));
  idom.forEach((parent, n) => {
    if (parent === -1) return;
    for (let d = n; ; d = idom[d]!) {
      result[d]![n] = true;
      if (idom[d] === d) break;
    }
  });
  return result;
}

describe('immediate dominators', () => {
  for (const acyclic of [true, false]) {
    it(`match the removal definition on random ${acyclic ? 'acyclic' : 'cyclic'} graphs`, () => {
      fc.assert(
        fc.property(graphs(acyclic), ({ successors, root }) => {
          const idom = immediateDominators(successors, root);
          expect(dominatesFromIdom(idom)).toEqual(naiveDominates(successors, root));
        }),
        { numRuns: 400 },
      );
    });
  }

  it('does not depend on the order successors are listed in', () => {
    fc.assert(
      fc.property(graphs(true), ({ successors, root }) => {
        const reversed = successors.map((s) => [...s].reverse());
        expect(immediateDominators(reversed, root)).toEqual(immediateDominators(successors, root));
      }),
    );
  });

  it('gives the tree of the textbook diamond', () => {
    // 0 -> 1, 2; 1 -> 3; 2 -> 3; 3 -> 4: only 0 dominates 3, and 3 dominates 4.
    const idom = immediateDominators([[1, 2], [3], [3], [4], []], 0);
    expect([...idom]).toEqual([0, 0, 0, 0, 3]);
    const tree = dominatorTree(idom);
    expect([0, 1, 2, 3, 4].map((n) => [...tree.children.subarray(tree.first[n], tree.first[n + 1])])).toEqual([[1, 2, 3], [], [], [4], []]);
  });
});

import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { closureOf, makeClosureGraph, type ClosureGraph } from '../../src-main/engine/closure/graph.js';
import { referrers } from '../../src-main/engine/closure/referrers.js';
import { whyDepends } from '../../src-main/engine/closure/why-depends.js';
import { queryClosure } from '../../src-main/engine/nix/closure-query.js';
import { randomGraphs } from './random-graph.js';

/** Shortest number of references from `from` to `to`, by breadth-first search forwards. */
function distance(graph: ClosureGraph, from: string, to: string): number | undefined {
  let frontier = [from];
  const seen = new Set(frontier);
  for (let steps = 0; frontier.length > 0; steps++) {
    if (frontier.includes(to)) return steps;
    frontier = frontier.flatMap((p) => graph.nodes.get(p)!.references.filter((r) => !seen.has(r) && seen.add(r)));
  }
  return undefined;
}

describe('why-depends', () => {
  it('gives, for exactly the roots that pull a path in, a shortest chain of real references', () => {
    fc.assert(
      fc.property(randomGraphs, fc.nat(), (graph, pick) => {
        const paths = [...graph.nodes.keys()];
        const target = paths[pick % paths.length]!;
        const chains = whyDepends(graph, target);
        expect(chains.map((c) => c.root)).toEqual(graph.roots.filter((r) => closureOf(graph, [r]).includes(target)));
        for (const { root, chain } of chains) {
          expect(chain[0]).toBe(root);
          expect(chain.at(-1)).toBe(target);
          chain.slice(1).forEach((path, i) => expect(graph.nodes.get(chain[i]!)!.references).toContain(path));
          expect(chain.length - 1).toBe(distance(graph, root, target));
        }
      }),
    );
  });

  it('answers nothing for a path outside the closure', () => {
    const graph = makeClosureGraph([{ path: `/nix/store/${'a'.repeat(32)}-x`, name: '', narSize: 1, references: [] }], []);
    expect(whyDepends(graph, `/nix/store/${'b'.repeat(32)}-y`)).toEqual([]);
  });

  it('explains why the test bed roots need libc', async () => {
    const outPaths = inject('testbedOutPaths');
    const graph = await queryClosure(inject('testbedRoots').map((r) => outPaths[r]!));
    const chains = whyDepends(graph, outPaths.libc6!);
    expect(chains.map((c) => c.root)).toEqual(graph.roots);
    const bash = chains.find((c) => c.root === outPaths.bash)!;
    expect(bash.chain.at(-1)).toBe(outPaths.libc6);
    expect(referrers(graph).get(outPaths.libc6!)).toContain(bash.chain.at(-2));
  });
});

import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { closureSize } from '../../src-main/engine/closure/graph.js';
import { rootShares } from '../../src-main/engine/closure/root-shares.js';
import { queryClosure } from '../../src-main/engine/nix/closure-query.js';
import { randomGraphs } from './random-graph.js';

describe('root shares', () => {
  it('unique size is what leaving the root out saves; unique and shared add up to the whole', () => {
    fc.assert(
      fc.property(randomGraphs, (graph) => {
        const { roots, sharedSize } = rootShares(graph);
        const total = closureSize(graph, graph.roots);
        for (const share of roots) {
          expect(share.closureSize).toBe(closureSize(graph, [share.root]));
          expect(share.uniqueSize).toBe(total - closureSize(graph, graph.roots.filter((r) => r !== share.root)));
        }
        expect(roots.reduce((sum, s) => sum + s.uniqueSize, 0) + sharedSize).toBe(total);
      }),
    );
  });

  it('on the test bed, libc is shared and each root costs more than it alone brings', async () => {
    const outPaths = inject('testbedOutPaths');
    const graph = await queryClosure(inject('testbedRoots').map((r) => outPaths[r]!));
    const { roots, sharedSize } = rootShares(graph);
    expect(sharedSize).toBeGreaterThanOrEqual(graph.nodes.get(outPaths.libc6!)!.narSize);
    for (const share of roots) {
      expect(share.uniqueSize).toBeGreaterThanOrEqual(graph.nodes.get(share.root)!.narSize);
      expect(share.closureSize).toBeGreaterThan(share.uniqueSize);
    }
  });
});

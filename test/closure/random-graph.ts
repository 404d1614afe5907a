/** Random closure graphs for property tests: path i refers only to lower-numbered paths and maybe itself. */
import fc from 'fast-check';
import { makeClosureGraph, type ClosureGraph } from '../../src-main/engine/closure/graph.js';

const storePath = (i: number): string => `/nix/store/${String(i).padStart(32, '0')}-p${i}`;

export const randomGraphs: fc.Arbitrary<ClosureGraph> = fc
  .array(fc.record({ narSize: fc.nat({ max: 1 << 30 }), refs: fc.array(fc.nat(), { maxLength: 4 }), self: fc.boolean() }), {
    minLength: 1,
    maxLength: 25,
  })
  .chain((nodes) =>
    fc.subarray(nodes.map((_, i) => storePath(i)), { minLength: 1 }).map((roots) =>
      makeClosureGraph(
        nodes.map(({ narSize, refs, self }, i) => ({
          path: storePath(i),
          name: '',
          narSize,
          references: [...(i > 0 ? refs.map((r) => storePath(r % i)) : []), ...(self ? [storePath(i)] : [])],
        })),
        roots,
      ),
    ),
  );

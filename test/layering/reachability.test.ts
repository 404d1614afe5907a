import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closureSize, makeClosureGraph, type ClosureGraph } from '../../src-main/engine/closure/graph.js';
import { indexClosure } from '../../src-main/engine/layering/dag.js';
import { reachableSums } from '../../src-main/engine/layering/reachability.js';
import { closures, storePath } from './random-closure.js';

function expectClosureSizes(graph: ClosureGraph): void {
  const dag = indexClosure(graph);
  const sums = reachableSums(dag.topological.slice().reverse(), dag.children, dag.narSize);
  expect(Array.from(sums)).toEqual(dag.paths.map((p) => closureSize(graph, [p])));
}

describe('sums over everything a path reaches', () => {
  it('equal closure sizes counted path by path, on random closures', () => {
    fc.assert(fc.property(closures(40), ({ graph }) => expectClosureSizes(graph)), { numRuns: 200 });
  });

  it('equal closure sizes counted path by path, on random closures of more paths than the walks take as hubs', () => {
    fc.assert(fc.property(closures(1500), ({ graph }) => expectClosureSizes(graph)), { numRuns: 15 });
  });

  it('stay right across blocks of target paths (more paths than one block holds)', () => {
    // 5000 paths, each referring to 0-2 later ones anywhere: the sets span two blocks
    // but stay small (0.65 references per path on average), so the naive side is quick.
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const count = 5000;
    const degree = (u: number) => (u < 0.5 ? 0 : u < 0.85 ? 1 : 2);
    const paths = Array.from({ length: count }, (_, i) => storePath(i, `p${i}`));
    const infos = paths.map((path, i) => ({
      path,
      name: '',
      narSize: 1 + Math.floor(random() * 1000),
      references: i + 1 < count ? Array.from({ length: degree(random()) }, () => paths[i + 1 + Math.floor(random() * (count - i - 1))]!) : [],
    }));
    expectClosureSizes(makeClosureGraph(infos, [paths[0]!]));
  });
});

describe('sums over everything a path reaches, where walking each path does not pay', () => {
  it('equal closure sizes on dense closures (every path refers to every later one)', () => {
    const count = 300;
    const paths = Array.from({ length: count }, (_, i) => storePath(i, `p${i}`));
    const infos = paths.map((path, i) => ({ path, name: '', narSize: 1 + ((i * 7919) % 1000), references: paths.slice(i + 1) }));
    expectClosureSizes(makeClosureGraph(infos, [paths[0]!]));
  });

  it('add fractional sizes in the order of the store paths, on random closures', () => {
    fc.assert(
      fc.property(closures(40), ({ infos }) => {
        const graph = makeClosureGraph(
          infos.map((info) => ({ ...info, narSize: info.narSize / 3 })),
          [],
        );
        expectClosureSizes(graph);
      }),
      { numRuns: 100 },
    );
  });
});

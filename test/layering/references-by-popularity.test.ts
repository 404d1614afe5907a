import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeClosureGraph, type ClosureGraph } from '../../src-main/engine/closure/graph.js';
import { indexClosure } from '../../src-main/engine/layering/dag.js';
import { planLayers } from '../../src-main/engine/layering/index.js';
import { popularityContest, popularityOrder } from '../../src-main/engine/layering/references-by-popularity.js';
import { closures, storePath } from './random-closure.js';

/** A closure from `name -> referenced names`; every path 1 byte. */
function closureOf(refs: Record<string, string[]>): { graph: ClosureGraph; path: (name: string) => string } {
  const names = Object.keys(refs);
  const path = (name: string): string => storePath(names.indexOf(name), name);
  const graph = makeClosureGraph(
    names.map((name) => ({ path: path(name), name: '', narSize: 1, references: [path(name), ...refs[name]!.map(path)] })),
    [],
  );
  return { graph, path };
}

/**
 * closure-graph.py as written: expand the graph into a tree below every path
 * nothing refers to, then let each subtree pass its counts up plus one, caching
 * each path's contest as the original does, with exact integers as Python has.
 */
function literalContest(graph: ClosureGraph): Map<string, bigint> {
  const refs = (p: string) => graph.nodes.get(p)!.references.filter((r) => r !== p);
  const referenced = new Set([...graph.nodes.keys()].flatMap(refs));
  const cache = new Map<string, Map<string, bigint>>();
  const contest = (children: string[]): Map<string, bigint> => {
    const popularity = new Map<string, bigint>();
    const add = (p: string, n: bigint) => popularity.set(p, (popularity.get(p) ?? 0n) + n);
    for (const child of children) {
      add(child, 1n);
      if (!cache.has(child)) cache.set(child, contest(refs(child)));
      for (const [sub, n] of cache.get(child)!) add(sub, n + 1n);
    }
    return popularity;
  };
  return contest([...graph.nodes.keys()].filter((p) => !referenced.has(p)));
}

const contestByPath = (graph: ClosureGraph): Map<string, bigint> => {
  const dag = indexClosure(graph);
  const contest = popularityContest(dag);
  return new Map(dag.paths.map((p, i) => [p, BigInt(contest[i]!)]));
};

describe('referencesByPopularity', () => {
  it('gives the popularity and order of the example in closure-graph.py', () => {
    // A - B - C - D -\ ; B - E; C - E; E - F; D - F; A - G
    const { graph, path } = closureOf({ A: ['B', 'G'], B: ['C', 'E'], C: ['D', 'E'], D: ['F'], E: ['F'], F: [], G: [] });
    const dag = indexClosure(graph);
    const popularity = popularityContest(dag);
    const byName = Object.fromEntries(dag.paths.map((p, i) => [p.slice(44), popularity[i]]));
    expect(byName).toEqual({ A: 1, B: 2, C: 3, D: 4, E: 5, F: 9, G: 2 });
    expect(popularityOrder(dag).map((i) => dag.paths[i])).toEqual(['F', 'E', 'D', 'C', 'B', 'G', 'A'].map(path));
  });

  it('matches closure-graph.py\'s own unit test of the contest', () => {
    const { graph } = closureOf({ foo: ['bar', 'baz'], bar: ['baz'], baz: ['tux'], tux: [] });
    const dag = indexClosure(graph);
    expect(Object.fromEntries(dag.paths.map((p, i) => [p.slice(44), popularityContest(dag)[i]]))).toEqual({ foo: 1, bar: 2, baz: 4, tux: 6 });
  });

  it('computes the same popularity as the literal recursive contest on random closures', () => {
    fc.assert(
      fc.property(closures(16), ({ graph }) => {
        expect(contestByPath(graph)).toEqual(literalContest(graph));
      }),
      { numRuns: 300 },
    );
  });

  it('stays exact where the counts outgrow a double', () => {
    // A ladder of 64 rungs of two paths, each referring to both of the next rung:
    // 2^64 reference chains reach the bottom. u and v hang below the last rung;
    // v also below an extra top path t, which makes it more popular than u by
    // exactly 2, a difference a double cannot hold at that size.
    const specs: Record<string, string[]> = {};
    for (let rung = 0; rung < 64; rung++) {
      const next = rung === 63 ? ['u', 'v'] : [`l${rung + 1}`, `r${rung + 1}`];
      specs[`l${rung}`] = next;
      specs[`r${rung}`] = next;
    }
    Object.assign(specs, { t: ['v'], u: [], v: [] });
    const { graph, path } = closureOf(specs);
    const contest = contestByPath(graph);
    expect(contest).toEqual(literalContest(graph));
    expect(contest.get(path('v'))! - contest.get(path('u'))!).toBe(2n);
    expect(contest.get(path('u'))! > 2n ** 64n).toBe(true);
    const order = planLayers(graph, { strategy: 'popularity', maxLayers: 200 }).layers.map((l) => l.paths[0]);
    expect(order.slice(0, 2)).toEqual([path('v'), path('u')]);
  });

  it('orders equally popular paths by name, then hash, as package_name does', () => {
    const a = storePath(1, 'zlib-1.3');
    const b = storePath(2, 'bash-5.2');
    const c = storePath(3, 'bash-5.2');
    const graph = makeClosureGraph([a, b, c].map((path) => ({ path, name: '', narSize: 1, references: [] })), []);
    const dag = indexClosure(graph);
    const [first, second] = [b, c].sort((x, y) => (x.slice(11, 43) < y.slice(11, 43) ? -1 : 1));
    expect(popularityOrder(dag).map((i) => dag.paths[i])).toEqual([first, second, a]);
  });

  it('gives the first maxLayers - 2 paths a layer each and the rest one shared layer', () => {
    const { graph, path } = closureOf({ A: ['B', 'G'], B: ['C', 'E'], C: ['D', 'E'], D: ['F'], E: ['F'], F: [], G: [] });
    const layers = (maxLayers: number) => planLayers(graph, { strategy: 'popularity', maxLayers }).layers.map((l) => l.paths);
    expect(layers(4)).toEqual([[path('F')], [path('E')], ['A', 'B', 'C', 'D', 'G'].map(path).sort()]);
    expect(layers(8)).toEqual(['F', 'E', 'D', 'C', 'B', 'G', 'A'].map((n) => [path(n)]));
    expect(layers(20)).toEqual(layers(8));
    expect(layers(2)).toEqual([['A', 'B', 'C', 'D', 'E', 'F', 'G'].map(path).sort()]);
  });
});

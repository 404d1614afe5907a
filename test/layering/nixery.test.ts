import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeClosureGraph, type ClosureGraph } from '../../src-main/engine/closure/graph.js';
import { planLayers, popularityFromGraph, type StrategyName } from '../../src-main/engine/layering/index.js';
import { closures, storePath } from './random-closure.js';

interface Spec {
  refs?: string[];
  size?: number;
}

/** A closure from `name -> { refs, size }`; `roots` are the requested paths. */
function closureOf(specs: Record<string, Spec>, roots: string[]): { graph: ClosureGraph; path: (name: string) => string } {
  const names = Object.keys(specs);
  const path = (name: string): string => storePath(names.indexOf(name), name);
  const graph = makeClosureGraph(
    names.map((name) => ({ path: path(name), name: '', narSize: specs[name]!.size ?? 1000, references: (specs[name]!.refs ?? []).map(path) })),
    roots.map(path),
  );
  return { graph, path };
}

const MB = 1_000_000;

/** Each layer's package names, sorted (the paths themselves sort by hash). */
function layerNames(graph: ClosureGraph, strategy: StrategyName, maxLayers: number, popularity?: Map<string, number>): string[][] {
  return planLayers(graph, { strategy, maxLayers, popularity }).layers.map((l) => l.paths.map((p) => p.slice(44)).sort());
}

describe('nixery grouping', () => {
  // The graph drawn in Nixery's layers.go: img -> A, B, C, D; A, B, C -> E; C -> D -> F, G.
  const drawn = (gSize: number) =>
    closureOf(
      { A: { refs: ['E'] }, B: { refs: ['E'] }, C: { refs: ['E', 'D'] }, D: { refs: ['F', 'G'] }, E: {}, F: {}, G: { size: gSize } },
      ['A', 'B', 'C', 'D'],
    ).graph;

  it('cuts the candidate layers of the example in layers.go', () => {
    // G is big (over 100 MB), so it gets an edge from the image root and a layer of its own.
    const layers = layerNames(drawn(150 * MB), 'nixery', 20).map((l) => l.join(','));
    expect(layers.sort()).toEqual(['A', 'B', 'C', 'D,F', 'E', 'G']);
    // Small, G stays with D, which dominates it.
    expect(layerNames(drawn(1000), 'nixery', 20).map((l) => l.join(',')).sort()).toEqual(['A', 'B', 'C', 'D,F,G', 'E']);
  });

  it('gives a popular path its own layer, matched by its exact name with version', () => {
    const { graph } = closureOf({ app: { refs: ['libfoo-1.0', 'tool'] }, 'libfoo-1.0': {}, tool: {} }, ['app']);
    expect(layerNames(graph, 'nixery', 10, new Map([['libfoo-1.0', 100]])).sort()).toEqual([['app', 'tool'], ['libfoo-1.0']]);
    expect(layerNames(graph, 'nixery', 10, new Map([['libfoo-1.0', 99]]))).toEqual([['app', 'libfoo-1.0', 'tool']]);
    expect(layerNames(graph, 'nixery', 10, new Map([['libfoo', 500]]))).toEqual([['app', 'libfoo-1.0', 'tool']]);
  });

  it('always separates nss-cacert and iana-etc, as Nixery does', () => {
    const { graph } = closureOf({ app: { refs: ['nss-cacert-3.101', 'iana-etc-20240318'] }, 'nss-cacert-3.101': {}, 'iana-etc-20240318': {} }, ['app']);
    expect(layerNames(graph, 'nixery', 10).sort()).toEqual([['app'], ['iana-etc-20240318'], ['nss-cacert-3.101']]);
  });

  it('puts the highest merge rating (popularity x size) first', () => {
    const { graph } = closureOf({ small: { size: 10 }, big: { size: 1000 }, shared: { size: 50 } }, ['small', 'big', 'shared']);
    expect(layerNames(graph, 'nixery', 10, new Map([['shared', 100]]))).toEqual([['shared'], ['big'], ['small']]);
  });

  it('corrected: rates a layer by its bytes; faithful: by the sum of its paths\' closure sizes', () => {
    // chain: 10 + 10 + 10 bytes, closure sizes 30 + 20 + 10 = 60. Three more candidates of 45, 50 and 1000 bytes.
    const { graph } = closureOf(
      { chain: { refs: ['c2'], size: 10 }, c2: { refs: ['c3'], size: 10 }, c3: { size: 10 }, q: { size: 45 }, s: { size: 50 }, r: { size: 1000 } },
      ['chain', 'q', 's', 'r'],
    );
    // One merge (4 candidates, 3 store layers): the lowest two go together.
    expect(layerNames(graph, 'nixery', 4)).toEqual([['r'], ['c2', 'c3', 'chain', 'q'], ['s']]);
    expect(layerNames(graph, 'nixery-faithful', 4)).toEqual([['r'], ['q', 's'], ['c2', 'c3', 'chain']]);
  });

  it('corrected: merges the two lowest each time; faithful: snowballs into one layer, never re-sorting', () => {
    const { graph } = closureOf({ a: { size: 5 }, b: { size: 6 }, c: { size: 7 }, d: { size: 8 }, e: { size: 100 } }, ['a', 'b', 'c', 'd', 'e']);
    expect(layerNames(graph, 'nixery', 4)).toEqual([['e'], ['c', 'd'], ['a', 'b']]);
    expect(layerNames(graph, 'nixery-faithful', 4)).toEqual([['e'], ['a', 'b', 'c'], ['d']]);
  });

  it('counts popularity from the graph itself when no file is given', () => {
    // 100 apps refer to libfoo: popcount's counting makes it popular, so it gets its own layer.
    const specs: Record<string, Spec> = { 'libfoo-1.0': {}, 'libbar-1.0': {} };
    for (let i = 0; i < 100; i++) specs[`app${i}`] = { refs: ['libfoo-1.0', ...(i === 0 ? ['libbar-1.0'] : [])] };
    const { graph } = closureOf(specs, ['app0']);
    const layers = layerNames(graph, 'nixery', 200);
    expect(layers).toContainEqual(['libfoo-1.0']);
    expect(layers).toContainEqual(['app0', 'libbar-1.0']);
  });

  it('plans with the counts from the graph as with the same counts given as a popularity file', () => {
    fc.assert(
      fc.property(closures(30), fc.integer({ min: 2, max: 8 }), fc.boolean(), ({ graph }, maxLayers, faithful) => {
        const strategy = faithful ? 'nixery-faithful' : 'nixery';
        expect(planLayers(graph, { strategy, maxLayers })).toEqual(planLayers(graph, { strategy, maxLayers, popularity: popularityFromGraph(graph) }));
      }),
      { numRuns: 300 },
    );
  });
});

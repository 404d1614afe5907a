import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { closureOf, makeClosureGraph, storePathName, type ClosureGraph } from '../../src-main/engine/closure/graph.js';
import { planLayers, STRATEGY_NAMES } from '../../src-main/engine/layering/index.js';
import { expectValidPlan } from './expect-valid-plan.js';

interface PathInfoJson {
  path: string;
  narSize: number;
  references: string[];
}

/** The small generated package set, as Nix itself reports it. */
let graph: ClosureGraph;
let nixClosure: string[];

beforeAll(() => {
  const outPaths = inject('testbedOutPaths');
  const roots = inject('testbedRoots').map((attr) => outPaths[attr]!);
  const json = execFileSync('nix', ['path-info', '--json', '-r', '--extra-experimental-features', 'nix-command', ...roots], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const infos = (JSON.parse(json) as PathInfoJson[]).map((i) => ({ path: i.path, name: '', narSize: i.narSize, references: i.references }));
  graph = makeClosureGraph(infos, roots);
  nixClosure = execFileSync('nix-store', ['--query', '--requisites', ...roots], { encoding: 'utf8' }).split('\n').filter(Boolean);
});

describe('planning the real small package set', () => {
  it('places the closure nix-store reports, once, within every budget, for every strategy', () => {
    const sizes = new Map([...graph.nodes.values()].map((n) => [n.path, n.narSize]));
    expect(graph.nodes.size).toBeGreaterThan(10);
    for (const strategy of STRATEGY_NAMES) {
      for (const maxLayers of [2, 3, 6, graph.nodes.size + 1, 125]) {
        const plan = planLayers(graph, { strategy, maxLayers });
        expectValidPlan(plan, nixClosure, sizes);
        expect(planLayers(graph, { strategy, maxLayers })).toEqual(plan);
      }
    }
  });

  it('nixery: every layer is one path and the paths only it leads to', () => {
    const plan = planLayers(graph, { strategy: 'nixery', maxLayers: 125 });
    expect(plan.layers.length).toBeGreaterThan(1);
    for (const layer of plan.layers) {
      // Some member must be a gate: without it, none of the others is reachable from the roots.
      const gate = layer.paths.find((candidate) => {
        const reachable = reachableWithout(graph, candidate);
        return layer.paths.every((p) => p === candidate || !reachable.has(p));
      });
      expect(gate, `layer ${layer.paths.map(storePathName).join(' ')}`).toBeDefined();
    }
  });

  it('popularity: with room for all, one path per layer, every path after all it refers to', () => {
    const plan = planLayers(graph, { strategy: 'popularity', maxLayers: graph.nodes.size + 1 });
    expect(plan.layers.every((l) => l.paths.length === 1)).toBe(true);
    const position = new Map(plan.layers.map((l, i) => [l.paths[0]!, i]));
    for (const [path, i] of position) {
      for (const ref of graph.nodes.get(path)!.references) if (ref !== path) expect(position.get(ref)!).toBeLessThan(i);
    }
  });
});

function reachableWithout(g: ClosureGraph, removed: string): Set<string> {
  const seen = new Set<string>();
  const stack = g.roots.filter((r) => r !== removed);
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    for (const r of g.nodes.get(p)!.references) if (r !== removed && !seen.has(r)) stack.push(r);
  }
  expect(seen.size).toBeLessThanOrEqual(closureOf(g, g.roots).length);
  return seen;
}

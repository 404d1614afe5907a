import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeClosureGraph } from '../../src-main/engine/closure/graph.js';
import { isLaminaError, LaminaError } from '../../src-shared/errors.js';
import { planLayers, STRATEGY_NAMES } from '../../src-main/engine/layering/index.js';
import { expectValidPlan } from './expect-valid-plan.js';
import { closures, popularities, storePath } from './random-closure.js';

const shuffled = <T>(items: readonly T[], seed: number): T[] =>
  items
    .map((item, i) => ({ item, k: Math.sin(seed * 7919 + i * 104729) }))
    .sort((a, b) => a.k - b.k)
    .map(({ item }) => item);

describe('every strategy on random closures', () => {
  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: places every path once, within the budget, with content keys, deterministically`, () => {
      fc.assert(
        fc.property(closures(), fc.integer({ min: 2, max: 12 }), popularities(), fc.integer(), ({ graph, infos }, maxLayers, popularity, seed) => {
          const plan = planLayers(graph, { strategy, maxLayers, popularity });
          expectValidPlan(plan, infos.map((i) => i.path), new Map(infos.map((i) => [i.path, i.narSize])));
          expect(plan.strategy).toBe(strategy);

          // Same closure listed in another order, references too: the same plan.
          const reordered = makeClosureGraph(
            shuffled(infos, seed).map((info) => ({ ...info, references: shuffled(info.references, seed + 1) })),
            graph.roots,
          );
          const popularityReordered = new Map(shuffled([...popularity], seed));
          expect(planLayers(reordered, { strategy, maxLayers, popularity: popularityReordered })).toEqual(plan);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('nixery and nixery-faithful cut the same candidate layers while no merge is needed', () => {
    fc.assert(
      fc.property(closures(), popularities(), ({ graph }, popularity) => {
        const maxLayers = graph.nodes.size + 2;
        const keys = (strategy: 'nixery' | 'nixery-faithful') =>
          planLayers(graph, { strategy, maxLayers, popularity })
            .layers.map((l) => l.key)
            .sort();
        expect(keys('nixery-faithful')).toEqual(keys('nixery'));
      }),
    );
  });

  it('refuses a budget with no room for store paths, saying why', () => {
    const graph = makeClosureGraph([], []);
    for (const maxLayers of [1, 0, -3, 2.5]) {
      let thrown: unknown;
      try {
        planLayers(graph, { strategy: 'nixery', maxLayers });
      } catch (err) {
        thrown = err;
      }
      expect(isLaminaError(thrown)).toBe(true);
      expect((thrown as Error).message).toMatch(/at least 2.*customisation layer/);
    }
  });

  it('refuses an unknown strategy by listing the known ones', () => {
    expect(() => planLayers(makeClosureGraph([], []), { strategy: 'fastest' as never, maxLayers: 10 })).toThrow(/nixery, nixery-faithful, popularity, single/);
  });

  it('refuses a closure with a reference cycle, which Nix cannot produce, naming a path on it', () => {
    const a = storePath(1, 'a');
    const b = storePath(2, 'b');
    const graph = makeClosureGraph(
      [
        { path: a, name: '', narSize: 1, references: [b] },
        { path: b, name: '', narSize: 1, references: [a] },
      ],
      [a],
    );
    for (const strategy of STRATEGY_NAMES) {
      expect(() => planLayers(graph, { strategy, maxLayers: 5 })).toThrow(LaminaError);
      expect(() => planLayers(graph, { strategy, maxLayers: 5 })).toThrow(/reference cycle through \/nix\/store\/\w+-[ab]; .*nix path-info -r/);
    }
  });

  it('puts an empty closure in no layers', () => {
    for (const strategy of STRATEGY_NAMES) expect(planLayers(makeClosureGraph([], []), { strategy, maxLayers: 5 }).layers).toEqual([]);
  });
});

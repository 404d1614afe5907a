import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeClosureGraph, type ClosureGraph, type StorePathInfo } from '../../src-main/engine/closure/graph.js';
import { planLayers, type LayerPlan, type StoreSnapshot } from '../../src-main/engine/layering/index.js';
import { layerKey } from '../../src-main/engine/layering/planned-layer.js';
import { headroom } from '../../src-main/engine/layering/reuse.js';
import { expectValidPlan } from './expect-valid-plan.js';
import { storePath } from './random-closure.js';

/**
 * A package set: path i refers only to higher-numbered paths, so every subset
 * of roots has a well-formed closure. Images are root sets drawn from it.
 */
interface Universe {
  readonly infos: readonly StorePathInfo[];
}

const universes: fc.Arbitrary<Universe> = fc.integer({ min: 1, max: 30 }).chain((count) =>
  fc
    .tuple(
      fc.array(fc.oneof(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 1_000_000, max: 90_000_000 })), { minLength: count, maxLength: count }),
      fc.array(fc.tuple(fc.nat(count - 1), fc.nat(count - 1)), { maxLength: count * 3 }),
    )
    .map(([sizes, edges]) => {
      const paths = sizes.map((_, i) => storePath(i, `p${i}`));
      const refs = paths.map(() => new Set<string>());
      for (const [a, b] of edges) if (a < b) refs[a]!.add(paths[b]!);
      return { infos: paths.map((path, i) => ({ path, name: `p${i}`, narSize: sizes[i]!, references: [...refs[i]!] })) };
    }),
);

function closureOf(universe: Universe, roots: readonly number[]): ClosureGraph {
  const byPath = new Map(universe.infos.map((info) => [info.path, info]));
  const seen = new Set<string>();
  const stack = roots.map((r) => universe.infos[r]!.path);
  while (stack.length > 0) {
    const path = stack.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    stack.push(...byPath.get(path)!.references);
  }
  return makeClosureGraph(
    universe.infos.filter((info) => seen.has(info.path)),
    [...new Set(roots)].map((r) => universe.infos[r]!.path),
  );
}

function snapshotOf(plans: readonly { name: string; plan: LayerPlan }[]): StoreSnapshot {
  const byKey = new Map<string, { key: string; paths: string[]; images: string[]; digest: string; size: number }>();
  for (const { name, plan } of plans) {
    for (const layer of plan.layers) {
      const entry = byKey.get(layer.key) ?? { key: layer.key, paths: layer.paths, images: [], digest: `sha256:${layer.key.slice(7)}`, size: layer.narSize };
      entry.images.push(name);
      byKey.set(layer.key, entry);
    }
  }
  return { layers: [...byKey.values()] };
}

function expectValid(plan: LayerPlan, graph: ClosureGraph): void {
  const infos = [...graph.nodes.values()];
  expectValidPlan(plan, infos.map((i) => i.path), new Map(infos.map((i) => [i.path, i.narSize])));
}

const imageSequences = (universe: Universe) =>
  fc.array(fc.uniqueArray(fc.nat(universe.infos.length - 1), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 });

describe('the reuse strategy', () => {
  it('on a sequence of images built into one store: every path in exactly one layer, within the budget, reused layers exactly those of the store that fit', () => {
    fc.assert(
      fc.property(
        universes.chain((u) => fc.tuple(fc.constant(u), imageSequences(u), fc.integer({ min: 2, max: 12 }))),
        ([universe, images, maxLayers]) => {
          const built: { name: string; plan: LayerPlan }[] = [];
          for (const [n, roots] of images.entries()) {
            const graph = closureOf(universe, roots);
            const store = snapshotOf(built);
            const plan = planLayers(graph, { strategy: 'reuse', maxLayers, store });
            expectValid(plan, graph);
            const held = new Set(store.layers.map((l) => l.key));
            for (const layer of plan.layers) {
              expect(layer.reused).toBe(held.has(layer.key));
              if (layer.reason.kind === 'reused') expect(layer.reused).toBe(true);
            }
            expect(plan.newBytes).toBe(plan.layers.filter((l) => !l.reused).reduce((sum, l) => sum + l.narSize, 0));
            built.push({ name: `image${n}`, plan });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same closure and store state listed in another order give the same plan', () => {
    fc.assert(
      fc.property(
        universes.chain((u) => fc.tuple(fc.constant(u), imageSequences(u), fc.integer({ min: 2, max: 12 }))),
        ([universe, images, maxLayers]) => {
          const built: { name: string; plan: LayerPlan }[] = [];
          for (const [n, roots] of images.slice(0, -1).entries()) {
            built.push({ name: `image${n}`, plan: planLayers(closureOf(universe, roots), { strategy: 'reuse', maxLayers, store: snapshotOf(built) }) });
          }
          const graph = closureOf(universe, images.at(-1)!);
          const store = snapshotOf(built);
          const plan = planLayers(graph, { strategy: 'reuse', maxLayers, store });
          const reordered = makeClosureGraph([...graph.nodes.values()].reverse().map((i) => ({ ...i, references: [...i.references].reverse() })), [...graph.roots].reverse());
          const storeReordered: StoreSnapshot = { layers: [...store.layers].reverse().map((l) => ({ ...l, images: [...l.images].reverse() })) };
          expect(planLayers(reordered, { strategy: 'reuse', maxLayers, store: storeReordered })).toEqual(plan);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('adding one root to an image changes only layers holding new paths, and at most one other layer', () => {
    fc.assert(
      fc.property(
        universes.chain((u) => fc.tuple(fc.constant(u), imageSequences(u), fc.nat(u.infos.length - 1), fc.integer({ min: 2, max: 12 }))),
        ([universe, images, added, maxLayers]) => {
          const built: { name: string; plan: LayerPlan }[] = [];
          for (const [n, roots] of images.entries()) {
            built.push({ name: `image${n}`, plan: planLayers(closureOf(universe, roots), { strategy: 'reuse', maxLayers, store: snapshotOf(built) }) });
          }
          // The image built again with one more package, from a store that holds its layers.
          const before = built.at(-1)!;
          const beforePaths = new Set(before.plan.layers.flatMap((l) => l.paths));
          const after = planLayers(closureOf(universe, [...images.at(-1)!, added]), { strategy: 'reuse', maxLayers, store: snapshotOf([before]) });
          const beforeKeys = new Set(before.plan.layers.map((l) => l.key));
          const afterKeys = new Set(after.layers.map((l) => l.key));
          // At most one written layer holds no new path (the one that takes in a given-up layer)...
          expect(after.layers.filter((l) => !l.reused && l.paths.every((p) => beforePaths.has(p))).length).toBeLessThanOrEqual(1);
          // ...and at most one old layer is given up.
          expect([...beforeKeys].filter((k) => !afterKeys.has(k)).length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('uses the budget: with room for it, every path is a layer of its own', () => {
    fc.assert(
      fc.property(
        universes.chain((u) => fc.tuple(fc.constant(u), fc.uniqueArray(fc.nat(u.infos.length - 1), { minLength: 1, maxLength: 3 }))),
        ([universe, roots]) => {
          const graph = closureOf(universe, roots);
          // Room for every path besides the tenth of the budget kept free for later additions.
          const maxLayers = Math.ceil((graph.nodes.size * 10) / 9) + 2;
          expect(maxLayers - 1 - headroom(maxLayers - 1)).toBeGreaterThanOrEqual(graph.nodes.size);
          const plan = planLayers(graph, { strategy: 'reuse', maxLayers });
          expect(plan.layers.length).toBe(graph.nodes.size);
          for (const layer of plan.layers) expect(layer.reason).toMatchObject({ kind: 'path', path: layer.paths[0] });
          // With less room, it fills the budget but for the free tenth.
          if (graph.nodes.size > 2) {
            const tight = planLayers(graph, { strategy: 'reuse', maxLayers: graph.nodes.size });
            const budget = graph.nodes.size - 1;
            expect(tight.layers.length).toBe(Math.max(1, budget - headroom(budget)));
          }
        },
      ),
    );
  });

  it('merges a path with one referrer into that referrer before a widely shared path, keeps top-level packages alone, and says why', () => {
    // app -> libapp -> {libapp-data (only libapp needs it), libc}; tool -> libc.
    const path = (i: number, name: string): string => storePath(i, name);
    const infos: StorePathInfo[] = [
      { path: path(1, 'app'), name: 'app', narSize: 3_000_000, references: [path(2, 'libapp')] },
      { path: path(2, 'libapp'), name: 'libapp', narSize: 10_000_000, references: [path(3, 'libapp-data'), path(4, 'libc')] },
      { path: path(3, 'libapp-data'), name: 'libapp-data', narSize: 1_000_000, references: [] },
      { path: path(4, 'libc'), name: 'libc', narSize: 800_000, references: [] },
      { path: path(5, 'tool'), name: 'tool', narSize: 5_000_000, references: [path(4, 'libc')] },
    ];
    const graph = makeClosureGraph(infos, [infos[0]!.path, infos[4]!.path]);
    const plan = planLayers(graph, { strategy: 'reuse', maxLayers: 5 });
    const names = plan.layers.map((l) => l.paths.map((p) => p.slice(44)).sort().join('+'));
    expect(names.sort()).toEqual(['app', 'libapp+libapp-data', 'libc', 'tool']);
    expect(plan.layers.find((l) => l.paths.length === 2)!.reason).toMatchObject({ kind: 'group', head: infos[1]!.path, paths: 2 });
  });

  it('takes a stored layer that fits, and leaves one that reaches outside the closure', () => {
    const infos: StorePathInfo[] = [
      { path: storePath(1, 'git'), name: 'git', narSize: 40_000_000, references: [storePath(2, 'zlib')] },
      { path: storePath(2, 'zlib'), name: 'zlib', narSize: 100_000, references: [] },
    ];
    const graph = makeClosureGraph(infos, [infos[0]!.path]);
    const fits = [infos[0]!.path, infos[1]!.path].sort();
    const outside = [infos[1]!.path, storePath(9, 'perl')].sort();
    const store: StoreSnapshot = {
      layers: [
        { key: layerKey(fits), paths: fits, images: ['git-image'], digest: 'sha256:aa', size: 1 },
        { key: layerKey(outside), paths: outside, images: ['perl-image'], digest: 'sha256:bb', size: 1 },
      ],
    };
    const plan = planLayers(graph, { strategy: 'reuse', maxLayers: 10, store });
    expect(plan.layers).toHaveLength(1);
    expect(plan.layers[0]).toMatchObject({ key: layerKey(fits), reused: true, reason: { kind: 'reused', images: ['git-image'] } });
    expect(plan.newBytes).toBe(0);
  });
});

describe('the reuse strategy on a store holding part of its own plan', () => {
  it('makes the same plan as on an empty store (a resumed or partly collected build gives the same image)', () => {
    fc.assert(
      fc.property(
        universes.chain((u) =>
          fc.tuple(fc.constant(u), fc.uniqueArray(fc.nat(u.infos.length - 1), { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 12 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 })),
        ),
        ([universe, roots, maxLayers, keep]) => {
          const graph = closureOf(universe, roots);
          const clean = planLayers(graph, { strategy: 'reuse', maxLayers });
          const part = { name: 'part', plan: { ...clean, layers: clean.layers.filter((_, i) => keep[i]) } };
          const resumed = planLayers(graph, { strategy: 'reuse', maxLayers, store: snapshotOf([part]) });
          expect(resumed.layers.map((l) => l.key)).toEqual(clean.layers.map((l) => l.key));
        },
      ),
      { numRuns: 500 },
    );
  });
});

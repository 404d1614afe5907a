/**
 * What the Compose and Plan views show about a recipe before it is built: the
 * closure's size per package, the closure graph with each path's layer, every
 * strategy at the same budget side by side, and why a path is in the image.
 */
import { closureSize, type ClosureGraph } from '../closure/graph.js';
import { rootShares } from '../closure/root-shares.js';
import { whyDepends } from '../closure/why-depends.js';
import { errorLine } from '../../../src-shared/errors.js';
import { describeReason, STRATEGY_NAMES, type LayerPlan, type StoreSnapshot, type StrategyName } from '../layering/index.js';
import type { ClosurePreview, PlanLayerView, PlanView, StrategySummary, WhyChain } from '../../../src-shared/plan.js';
import { planClosure, type LayeringRequest } from './plan-recipe.js';

export function closurePreview(attrs: readonly string[], outPaths: ReadonlyMap<string, string>, graph: ClosureGraph): ClosurePreview {
  const shares = new Map(rootShares(graph).roots.map((share) => [share.root, share]));
  return {
    roots: attrs.map((attr) => {
      const path = outPaths.get(attr)!;
      const share = shares.get(path);
      return { attr, path, closureSize: share?.closureSize ?? closureSize(graph, [path]), uniqueSize: share?.uniqueSize ?? 0 };
    }),
    paths: graph.nodes.size,
    narSize: closureSize(graph, graph.roots),
  };
}

export interface PlanViewOptions extends LayeringRequest {
  /** The layers the store holds with the recipe's compression: what `reuse` builds on and what any plan would not write again. */
  readonly store?: StoreSnapshot;
}

function summarise(plan: LayerPlan): StrategySummary {
  return {
    strategy: plan.strategy,
    layers: plan.layers.length,
    largestLayer: Math.max(0, ...plan.layers.map((l) => l.narSize)),
    sharedBytes: plan.closure.narSize - plan.newBytes,
    newBytes: plan.newBytes,
  };
}

/** The plan a build of the recipe would make (planClosure, as planRecipe calls it), and every other strategy's beside it. */
export function planView(graph: ClosureGraph, options: PlanViewOptions): PlanView {
  const { store, ...request } = options;
  const planWith = (strategy: StrategyName): LayerPlan => planClosure(graph, { ...request, strategy }, store);
  const chosen = planWith(options.strategy);
  const layerOf = new Map<string, number>();
  chosen.layers.forEach((layer, index) => layer.paths.forEach((path) => layerOf.set(path, index)));
  const layers: PlanLayerView[] = chosen.layers.map((layer, index) => ({
    index,
    narSize: layer.narSize,
    paths: layer.paths,
    cached: layer.reused,
    reason: layer.reason,
    why: describeReason(layer.reason),
  }));
  const strategies = STRATEGY_NAMES.map((strategy): StrategySummary => {
    try {
      return summarise(strategy === chosen.strategy ? chosen : planWith(strategy));
    } catch (err) {
      return { strategy, layers: 0, largestLayer: 0, sharedBytes: 0, newBytes: 0, error: errorLine(err) };
    }
  });
  return {
    roots: graph.roots,
    nodes: [...graph.nodes.values()].map((node) => ({
      path: node.path,
      name: node.name,
      narSize: node.narSize,
      references: node.references.filter((ref) => ref !== node.path),
      layer: layerOf.get(node.path) ?? -1,
    })),
    strategy: chosen.strategy,
    maxLayers: chosen.maxLayers,
    layers,
    closure: chosen.closure,
    newBytes: chosen.newBytes,
    strategies,
  };
}

export function whyInImage(graph: ClosureGraph, path: string): WhyChain[] {
  return whyDepends(graph, path).map(({ root, chain }) => ({ root, chain: [...chain] }));
}

import type { ClosureGraph } from '../closure/graph.js';
import { LaminaError } from '../errors.js';
import { indexClosure } from './dag.js';
import { groupLikeNixery } from './nixery.js';
import { popularityFromGraph } from './nixery-popularity.js';
import { plannedLayer, type PlannedLayer } from './planned-layer.js';
import { groupByPopularity } from './references-by-popularity.js';

/**
 * - `nixery`: Nixery's popularity + dominator-tree grouping with its two flaws
 *   corrected (see nixery.ts); the default.
 * - `nixery-faithful`: the same, flaws kept, to compare against Nixery's images.
 * - `popularity`: nixpkgs' referencesByPopularity, as dockerTools does it.
 * - `single`: the whole closure in one layer.
 */
export type StrategyName = 'nixery' | 'nixery-faithful' | 'popularity' | 'single';

export const STRATEGY_NAMES: readonly StrategyName[] = ['nixery', 'nixery-faithful', 'popularity', 'single'];

export interface PlanOptions {
  strategy: StrategyName;
  /** Layers of the whole image, the customisation layer included. */
  maxLayers: number;
  /**
   * Package name -> reference count (Nixery's popularity.json), for the nixery
   * strategies; counted from the graph itself when absent. `popularity` computes
   * its own from the graph and ignores it.
   */
  popularity?: ReadonlyMap<string, number>;
}

export type { PlannedLayer };

export interface LayerPlan {
  strategy: StrategyName;
  maxLayers: number;
  closure: { paths: number; narSize: number };
  /**
   * Store-path layers, at most maxLayers - 1, in image order: for the nixery
   * strategies highest merge rating first (ties by key), for `popularity` most
   * popular first with the shared remainder last.
   */
  layers: PlannedLayer[];
}

/** The smallest budget: one layer of store paths plus the customisation layer. */
export const MIN_MAX_LAYERS = 2;

export function planLayers(graph: ClosureGraph, options: PlanOptions): LayerPlan {
  const { strategy, maxLayers } = options;
  if (!STRATEGY_NAMES.includes(strategy)) {
    throw new LaminaError(`unknown layering strategy ${JSON.stringify(strategy)}; use one of ${STRATEGY_NAMES.join(', ')}`, 'invalid-strategy');
  }
  if (!Number.isSafeInteger(maxLayers) || maxLayers < MIN_MAX_LAYERS) {
    throw new LaminaError(
      `max layers must be a whole number of at least ${MIN_MAX_LAYERS}, got ${maxLayers}: one layer is the customisation layer (the /bin, /lib... symlinks) and the store paths need at least one more`,
      'invalid-max-layers',
    );
  }

  const dag = indexClosure(graph);
  let narSize = 0;
  for (const size of dag.narSize) narSize += size;
  const budget = maxLayers - 1;

  let layers: PlannedLayer[];
  if (dag.paths.length === 0) layers = [];
  else if (strategy === 'single') layers = [plannedLayer(dag, dag.paths.map((_, i) => i))];
  else if (strategy === 'popularity') layers = groupByPopularity(dag, budget).map((members) => plannedLayer(dag, members));
  else layers = groupLikeNixery(dag, options.popularity ?? popularityFromGraph(graph), budget, strategy === 'nixery-faithful');

  return { strategy, maxLayers, closure: { paths: dag.paths.length, narSize }, layers };
}

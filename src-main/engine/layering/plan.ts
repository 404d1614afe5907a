import type { ClosureGraph } from '../closure/graph.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { indexClosure } from './dag.js';
import { groupLikeNixery } from './nixery.js';
import { nodePopularities } from './nixery-popularity.js';
import type { LayerReason } from '../../../src-shared/layer-reason.js';
import { plannedLayer, type LayerGroup, type PlannedLayer } from './planned-layer.js';
import { groupByPopularity } from './references-by-popularity.js';
import { groupForReuse } from './reuse.js';
import { EMPTY_SNAPSHOT, type StoreSnapshot } from './store-snapshot.js';
import { isStrategyName, unknownStrategyMessage, type StrategyName } from '../../../src-shared/strategies.js';
import { MIN_MAX_LAYERS } from '../../../src-shared/layer-budget.js';


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
  /**
   * The layers the store holds already (with the build's compression): `reuse`
   * builds on them, and every strategy's layers are marked `reused` from it.
   * None: an empty store.
   */
  store?: StoreSnapshot;
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
  /** NAR bytes of the layers the store does not hold yet: what a build would write (the small customisation layer aside). */
  newBytes: number;
}

export function planLayers(graph: ClosureGraph, options: PlanOptions): LayerPlan {
  const { strategy, maxLayers } = options;
  // Typed, but plans are asked for from JSON (IPC, stored jobs) too.
  if (!isStrategyName(strategy)) throw new LaminaError(unknownStrategyMessage(strategy), 'invalid-strategy');
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

  const store = options.store ?? EMPTY_SNAPSHOT;
  const asGrouped = (groups: LayerGroup[]): (LayerGroup & { reason: LayerReason })[] => groups.map((group) => ({ ...group, reason: { kind: 'strategy', strategy } }));
  let grouped: (LayerGroup & { reason: LayerReason })[];
  if (dag.paths.length === 0) grouped = [];
  else if (strategy === 'reuse') grouped = groupForReuse(dag, budget, store);
  else if (strategy === 'single') grouped = asGrouped([plannedLayer(dag, dag.paths.map((_, i) => i))]);
  else if (strategy === 'popularity') grouped = asGrouped(groupByPopularity(dag, budget).map((members) => plannedLayer(dag, members)));
  else grouped = asGrouped(groupLikeNixery(dag, nodePopularities(dag, options.popularity), budget, strategy === 'nixery-faithful'));

  const held = new Set(store.layers.map((layer) => layer.key));
  const layers = grouped.map((group) => ({ ...group, reused: held.has(group.key) }));
  const newBytes = layers.reduce((sum, layer) => sum + (layer.reused ? 0 : layer.narSize), 0);
  return { strategy, maxLayers, closure: { paths: dag.paths.length, narSize }, layers, newBytes };
}

export { planLayers, type LayerPlan, type PlanOptions, type PlannedLayer } from './plan.js';
export { DEFAULT_STRATEGY, STRATEGY_NAMES, type StrategyName } from '../../../src-shared/strategies.js';
export { loadPopularity, popularityFromGraph } from './nixery-popularity.js';
export { layerKey } from './planned-layer.js';
export { describeReason, type LayerReason } from '../../../src-shared/layer-reason.js';
export { EMPTY_SNAPSHOT, type ReusableLayer, type StoreSnapshot } from './store-snapshot.js';

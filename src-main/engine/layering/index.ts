export { planLayers, MIN_MAX_LAYERS, STRATEGY_NAMES, type LayerPlan, type PlanOptions, type PlannedLayer, type StrategyName } from './plan.js';
export { loadPopularity, popularityFromGraph } from './nixery-popularity.js';
export { layerKey } from './planned-layer.js';

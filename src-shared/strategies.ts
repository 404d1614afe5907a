/** The layering strategies by name, with no Node imports: the IPC contract, the CLI and the renderer list them from here. */

/**
 * - `reuse`: the default; takes the store's layers as they are and gives every
 *   other path a layer of its own while the budget allows (see reuse.ts).
 * - `nixery`: Nixery's popularity + dominator-tree grouping with its two flaws
 *   corrected (see nixery.ts).
 * - `nixery-faithful`: the same, flaws kept, to compare against Nixery's images.
 * - `popularity`: nixpkgs' referencesByPopularity, as dockerTools does it.
 * - `single`: the whole closure in one layer.
 */
export type StrategyName = 'reuse' | 'nixery' | 'nixery-faithful' | 'popularity' | 'single';

export const STRATEGY_NAMES: readonly StrategyName[] = ['reuse', 'nixery', 'nixery-faithful', 'popularity', 'single'];

export const DEFAULT_STRATEGY: StrategyName = 'reuse';

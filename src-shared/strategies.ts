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
export const STRATEGY_NAMES = ['reuse', 'nixery', 'nixery-faithful', 'popularity', 'single'] as const;

export type StrategyName = (typeof STRATEGY_NAMES)[number];

export const DEFAULT_STRATEGY: StrategyName = 'reuse';

/** For text from outside (a form, a stored job): narrows it without a cast. */
export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/** What to say when a name is none of them. */
export function unknownStrategyMessage(name?: string): string {
  return `unknown layering strategy${name === undefined ? '' : ` "${name}"`}; use one of ${STRATEGY_NAMES.join(', ')}`;
}

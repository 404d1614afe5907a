/**
 * What to build: packages from a source, how to split them into layers, how to
 * compress them, and the container's runtime settings. Plain data, so the UI can
 * store and edit it and the CLI can make one from flags.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { makeImageConfig, type RuntimeConfig } from '../image/config.js';
import { LAYER_COMPRESSIONS, type LayerCompression } from '../../../src-shared/compressions.js';
import { MAX_MAX_LAYERS, MIN_MAX_LAYERS } from '../../../src-shared/layer-budget.js';
import { isStrategyName, unknownStrategyMessage, type StrategyName } from '../../../src-shared/strategies.js';

export interface Recipe {
  /** A package source as `parseSource` reads it: a folder or .nix file, `<nixpkgs>`, a flake. */
  readonly source: string;
  /** Attributes to build; their outputs are the image's top-level packages, in this order. */
  readonly attrs: readonly string[];
  readonly strategy: StrategyName;
  /** Layers of the whole image, the customisation layer included. */
  readonly maxLayers: number;
  readonly compression: LayerCompression;
  /** Nixery popularity data (package name -> reference count) for the nixery strategies. */
  readonly popularity?: ReadonlyMap<string, number>;
  /** Nix remote builders, in nix.conf's `builders` syntax (`''` = build locally); nix.conf's own when absent. */
  readonly builders?: string;
  /** Nix system the packages are built for; the host's when absent. */
  readonly system?: string;
  readonly config: RuntimeConfig;
  /** Build even when the entrypoint (or command) is not in the image: for an image meant as a base for others. */
  readonly allowMissingEntrypoint?: boolean;
}

/** Checks the layering half of a recipe: what a build and the Plan view's preview both need before they plan. */
export function checkLayering({ strategy, maxLayers }: Pick<Recipe, 'strategy' | 'maxLayers'>): void {
  // Typed, but recipes come from JSON (IPC, stored jobs) too.
  if (!isStrategyName(strategy)) throw new LaminaError(unknownStrategyMessage(strategy), 'bad-recipe');
  if (!Number.isSafeInteger(maxLayers) || maxLayers < MIN_MAX_LAYERS || maxLayers > MAX_MAX_LAYERS) {
    throw new LaminaError(`max layers must be a whole number from ${MIN_MAX_LAYERS} to ${MAX_MAX_LAYERS}, got ${maxLayers}`, 'bad-recipe');
  }
}

/** Checks what can be checked before Nix runs, so a typo fails in a second rather than after a build. */
export function checkRecipe(recipe: Recipe): void {
  if (recipe.attrs.length === 0) throw new LaminaError('no packages to build; name at least one attribute', 'bad-recipe');
  checkLayering(recipe);
  if (!(LAYER_COMPRESSIONS as readonly string[]).includes(recipe.compression)) {
    throw new LaminaError(`unknown compression "${recipe.compression}"; use one of ${LAYER_COMPRESSIONS.join(', ')}`, 'bad-recipe');
  }
  // The config is made after the build; making it now finds a bad port or system before Nix runs.
  makeImageConfig({ system: recipe.system ?? hostNixSystem(), layers: [], runtime: recipe.config });
}

/** The Nix system string of this machine (`x86_64-linux`…), which is what a local nix-build builds for. */
export function hostNixSystem(): string {
  const arch: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', riscv64: 'riscv64', ppc64: 'powerpc64le', s390x: 's390x', arm: 'armv7l' };
  return `${arch[process.arch] ?? process.arch}-${process.platform}`;
}

/**
 * What to build: packages from a source, how to split them into layers, how to
 * compress them, and the container's runtime settings. Plain data, so the UI can
 * store and edit it and the CLI can make one from flags.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import type { LayerCompression } from '../image/media-types.js';
import { makeImageConfig, type RuntimeConfig } from '../image/config.js';
import { MIN_MAX_LAYERS, STRATEGY_NAMES, type StrategyName } from '../layering/index.js';

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

/** Docker's default (and a common registry limit) is 127 layers; Nixery's default budget is 100. */
export const DEFAULT_MAX_LAYERS = 100;

const COMPRESSIONS: readonly LayerCompression[] = ['gzip', 'zstd', 'none'];

/** Checks what can be checked before Nix runs, so a typo fails in a second rather than after a build. */
export function checkRecipe(recipe: Recipe): void {
  if (recipe.attrs.length === 0) throw new LaminaError('no packages to build; name at least one attribute', 'bad-recipe');
  if (!STRATEGY_NAMES.includes(recipe.strategy)) {
    throw new LaminaError(`unknown layering strategy "${recipe.strategy}"; use one of ${STRATEGY_NAMES.join(', ')}`, 'bad-recipe');
  }
  if (!Number.isSafeInteger(recipe.maxLayers) || recipe.maxLayers < MIN_MAX_LAYERS || recipe.maxLayers > 127) {
    throw new LaminaError(`max layers must be a whole number from ${MIN_MAX_LAYERS} to 127, got ${recipe.maxLayers}`, 'bad-recipe');
  }
  if (!COMPRESSIONS.includes(recipe.compression)) {
    throw new LaminaError(`unknown compression "${recipe.compression}"; use one of ${COMPRESSIONS.join(', ')}`, 'bad-recipe');
  }
  // The config is made after the build; making it now finds a bad port or system before Nix runs.
  makeImageConfig({ system: recipe.system ?? hostNixSystem(), layers: [], runtime: recipe.config });
}

/** The Nix system string of this machine (`x86_64-linux`…), which is what a local nix-build builds for. */
export function hostNixSystem(): string {
  const arch: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', riscv64: 'riscv64', ppc64: 'powerpc64le', s390x: 's390x', arm: 'armv7l' };
  return `${arch[process.arch] ?? process.arch}-${process.platform}`;
}

/**
 * The flags `lamina plan` and `lamina build` share: where the packages come from
 * and how the closure is split into layers. One definition, so the two commands
 * cannot drift apart.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_MAX_LAYERS, MAX_MAX_LAYERS, MIN_MAX_LAYERS } from '../../src-shared/layer-budget.js';
import { DEFAULT_STRATEGY, STRATEGY_NAMES, type StrategyName } from '../../src-shared/strategies.js';

export interface PlanFlags {
  source: string;
  strategy: StrategyName;
  maxLayers: number;
  popularity?: string;
  builders?: string;
}

export function parseMaxLayers(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < MIN_MAX_LAYERS || n > MAX_MAX_LAYERS) {
    throw new InvalidArgumentError(
      `max layers is a whole number from ${MIN_MAX_LAYERS} to ${MAX_MAX_LAYERS} (one layer holds the /bin, /lib... links, the rest store paths)`,
    );
  }
  return n;
}

export function addPlanOptions(command: Command): Command {
  return command
    .requiredOption('-s, --source <src>', 'package source: a folder or .nix file, <nixpkgs>, or a flake reference')
    .addOption(
      new Option('--strategy <name>', 'how to group store paths into layers').choices([...STRATEGY_NAMES]).default(DEFAULT_STRATEGY),
    )
    .addOption(
      new Option('--max-layers <n>', `layers in the image, the customisation layer included (${MIN_MAX_LAYERS}-${MAX_MAX_LAYERS})`)
        .argParser(parseMaxLayers)
        .default(DEFAULT_MAX_LAYERS),
    )
    .option('--popularity <file>', "Nixery popularity.json (package name -> count); by default counted from the closure's own references")
    .option('--builders <spec>', "Nix remote builders, as nix.conf's `builders` ('' builds locally); by default nix.conf's own");
}

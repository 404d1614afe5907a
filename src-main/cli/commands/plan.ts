/**
 * `lamina plan ATTR... --source SRC`: builds the packages with Nix and shows how
 * their runtime closure would be split into layers, without writing any layer.
 */
import type { Command } from 'commander';
import { storePathName } from '../../engine/closure/graph.js';
import { planRecipe, type RecipePlan } from '../../engine/build/plan-recipe.js';
import { buildProgress, table } from '../output.js';
import { addPlanOptions, planRequest, type PlanFlags } from '../recipe-options.js';
import { formatBytes } from '../../engine/format-bytes.js';

interface PlanCommandFlags extends PlanFlags {
  json?: boolean;
}

/** The `--json` shape: exactly these fields, for scripts. */
function jsonPlan({ plan }: RecipePlan): string {
  return JSON.stringify({
    closure: plan.closure,
    layers: plan.layers.map((layer) => ({ key: layer.key, paths: layer.paths, narSize: layer.narSize })),
  });
}

function humanPlan({ plan, graph }: RecipePlan): string {
  const rows = plan.layers.map((layer, i) => {
    const largest = layer.paths.reduce((a, b) => ((graph.nodes.get(b)?.narSize ?? 0) > (graph.nodes.get(a)?.narSize ?? 0) ? b : a));
    return [String(i + 1), String(layer.paths.length), formatBytes(layer.narSize), storePathName(largest)];
  });
  const used = plan.layers.length + 1;
  return (
    table(['LAYER', 'PATHS', 'SIZE', 'LARGEST PATH'], rows) +
    `${plan.closure.paths} store paths, ${formatBytes(plan.closure.narSize)}, in ${plan.layers.length} layer${plan.layers.length === 1 ? '' : 's'} ` +
    `+ 1 customisation layer = ${used} of at most ${plan.maxLayers} (strategy ${plan.strategy})\n`
  );
}

async function plan(attrs: string[], flags: PlanCommandFlags): Promise<void> {
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGINT', cancel);
  const progress = flags.json ? undefined : buildProgress();
  try {
    const result = await planRecipe(planRequest(attrs, flags), { signal: controller.signal, onEvent: progress?.onEvent });
    progress?.stop();
    process.stdout.write(flags.json ? jsonPlan(result) + '\n' : humanPlan(result));
  } finally {
    progress?.stop();
    process.off('SIGINT', cancel);
  }
}

export function addPlanCommand(program: Command): void {
  addPlanOptions(
    program
      .command('plan')
      .description('build packages with Nix and show how their runtime closure splits into layers')
      .argument('<attr...>', 'attributes of the package source to put in the image'),
  )
    .option('--json', 'print the plan as JSON: {closure: {paths, narSize}, layers: [{key, paths, narSize}]}')
    .action(plan);
}

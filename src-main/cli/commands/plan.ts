/**
 * `lamina plan ATTR... --source SRC`: builds the packages with Nix and shows how
 * their runtime closure would be split into layers, without writing any layer:
 * which layers the store holds already, why each layer is what it is, what a
 * build would write and (with --push) what a push would send. The planning
 * (plan-run.ts) is loaded when the command runs.
 */
import { Option, type Command } from 'commander';
import { addPlanOptions, type PlanFlags } from '../recipe-options.js';
import { DEFAULT_COMPRESSION, LAYER_COMPRESSIONS, type LayerCompression } from '../../../src-shared/compressions.js';
import { withEarlyNix } from '../early-nix.js';

export interface PlanCommandFlags extends PlanFlags {
  json?: boolean;
  compression: LayerCompression;
  push?: string;
}

export function addPlanCommand(program: Command): void {
  addPlanOptions(
    program
      .command('plan')
      .description('build packages with Nix and show how their runtime closure splits into layers, and what a build would reuse')
      .argument('<attr...>', 'attributes of the package source to put in the image'),
  )
    .addOption(new Option('--compression <kind>', 'the compression a build would use (layers are reused only with their compression)').choices([...LAYER_COMPRESSIONS]).default(DEFAULT_COMPRESSION))
    .option('--push <docker://…>', 'also tell what a push of the built image to this registry would send')
    .option('--json', 'print the plan as JSON: {closure: {paths, narSize}, newBytes, layers: [{key, paths, narSize, reused, reason, why}], push?}')
    .action((attrs: string[], flags: PlanCommandFlags) => withEarlyNix(attrs, flags, async () => (await import('./plan-run.js')).plan(attrs, flags)));
}

/**
 * `lamina rmi NAME...`: removes images from the local store by name, as `podman rmi`
 * does. Their layers stay in the layer cache (the next build reuses them) until
 * `lamina cache gc` finds no image using them. The removal (rmi-run.ts) is loaded
 * when the command runs.
 */
import type { Command } from 'commander';

export interface RmiFlags {
  ignore?: boolean;
  json?: boolean;
}

export function addRmiCommand(program: Command): void {
  program
    .command('rmi')
    .description('Remove images from the local store by name (their layers stay cached until `lamina cache gc`).')
    .argument('<name...>', 'image names, as `lamina images` lists them')
    .option('-i, --ignore', 'do not fail when a name is not in the store')
    .option('--json', 'print {"removed":[NAME...]}')
    .action(async (names: string[], flags: RmiFlags) => (await import('./rmi-run.js')).rmi(names, flags));
}

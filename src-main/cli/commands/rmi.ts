/**
 * `lamina rmi NAME...`: removes images from the local store by name, as `podman rmi`
 * does. Their layers stay in the layer cache (the next build reuses them) until
 * `lamina cache gc` finds no image using them.
 */
import type { Command } from 'commander';
import { LaminaError } from '../../../src-shared/errors.js';
import { openStore } from '../../engine/store/store.js';

interface RmiFlags {
  ignore?: boolean;
  json?: boolean;
}

async function rmi(names: string[], flags: RmiFlags): Promise<void> {
  const store = await openStore();
  try {
    const missing = names.filter((name) => !store.images.get(name));
    if (missing.length > 0 && !flags.ignore) {
      throw new LaminaError(`no image named ${missing.join(', ')} in the store; see \`lamina images\` (or pass --ignore)`, 'no-image');
    }
    const removed = names.filter((name) => !missing.includes(name));
    for (const name of removed) store.images.remove(name);
    if (flags.json) process.stdout.write(JSON.stringify({ removed }) + '\n');
    else for (const name of removed) process.stdout.write(`removed ${name}\n`);
    if (!flags.json && removed.length > 0) process.stderr.write('lamina: their layers stay in the layer cache for the next build; `lamina cache gc` frees what no image uses\n');
  } finally {
    store.close();
  }
}

export function addRmiCommand(program: Command): void {
  program
    .command('rmi')
    .description('Remove images from the local store by name (their layers stay cached until `lamina cache gc`).')
    .argument('<name...>', 'image names, as `lamina images` lists them')
    .option('-i, --ignore', 'do not fail when a name is not in the store')
    .option('--json', 'print {"removed":[NAME...]}')
    .action(rmi);
}

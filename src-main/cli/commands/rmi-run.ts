/**
 * What `lamina rmi NAME...` (rmi.ts) does: removes images from the local store by
 * name; their layers stay in the layer cache until `lamina cache gc`.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { openStore } from '../../engine/store/store.js';
import type { RmiFlags } from './rmi.js';

export async function rmi(names: string[], flags: RmiFlags): Promise<void> {
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

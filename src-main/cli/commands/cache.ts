/**
 * `lamina cache ls|verify|gc`: the layer cache. ls shows what is kept and how
 * often it served a build; verify re-hashes every blob and drops damaged ones
 * (the next build writes them again); gc frees space, unused layers first. The
 * definitions: what each does (cache-run.ts) is loaded when it runs.
 */
import type { Command } from 'commander';
import { parseSize } from '../parse-size.js';

export interface JsonFlag {
  json?: boolean;
}

export interface GcFlags extends JsonFlag {
  maxSize?: number;
}

export function addCacheCommand(program: Command): void {
  const cache = program.command('cache').description('Inspect and maintain the layer cache (the local store).');
  cache.command('ls').description('List cached layers: size, store paths, hits, images using them, last use.').option('--json', 'print as JSON').action(async (flags: JsonFlag) => (await import('./cache-run.js')).list(flags));
  cache
    .command('verify')
    .description('Re-hash every blob; drop damaged ones so the next build writes them again (exit 1 if any).')
    .option('--json', 'print as JSON')
    .action(async (flags: JsonFlag) => (await import('./cache-run.js')).verify(flags));
  cache
    .command('gc')
    .description(
      'Remove layers no image uses, least recently used first; with --max-size, then whole images, oldest first. Also drops saved file indexes of layers not in the store and unused for 30 days.',
    )
    .option('--max-size <size>', 'shrink the store to this size, e.g. 500M or 2G', parseSize)
    .option('--json', 'print as JSON')
    .action(async (flags: GcFlags) => (await import('./cache-run.js')).gc(flags));
}

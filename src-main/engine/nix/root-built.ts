/**
 * The no-build path of a build: when every output is already in the store, one
 * `nix-store --realise` confirms it and makes the GC roots nix-build's --out-link
 * would have made (result, result-2, … in the same folder), instead of a nix-build
 * that evaluates the whole source again only to find nothing to do.
 *
 * Safe against a concurrent `nix-store --gc`: nix-store registers a temporary root
 * for each path before it checks that the path is valid, and makes the permanent
 * root before it exits, so once this answers true the paths stay until the caller
 * removes the folder.
 */
import { join } from 'node:path';
import { runNix } from './process.js';

/**
 * True when every path in `paths` is a valid store path, and, given `gcRootDir`,
 * is now rooted by a link in it (`linkName`, `linkName`-2, …); false when any is not (nothing is substituted or
 * built here: the caller builds them the usual way, with its log).
 */
export async function rootIfBuilt(
  paths: readonly string[],
  gcRootDir: string | undefined,
  signal: AbortSignal | undefined,
  linkName = 'result',
): Promise<boolean> {
  if (paths.length === 0) return true;
  const roots = gcRootDir === undefined ? [] : ['--add-root', join(gcRootDir, linkName), '--indirect'];
  // No substituters: a missing path means "build it", which nix-build does with
  // a log the person can follow (substituting first, as it always has).
  const args = ['--realise', '--option', 'substituters', '', ...roots, ...paths];
  const result = await runNix('nix-store', args, { signal });
  return result.exitCode === 0;
}

/**
 * What the local Nix store knows about store paths found in an image: narSize
 * and references, for those of them that are valid here. Asks Nix only, never
 * a binary cache (an image from elsewhere should not make Lamina download), and
 * answers nothing when Nix is missing or fails: the image's own evidence is then
 * all there is, which the report says.
 */
import type { StorePathInfo } from '../closure/graph.js';
import { parsePathInfo } from '../nix/path-info-json.js';
import { NIX_COMMAND_FLAGS, runNix } from '../nix/process.js';

/** Store paths per Nix call, so the command line stays far below the kernel's limit. */
const BATCH = 500;

export async function queryLocalNixStore(paths: readonly string[], signal?: AbortSignal): Promise<Map<string, StorePathInfo>> {
  const known = new Map<string, StorePathInfo>();
  for (let start = 0; start < paths.length; start += BATCH) {
    const batch = paths.slice(start, start + BATCH);
    const args = [...NIX_COMMAND_FLAGS, 'path-info', '--json', '--option', 'substituters', '', ...batch];
    try {
      const result = await runNix('nix', args, signal ? { signal } : {});
      if (result.exitCode !== 0) return known;
      for (const info of parsePathInfo(result.stdout).infos) known.set(info.path, info);
    } catch (err) {
      if (signal?.aborted) throw err;
      return known;
    }
  }
  return known;
}

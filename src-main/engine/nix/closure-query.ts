/** The runtime closure of built store paths, with sizes and references, from `nix path-info`. */
import { isStorePath, storePathName, type ClosureGraph, type StorePathInfo } from '../closure/graph.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { nixFailure } from './error-message.js';
import type { KnownPathInfos } from './known-path-infos.js';
import { NixLogReader } from './log.js';
import { NIX_COMMAND_FLAGS, runNix } from './process.js';
import { closedGraph, parsePathInfo } from './path-info-json.js';

export interface ClosureQueryOptions {
  readonly signal?: AbortSignal;
  /** Path infos learnt before: the closure is read from there as far as it goes, and Nix is asked about the rest only. */
  readonly known?: KnownPathInfos;
  /**
   * The roots are GC roots while this runs (see BuildOptions.gcRootDir): only then
   * is what Nix answers recorded in `known`.
   */
  readonly rooted?: boolean;
}

/** The closure of `paths` (store paths, e.g. from buildAttrs); they become the graph's roots, in order. */
export async function queryClosure(paths: string[], options: ClosureQueryOptions = {}): Promise<ClosureGraph> {
  const roots = [...new Set(paths)];
  // A file inside a store path (…/bin/bash) is not a path Nix has info about.
  const notStorePaths = roots.filter((path) => !isStorePath(path) || storePathName(path).includes('/'));
  if (notStorePaths.length > 0) {
    throw new LaminaError(`Not Nix store paths: ${notStorePaths.join(', ')} (give paths like /nix/store/<hash>-<name>)`, 'bad-store-path');
  }
  if (roots.length === 0) return closedGraph([], [], 'nix path-info --json');
  const { known } = options;
  const fromTable = known?.walk(roots) ?? { infos: [], unknown: roots };
  if (fromTable.unknown.length === 0) return closedGraph(fromTable.infos, roots, 'the path infos Lamina kept');
  const asked = await askNix(fromTable.unknown, options.signal);
  if (known && options.rooted) known.record(asked);
  // Nix's answers come last: for a path both know, its word is the one kept.
  return closedGraph([...fromTable.infos, ...asked], roots, 'nix path-info --json');
}

/** The closure of `paths` as `nix path-info --recursive` gives it. */
async function askNix(paths: string[], signal: AbortSignal | undefined): Promise<StorePathInfo[]> {
  const reader = new NixLogReader();
  const args = [...NIX_COMMAND_FLAGS, 'path-info', '--json', '--recursive', '--log-format', 'internal-json', ...paths];
  const result = await runNix('nix', args, { signal, onStderrLine: (l) => reader.read(l) });
  if (result.exitCode !== 0) {
    // With --recursive, Nix fails on a path that is not in the store rather than listing it as invalid.
    const invalid = reader.errors.flatMap((message) => INVALID_PATH.exec(message)?.[1] ?? []);
    throw invalid.length > 0 ? notBuilt(invalid) : nixFailure('Nix could not query the closure', result, reader);
  }
  const { infos, invalid } = parsePathInfo(result.stdout);
  if (invalid.length > 0) throw notBuilt(invalid);
  return infos;
}

const INVALID_PATH = /path '([^']+)' is not valid/;

function notBuilt(paths: string[]): LaminaError {
  return new LaminaError(`Not in the Nix store: ${paths.join(', ')} (build ${paths.length === 1 ? 'it' : 'them'} first)`, 'not-built');
}

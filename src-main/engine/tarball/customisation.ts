/**
 * The customisation layer: the top-level packages made visible at the image root,
 * the way Nix's buildEnv / symlinkJoin merges packages, but built here rather
 * than by Nix. Where one root provides a path, the image gets one symlink to it
 * in the store; where several roots provide a directory, the image gets a real
 * directory and the merge goes on inside it. Two roots providing the same
 * non-directory is a conflict: the first root wins and the conflict is reported.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { LaminaError } from '../../../src-shared/errors.js';
import type { BlobFile } from './blob-file.js';
import { LINK_DIR_MODE } from './format.js';
import { compareNames, storePathBase, STORE_DIR, utf8Name } from './store-entries.js';
import type { LayerEntry } from './tar-header.js';
import type { LayerCompression, LayerBlob, LayerWriteOptions, LinkConflict } from './types.js';

/** Nix's metadata about a package, not part of what it installs. */
const NOT_LINKED = new Set(['nix-support']);
const TMP_MODE = 0o1777;

interface Provider {
  /** The store path of the root this comes from. */
  root: string;
  /** The entry itself, under that root. */
  path: string;
  isDirectory: boolean;
}

export interface CustomisationPlan {
  entries: LayerEntry[];
  conflicts: LinkConflict[];
}

/**
 * The customisation layer's entries, in layer order, and its conflicts. Roots
 * are ordered by precedence (the first wins a conflict); repeats are ignored.
 * The walk makes its system calls directly (a few thousand stats for a dozen
 * packages): through the promise API each cost several thread-pool round trips,
 * and this walk is on the path of every build, a no-change rebuild included.
 */
export async function planCustomisation(roots: readonly string[]): Promise<CustomisationPlan> {
  const unique = [...new Set(roots.map((root) => `${STORE_DIR}/${storePathBase(root)}`))];
  for (const root of unique) {
    if (!isDirectory(root)) {
      throw new LaminaError(`${root} is not a directory (or is missing); the customisation layer links the contents of package directories`, 'bad-root');
    }
  }
  const plan: CustomisationPlan = { entries: [], conflicts: [] };
  merge('', unique.map((root) => ({ root, path: root, isDirectory: true })), plan);
  return plan;
}

/** Merges the directories `dirs` (all the same image directory `at`) into the plan. */
function merge(at: string, dirs: readonly Provider[], plan: CustomisationPlan): void {
  const byName = new Map<string, Provider[]>();
  if (at === '') byName.set('tmp', []);
  for (const dir of dirs) {
    for (const raw of readdirSync(dir.path, { encoding: 'buffer' })) {
      const name = utf8Name(raw, `${dir.path}/${raw.toString()}`);
      if (at === '' && NOT_LINKED.has(name)) continue;
      const path = `${dir.path}/${name}`;
      const providers = byName.get(name) ?? [];
      byName.set(name, providers);
      providers.push({ root: dir.root, path, isDirectory: isDirectory(path) });
    }
  }
  for (const name of [...byName.keys()].sort(compareNames)) {
    const image = at === '' ? name : `${at}/${name}`;
    const providers = byName.get(name)!;
    if (at === '' && name === 'tmp') {
      // Every image gets a world-writable /tmp; a package's own tmp would replace it.
      plan.entries.push({ kind: 'directory', name: 'tmp', mode: TMP_MODE });
      if (providers.length > 0) plan.conflicts.push({ path: '/tmp', kept: '(the image)', ignored: providers.map((p) => p.root) });
      continue;
    }
    const [first, ...others] = providers as [Provider, ...Provider[]];
    const merged = first.isDirectory ? [first, ...others.filter((p) => p.isDirectory)] : [first];
    const ignored = others.filter((p) => !merged.includes(p));
    const conflicting = withDifferentTarget(ignored, first);
    if (conflicting.length > 0) plan.conflicts.push({ path: `/${image}`, kept: first.root, ignored: conflicting.map((p) => p.root) });
    if (merged.length === 1) {
      plan.entries.push({ kind: 'symlink', name: image, target: first.path });
    } else {
      plan.entries.push({ kind: 'directory', name: image, mode: LINK_DIR_MODE });
      merge(image, merged, plan);
    }
  }
}

/** Entries that resolve to the same file as the kept one are no conflict (packages often share links). */
function withDifferentTarget(candidates: readonly Provider[], kept: Provider): Provider[] {
  if (candidates.length === 0) return [];
  const keptTarget = resolved(kept.path);
  return candidates.filter((candidate) => resolved(candidate.path) !== keptTarget);
}

/** Where a path leads, links followed; the path itself when that cannot be told (a dangling link). */
function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A directory, links followed; false for anything else, missing or unreadable. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** The customisation layer: symlinks from /bin, /sbin, /lib, /share, /etc… into the top-level packages, /tmp 1777. */
export async function writeCustomisationLayer(
  roots: readonly string[],
  compression: LayerCompression,
  destFile: string,
  options?: LayerWriteOptions,
): Promise<LayerBlob & { conflicts: LinkConflict[] }> {
  const plan = await planCustomisation(roots);
  return { ...(await writeCustomisationPlan(plan, compression, destFile, options)), conflicts: plan.conflicts };
}

/** Writes a plan made earlier: a build plans first, so a cached layer's conflicts are known too. */
export async function writeCustomisationPlan(
  plan: CustomisationPlan,
  compression: LayerCompression,
  dest: string | BlobFile,
  options?: LayerWriteOptions,
): Promise<LayerBlob> {
  const { writeLayer } = await import('./write-layer.js');
  return writeLayer(plan.entries, compression, dest, options);
}

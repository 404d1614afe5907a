/**
 * Whether a fetched layer's tar holds what its cache key promises. Digest and
 * diffID only prove that the bytes are the ones the entry names; an entry that
 * names another layer's blob (with that layer's diffID) would pass both. So the
 * uncompressed stream is also read as a tar: a store-paths layer must hold
 * exactly its store paths under nix/store, and the customisation layer only
 * directories and symlinks into its roots.
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { LaminaError } from '../../../src-shared/errors.js';
import type { TeamCacheEntry } from './index-document.js';

function entryName(name: string): string {
  return posix.normalize(name.replace(/^(?:\.\/|\/)+/, '')).replace(/\/+$/, '');
}

/** Reads `tarStream` to its end; throws a LaminaError when the layer is not the one `entry` describes. */
export async function checkLayerContents(tarStream: Readable, entry: Pick<TeamCacheEntry, 'kind' | 'paths' | 'digest'>): Promise<void> {
  const extract = tar.extract();
  tarStream.on('error', (err) => extract.destroy(err));
  tarStream.pipe(extract);
  const wrong = (why: string) => new LaminaError(`layer ${entry.digest.slice(7, 19)} does not hold what its cache entry says (${why})`, 'team-cache-wrong-layer');
  const roots = entry.paths;
  const seen = new Set<string>();
  for await (const item of extract) {
    const name = entryName(item.header.name);
    item.resume();
    if (entry.kind === 'store-paths') {
      if (name === 'nix' || name === 'nix/store' || name === '.' || name === '') continue;
      const parts = name.split('/');
      if (parts[0] !== 'nix' || parts[1] !== 'store' || !parts[2]) throw wrong(`/${name} is outside the store`);
      seen.add(`/nix/store/${parts[2]}`);
    } else if (item.header.type === 'symlink') {
      const target = item.header.linkname ?? '';
      if (!roots.some((root) => target === root || target.startsWith(`${root}/`))) throw wrong(`/${name} links outside its packages`);
    } else if (item.header.type !== 'directory') {
      throw wrong(`/${name} is a ${item.header.type}, not a link or a directory`);
    }
  }
  if (entry.kind === 'store-paths') {
    const expected = new Set(roots);
    const missing = [...expected].filter((p) => !seen.has(p));
    const extra = [...seen].filter((p) => !expected.has(p));
    if (missing.length > 0 || extra.length > 0) throw wrong(`${missing.length} store paths missing, ${extra.length} not named`);
  }
}

/**
 * Which revision of a source an index belongs to. A local folder changes when its
 * .nix files do, so its revision is a digest of their names, sizes and mtimes
 * (cheap: no Nix evaluation). A channel or flake is taken as named; a pinned
 * flake reference (`?rev=`) is its own revision, and an unpinned one is
 * refreshed by reloading.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PackageSource } from '../nix/source.js';

const MAX_FILES = 5000;

export function sourceRevision(source: PackageSource): string {
  if (source.kind !== 'path') return 'as-named';
  const root = statSync(source.path).isDirectory() ? source.path : dirname(source.path);
  const hash = createHash('sha256');
  let seen = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen >= MAX_FILES || entry.name.startsWith('.') || entry.name === 'result') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.nix')) {
        const stat = statSync(path);
        hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
        seen++;
      }
    }
  };
  walk(root);
  return hash.digest('hex').slice(0, 16);
}

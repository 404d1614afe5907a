/**
 * Generates and builds a test package set with the real `nix-build`. Regenerating
 * is cheap and building is a no-op when the store already has the outputs.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LARGE_ROOTS, SMALL_ROOTS, writePackageSet, type PackageSet } from './package-set.js';

export interface BuiltPackageSet extends PackageSet {
  /** Attribute name -> output store path, for every attribute of the set. */
  readonly outPaths: ReadonlyMap<string, string>;
}

/**
 * One folder per checkout: two checkouts testing at once (worktrees, a CI clone
 * beside a working copy) must not rewrite each other's default.nix mid-build.
 */
export const CHECKOUT_ID = createHash('sha256').update(join(dirname(fileURLToPath(import.meta.url)), '..', '..')).digest('hex').slice(0, 8);

export function buildPackageSet(size: 'small' | 'large', dir = join(tmpdir(), 'lamina-testbed', CHECKOUT_ID, size)): BuiltPackageSet {
  const set = writePackageSet(dir, size === 'small' ? SMALL_ROOTS : LARGE_ROOTS);
  const attrs = [...set.attrs.keys()];
  const out = execFileSync('nix-build', [join(dir, 'default.nix'), '--no-out-link', ...attrs.flatMap((a) => ['-A', a])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NIX_CONFIG: 'substituters =' },
    maxBuffer: 64 << 20,
  });
  const paths = out.split('\n').filter(Boolean);
  if (paths.length !== attrs.length) throw new Error(`test bed: nix-build gave ${paths.length} paths for ${attrs.length} attributes`);
  return { ...set, outPaths: new Map(attrs.map((a, i) => [a, paths[i]!])) };
}

/**
 * The entries of a store-path layer, in the order that makes it reproducible:
 * `nix/`, `nix/store/`, then each store path (sorted) depth-first, a directory
 * before its contents and the entries of a directory in ascending byte order of
 * their UTF-8 names (C-locale strcmp, as `tar --sort=name`). Hard links are not
 * looked for: every file is stored whole, so a layer never depends on how the
 * store happened to be deduplicated.
 *
 * The walk makes its system calls directly, for the reason given in tar-bytes.ts;
 * the tar writer that pulls these entries gives the event loop its turns.
 */
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { LaminaError } from '../../../src-shared/errors.js';
import { errnoOf } from './errno.js';
import { STORE_DIR_MODE } from './format.js';
import type { LayerEntry } from './tar-header.js';

export const STORE_DIR = '/nix/store';
const PERMISSION_BITS = 0o7777;

/** The basename of a store path, or a LaminaError saying what a store path looks like. */
export function storePathBase(path: unknown): string {
  const base = typeof path === 'string' && path.startsWith(`${STORE_DIR}/`) ? path.slice(STORE_DIR.length + 1) : '';
  if (base === '' || base === '.' || base === '..' || base.includes('/')) {
    throw new LaminaError(`not a store path: ${String(path)}; pass paths like ${STORE_DIR}/<hash>-<name>`, 'bad-store-path');
  }
  return base;
}

/** Byte order of UTF-8 names: the order `tar --sort=name` and C's strcmp give. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function* storePathEntries(paths: readonly string[]): Generator<LayerEntry> {
  const bases = [...new Set(paths.map(storePathBase))].sort(compareNames);
  const stats = bases.map((base) => lstatOrExplain(`${STORE_DIR}/${base}`));
  yield { kind: 'directory', name: 'nix', mode: STORE_DIR_MODE };
  yield { kind: 'directory', name: 'nix/store', mode: STORE_DIR_MODE };
  for (const [i, base] of bases.entries()) {
    yield* treeEntries(`${STORE_DIR}/${base}`, `nix/store/${base}`, stats[i]!);
  }
}

function* treeEntries(path: string, name: string, stat: Stats): Generator<LayerEntry> {
  const mode = stat.mode & PERMISSION_BITS;
  if (stat.isSymbolicLink()) {
    yield { kind: 'symlink', name, target: utf8Name(readlinkSync(path, { encoding: 'buffer' }), path) };
  } else if (stat.isFile()) {
    yield { kind: 'file', name, mode, size: stat.size, source: path };
  } else if (stat.isDirectory()) {
    yield { kind: 'directory', name, mode };
    const children = readdirSync(path, { encoding: 'buffer' })
      .sort(Buffer.compare)
      .map((child) => utf8Name(child, `${path}/${child.toString()}`));
    for (const child of children) yield* treeEntries(`${path}/${child}`, `${name}/${child}`, lstatOrExplain(`${path}/${child}`));
  } else {
    throw new LaminaError(`${path} is neither a file, a directory nor a symlink, so it cannot go into a layer`, 'layer-read');
  }
}

function lstatOrExplain(path: string): Stats {
  try {
    return lstatSync(path);
  } catch (err) {
    const hint = errnoOf(err) === 'ENOENT' ? 'build or realise it first (nix-build, nix-store -r)' : 'check its permissions';
    throw new LaminaError(`cannot read ${path} (${errnoOf(err)}); ${hint}`, 'layer-read', { cause: err });
  }
}

/** Tar names here are UTF-8; a name that is not cannot be stored as it is, so say so. */
export function utf8Name(raw: Buffer, where: string): string {
  const name = raw.toString('utf8');
  if (!Buffer.from(name).equals(raw)) {
    throw new LaminaError(`${where} has a name that is not valid UTF-8; rename it in the package to put it in a layer`, 'layer-name');
  }
  return name;
}

/**
 * Does the image's entrypoint (or, without one, its command) name a program the
 * image holds? The image's file system is the customisation layer's links and
 * directories at the root plus the closure's store paths under /nix/store, so
 * the check walks that, following symlinks the way the kernel would, before a
 * single layer is written. A program that is not there would only show up when
 * someone runs the container.
 */
import { lstat, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';
import type { RuntimeConfig } from '../image/config.js';
import { DEFAULT_PATH } from '../image/config.js';
import { STORE_DIR } from './store-entries.js';
import type { LayerEntry } from './tar-header.js';

/** Linux gives up after 40 links in one lookup (ELOOP); so does this walk. */
const MAX_LINKS = 40;

type Found = { kind: 'directory' } | { kind: 'file'; executable: boolean } | { kind: 'symlink'; target: string } | null;

/** What one absolute image path is, without following a last symlink. */
async function lookUp(path: string, links: ReadonlyMap<string, LayerEntry>, closure: ReadonlySet<string>): Promise<Found> {
  if (path === '/' || path === '/nix' || path === STORE_DIR) return { kind: 'directory' };
  if (path.startsWith(`${STORE_DIR}/`)) {
    const base = path.slice(STORE_DIR.length + 1).split('/')[0]!;
    if (!closure.has(`${STORE_DIR}/${base}`)) return null;
    const stats = await lstat(path).catch(() => null);
    if (!stats) return null;
    if (stats.isSymbolicLink()) return { kind: 'symlink', target: await readlink(path) };
    if (stats.isDirectory()) return { kind: 'directory' };
    return { kind: 'file', executable: (stats.mode & 0o111) !== 0 };
  }
  const entry = links.get(path.slice(1));
  if (!entry) return null;
  if (entry.kind === 'symlink') return { kind: 'symlink', target: entry.target };
  return entry.kind === 'directory' ? { kind: 'directory' } : { kind: 'file', executable: (entry.mode & 0o111) !== 0 };
}

/** Follows `path` through the image to what it finally names; null when any step is missing. */
async function resolve(path: string, links: ReadonlyMap<string, LayerEntry>, closure: ReadonlySet<string>): Promise<Found> {
  let pending = posix.normalize(path).split('/').filter(Boolean);
  let at = '/';
  let followed = 0;
  while (pending.length > 0) {
    const [name, ...rest] = pending as [string, ...string[]];
    const next = posix.join(at, name);
    const found = await lookUp(next, links, closure);
    if (!found) return null;
    if (found.kind === 'symlink') {
      if (++followed > MAX_LINKS) return null;
      const target = posix.isAbsolute(found.target) ? found.target : posix.join(at, found.target);
      pending = [...posix.normalize(target).split('/').filter(Boolean), ...rest];
      at = '/';
      continue;
    }
    if (rest.length > 0 && found.kind !== 'directory') return null;
    if (rest.length === 0) return found;
    at = next;
    pending = rest;
  }
  return { kind: 'directory' };
}

/** The PATH the container will run with: the config's own, else the one Lamina writes. */
function searchPath(env: RuntimeConfig['env']): string[] {
  const entries = Array.isArray(env) ? (env as readonly string[]) : Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`);
  const path = entries.find((e) => e.startsWith('PATH=')) ?? DEFAULT_PATH;
  return path.slice('PATH='.length).split(':').filter((dir) => dir.startsWith('/'));
}

/**
 * Throws a LaminaError naming the program when the entrypoint (or the command,
 * when there is no entrypoint) does not resolve to an executable file in the
 * image. A name without a slash is looked up in the image's PATH, as runtimes do.
 */
export async function checkEntrypoint(
  runtime: RuntimeConfig,
  customisation: readonly LayerEntry[],
  closure: Iterable<string>,
): Promise<void> {
  const which = runtime.entrypoint?.length ? 'entrypoint' : runtime.cmd?.length ? 'command' : null;
  if (!which) return;
  const program = (which === 'entrypoint' ? runtime.entrypoint : runtime.cmd)![0]!;
  const links = new Map(customisation.map((entry) => [entry.name, entry]));
  const paths = new Set(closure);
  const candidates = program.includes('/')
    ? [posix.isAbsolute(program) ? program : posix.join(runtime.workingDir ?? '/', program)]
    : searchPath(runtime.env).map((dir) => posix.join(dir, program));
  for (const candidate of candidates) {
    const found = await resolve(candidate, links, paths);
    if (found?.kind === 'file' && found.executable) return;
  }
  const where = program.includes('/') ? '' : ` (looked in ${searchPath(runtime.env).join(':')})`;
  throw new LaminaError(
    `the image's ${which} "${program}" is not an executable file in the image${where}: add the package that provides it, fix the ${which}, or allow a missing entrypoint for an image meant as a base (--allow-missing-entrypoint)`,
    'missing-entrypoint',
  );
}

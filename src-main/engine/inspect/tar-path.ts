/**
 * Tar entry names as a container runtime resolves them: relative to the image
 * root, `.` and empty segments dropped, `..` resolved, and never above the root
 * (a name that tries is clamped there, as containerd does, and marked). Also
 * the OCI whiteout names (`.wh.NAME`, `.wh..wh..opq`).
 */
import type { FileFlag } from '../../../src-shared/layer-file.js';

export interface ResolvedName {
  /** '' for the root itself. */
  readonly path: string;
  readonly flags: FileFlag[];
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_NAME = '.wh..wh..opq';

/** Resolves `name` against the directory `base` (both relative to the root); `escaped` tells if `..` hit the root. */
function resolve(base: string, name: string): { path: string; escaped: boolean } {
  const parts = base === '' ? [] : base.split('/');
  let escaped = false;
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) escaped = true;
      else parts.pop();
    } else parts.push(segment);
  }
  return { path: parts.join('/'), escaped };
}

export function resolveEntryName(name: string): ResolvedName {
  const flags: FileFlag[] = [];
  if (name.startsWith('/')) flags.push('absolute-name');
  const { path, escaped } = resolve('', name);
  if (escaped) flags.push('escapes-root');
  return { path, flags };
}

/** Whether a symlink at `path` with `target` points above the root when followed from its directory. */
export function symlinkEscapes(path: string, target: string): boolean {
  if (target.startsWith('/')) return false;
  return resolve(parentOf(path), target).escaped;
}

/** A hardlink's target: a name in the same archive, resolved like an entry name. */
export function resolveHardlink(target: string): { path: string; escaped: boolean } {
  return resolve('', target);
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export type Whiteout = { readonly kind: 'whiteout'; readonly target: string } | { readonly kind: 'opaque'; readonly dir: string };

/** The whiteout an entry path stands for, if it is one. */
export function whiteoutOf(path: string): Whiteout | undefined {
  const base = baseOf(path);
  if (!base.startsWith(WHITEOUT_PREFIX)) return undefined;
  const dir = parentOf(path);
  if (base === OPAQUE_NAME) return { kind: 'opaque', dir };
  const name = base.slice(WHITEOUT_PREFIX.length);
  if (name === '' || name === '.' || name === '..') return undefined;
  return { kind: 'whiteout', target: dir === '' ? name : `${dir}/${name}` };
}

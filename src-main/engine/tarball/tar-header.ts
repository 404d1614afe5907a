/**
 * Tar headers for layer entries. node-tar's Header and Pax encoders write the
 * format (ustar with the prefix/name split, PAX records where ustar cannot hold a
 * value); this module fixes what makes the bytes reproducible: mtime, owner 0:0,
 * no user or group names, and which entries get a PAX header (only those whose
 * path, link target or size does not fit ustar).
 */
import { Header, Pax } from 'tar';
import { LAYER_MTIME } from './format.js';

/** One entry of a layer's tar. Names are relative (`nix/store/…`), without a trailing slash. */
export type LayerEntry =
  | { readonly kind: 'directory'; readonly name: string; readonly mode: number }
  | { readonly kind: 'symlink'; readonly name: string; readonly target: string }
  | { readonly kind: 'file'; readonly name: string; readonly mode: number; readonly size: number; readonly source: string };

const BLOCK = 512;
/** The largest size an ustar header holds in octal (8 GiB - 1). */
export const MAX_USTAR_SIZE = 0o77777777777;
const SYMLINK_MODE = 0o777;

/** The header block(s) of an entry: a PAX extended header first when ustar cannot hold it. */
export function entryHeader(entry: LayerEntry): Buffer {
  const path = entry.kind === 'directory' ? `${entry.name}/` : entry.name;
  const linkpath = entry.kind === 'symlink' ? entry.target : undefined;
  const size = entry.kind === 'file' ? entry.size : 0;
  const header = new Header({
    path,
    mode: entry.kind === 'symlink' ? SYMLINK_MODE : entry.mode,
    uid: 0,
    gid: 0,
    size,
    mtime: LAYER_MTIME,
    type: entry.kind === 'directory' ? 'Directory' : entry.kind === 'symlink' ? 'SymbolicLink' : 'File',
    linkpath,
  });
  const block = Buffer.alloc(BLOCK);
  if (!header.encode(block)) return block;
  // The PAX record holds the full values; the ustar block after it keeps truncated ones for old readers.
  const pax = new Pax({ path, linkpath, size: size > MAX_USTAR_SIZE ? size : undefined });
  return Buffer.concat([pax.encode(), block]);
}

const ZEROS = Buffer.alloc(2 * BLOCK);

/** Zero bytes that round a file's data up to a whole block. */
export function dataPadding(size: number): Buffer | undefined {
  const rest = size % BLOCK;
  return rest === 0 ? undefined : ZEROS.subarray(0, BLOCK - rest);
}

/** Two zero blocks end a tar archive. */
export const END_OF_ARCHIVE: Buffer = ZEROS;

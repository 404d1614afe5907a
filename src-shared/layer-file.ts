/**
 * One entry of a layer's file index: what a layer tar says about one path, after
 * its name was normalised and its whiteouts recognised. Plain data, as stored in
 * SQLite and handed to the views.
 */

/**
 * `whiteout` removes `path` (and all below it) from the layers underneath;
 * `opaque` hides everything the layers underneath have inside the directory `path`.
 */
export type FileKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'device' | 'fifo' | 'whiteout' | 'opaque' | 'other';

/**
 * Marks on entries that a naive extractor would get wrong. Lamina never extracts,
 * so they are only reported; the listing shows where the entry really lands.
 * - `absolute-name`: the tar name started with `/`.
 * - `escapes-root`: the name climbed above the root with `..`; listed clamped to the root, as runtimes resolve it.
 * - `link-escapes-root`: a relative symlink or a hardlink that climbs above the root.
 * - `through-symlink`: a parent directory of the entry is a symlink in the same layer.
 */
export type FileFlag = 'absolute-name' | 'escapes-root' | 'link-escapes-root' | 'through-symlink';

export interface LayerFile {
  /** Normalised, relative to the image root, without a leading slash: `nix/store/…/bin/bash`. */
  readonly path: string;
  readonly kind: FileKind;
  /** Bytes of content (regular files only; 0 otherwise). */
  readonly size: number;
  /** Permission bits and set-id bits. */
  readonly mode: number;
  /** Symlink target as written, or the normalised path a hardlink points to. */
  readonly link?: string;
  readonly flags?: readonly FileFlag[];
}

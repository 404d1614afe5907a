/** How a layer's tar is compressed into its blob (image/media-types.ts names them). */
export type { LayerCompression } from '../image/media-types.js';

/**
 * A layer blob as written (by the tarball writers, or fetched from a team cache):
 * what a manifest and an image config need to name it, and what the layer cache
 * records of it.
 */
export interface LayerBlob {
  /** sha256:<hex> of the uncompressed tar: the image config's diff_ids entry. */
  readonly diffId: string;
  /** sha256:<hex> of the blob as written: the manifest's layer digest. */
  readonly digest: string;
  /** Blob bytes. */
  readonly size: number;
  /** Tar bytes. */
  readonly uncompressedSize: number;
  readonly mediaType: string;
}

export type { LinkConflict } from '../../../src-shared/build-events.js';

export interface LayerWriteOptions {
  signal?: AbortSignal;
  /** Tar bytes produced so far; called about once per MiB and once at the end. */
  onProgress?: (tarBytes: number) => void;
  /**
   * Every byte is compressed and written; only flushing the file to disk is left.
   * The layer holds no slice or worker from here on, so a caller limiting how
   * many layers compress at once can start the next one.
   */
  onWritten?: () => void;
}

import type { LayerCompression } from '../image/media-types.js';

export { layerMediaType } from '../image/media-types.js';

/** How a layer's tar is compressed into its blob. gzip is the default: every runtime reads it. */
export type Compression = LayerCompression;

/** A layer blob as written: what a manifest and an image config need to name it. */
export interface LayerBlob {
  /** sha256:<hex> of the uncompressed tar: the image config's diff_ids entry. */
  diffId: string;
  /** sha256:<hex> of the blob as written: the manifest's layer digest. */
  digest: string;
  /** Blob bytes. */
  size: number;
  /** Tar bytes. */
  uncompressedSize: number;
  mediaType: string;
}

export interface LayerWriteOptions {
  signal?: AbortSignal;
  /** Tar bytes produced so far; called about once per MiB and once at the end. */
  onProgress?: (tarBytes: number) => void;
}

/** Two or more roots provide the same path in the customisation layer: the first root wins. */
export interface LinkConflict {
  /** The path in the image, such as `/bin/sh`. */
  path: string;
  /** The root (a store path) whose entry the image gets; `(the image)` for /tmp, which every image has. */
  kept: string;
  /** The roots whose entries were left out, in the order given. */
  ignored: string[];
}

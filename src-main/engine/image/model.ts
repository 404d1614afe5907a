/**
 * The Image model every source produces and every sink consumes (after
 * go-containerregistry's v1.Image): the manifest and config as parsed plain data
 * plus their exact bytes, and layers that can be opened as streams. Known facts
 * are fields; only the layer contents are behind a function, because they are big.
 */
import type { Readable } from 'node:stream';
import type { Descriptor, ImageConfig, Manifest, Platform } from '../../../src-shared/image-model.js';

export type { ContainerConfig, Descriptor, HistoryEntry, ImageConfig, Manifest } from '../../../src-shared/image-model.js';

export interface ImageLayer {
  /** The blob as stored: digest and size of the compressed bytes. */
  readonly descriptor: Descriptor;
  /** Digest of the uncompressed tar (the config's rootfs.diff_ids entry). */
  readonly diffId: string;
  /** Size of the uncompressed tar, when the source knows it without reading the blob. */
  readonly uncompressedSize?: number;
  /**
   * The blob as a local file whose bytes were checked when it was stored (Lamina's
   * own store), so a sink may clone or link it rather than copy it.
   */
  readonly file?: string;
  /**
   * The blob's bytes, exactly as `descriptor` describes them: the stream checks
   * them as they flow and fails at its end unless their digest and size match,
   * so a consumer need not hash them again to trust them.
   */
  open(): Readable;
}

export interface Image {
  readonly manifest: Manifest;
  readonly rawManifest: Buffer;
  readonly manifestDigest: string;
  readonly config: ImageConfig;
  readonly rawConfig: Buffer;
  /** In manifest order; `layers[i].diffId === config.rootfs.diff_ids[i]`. */
  readonly layers: readonly ImageLayer[];
}

/** An Image read from a location (see engine/locations.ts), with what reading it holds open. */
export interface OpenedImage {
  readonly image: Image;
  /** The location as given, for messages. */
  readonly where: string;
  /** The platforms of the multi-platform index the image was picked from, when there was one. */
  readonly indexPlatforms?: readonly Platform[];
  /** That index's exact bytes. */
  readonly rawIndex?: Buffer;
  /** Releases what reading needed: a docker archive's unpacked copy, a registry connection. */
  close(): Promise<void>;
}

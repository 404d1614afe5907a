/**
 * The Image model every source produces and every sink consumes (after
 * go-containerregistry's v1.Image): the manifest and config as parsed plain data
 * plus their exact bytes, and layers that can be opened as streams. Known facts
 * are fields; only the layer contents are behind a function, because they are big.
 */
import type { Readable } from 'node:stream';

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Manifest {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface HistoryEntry {
  readonly created?: string;
  readonly created_by?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

/** The runtime part of an OCI image config (`config` in the JSON). */
export interface ContainerConfig {
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>>;
  readonly Labels?: Readonly<Record<string, string>>;
}

export interface ImageConfig {
  readonly created?: string;
  readonly architecture: string;
  readonly os: string;
  readonly config?: ContainerConfig;
  readonly rootfs: { readonly type: 'layers'; readonly diff_ids: readonly string[] };
  readonly history?: readonly HistoryEntry[];
}

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

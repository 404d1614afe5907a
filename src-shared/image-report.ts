/**
 * What inspecting an image finds, as plain data: per layer its files and store
 * paths, the image's efficiency (dive's measure), and two images compared. The
 * engine computes these (src-main/engine/inspect/); the CLI and the views show them.
 */
import type { HistoryEntry, ImageConfig, Manifest, Platform } from './image-model.js';
import type { FileFlag, FileKind, LayerFile } from './layer-file.js';

export type Evidence = 'nix-store' | 'layer';

export interface StorePathReport {
  readonly path: string;
  /** The part after the hash: `bash-5.2`. */
  readonly name: string;
  /** Indices of the layers with files of this path. */
  readonly layers: readonly number[];
  /** Bytes of its files, in the first layer that holds it. */
  readonly layerBytes: number;
  readonly size: number;
  readonly sizeSource: Evidence;
  /** Other store paths of the image it refers to. */
  readonly references: readonly string[];
  readonly referencesSource: Evidence;
  /** The top-level packages whose closure includes it. */
  readonly neededBy: readonly string[];
}

export interface LayerReport {
  readonly index: number;
  readonly digest: string;
  readonly diffId: string;
  readonly mediaType: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** The history entry that made this layer (empty-layer entries skipped), if the config has one. */
  readonly history?: HistoryEntry;
  /** The layer's own entries, sorted by path; whiteouts as `.wh.` entries of kind whiteout/opaque. */
  readonly files: readonly LayerFile[];
  /** Bytes of the regular files in the layer. */
  readonly fileBytes: number;
  /** Store paths with files in this layer. */
  readonly storePaths: readonly string[];
  /** Hostile or odd entries, one line each. */
  readonly warnings: readonly string[];
  /** Whether the index came from the database rather than from reading the layer now. */
  readonly cached: boolean;
}

export interface ImageReport {
  readonly reference: string;
  readonly manifestDigest: string;
  readonly manifest: Manifest;
  readonly configDigest: string;
  readonly config: ImageConfig;
  readonly platform: Platform;
  /** The platforms of the index the image was picked from, when the reference named an index. */
  readonly indexPlatforms?: readonly Platform[];
  readonly history: readonly HistoryEntry[];
  readonly layers: readonly LayerReport[];
  /** Sum of the layer blobs as stored and pulled. */
  readonly compressedSize: number;
  /** Sum of the layer tars. */
  readonly uncompressedSize: number;
  readonly efficiency: Efficiency;
  readonly storePaths: readonly StorePathReport[];
  /** The image's top-level packages (see store-paths.ts for how they are found). */
  readonly roots: readonly string[];
  readonly rootsSource: 'image' | 'unreferenced';
}

export interface WastedPath {
  readonly path: string;
  /** Indices of the layers that hold a copy. */
  readonly layers: readonly number[];
  /** Bytes of its copies that the final filesystem does not show. */
  readonly wastedBytes: number;
}

export interface Efficiency {
  readonly totalBytes: number;
  readonly keptBytes: number;
  readonly wastedBytes: number;
  /** keptBytes / totalBytes, from 0 to 1. */
  readonly efficiency: number;
  /** Every path that wastes bytes, most wasteful first. */
  readonly wastedPaths: readonly WastedPath[];
}

export interface SharedLayer {
  readonly digest: string;
  readonly indexA: number;
  readonly indexB: number;
  readonly compressedSize: number;
}

export interface ChangedStorePath {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

export interface ImageComparison {
  readonly sharedLayers: readonly SharedLayer[];
  /** Compressed bytes of B's distinct layers that a puller who has A already holds. */
  readonly bytesAlreadyPresent: number;
  /** Compressed bytes of B's distinct layers that such a puller still downloads. */
  readonly bytesToPull: number;
  readonly storePaths: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly ChangedStorePath[];
  };
}

export type ChangeMark = 'added' | 'modified' | 'removed' | 'unchanged';

export interface FileTreeNode {
  readonly name: string;
  /** Relative to the image root; '' for the root. */
  readonly path: string;
  readonly kind: FileKind;
  /** A file's bytes; a directory's: the bytes of everything below it (removed entries: what they remove). */
  readonly size: number;
  readonly mark: ChangeMark;
  readonly link?: string;
  readonly flags?: readonly FileFlag[];
  readonly children: readonly FileTreeNode[];
}

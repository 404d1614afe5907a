/** What the Images views get from the engine, as plain data (no Node imports). */
import type { Efficiency, FileTreeNode, ImageComparison, ImageReport, LayerReport } from './image-report.js';

export type { FileTreeNode, ImageComparison };

/** A layer without its file list (that comes per layer, as a tree). */
export type LayerOverview = Omit<LayerReport, 'files'> & { readonly fileCount: number };

/** An opened image: everything but the file lists; `id` names it for the tree, treemap and compare requests. */
export type OpenedImage = Omit<ImageReport, 'layers' | 'efficiency'> & {
  readonly id: string;
  readonly layers: readonly LayerOverview[];
  /** Wasted paths capped to the largest; `wastedPathCount` says how many there are. */
  readonly efficiency: Efficiency & { readonly wastedPathCount: number };
};

export interface StoreImageEntry {
  readonly name: string;
  readonly manifestDigest: string;
  readonly size: number;
  readonly createdAt: number;
  /** The reference that opens it: `oci:DATA_DIR:NAME`. */
  readonly ref: string;
}

/** A treemap node: the image, its layers, then store paths or top folders, then their biggest files. */
export interface TreemapNode {
  readonly name: string;
  readonly size: number;
  readonly children?: readonly TreemapNode[];
}

/** How far the open named `openId` has read (see ReadProgress: the numbers `inspect --files` shows). */
export interface OpenProgress extends ReadProgress {
  readonly openId: string;
}

/** How far an open has read: compressed layer bytes of the manifest's total, and layers done. */
export interface ReadProgress {
  readonly bytesDone: number;
  /** The layers' compressed sizes as the manifest declares them. */
  readonly bytesTotal: number;
  readonly layersDone: number;
  readonly layersTotal: number;
}

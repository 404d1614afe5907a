/**
 * The images a window has opened. Inspecting reads (or finds indexed) every
 * layer once; the report stays here so the views can ask for one layer's tree,
 * the treemap or a comparison without sending every file list to the page.
 * Bounded: the least recently opened reports go first.
 */
import type { Db } from '../db/database.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { compareImages, type ImageComparison } from '../inspect/compare.js';
import { fileTree, type FileTreeNode, type FileTreeOptions } from '../inspect/file-tree.js';
import { inspectImage, type ImageReport } from '../inspect/report.js';
import type { SourceOptions } from '../inspect/sources.js';
import { imageTreemap } from './treemap.js';
import type { OpenedImage, TreemapNode } from './types.js';

const KEPT_REPORTS = 8;
const WASTED_PATHS_SHOWN = 500;

export class ImageSessions {
  private readonly reports = new Map<string, ImageReport>();
  private next = 1;

  constructor(private readonly db: Db) {}

  async open(ref: string, options: SourceOptions = {}): Promise<OpenedImage> {
    const report = await inspectImage(ref, { ...options, db: this.db });
    const id = String(this.next++);
    this.reports.set(id, report);
    for (const old of this.reports.keys()) {
      if (this.reports.size <= KEPT_REPORTS) break;
      this.reports.delete(old);
    }
    const { layers, efficiency, ...rest } = report;
    return {
      ...rest,
      id,
      layers: layers.map(({ files, ...layer }) => ({ ...layer, fileCount: files.length })),
      efficiency: { ...efficiency, wastedPaths: efficiency.wastedPaths.slice(0, WASTED_PATHS_SHOWN), wastedPathCount: efficiency.wastedPaths.length },
    };
  }

  tree(id: string, layer: number, options: FileTreeOptions): FileTreeNode {
    return fileTree(this.report(id), layer, options);
  }

  treemap(id: string): TreemapNode {
    return imageTreemap(this.report(id));
  }

  compare(a: string, b: string): ImageComparison {
    return compareImages(this.report(a), this.report(b));
  }

  /** Forgets an opened image; false when it was not open (any more). */
  close(id: string): boolean {
    return this.reports.delete(id);
  }

  private report(id: string): ImageReport {
    const report = this.reports.get(id);
    if (!report) throw new LaminaError('that image is no longer open (only the last few are kept); open it again', 'image-closed');
    return report;
  }
}

/**
 * The images a window has opened. Inspecting reads (or finds indexed) every
 * layer once; the report stays here so the views can ask for one layer's tree,
 * the treemap or a comparison without sending every file list to the page.
 * Bounded: the least recently opened reports go first. An open given an id
 * reports its reading to the listeners under that id and can be cancelled by it.
 */
import type { Db } from '../db/database.js';
import { errorLine, LaminaError } from '../../../src-shared/errors.js';
import { compareImages } from './compare.js';
import type { ImageComparison } from '../../../src-shared/image-report.js';
import { fileTree, type FileTreeOptions } from './file-tree.js';
import type { FileTreeNode } from '../../../src-shared/image-report.js';
import { ReadProgressCounter } from './read-progress.js';
import { inspectImage, type InspectEvent } from './report.js';
import type { ImageReport } from '../../../src-shared/image-report.js';
import type { LocationOptions } from '../locations.js';
import { imageTreemap } from './treemap.js';
import type { OpenedImage, OpenProgress, TreemapNode } from '../../../src-shared/images.js';

const KEPT_REPORTS = 8;
const WASTED_PATHS_SHOWN = 500;
/** Reads report every chunk; a bar needs a few updates a second. */
const PROGRESS_EVERY_MS = 100;

type ProgressListener = (progress: OpenProgress) => void;

export class ImageSessions {
  private readonly reports = new Map<string, ImageReport>();
  private readonly opening = new Map<string, AbortController>();
  private readonly listeners = new Set<ProgressListener>();
  private next = 1;

  constructor(private readonly db: Db) {}

  /**
   * Reads (or finds indexed) every layer of an image. With `openId`, its progress
   * goes to the listeners and `cancelOpen(openId)` stops it; the open is known by
   * that id from this call on, even while `options` are still being looked up
   * (a registry login), so a cancel sent right after the request finds it.
   */
  open(ref: string, options: LocationOptions | Promise<LocationOptions> = {}, openId?: string): Promise<OpenedImage> {
    if (openId === undefined) return this.read(ref, options);
    if (this.opening.has(openId)) return Promise.reject(new LaminaError(`an open named ${openId} is already running; give each open its own id`, 'open-id-taken'));
    const controller = new AbortController();
    this.opening.set(openId, controller);
    return this.read(ref, options, controller.signal, this.progressTo(openId)).finally(() => this.opening.delete(openId));
  }

  /** Stops a running open; false when no open of that id runs (it finished, or never started). */
  cancelOpen(openId: string): boolean {
    const controller = this.opening.get(openId);
    controller?.abort(new LaminaError('opening the image was cancelled', 'cancelled'));
    return controller !== undefined;
  }

  /** Hears the progress of every open given an id; returns the unsubscribe. */
  subscribe(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async read(ref: string, options: LocationOptions | Promise<LocationOptions>, cancel?: AbortSignal, onEvent?: (event: InspectEvent) => void): Promise<OpenedImage> {
    const given = await options;
    const signals = [given.signal, cancel].filter((s) => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const report = await inspectImage(ref, { ...given, db: this.db, ...(signal ? { signal } : {}), ...(onEvent ? { onEvent } : {}) });
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

  private progressTo(openId: string): (event: InspectEvent) => void {
    const counter = new ReadProgressCounter();
    let sentAt = 0;
    return (event) => {
      counter.take(event);
      const now = Date.now();
      if (event.type === 'layer-read' && now - sentAt < PROGRESS_EVERY_MS) return;
      sentAt = now;
      const progress: OpenProgress = { openId, ...counter.current };
      for (const listener of this.listeners) {
        try {
          listener(progress);
        } catch (err) {
          // A broken listener (a closed window) must not fail the open or starve the others.
          console.error(`lamina: an image-open listener failed: ${errorLine(err)}`);
        }
      }
    };
  }

  private report(id: string): ImageReport {
    const report = this.reports.get(id);
    if (!report) throw new LaminaError('that image is no longer open (only the last few are kept); open it again', 'image-closed');
    return report;
  }
}

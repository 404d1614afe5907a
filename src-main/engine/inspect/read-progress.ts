/**
 * How far an inspection has read, from its events: compressed layer bytes of the
 * manifest's total and layers done. The one source of `inspect --files`'s total
 * bar and the Images view's progress, so the two always agree. A layer whose
 * index was kept from an earlier read counts whole the moment it is found.
 */
import type { ReadProgress } from '../../../src-shared/images.js';
import type { InspectEvent } from './report.js';

export class ReadProgressCounter {
  private sizes: readonly number[] = [];
  private readonly read = new Map<number, number>();
  private bytesDone = 0;
  private layersDone = 0;

  take(event: InspectEvent): void {
    if (event.type === 'opened') {
      this.sizes = event.sizes;
    } else if (event.type === 'layer-read') {
      this.moveTo(event.index, event.bytes);
    } else {
      this.moveTo(event.index, this.sizes[event.index] ?? 0);
      this.layersDone++;
    }
  }

  get current(): ReadProgress {
    return {
      bytesDone: this.bytesDone,
      bytesTotal: this.sizes.reduce((sum, s) => sum + s, 0),
      layersDone: this.layersDone,
      layersTotal: this.sizes.length,
    };
  }

  /** A layer's compressed size as the manifest declares it. */
  sizeOf(index: number): number {
    return this.sizes[index] ?? 0;
  }

  private moveTo(index: number, bytes: number): void {
    this.bytesDone += bytes - (this.read.get(index) ?? 0);
    this.read.set(index, bytes);
  }
}

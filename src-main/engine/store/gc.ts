/**
 * `lamina cache gc`: frees space, least valuable first. Blobs no image uses go
 * first, least recently used first; with a size budget, if that is not enough,
 * whole images go next, least recently built first, each taking the blobs only
 * it used. Without a budget, only unused blobs go.
 */
import type { Store } from './store.js';

export interface GcReport {
  readonly removedBlobs: number;
  readonly freedBytes: number;
  readonly removedImages: readonly string[];
  readonly sizeBefore: number;
  readonly sizeAfter: number;
}

interface Candidate {
  digest: string;
  size: number;
}

const UNREFERENCED = `SELECT b.digest, b.size FROM blobs b
  WHERE NOT EXISTS (SELECT 1 FROM image_layers il WHERE il.layer_digest = b.digest)
    AND NOT EXISTS (SELECT 1 FROM images i WHERE i.manifest_digest = b.digest OR i.config_digest = b.digest)
  ORDER BY b.last_used_at, b.digest`;

export async function collectGarbage(store: Store, options: { readonly maxSize?: number } = {}): Promise<GcReport> {
  await store.content.cleanStaleIngests();
  await store.content.sweepOrphanFiles();
  const unreferenced = store.db.prepare<[], Candidate>(UNREFERENCED);
  const oldestImage = store.db.prepare<[], { name: string }>('SELECT name FROM images ORDER BY created_at, name LIMIT 1');
  const total = (): number => (store.db.prepare('SELECT COALESCE(SUM(size), 0) AS s FROM blobs').get() as { s: number }).s;
  const budget = options.maxSize ?? 0;
  const overBudget = (size: number): boolean => options.maxSize === undefined || size > budget;

  const sizeBefore = total();
  let size = sizeBefore;
  let removedBlobs = 0;
  const removedImages: string[] = [];
  const dropUnreferenced = (): void => {
    for (const blob of unreferenced.all()) {
      if (!overBudget(size)) return;
      store.content.delete(blob.digest);
      size -= blob.size;
      removedBlobs++;
    }
  };

  dropUnreferenced();
  while (options.maxSize !== undefined && size > budget) {
    const image = oldestImage.get();
    if (!image) break;
    store.images.remove(image.name);
    removedImages.push(image.name);
    dropUnreferenced();
  }
  return { removedBlobs, freedBytes: sizeBefore - size, removedImages, sizeBefore, sizeAfter: size };
}

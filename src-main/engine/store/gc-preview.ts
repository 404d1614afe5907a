/**
 * What `lamina cache gc` would remove, without removing anything: the same order
 * as gc.ts (blobs no image uses, least recently used first; with a size budget,
 * then whole images, least recently built first, each freeing the blobs only it
 * used), run on a snapshot of the index. gc.ts also clears leftover ingest files
 * and orphan files the index never vouched for; those are not counted here.
 */
import type { Db } from '../db/database.js';
import { BlobLeases, LEASED } from './blob-leases.js';
import type { GcBlob, GcPreview, GcSnapshot } from '../../../src-shared/gc.js';

/** The plan for a snapshot; pure, so it can be checked against gc itself. */
export function planGc(snapshot: GcSnapshot, maxSize?: number, keepNewest = false): GcPreview {
  const removed = new Set<string>();
  const removedImages: string[] = [];
  const live = new Map(snapshot.images.map((image) => [image.name, image]));
  const sizeBefore = snapshot.blobs.reduce((sum, blob) => sum + blob.size, 0);
  const overBudget = (size: number): boolean => maxSize === undefined || size > maxSize;
  const byAge = [...snapshot.blobs].sort((a, b) => a.lastUsedAt - b.lastUsedAt || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const imagesByAge = [...snapshot.images].sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let size = sizeBefore;

  const dropUnreferenced = (): void => {
    const used = new Set<string>();
    for (const image of live.values()) for (const digest of image.blobs) used.add(digest);
    for (const blob of byAge) {
      if (removed.has(blob.digest) || used.has(blob.digest) || blob.leased) continue;
      if (!overBudget(size)) return;
      removed.add(blob.digest);
      size -= blob.size;
    }
  };

  dropUnreferenced();
  // The newest image is what a person is working on: with keepNewest it is never a candidate.
  const candidates = keepNewest ? imagesByAge.slice(0, -1) : imagesByAge;
  for (const image of candidates) {
    if (maxSize === undefined || size <= maxSize) break;
    live.delete(image.name);
    removedImages.push(image.name);
    dropUnreferenced();
  }
  return {
    blobs: byAge.filter((blob) => removed.has(blob.digest)),
    images: removedImages,
    freedBytes: sizeBefore - size,
    sizeBefore,
    sizeAfter: size,
    newestKept: keepNewest && maxSize !== undefined && size > maxSize ? (imagesByAge.at(-1)?.name ?? null) : null,
  };
}

/** The index as gc sees it: every blob, and every image with the blobs it holds. */
export function gcSnapshot(db: Db, now = Date.now()): GcSnapshot {
  new BlobLeases(db).prune(now);
  const blobs = db
    .prepare<[{ now: number }], Omit<GcBlob, 'leased'> & { leased: number }>(
      `SELECT b.digest, b.size, b.media_type AS mediaType, b.last_used_at AS lastUsedAt, ${LEASED} AS leased,
         CASE WHEN l.digest IS NOT NULL THEN 'layer'
              WHEN EXISTS (SELECT 1 FROM images i WHERE i.manifest_digest = b.digest) THEN 'manifest'
              WHEN EXISTS (SELECT 1 FROM images i WHERE i.config_digest = b.digest) THEN 'config'
              ELSE 'other' END AS kind
       FROM blobs b LEFT JOIN layers l ON l.digest = b.digest`,
    )
    .all({ now })
    .map((blob) => ({ ...blob, leased: blob.leased === 1 }));
  const images = db.prepare<[], { name: string; created_at: number; manifest_digest: string; config_digest: string }>('SELECT name, created_at, manifest_digest, config_digest FROM images').all();
  const layers = db.prepare<[], { image_name: string; layer_digest: string }>('SELECT image_name, layer_digest FROM image_layers').all();
  const layersOf = new Map<string, string[]>();
  for (const row of layers) layersOf.set(row.image_name, [...(layersOf.get(row.image_name) ?? []), row.layer_digest]);
  return {
    blobs,
    images: images.map((image) => ({
      name: image.name,
      createdAt: image.created_at,
      blobs: [image.manifest_digest, image.config_digest, ...(layersOf.get(image.name) ?? [])],
    })),
  };
}

export function previewGc(db: Db, options: { readonly maxSize?: number; readonly keepNewest?: boolean } = {}): GcPreview {
  return planGc(gcSnapshot(db), options.maxSize, options.keepNewest);
}

/**
 * `lamina cache gc`: frees space, least valuable first. Blobs no image uses go
 * first, least recently used first; with a size budget, if that is not enough,
 * whole images go next, least recently built first, each taking the blobs only
 * it used. Without a budget, only unused blobs go. Saved layer file indexes
 * (see inspect/index-store.ts) go when their layer is not in the store and
 * nobody opened it for INDEX_MAX_IDLE_DAYS. Blobs a running build holds (see
 * blob-leases.ts) are never collected: that build's image will need them.
 */
import { LayerIndexStore } from '../inspect/index-store.js';
import { KnownPathInfos } from '../nix/known-path-infos.js';
import type { GcReport } from '../../../src-shared/gc.js';
import { LEASED } from './blob-leases.js';
import type { Store } from './store.js';

/** How long the file index of a layer that is not in the store is kept after its last use. */
export const INDEX_MAX_IDLE_DAYS = 30;

interface Candidate {
  digest: string;
  size: number;
}

const COLLECTABLE = `NOT EXISTS (SELECT 1 FROM image_layers il WHERE il.layer_digest = b.digest)
    AND NOT EXISTS (SELECT 1 FROM images i WHERE i.manifest_digest = b.digest OR i.config_digest = b.digest)
    AND NOT ${LEASED}`;
const UNREFERENCED = `SELECT b.digest, b.size FROM blobs b WHERE ${COLLECTABLE} ORDER BY b.last_used_at, b.digest`;
const STILL_COLLECTABLE = `SELECT 1 AS yes FROM blobs b WHERE b.digest = @digest AND ${COLLECTABLE}`;

/** `keepNewest` never removes the most recently built image to reach the budget (the app's default). */
export async function collectGarbage(store: Store, options: { readonly maxSize?: number; readonly now?: number; readonly keepNewest?: boolean } = {}): Promise<GcReport> {
  const now = options.now ?? Date.now();
  // Leases of builds that are gone first: a commit that died between its rename and its row leaves a leased orphan.
  store.leases.prune(now);
  await store.content.cleanStaleIngests();
  await store.content.sweepOrphanFiles();
  const unreferenced = store.db.prepare<[{ now: number }], Candidate>(UNREFERENCED);
  const stillCollectable = store.db.prepare<[{ digest: string; now: number }], { yes: number }>(STILL_COLLECTABLE);
  // Checked again in the deleting transaction: a build may have taken a lease since the list was read.
  const collect = (digest: string): boolean =>
    store.db
      .transaction(() => {
        if (!stillCollectable.get({ digest, now })) return false;
        store.content.delete(digest);
        return true;
      })
      .immediate();
  const oldestImage = store.db.prepare<[], { name: string }>(
    options.keepNewest
      ? 'SELECT name FROM images WHERE name <> (SELECT name FROM images ORDER BY created_at DESC, name DESC LIMIT 1) ORDER BY created_at, name LIMIT 1'
      : 'SELECT name FROM images ORDER BY created_at, name LIMIT 1',
  );
  const total = (): number => (store.db.prepare('SELECT COALESCE(SUM(size), 0) AS s FROM blobs').get() as { s: number }).s;
  const budget = options.maxSize ?? 0;
  const overBudget = (size: number): boolean => options.maxSize === undefined || size > budget;

  const sizeBefore = total();
  let size = sizeBefore;
  let removedBlobs = 0;
  const removedImages: string[] = [];
  const dropUnreferenced = (): void => {
    for (const blob of unreferenced.all({ now })) {
      if (!overBudget(size)) return;
      if (!collect(blob.digest)) continue;
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
  const idleSince = now - INDEX_MAX_IDLE_DAYS * 24 * 3600 * 1000;
  const removedIndexes = new LayerIndexStore(store.db).pruneUnused(idleSince);
  // What Nix said of paths a nix-store --gc has since deleted can never be used again.
  new KnownPathInfos(store.db).forgetGone();
  return { removedBlobs, freedBytes: sizeBefore - size, removedImages, removedIndexes, sizeBefore, sizeAfter: size };
}

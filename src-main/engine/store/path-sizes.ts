/**
 * Store path sizes (migration store-path-sizes) and what they measure: how many
 * times over the store holds its store paths. A fleet whose images share layers
 * stores each path about once (1.00); one that splits the same paths differently
 * in every image stores them several times.
 */
import type { Db } from '../db/database.js';
import type { StoreDuplication } from '../../../src-shared/cache-stats.js';

export function recordPathSizes(db: Db, paths: readonly { readonly path: string; readonly narSize: number }[]): void {
  // No write transaction (and no wait for the write lock) when a build took every layer from the cache.
  if (paths.length === 0) return;
  const insert = db.prepare('INSERT OR IGNORE INTO store_paths (path, nar_size) VALUES (?, ?)');
  db.transaction(() => {
    for (const { path, narSize } of paths) insert.run(path, narSize);
  }).immediate();
}

/**
 * Bytes of store paths summed over the store's distinct layers, against the bytes
 * of the distinct paths. Paths whose size is unknown (layers from before sizes
 * were recorded) count in neither.
 */
export function storeDuplication(db: Db): StoreDuplication {
  const layered = db
    .prepare<[], { bytes: number }>('SELECT COALESCE(SUM(s.nar_size), 0) AS bytes FROM layer_paths p JOIN store_paths s ON s.path = p.path')
    .get()!;
  const distinct = db
    .prepare<[], { bytes: number; paths: number }>(
      'SELECT COALESCE(SUM(s.nar_size), 0) AS bytes, COUNT(*) AS paths FROM (SELECT DISTINCT path FROM layer_paths) p JOIN store_paths s ON s.path = p.path',
    )
    .get()!;
  return {
    layeredPathBytes: layered.bytes,
    distinctPathBytes: distinct.bytes,
    distinctPaths: distinct.paths,
    ratio: distinct.bytes > 0 ? layered.bytes / distinct.bytes : 1,
  };
}

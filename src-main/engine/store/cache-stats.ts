/**
 * The numbers the Cache view shows. Size and counts come from the store's index.
 * Hit rate over time comes from finished image-build jobs: each job's result lists
 * its layers with `cached` and size, so each build is one point (layers and bytes
 * served from the cache). `lamina build` runs as such a job too.
 */
import type { Db } from '../db/database.js';
import type { BuildCacheUse, CacheSummary } from '../../../src-shared/cache-stats.js';
import { storeDuplication } from './path-sizes.js';

export function cacheSummary(db: Db): CacheSummary {
  const blobs = db.prepare<[], { count: number; bytes: number }>('SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM blobs').get()!;
  const layers = db
    .prepare<[], { count: number; bytes: number; uncompressed: number; hits: number }>(
      `SELECT COUNT(*) AS count, COALESCE(SUM(b.size), 0) AS bytes, COALESCE(SUM(l.uncompressed_size), 0) AS uncompressed, COALESCE(SUM(l.hits), 0) AS hits
       FROM layers l JOIN blobs b ON b.digest = l.digest`,
    )
    .get()!;
  const images = db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM images').get()!;
  const unused = db
    .prepare<[], { count: number; bytes: number }>(
      `SELECT COUNT(*) AS count, COALESCE(SUM(b.size), 0) AS bytes FROM blobs b
       WHERE NOT EXISTS (SELECT 1 FROM image_layers il WHERE il.layer_digest = b.digest)
         AND NOT EXISTS (SELECT 1 FROM images i WHERE i.manifest_digest = b.digest OR i.config_digest = b.digest)`,
    )
    .get()!;
  return {
    totalBytes: blobs.bytes,
    blobs: blobs.count,
    layers: layers.count,
    layerBytes: layers.bytes,
    layerUncompressedBytes: layers.uncompressed,
    lifetimeHits: layers.hits,
    images: images.count,
    unusedBlobs: unused.count,
    unusedBytes: unused.bytes,
    duplication: storeDuplication(db),
  };
}

interface BuildResultShape {
  readonly name?: unknown;
  readonly layers?: unknown;
}

function isLayerList(value: unknown): value is { cached: boolean; size: number; source?: unknown }[] {
  return Array.isArray(value) && value.every((l) => typeof l === 'object' && l !== null && typeof (l as { cached?: unknown }).cached === 'boolean' && typeof (l as { size?: unknown }).size === 'number');
}

/** One point per finished image build, oldest first; the newest `limit` of them. */
export function buildCacheHistory(db: Db, limit = 200): BuildCacheUse[] {
  const rows = db
    .prepare<[number], { id: number; finished_at: number; result: string }>(
      `SELECT id, finished_at, result FROM jobs
       WHERE kind = 'image-build' AND state = 'succeeded' AND result IS NOT NULL AND finished_at IS NOT NULL
       ORDER BY finished_at DESC, id DESC LIMIT ?`,
    )
    .all(limit);
  const points: BuildCacheUse[] = [];
  for (const row of rows.reverse()) {
    const result = JSON.parse(row.result) as BuildResultShape;
    if (!isLayerList(result.layers) || result.layers.length === 0) continue;
    const cached = result.layers.filter((layer) => layer.cached);
    const team = result.layers.filter((layer) => layer.source === 'team');
    points.push({
      jobId: row.id,
      finishedAt: row.finished_at,
      image: typeof result.name === 'string' ? result.name : '',
      layers: result.layers.length,
      cachedLayers: cached.length,
      bytes: result.layers.reduce((sum, layer) => sum + layer.size, 0),
      cachedBytes: cached.reduce((sum, layer) => sum + layer.size, 0),
      teamLayers: team.length,
      teamBytes: team.reduce((sum, layer) => sum + layer.size, 0),
    });
  }
  return points;
}

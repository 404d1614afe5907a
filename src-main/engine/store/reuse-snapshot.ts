/**
 * What the store offers the `reuse` strategy: every layer of store paths it holds
 * with a given compression (and the current tar format), with the images that
 * hold each. Layers read from elsewhere (no cache key) and the customisation
 * layers (no store paths) are not offered: a build could not take them as they are.
 */
import type { Db } from '../db/database.js';
import { layerKey } from '../layering/planned-layer.js';
import type { ReusableLayer, StoreSnapshot } from '../layering/store-snapshot.js';
import { LAYER_FORMAT_VERSION } from '../tarball/format.js';
import { layerCacheKey } from './layer-cache.js';

export function reuseSnapshot(db: Db, compression: string): StoreSnapshot {
  const rows = db
    .prepare<[string], { digest: string; size: number; cache_key: string; path: string }>(
      `SELECT l.digest, b.size, l.cache_key, p.path FROM layers l JOIN blobs b ON b.digest = l.digest JOIN layer_paths p ON p.layer_digest = l.digest
       WHERE l.compression = ? AND l.cache_key IS NOT NULL ORDER BY l.digest, p.path`,
    )
    .all(compression);
  const holders = new Map<string, string[]>();
  for (const row of db.prepare<[], { layer_digest: string; image_name: string }>('SELECT DISTINCT layer_digest, image_name FROM image_layers').all()) {
    const list = holders.get(row.layer_digest);
    if (list) list.push(row.image_name);
    else holders.set(row.layer_digest, [row.image_name]);
  }
  const layers: ReusableLayer[] = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && rows[i]!.digest === rows[start]!.digest) continue;
    const { digest, size, cache_key: cacheKey } = rows[start]!;
    const paths = rows.slice(start, i).map((row) => row.path);
    start = i;
    // The key covers the tar format: a layer of an older format is not what a build would write now.
    if (layerCacheKey({ kind: 'store-paths', paths, compression, formatVersion: LAYER_FORMAT_VERSION }) !== cacheKey) continue;
    layers.push({ key: layerKey(paths), paths, images: (holders.get(digest) ?? []).sort(), digest, size });
  }
  return { layers };
}

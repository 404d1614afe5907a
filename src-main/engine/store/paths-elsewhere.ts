/**
 * How many of a layer's store paths the store already held in other layers: a
 * layer written although all its paths were stored was written because the
 * split changed, not because anything in it was new. The Build view says which.
 */
import type { Db } from '../db/database.js';

export function pathsInOtherLayers(db: Db, digest: string, paths: readonly string[]): number {
  if (paths.length === 0) return 0;
  const row = db
    .prepare<[string, string], { n: number }>('SELECT COUNT(DISTINCT path) AS n FROM layer_paths WHERE layer_digest <> ? AND path IN (SELECT value FROM json_each(?))')
    .get(digest, JSON.stringify(paths));
  return row?.n ?? 0;
}

import type { Db } from '../../engine/db/database.js';
import { buildCacheHistory, cacheSummary } from '../../engine/store/cache-stats.js';
import { collectGarbage } from '../../engine/store/gc.js';
import { previewGc } from '../../engine/store/gc-preview.js';
import type { Store } from '../../engine/store/store.js';
import type { Handlers } from '../../../src-shared/ipc/contract.js';

type CacheChannel = 'cache:summary' | 'cache:history' | 'cache:gc-preview' | 'cache:gc';

/** The Cache view: size, hit rate per build, and gc with a dry run first. */
export function cacheHandlers(db: Db, store: () => Promise<Store>): Pick<Handlers, CacheChannel> {
  const budget = (maxSize: number | undefined, keepNewest: boolean): { maxSize?: number; keepNewest: boolean } =>
    maxSize === undefined ? { keepNewest } : { maxSize, keepNewest };
  return {
    'cache:summary': () => cacheSummary(db),
    'cache:history': ({ limit }) => buildCacheHistory(db, limit),
    'cache:gc-preview': ({ maxSize, keepNewest }) => previewGc(db, budget(maxSize, keepNewest)),
    'cache:gc': async ({ maxSize, keepNewest }) => collectGarbage(await store(), budget(maxSize, keepNewest)),
  };
}

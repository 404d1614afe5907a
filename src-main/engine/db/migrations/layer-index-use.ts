import type { Migration } from '../migration.js';

/** When each layer file index was last read, so `cache gc` can drop the ones nobody opens any more. */
export const layerIndexUse: Migration = {
  name: 'layer index last use',
  up(db) {
    db.exec('ALTER TABLE layer_indexes ADD COLUMN used_at INTEGER NOT NULL DEFAULT 0; UPDATE layer_indexes SET used_at = indexed_at;');
  },
};

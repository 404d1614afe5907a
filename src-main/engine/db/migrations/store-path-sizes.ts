import type { Migration } from '../migration.js';

/**
 * The NAR size of every store path a build planned, so the store can say how much
 * it duplicates (the same path stored in several layers) without asking Nix again.
 * A path's size never changes: its hash covers its contents.
 */
export const storePathSizes: Migration = {
  name: 'store path sizes',
  up: (db) =>
    db.exec(`
      CREATE TABLE store_paths (
        path TEXT PRIMARY KEY,
        nar_size INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `),
};

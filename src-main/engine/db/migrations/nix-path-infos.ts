import type { Migration } from '../migration.js';

/**
 * What `nix path-info` answered about store paths (size and references), so the
 * closure of packages built before is read here instead of asking Nix again. A
 * row holds only while the path is the one Nix described: `stamp` is the path's
 * inode and change time when the row was written, and a path deleted and built
 * again (which may give other contents) no longer matches it (see
 * nix/known-path-infos.ts).
 */
export const nixPathInfos: Migration = {
  name: 'Nix path infos',
  up: (db) =>
    db.exec(`
      CREATE TABLE nix_path_infos (
        path TEXT PRIMARY KEY,
        nar_size INTEGER NOT NULL,
        refs TEXT NOT NULL,
        stamp TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `),
};

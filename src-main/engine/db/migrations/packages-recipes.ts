import type { Migration } from '../migration.js';

/**
 * The package index and saved recipes. `package_sources` is one row per source
 * and revision that was listed (`nix-env -qaP --json`); its packages live in an
 * FTS5 table so a search over tens of thousands of names answers at once.
 * A recipe is kept as the JSON the Compose view edits, under a unique name.
 */
export const packagesAndRecipes: Migration = {
  name: 'package index (FTS5) per source and revision; saved recipes',
  up: (db) =>
    db.exec(`
      CREATE TABLE package_sources (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        revision TEXT NOT NULL,
        packages INTEGER NOT NULL,
        loaded_at INTEGER NOT NULL,
        UNIQUE (source, revision)
      ) STRICT;

      CREATE VIRTUAL TABLE package_index USING fts5(
        attr_path, pname, version UNINDEXED, description, source_id UNINDEXED,
        tokenize = "unicode61 tokenchars '-_.+'"
      );

      CREATE TABLE recipes (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `),
};

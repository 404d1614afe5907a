import type { Migration } from '../migration.js';

/**
 * The file index of layers that were inspected, keyed by the layer's blob digest
 * (a digest names the bytes, so an index never goes stale). A `layer_indexes` row
 * is written in the same transaction as its files and references, and only after
 * the blob's digest and the tar's diffID were verified: a row promises a whole,
 * verified index. Layers may come from registries or archives, not only from the
 * content store, so there is no foreign key to `blobs`.
 */
export const layerFileIndex: Migration = {
  name: 'layer file index: indexed layers, their files and the store references found in them',
  up: (db) =>
    db.exec(`
      CREATE TABLE layer_indexes (
        digest TEXT PRIMARY KEY,
        diff_id TEXT NOT NULL,
        compressed_size INTEGER NOT NULL,
        uncompressed_size INTEGER NOT NULL,
        entry_count INTEGER NOT NULL,
        -- JSON array of one-line notes about hostile or odd entries
        warnings TEXT NOT NULL,
        indexed_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE layer_index_files (
        layer_digest TEXT NOT NULL REFERENCES layer_indexes(digest) ON DELETE CASCADE,
        path TEXT NOT NULL,
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        mode INTEGER NOT NULL,
        link TEXT,
        -- comma-separated marks such as escapes-root; NULL for a plain entry
        flags TEXT,
        PRIMARY KEY (layer_digest, path)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE layer_index_refs (
        layer_digest TEXT NOT NULL REFERENCES layer_indexes(digest) ON DELETE CASCADE,
        -- store path base name whose files hold the reference; '' for files outside /nix/store
        owner TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (layer_digest, owner, hash)
      ) STRICT, WITHOUT ROWID;
    `),
};

import type { Migration } from '../migration.js';

/**
 * The content store's index. A `blobs` row is a promise that the file
 * `blobs/sha256/<hex>` is whole: rows are inserted only after the file was
 * verified, fsynced and renamed into place, and deleted before the file is.
 * Layers, images and their links hang off blobs with foreign keys, so nothing
 * can point at a blob the index does not vouch for.
 */
export const contentStore: Migration = {
  name: 'content store: blobs, layers, layer paths, images, image layers',
  up: (db) =>
    db.exec(`
      CREATE TABLE blobs (
        digest TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        media_type TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE layers (
        digest TEXT PRIMARY KEY REFERENCES blobs(digest) ON DELETE CASCADE,
        diff_id TEXT NOT NULL,
        uncompressed_size INTEGER NOT NULL,
        -- NULL for layers that are not reusable by key (read from elsewhere)
        cache_key TEXT UNIQUE,
        compression TEXT NOT NULL,
        hits INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE layer_paths (
        layer_digest TEXT NOT NULL REFERENCES layers(digest) ON DELETE CASCADE,
        path TEXT NOT NULL,
        PRIMARY KEY (layer_digest, path)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE images (
        name TEXT PRIMARY KEY,
        manifest_digest TEXT NOT NULL REFERENCES blobs(digest),
        config_digest TEXT NOT NULL REFERENCES blobs(digest),
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE image_layers (
        image_name TEXT NOT NULL REFERENCES images(name) ON DELETE CASCADE ON UPDATE CASCADE,
        position INTEGER NOT NULL,
        layer_digest TEXT NOT NULL REFERENCES layers(digest),
        PRIMARY KEY (image_name, position)
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX image_layers_by_layer ON image_layers(layer_digest);
      CREATE INDEX images_by_manifest ON images(manifest_digest);
      CREATE INDEX images_by_config ON images(config_digest);
    `),
};

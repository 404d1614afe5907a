import type { Migration } from '../migration.js';

/**
 * What Lamina knows is in which registry. A `registry_blobs` row says the registry
 * confirmed it holds the blob in that repository (HEAD 200, mount 201 or upload
 * 201): never written before the registry said so. It is what lets a later push to
 * another repository of the same registry mount instead of upload. `pushes` is the
 * history of finished pushes. No credentials are stored here.
 */
export const registryPushes: Migration = {
  name: 'registry pushes: blobs confirmed per registry repository, finished pushes',
  up: (db) =>
    db.exec(`
      CREATE TABLE registry_blobs (
        registry TEXT NOT NULL,
        repository TEXT NOT NULL,
        digest TEXT NOT NULL,
        size INTEGER NOT NULL,
        confirmed_at INTEGER NOT NULL,
        PRIMARY KEY (registry, digest, repository)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE pushes (
        id INTEGER PRIMARY KEY,
        registry TEXT NOT NULL,
        repository TEXT NOT NULL,
        tag TEXT,
        manifest_digest TEXT NOT NULL,
        media_type TEXT NOT NULL,
        bytes_uploaded INTEGER NOT NULL,
        finished_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX pushes_by_target ON pushes(registry, repository, finished_at);
    `),
};

import type { Migration } from '../migration.js';

/**
 * Images the pull registry made on demand: which store image answers a pulled
 * name (its package list as written in the URL) from one source (kept as a
 * digest: a source may carry credentials) when Nix builds those packages to these
 * out paths. A row is written only after the image is committed; it is stale
 * (and ignored) once the store image of that name holds another manifest.
 */
export const pullImages: Migration = {
  name: 'pull registry images',
  up(db) {
    db.exec(`
      CREATE TABLE pull_images (
        repository TEXT NOT NULL,
        source_key TEXT NOT NULL,
        roots TEXT NOT NULL,
        image_name TEXT NOT NULL,
        manifest_digest TEXT NOT NULL,
        job_id INTEGER,
        built_at INTEGER NOT NULL,
        PRIMARY KEY (repository, source_key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX pull_images_by_image ON pull_images(image_name);
    `);
  },
};

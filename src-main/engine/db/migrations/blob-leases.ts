import type { Migration } from '../migration.js';

/**
 * Blobs a running build holds before any image refers to them (layers just
 * written or just taken from the cache), so `cache gc` in another process leaves
 * them alone. A lease belongs to one build in one process (`host:pid:started`)
 * and ends when the build ends, when it expires, or when its process is gone.
 */
export const blobLeases: Migration = {
  name: 'blob leases',
  up(db) {
    db.exec(`
      CREATE TABLE blob_leases (
        lease_id TEXT NOT NULL,
        digest TEXT NOT NULL,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (lease_id, digest)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX blob_leases_by_digest ON blob_leases(digest);
    `);
  },
};

import type { Db } from '../db/database.js';

/** Where blobs are known to be, so a push can mount rather than upload. */
export interface BlobLocations {
  /** Repositories of `registry` that confirmed holding `digest`, most recent first. */
  repositoriesWith(registry: string, digest: string): string[];
  /** Call only after the registry confirmed the blob is in the repository. */
  confirmBlob(registry: string, repository: string, digest: string, size: number): void;
  recordPush(push: { registry: string; repository: string; tag?: string; digest: string; mediaType: string; bytesUploaded: number }): void;
}

/** BlobLocations over the `registry_blobs` and `pushes` tables (migration registry-pushes). */
export class PushRecords implements BlobLocations {
  private readonly holders;
  private readonly confirm;
  private readonly push;

  constructor(db: Db) {
    this.holders = db.prepare<[string, string], { repository: string }>(
      'SELECT repository FROM registry_blobs WHERE registry = ? AND digest = ? ORDER BY confirmed_at DESC LIMIT 20',
    );
    this.confirm = db.prepare<[string, string, string, number, number]>(
      `INSERT INTO registry_blobs (registry, repository, digest, size, confirmed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (registry, digest, repository) DO UPDATE SET confirmed_at = excluded.confirmed_at, size = excluded.size`,
    );
    this.push = db.prepare<[string, string, string | null, string, string, number, number]>(
      'INSERT INTO pushes (registry, repository, tag, manifest_digest, media_type, bytes_uploaded, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  repositoriesWith(registry: string, digest: string): string[] {
    return this.holders.all(registry, digest).map((row) => row.repository);
  }

  confirmBlob(registry: string, repository: string, digest: string, size: number): void {
    this.confirm.run(registry, repository, digest, size, Date.now());
  }

  recordPush(push: { registry: string; repository: string; tag?: string; digest: string; mediaType: string; bytesUploaded: number }): void {
    this.push.run(push.registry, push.repository, push.tag ?? null, push.digest, push.mediaType, push.bytesUploaded, Date.now());
  }
}

/**
 * The pull registry's memory: for a pulled name and source, the store image made
 * for it and the out paths Nix gave then. A hit needs the same out paths now and
 * the store image still holding the recorded manifest (a rebuild under the same
 * name, or its removal, makes the row stale). Blobs and manifests are served only
 * when a live row of the pulled name leads to them, never any blob of the store.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';

export interface CachedPull {
  readonly imageName: string;
  readonly manifestDigest: string;
}

export interface NewPull extends CachedPull {
  readonly repository: string;
  readonly source: string;
  readonly roots: readonly string[];
  readonly jobId: number;
}

// A source may hold credentials (a flake URL with a token): the table keeps only its digest.
function sourceKey(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

const LIVE = 'FROM pull_images p JOIN images i ON i.name = p.image_name AND i.manifest_digest = p.manifest_digest';

export class ManifestCache {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      find: db.prepare<[string, string, string], { image_name: string; manifest_digest: string }>(
        `SELECT p.image_name, p.manifest_digest ${LIVE} WHERE p.repository = ? AND p.source_key = ? AND p.roots = ?`,
      ),
      record: db.prepare<[string, string, string, string, string, number, number]>(
        `INSERT INTO pull_images (repository, source_key, roots, image_name, manifest_digest, job_id, built_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (repository, source_key) DO UPDATE SET roots = excluded.roots, image_name = excluded.image_name,
           manifest_digest = excluded.manifest_digest, job_id = excluded.job_id, built_at = excluded.built_at`,
      ),
      manifest: db.prepare<[string, string], { found: number }>(`SELECT 1 AS found ${LIVE} WHERE p.repository = ? AND p.manifest_digest = ? LIMIT 1`),
      blob: db.prepare<[string, string, string], { found: number }>(
        `SELECT 1 AS found ${LIVE} WHERE p.repository = ? AND (i.config_digest = ?
           OR EXISTS (SELECT 1 FROM image_layers il WHERE il.image_name = i.name AND il.layer_digest = ?)) LIMIT 1`,
      ),
    };
  }

  find(repository: string, source: string, roots: readonly string[]): CachedPull | undefined {
    const row = this.statements.find.get(repository, sourceKey(source), JSON.stringify(roots));
    return row && { imageName: row.image_name, manifestDigest: row.manifest_digest };
  }

  record(pull: NewPull): void {
    this.statements.record.run(pull.repository, sourceKey(pull.source), JSON.stringify(pull.roots), pull.imageName, pull.manifestDigest, pull.jobId, Date.now());
  }

  /** Whether `digest` is the manifest of a live image of this name. */
  servesManifest(repository: string, digest: string): boolean {
    return this.statements.manifest.get(repository, digest) !== undefined;
  }

  /** Whether `digest` is the config or a layer of a live image of this name. */
  servesBlob(repository: string, digest: string): boolean {
    return this.statements.blob.get(repository, digest, digest) !== undefined;
  }
}

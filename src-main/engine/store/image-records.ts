/**
 * Images in the store: a name pointing at a manifest and config blob, and the
 * layers it uses (rows in image_layers keep those layers from being collected).
 * index.json is derived from these rows, so `skopeo inspect oci:<home>:<name>`
 * finds every image by name.
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../db/database.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { sha256Digest } from '../image/sha256.js';
import { REF_NAME_ANNOTATION } from '../image/media-types.js';
import { MediaType } from '../image/media-types.js';
import type { Descriptor } from '../image/model.js';
import type { Lease } from './blob-leases.js';
import type { ContentStore } from './content-store.js';
import { writeFileAtomicSync } from './durable-fs.js';
import type { StoreLayout } from './layout.js';

export interface StoredImage {
  readonly name: string;
  readonly manifestDigest: string;
  readonly configDigest: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** Layer blob digests in manifest order. */
  readonly layers: readonly string[];
  /** Sum of the manifest, config and layer blob sizes. */
  readonly size: number;
}

export interface NewImage {
  readonly manifest: { readonly bytes: Buffer };
  readonly config: { readonly bytes: Buffer };
  /** Layer digests in manifest order; each must already be a recorded layer. */
  readonly layers: readonly string[];
}

interface ImageRow {
  name: string;
  manifest_digest: string;
  config_digest: string;
  created_at: number;
}

export class ImageRecords {
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly content: ContentStore,
    private readonly layout: StoreLayout,
  ) {
    this.statements = {
      all: db.prepare<[], ImageRow>('SELECT * FROM images ORDER BY name'),
      get: db.prepare<[string], ImageRow>('SELECT * FROM images WHERE name = ?'),
      upsert: db.prepare(
        `INSERT INTO images (name, manifest_digest, config_digest, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET manifest_digest = excluded.manifest_digest,
           config_digest = excluded.config_digest, created_at = excluded.created_at`,
      ),
      remove: db.prepare('DELETE FROM images WHERE name = ?'),
      clearLayers: db.prepare('DELETE FROM image_layers WHERE image_name = ?'),
      addLayer: db.prepare('INSERT INTO image_layers (image_name, position, layer_digest) VALUES (?, ?, ?)'),
      layers: db.prepare<[string], { layer_digest: string; size: number }>(
        `SELECT il.layer_digest, b.size FROM image_layers il JOIN blobs b ON b.digest = il.layer_digest
         WHERE il.image_name = ? ORDER BY il.position`,
      ),
      usingLayer: db.prepare<[string], { image_name: string }>(
        'SELECT DISTINCT image_name FROM image_layers WHERE layer_digest = ? ORDER BY image_name',
      ),
      usingBlob: db.prepare<[string, string], { name: string }>(
        'SELECT name FROM images WHERE manifest_digest = ? OR config_digest = ? ORDER BY name',
      ),
      blobSize: db.prepare<[string], { size: number }>('SELECT size FROM blobs WHERE digest = ?'),
    };
  }

  /**
   * Stores the config and manifest blobs, then points `name` at them (replacing an
   * older image of that name). With the build's lease, the config and manifest are
   * held from before they are written until the image refers to them. The same
   * image again under its name renews its time (gc keeps the most recently built
   * images) and writes no file: index.json stays as it is (see writeIndex).
   */
  async commit(name: string, image: NewImage, lease?: Lease): Promise<StoredImage> {
    if (lease) this.db.transaction(() => [image.config.bytes, image.manifest.bytes].forEach((bytes) => lease.hold(sha256Digest(bytes)))).immediate();
    const config = await this.content.put(image.config.bytes, MediaType.ociConfig);
    const manifest = await this.content.put(image.manifest.bytes, MediaType.ociManifest);
    const now = Date.now();
    try {
      this.db
        .transaction(() => {
          this.statements.upsert.run(name, manifest.digest, config.digest, now);
          this.statements.clearLayers.run(name);
          image.layers.forEach((digest, position) => this.statements.addLayer.run(name, position, digest));
          this.writeIndex();
        })
        .immediate();
    } catch (err) {
      // Another process's `cache gc` or `cache verify` removed a layer between this build's cache hit and now.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new LaminaError(`a layer of ${name} was removed from the cache while it was being built (cache gc or verify); build it again`, 'layer-removed', { cause: err });
      }
      throw err;
    }
    return this.get(name)!;
  }

  list(): StoredImage[] {
    return this.statements.all.all().map((row) => this.toImage(row));
  }

  get(name: string): StoredImage | undefined {
    const row = this.statements.get.get(name);
    return row && this.toImage(row);
  }

  remove(name: string): void {
    this.db
      .transaction(() => {
        this.statements.remove.run(name);
        this.writeIndex();
      })
      .immediate();
  }

  /** Names of images that use a blob, as a layer, config or manifest. */
  usersOf(digest: string): string[] {
    const names = new Set([
      ...this.statements.usingLayer.all(digest).map((r) => r.image_name),
      ...this.statements.usingBlob.all(digest, digest).map((r) => r.name),
    ]);
    return [...names].sort();
  }

  /** Rewrites index.json from the rows (after a crash between a commit and the rewrite, say). */
  syncIndex(): void {
    this.db.transaction(() => this.writeIndex()).immediate();
  }

  /**
   * Rewrites index.json from the rows, when they say something else than it does.
   * Runs inside the caller's write transaction, which serialises writers across
   * processes, so the last file written reflects the last committed state.
   */
  private writeIndex(): void {
    const manifests: Descriptor[] = this.statements.all.all().map((row) => ({
      mediaType: MediaType.ociManifest,
      digest: row.manifest_digest,
      size: this.statements.blobSize.get(row.manifest_digest)?.size ?? 0,
      annotations: { [REF_NAME_ANNOTATION]: row.name },
    }));
    const bytes = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }, null, 2) + '\n';
    // A rebuild that changed nothing leaves the file as it is: no write, no fsync. Compared with
    // the file itself, not the rows, so a file a crash left behind the rows is still put right.
    if (readIfExists(this.layout.indexFile) === bytes) return;
    writeFileAtomicSync(this.layout.indexFile, bytes, this.layout.ingestPath('index'));
  }

  private toImage(row: ImageRow): StoredImage {
    const layers = this.statements.layers.all(row.name);
    const blobSize = (digest: string): number => this.statements.blobSize.get(digest)?.size ?? 0;
    return {
      name: row.name,
      manifestDigest: row.manifest_digest,
      configDigest: row.config_digest,
      createdAt: row.created_at,
      layers: layers.map((l) => l.layer_digest),
      size: blobSize(row.manifest_digest) + blobSize(row.config_digest) + layers.reduce((sum, l) => sum + l.size, 0),
    };
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

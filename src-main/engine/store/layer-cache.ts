/**
 * The layer cache: layers by key, where the key covers everything that decides a
 * layer's bytes (what it holds, the compression, the tar format version). A hit
 * does no layer work at all; a miss writes once through the content store's
 * ingest, and callers asking for the same key at the same time share that one
 * write (single flight). Across processes, ingest + rename + INSERT OR IGNORE
 * keeps the index right when two write the same layer. A caller that passes a
 * lease (see blob-leases.ts) gets the layer held in it, safe from `cache gc`.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { LayerBlob } from '../tarball/types.js';
import { isLaminaError } from '../../../src-shared/errors.js';
import type { Lease } from './blob-leases.js';
import type { ContentStore, Ingest } from './content-store.js';

export interface CachedLayer extends LayerBlob {
  readonly key: string | null;
  readonly compression: string;
  readonly hits: number;
  readonly lastUsedAt: number;
  /** Store paths the layer holds (empty for the customisation layer). */
  readonly paths: readonly string[];
}

export interface ObtainedLayer {
  readonly layer: CachedLayer;
  /** True when no layer work was done for this request. */
  readonly cached: boolean;
}

export interface LayerKeyInput {
  /** `store-paths` for a layer of store paths, `customisation` for the links layer. */
  readonly kind: 'store-paths' | 'customisation';
  /** Store paths (a set), or for the customisation layer its roots (in order). */
  readonly paths: readonly string[];
  readonly compression: string;
  readonly formatVersion: number | string;
}

export function layerCacheKey(input: LayerKeyInput): string {
  // A store-paths layer is a set; the customisation layer's roots are a list, since the first root wins a link conflict.
  const paths = input.kind === 'customisation' ? [...input.paths] : [...new Set(input.paths)].sort();
  const canonical = JSON.stringify(['lamina-layer', input.kind, input.formatVersion, input.compression, paths]);
  return createHash('sha256').update(canonical).digest('hex');
}

interface LayerRow {
  digest: string;
  diff_id: string;
  uncompressed_size: number;
  cache_key: string | null;
  compression: string;
  hits: number;
  size: number;
  media_type: string;
  last_used_at: number;
}

const SELECT = `SELECT l.digest, l.diff_id, l.uncompressed_size, l.cache_key, l.compression, l.hits,
  b.size, b.media_type, b.last_used_at FROM layers l JOIN blobs b ON b.digest = l.digest`;

export class LayerCache {
  private readonly inFlight = new Map<string, Promise<CachedLayer>>();
  private readonly statements;

  constructor(
    private readonly db: Db,
    private readonly content: ContentStore,
  ) {
    this.statements = {
      byKey: db.prepare<[string], LayerRow>(`${SELECT} WHERE l.cache_key = ?`),
      byDigest: db.prepare<[string], LayerRow>(`${SELECT} WHERE l.digest = ?`),
      all: db.prepare<[], LayerRow>(`${SELECT} ORDER BY b.last_used_at, l.digest`),
      paths: db.prepare<[string], { path: string }>('SELECT path FROM layer_paths WHERE layer_digest = ? ORDER BY path'),
      insert: db.prepare(
        'INSERT OR IGNORE INTO layers (digest, diff_id, uncompressed_size, cache_key, compression) VALUES (?, ?, ?, ?, ?)',
      ),
      insertPath: db.prepare('INSERT OR IGNORE INTO layer_paths (layer_digest, path) VALUES (?, ?)'),
      hit: db.prepare('UPDATE layers SET hits = hits + 1 WHERE digest = ?'),
    };
  }

  lookup(key: string): CachedLayer | undefined {
    const row = this.statements.byKey.get(key);
    return row && this.toLayer(row);
  }

  byDigest(digest: string): CachedLayer | undefined {
    const row = this.statements.byDigest.get(digest);
    return row && this.toLayer(row);
  }

  list(): CachedLayer[] {
    return this.statements.all.all().map((row) => this.toLayer(row));
  }

  /**
   * The layer for `key`: from the cache (counted as a hit), from a write already
   * running in this process, or written now by `write` into an ingest file (by
   * its path, or through `ingest.open()`, which spares the commit a re-read).
   */
  async obtain(
    key: string,
    meta: { readonly paths: readonly string[]; readonly compression: string },
    write: (file: string, ingest: Ingest) => Promise<LayerBlob>,
    signal?: AbortSignal,
    lease?: Lease,
  ): Promise<ObtainedLayer> {
    for (;;) {
      signal?.throwIfAborted();
      const hit = this.takeHit(key, lease);
      if (hit) return { layer: hit, cached: true };
      const running = this.inFlight.get(key);
      if (running) {
        try {
          const layer = await running;
          // Held for this caller too (the writer's lease may end first); if gc took it meanwhile, look again.
          if (lease && !this.holdIfPresent(layer.digest, lease)) continue;
          return { layer, cached: true };
        } catch (err) {
          // The writer was cancelled by its own caller: this caller still wants the layer, so it writes it.
          if (signal?.aborted || !isAbort(err)) throw err;
          continue;
        }
      }
      const job = this.writeLayer(key, meta, write, lease);
      this.inFlight.set(key, job);
      try {
        return { layer: await job, cached: false };
      } finally {
        this.inFlight.delete(key);
      }
    }
  }

  /** Records a layer that was written elsewhere and is already a committed blob. */
  record(layer: LayerBlob, meta: { readonly key: string | null; readonly paths: readonly string[]; readonly compression: string }): CachedLayer {
    this.db.transaction(() => {
      this.statements.insert.run(layer.digest, layer.diffId, layer.uncompressedSize, meta.key, meta.compression);
      for (const path of meta.paths) this.statements.insertPath.run(layer.digest, path);
    }).immediate();
    const row = (meta.key && this.statements.byKey.get(meta.key)) || this.statements.byDigest.get(layer.digest);
    if (!row) throw new Error(`layer ${layer.digest} vanished right after it was recorded`);
    return this.toLayer(row);
  }

  /**
   * The cached layer for `key`, counted as a hit and leased, or undefined. Looked
   * up inside the write transaction, so a gc deleting it cannot come in between.
   */
  private takeHit(key: string, lease: Lease | undefined): CachedLayer | undefined {
    return this.db.transaction(() => this.hitWithin(key, lease)).immediate();
  }

  /**
   * takeHit for each of `keys` in one write transaction: what a rebuild finds in
   * the cache, taken at once rather than in a transaction per layer. The keys
   * not cached are missing from the answer; obtain() writes those.
   */
  takeHits(keys: readonly string[], lease?: Lease): Map<string, CachedLayer> {
    return this.db
      .transaction(() => {
        const hits = new Map<string, CachedLayer>();
        for (const key of new Set(keys)) {
          const hit = this.hitWithin(key, lease);
          if (hit) hits.set(key, hit);
        }
        return hits;
      })
      .immediate();
  }

  /** A hit, counted and leased; call inside a write transaction. */
  private hitWithin(key: string, lease: Lease | undefined): CachedLayer | undefined {
    const hit = this.lookup(key);
    if (!hit) return undefined;
    this.statements.hit.run(hit.digest);
    this.content.touch(hit.digest);
    lease?.hold(hit.digest);
    return { ...hit, hits: hit.hits + 1 };
  }

  private holdIfPresent(digest: string, lease: Lease): boolean {
    return this.db
      .transaction(() => {
        if (!this.content.has(digest)) return false;
        lease.hold(digest);
        return true;
      })
      .immediate();
  }

  private async writeLayer(
    key: string,
    meta: { readonly paths: readonly string[]; readonly compression: string },
    write: (file: string, ingest: Ingest) => Promise<LayerBlob>,
    lease: Lease | undefined,
  ): Promise<CachedLayer> {
    const ingest = await this.content.begin();
    let written: LayerBlob;
    try {
      written = await write(ingest.file, ingest);
    } catch (err) {
      await ingest.abort();
      throw err;
    }
    // Held before its row exists: from the moment gc can see the blob, it is held.
    if (lease) this.db.transaction(() => lease.hold(written.digest)).immediate();
    await ingest.commit({ mediaType: written.mediaType, digest: written.digest, size: written.size });
    return this.record(written, { key, paths: meta.paths, compression: meta.compression });
  }

  private toLayer(row: LayerRow): CachedLayer {
    return {
      key: row.cache_key,
      digest: row.digest,
      diffId: row.diff_id,
      size: row.size,
      uncompressedSize: row.uncompressed_size,
      mediaType: row.media_type,
      compression: row.compression,
      hits: row.hits,
      lastUsedAt: row.last_used_at,
      paths: this.statements.paths.all(row.digest).map((r) => r.path),
    };
  }
}

/** Cancellation as the engine reports it: an AbortSignal's reason, or a LaminaError coded `cancelled`. */
function isAbort(err: unknown): boolean {
  return (err instanceof Error && err.name === 'AbortError') || (isLaminaError(err) && err.code === 'cancelled');
}

/**
 * Layer file indexes in SQLite, by layer digest: reopening an image reads its
 * indexes back instead of its layers. An index is written whole, in one
 * transaction, and only ever after the layer was verified (see layer-index.ts).
 */
import type { Db } from '../db/database.js';
import type { FileFlag, FileKind, LayerFile } from '../../../src-shared/layer-file.js';
import type { LayerIndex, StoreMention } from './layer-index.js';

interface IndexRow {
  digest: string;
  diff_id: string;
  compressed_size: number;
  uncompressed_size: number;
  warnings: string;
}

interface FileRow {
  path: string;
  kind: string;
  size: number;
  mode: number;
  link: string | null;
  flags: string | null;
}

export class LayerIndexStore {
  private readonly selectIndex;
  private readonly selectFiles;
  private readonly selectMentions;
  private readonly insertIndex;
  private readonly insertFile;
  private readonly insertMention;
  private readonly deleteIndex;
  private readonly touch;
  private readonly deleteUnused;

  constructor(private readonly db: Db) {
    this.selectIndex = db.prepare<[string], IndexRow>('SELECT digest, diff_id, compressed_size, uncompressed_size, warnings FROM layer_indexes WHERE digest = ?');
    this.selectFiles = db.prepare<[string], FileRow>('SELECT path, kind, size, mode, link, flags FROM layer_index_files WHERE layer_digest = ? ORDER BY path');
    this.selectMentions = db.prepare<[string], StoreMention>('SELECT owner, hash FROM layer_index_refs WHERE layer_digest = ?');
    this.insertIndex = db.prepare(
      'INSERT INTO layer_indexes (digest, diff_id, compressed_size, uncompressed_size, entry_count, warnings, indexed_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertFile = db.prepare('INSERT INTO layer_index_files (layer_digest, path, kind, size, mode, link, flags) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertMention = db.prepare('INSERT INTO layer_index_refs (layer_digest, owner, hash) VALUES (?, ?, ?)');
    this.deleteIndex = db.prepare('DELETE FROM layer_indexes WHERE digest = ?');
    this.touch = db.prepare('UPDATE layer_indexes SET used_at = ? WHERE digest = ?');
    // Files and references go with their index (ON DELETE CASCADE).
    this.deleteUnused = db.prepare('DELETE FROM layer_indexes WHERE used_at < ? AND digest NOT IN (SELECT digest FROM blobs)');
  }

  get(digest: string): LayerIndex | undefined {
    const row = this.selectIndex.get(digest);
    if (!row) return undefined;
    this.touch.run(Date.now(), digest);
    const files = this.selectFiles.all(digest).map(
      (f): LayerFile => ({
        path: f.path,
        kind: f.kind as FileKind,
        size: f.size,
        mode: f.mode,
        ...(f.link !== null ? { link: f.link } : {}),
        ...(f.flags !== null ? { flags: f.flags.split(',') as FileFlag[] } : {}),
      }),
    );
    return {
      digest: row.digest,
      diffId: row.diff_id,
      compressedSize: row.compressed_size,
      uncompressedSize: row.uncompressed_size,
      files,
      mentions: this.selectMentions.all(digest),
      warnings: JSON.parse(row.warnings) as string[],
    };
  }

  /** Stores a verified index, replacing any earlier one for the same digest. */
  put(index: LayerIndex): void {
    const now = Date.now();
    this.db.transaction(() => {
      this.deleteIndex.run(index.digest);
      this.insertIndex.run(index.digest, index.diffId, index.compressedSize, index.uncompressedSize, index.files.length, JSON.stringify(index.warnings), now, now);
      for (const f of index.files) {
        this.insertFile.run(index.digest, f.path, f.kind, f.size, f.mode, f.link ?? null, f.flags?.length ? f.flags.join(',') : null);
      }
      for (const m of index.mentions) this.insertMention.run(index.digest, m.owner, m.hash);
    }).immediate();
  }

  /**
   * Drops the indexes of layers that are not in the content store and were not
   * read since `before` (ms since the epoch): layers of images opened from a
   * registry or an archive once and not since. Returns how many went.
   */
  pruneUnused(before: number): number {
    return this.db.transaction(() => this.deleteUnused.run(before).changes).immediate();
  }
}

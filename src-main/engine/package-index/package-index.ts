/**
 * The package index behind Compose's search: what `nix-env -qaP --json` lists
 * for a source, kept per source and revision in SQLite FTS5. The first load runs
 * Nix (slow for a big package set); every search after that is one FTS query.
 */
import type { Db } from '../db/database.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { listPackages, type PackageEntry } from '../nix/packages.js';
import { describeSource, parseSource } from '../nix/source.js';
import { sourceRevision } from './revision.js';
import type { IndexedSource, LoadProgress, PackageHit } from '../../../src-shared/packages.js';

export interface LoadOptions {
  readonly signal?: AbortSignal;
  /** Reload even when this revision is already indexed (for channels and flakes taken as named). */
  readonly force?: boolean;
  readonly onProgress?: (progress: LoadProgress) => void;
}

const INSERT_BATCH = 2000;

/** `bash gz` -> `"bash"* AND "gz"*`: every word a prefix, quoted so `-` and `.` are plain text. */
export function ftsQuery(text: string): string | null {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/"/g, ''))
    .filter((w) => w !== '');
  return words.length === 0 ? null : words.map((w) => `"${w}"*`).join(' AND ');
}

export class PackageIndex {
  constructor(private readonly db: Db) {}

  /** The indexed revision of a source that is current now, or null when it needs a load. */
  current(spec: string): IndexedSource | null {
    const source = parseSource(spec);
    const row = this.db
      .prepare('SELECT source, revision, packages, loaded_at AS loadedAt FROM package_sources WHERE source = ? AND revision = ? AND packages >= 0')
      .get(describeSource(source), sourceRevision(source)) as IndexedSource | undefined;
    return row ?? null;
  }

  async load(spec: string, options: LoadOptions = {}): Promise<IndexedSource> {
    const source = parseSource(spec);
    const name = describeSource(source);
    const revision = sourceRevision(source);
    if (!options.force) {
      const existing = this.current(spec);
      if (existing) return existing;
    }
    options.onProgress?.({ phase: 'listing', done: 0, total: 0 });
    const entries = await listPackages(source, options.signal ? { signal: options.signal } : {});
    return this.store(name, revision, entries, options);
  }

  /** Best matches first: the exact attribute, then bm25 with the attribute path weighted over the description. */
  search(spec: string, text: string, limit = 200): PackageHit[] {
    const indexed = this.current(spec);
    if (!indexed) {
      throw new LaminaError(`the packages of ${spec} are not indexed yet; load the package index first`, 'index-missing');
    }
    const query = ftsQuery(text);
    const sourceId = this.sourceId(indexed.source, indexed.revision);
    if (query === null) {
      return this.db
        .prepare('SELECT attr_path AS attrPath, pname, version, description FROM package_index WHERE source_id = ? ORDER BY attr_path LIMIT ?')
        .all(sourceId, limit) as PackageHit[];
    }
    return this.db
      .prepare(
        `SELECT attr_path AS attrPath, pname, version, description FROM package_index
         WHERE package_index MATCH ? AND source_id = ?
         ORDER BY attr_path = ? DESC, bm25(package_index, 10.0, 5.0, 1.0), attr_path LIMIT ?`,
      )
      .all(query, sourceId, text.trim(), limit) as PackageHit[];
  }

  private sourceId(source: string, revision: string): number {
    return (this.db.prepare('SELECT id FROM package_sources WHERE source = ? AND revision = ?').get(source, revision) as { id: number }).id;
  }

  private async store(name: string, revision: string, entries: readonly PackageEntry[], options: LoadOptions): Promise<IndexedSource> {
    const loadedAt = Date.now();
    // The row says -1 packages (not current) until every batch is in.
    // Older revisions of the same source are replaced: search always means the source as it is now.
    const sourceId = this.db.transaction(() => {
      for (const old of this.db.prepare('SELECT id FROM package_sources WHERE source = ?').all(name) as { id: number }[]) {
        this.db.prepare('DELETE FROM package_index WHERE source_id = ?').run(old.id);
      }
      this.db.prepare('DELETE FROM package_sources WHERE source = ?').run(name);
      return Number(
        this.db
          .prepare('INSERT INTO package_sources (source, revision, packages, loaded_at) VALUES (?, ?, ?, ?)')
          .run(name, revision, -1, loadedAt).lastInsertRowid,
      );
    }).immediate();
    const insert = this.db.prepare('INSERT INTO package_index (attr_path, pname, version, description, source_id) VALUES (?, ?, ?, ?, ?)');
    const insertBatch = this.db.transaction((batch: readonly PackageEntry[]) => {
      for (const e of batch) insert.run(e.attrPath, e.pname, e.version, e.description ?? '', sourceId);
    }).immediate;
    try {
      for (let start = 0; start < entries.length; start += INSERT_BATCH) {
        options.signal?.throwIfAborted();
        insertBatch(entries.slice(start, start + INSERT_BATCH));
        options.onProgress?.({ phase: 'indexing', done: Math.min(start + INSERT_BATCH, entries.length), total: entries.length });
        // Yield between batches so a large index does not stall the engine's other requests.
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.db.prepare('UPDATE package_sources SET packages = ? WHERE id = ?').run(entries.length, sourceId);
    } catch (err) {
      // A half-written index must not look complete.
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM package_index WHERE source_id = ?').run(sourceId);
        this.db.prepare('DELETE FROM package_sources WHERE id = ?').run(sourceId);
      }).immediate();
      throw err;
    }
    return { source: name, revision, packages: entries.length, loadedAt };
  }
}

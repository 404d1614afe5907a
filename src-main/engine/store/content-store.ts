/**
 * The content store, with containerd's three faces: read (`ContentReader`),
 * write through an ingest file that becomes visible only at commit
 * (`ContentIngester`), and admin (`ContentAdmin`). A `blobs` row is a promise
 * that the blob file is whole, so rows are written only after the file is
 * verified and published, and removed before the file is.
 */
import { createReadStream, existsSync, rmSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { isDigest } from '../image/digest.js';
import { hashFile, sha256Digest } from '../image/sha256.js';
import type { Descriptor } from '../image/model.js';
import { checkBlob } from '../image/check-blob.js';
import { LEASED, type BlobLeases } from './blob-leases.js';
import { fsyncFile, publish } from './durable-fs.js';
import type { StoreLayout } from './layout.js';
import { BlobFile, type WrittenBlob } from '../tarball/blob-file.js';

export interface BlobInfo {
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly lastUsedAt: number;
}

export interface ContentReader {
  info(digest: string): BlobInfo | undefined;
  has(digest: string): boolean;
  /** The blob's bytes as a stream; throws if the index does not vouch for it. */
  open(digest: string): Readable;
  /** A small blob (manifest, config) read whole and checked against its digest. */
  read(digest: string): Promise<Buffer>;
}

/** A write in progress: fill `file` (by path, or through `open()`), then commit or abort. */
export interface Ingest {
  readonly file: string;
  /**
   * Opens `file` (emptied) through a writer that hashes as it writes. Once that
   * writer closed successfully, commit checks `expected` against its digest
   * instead of reading the file back. At most once per ingest.
   */
  open(): Promise<BlobFile>;
  /** Verifies the file against `expected`, publishes it and records it. Idempotent for equal content. */
  commit(expected: Descriptor): Promise<BlobInfo>;
  abort(): Promise<void>;
}

export interface ContentIngester {
  begin(): Promise<Ingest>;
  /** Writes a small blob held in memory. */
  put(bytes: Buffer, mediaType: string): Promise<Descriptor>;
}

export interface ContentAdmin {
  list(): BlobInfo[];
  /** Removes the row, then the file. Fails while images or layers still refer to it. */
  delete(digest: string): void;
  /** Re-hashes the blob file; true if it matches its digest and size. */
  verify(digest: string, signal?: AbortSignal): Promise<boolean>;
  /** Removes ingest files of processes that are gone (a crash mid-write); returns how many. */
  cleanStaleIngests(): Promise<number>;
  /** Removes blob files that no row vouches for (a crash between rename and insert); returns how many. */
  sweepOrphanFiles(): Promise<number>;
}

interface BlobRow {
  digest: string;
  size: number;
  media_type: string;
  created_at: number;
  last_used_at: number;
}

const toInfo = (row: BlobRow): BlobInfo => ({
  digest: row.digest,
  size: row.size,
  mediaType: row.media_type,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

export class ContentStore implements ContentReader, ContentIngester, ContentAdmin {
  private readonly statements;

  constructor(
    private readonly db: Db,
    readonly layout: StoreLayout,
    /** Holds a blob between its file's publication and its row (commitFile). */
    private readonly leases: BlobLeases,
  ) {
    this.statements = {
      get: db.prepare<[string], BlobRow>('SELECT * FROM blobs WHERE digest = ?'),
      list: db.prepare<[], BlobRow>('SELECT * FROM blobs ORDER BY last_used_at, digest'),
      insert: db.prepare(
        'INSERT OR IGNORE INTO blobs (digest, size, media_type, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)',
      ),
      touch: db.prepare('UPDATE blobs SET last_used_at = ? WHERE digest = ?'),
      delete: db.prepare('DELETE FROM blobs WHERE digest = ?'),
      leased: db.prepare<[{ digest: string; now: number }], { yes: number }>(`SELECT 1 AS yes FROM (SELECT @digest AS digest) b WHERE ${LEASED}`),
    };
  }

  info(digest: string): BlobInfo | undefined {
    const row = this.statements.get.get(digest);
    return row && toInfo(row);
  }

  has(digest: string): boolean {
    return this.statements.get.get(digest) !== undefined;
  }

  open(digest: string): Readable {
    this.require(digest);
    return createReadStream(this.layout.blobPath(digest), { highWaterMark: 1 << 20 });
  }

  async read(digest: string): Promise<Buffer> {
    const info = this.require(digest);
    const bytes = await readFile(this.layout.blobPath(digest));
    checkBlob(info, { digest: sha256Digest(bytes), size: bytes.length }, `blob ${digest} in ${this.layout.root}`);
    return bytes;
  }

  touch(digest: string, now = Date.now()): void {
    this.statements.touch.run(now, digest);
  }

  async begin(): Promise<Ingest> {
    await mkdir(this.layout.ingestDir, { recursive: true });
    const file = this.layout.ingestPath('blob');
    await writeFile(file, '');
    let done = false;
    let writer: BlobFile | undefined;
    return {
      file,
      open: async () => {
        if (done || writer) throw new Error(`ingest ${file} was already opened, committed or aborted`);
        writer = await BlobFile.create(file);
        return writer;
      },
      commit: async (expected) => {
        if (done) throw new Error(`ingest ${file} was already committed or aborted`);
        done = true;
        try {
          return await this.commitFile(file, expected, writer?.written);
        } finally {
          await rm(file, { force: true });
        }
      },
      abort: async () => {
        done = true;
        await writer?.discard();
        await rm(file, { force: true });
      },
    };
  }

  async put(bytes: Buffer, mediaType: string): Promise<Descriptor> {
    const descriptor: Descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.length };
    if (this.blobIsWhole(descriptor.digest)) return descriptor;
    const ingest = await this.begin();
    try {
      await writeFile(ingest.file, bytes);
    } catch (err) {
      await ingest.abort();
      throw err;
    }
    await ingest.commit(descriptor);
    return descriptor;
  }

  list(): BlobInfo[] {
    return this.statements.list.all().map(toInfo);
  }

  delete(digest: string): void {
    // In one write transaction with the unlink, so that a concurrent commit of the
    // same digest (rename + insert, also in a transaction) cannot interleave.
    this.db
      .transaction(() => {
        this.statements.delete.run(digest);
        rmSync(this.layout.blobPath(digest), { force: true });
      })
      .immediate();
  }

  async verify(digest: string, signal?: AbortSignal): Promise<boolean> {
    const info = this.require(digest);
    try {
      const actual = await hashFile(this.layout.blobPath(digest), signal);
      return actual.digest === info.digest && actual.size === info.size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async cleanStaleIngests(): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.layout.ingestDir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const pid = Number(/^(\d+)-/.exec(name)?.[1]);
      if (pid === process.pid || (Number.isInteger(pid) && processIsAlive(pid))) continue;
      await rm(join(this.layout.ingestDir, name), { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  async sweepOrphanFiles(): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.layout.blobsDir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const digest = `sha256:${name}`;
      if (!isDigest(digest)) continue;
      // Checked and removed inside a write transaction, and a commit leases the digest
      // before its rename and records the row before it lets go: so no commit is caught in between.
      const gone = this.db
        .transaction(() => {
          if (this.statements.get.get(digest) || this.statements.leased.get({ digest, now: Date.now() })) return false;
          rmSync(this.layout.blobPath(digest), { force: true });
          return true;
        })
        .immediate();
      if (gone) removed++;
    }
    return removed;
  }

  private blobIsWhole(digest: string): boolean {
    return this.has(digest) && existsSync(this.layout.blobPath(digest));
  }

  private require(digest: string): BlobInfo {
    const info = this.info(digest);
    if (!info) throw new LaminaError(`blob ${digest} is not in the store at ${this.layout.root}; rebuild the image`, 'blob-missing');
    return info;
  }

  /**
   * `written`: what the ingest's own writer hashed and flushed, when the file was filled through it.
   *
   * The file is published (renamed into blobs/, the folder then flushed) before its
   * row is written, so after a crash a row never names a missing file; a file
   * without a row is an orphan the next gc sweeps. The rename and the flush run on
   * the thread pool, not inside a transaction: a build commits a blob per layer,
   * and a folder fsync on the main thread stopped the whole pipeline each time
   * (measured: 0.25 s of a cold build). Meanwhile a lease on the digest keeps a
   * sweep in another process from taking the published file for an orphan.
   */
  private async commitFile(file: string, expected: Descriptor, written: WrittenBlob | undefined): Promise<BlobInfo> {
    const actual = written ?? (await hashFile(file));
    checkBlob(expected, actual, `the blob being written (${expected.digest})`);
    // The writer flushed its file before it closed; a file filled by path is flushed here.
    if (!written) await fsyncFile(file);
    await mkdir(this.layout.blobsDir, { recursive: true });
    const publishing = this.leases.begin();
    this.db.transaction(() => publishing.hold(expected.digest)).immediate();
    try {
      await publish(file, this.layout.blobPath(expected.digest));
    } catch (err) {
      publishing.end();
      throw err;
    }
    const now = Date.now();
    // The row and the lease's end in one transaction: from here the row keeps the blob from a sweep by itself.
    this.db
      .transaction(() => {
        this.statements.insert.run(expected.digest, expected.size, expected.mediaType, now, now);
        this.statements.touch.run(now, expected.digest);
        publishing.end();
      })
      .immediate();
    return this.require(expected.digest);
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

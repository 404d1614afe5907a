/**
 * File operations that survive a crash at any moment: data is fsynced before the
 * rename that publishes it, and the folder after, so a published name never
 * points at partial contents.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a file's data without blocking the event loop (before a publish, which then only renames and flushes the folder). */
export async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Renames `from` (already flushed) to `to`, then flushes `to`'s folder so the new
 * name survives a crash; on the thread pool, so the event loop runs meanwhile.
 */
export async function publish(from: string, to: string): Promise<void> {
  await rename(from, to);
  const folder = await open(dirname(to), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** fsync `from`, rename it to `to`, fsync `to`'s folder. Synchronous so it can run inside a SQLite transaction. */
export function publishSync(from: string, to: string): void {
  fsyncPath(from);
  renameSync(from, to);
  fsyncPath(dirname(to));
}

/**
 * Replaces `file` whole with `data`, written first to `temp` (on the same
 * filesystem; the store passes a name in ingest/ so a crash's leftover is cleared
 * with the other stale ingest files).
 */
export function writeFileAtomicSync(file: string, data: string | Buffer, temp: string): void {
  try {
    writeFileSync(temp, data);
    publishSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

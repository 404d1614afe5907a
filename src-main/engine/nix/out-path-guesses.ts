/**
 * The out paths a source's attributes built to last time (migration
 * nix-out-paths): what a no-change build roots while Nix evaluates the source,
 * so that the two Nix processes it needs run side by side rather than one after
 * the other. Never trusted on its own: see BuildOptions.guess.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Db } from '../db/database.js';
import type { PackageSource } from './source.js';

export class OutPathGuesses {
  constructor(private readonly db: Db) {}

  get(source: PackageSource, attrs: readonly string[]): string[] | undefined {
    const row = this.db.prepare<[string], { out_paths: string }>('SELECT out_paths FROM nix_out_paths WHERE request_key = ?').get(requestKey(source, attrs));
    return row === undefined ? undefined : row.out_paths.split(' ');
  }

  set(source: PackageSource, attrs: readonly string[], outPaths: readonly string[]): void {
    const key = requestKey(source, attrs);
    const value = outPaths.join(' ');
    // Most builds find what the last one left: no write (and no wait for the write lock) then.
    if (this.db.prepare<[string], { out_paths: string }>('SELECT out_paths FROM nix_out_paths WHERE request_key = ?').get(key)?.out_paths === value) return;
    this.db.prepare('INSERT OR REPLACE INTO nix_out_paths (request_key, out_paths) VALUES (?, ?)').run(key, value);
  }

  /** Drops the guesses that name a path no longer in the store; how many. */
  forgetGone(): number {
    const rows = this.db.prepare<[], { request_key: string; out_paths: string }>('SELECT request_key, out_paths FROM nix_out_paths').all();
    const gone = rows.filter((row) => !allPresent(row.out_paths));
    if (gone.length === 0) return 0;
    const drop = this.db.prepare('DELETE FROM nix_out_paths WHERE request_key = ? AND out_paths = ?');
    this.db
      .transaction(() => {
        for (const row of gone) drop.run(row.request_key, row.out_paths);
      })
      .immediate();
    return gone.length;
  }
}

/** True when every path exists: a guess with a path gone can only be wrong, or at best cost a build. */
function allPresent(outPaths: string): boolean {
  return outPaths.split(' ').every((path) => existsSync(path));
}

function requestKey(source: PackageSource, attrs: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([source, attrs])).digest('hex');
}

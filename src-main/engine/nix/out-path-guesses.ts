/**
 * The out paths a source's attributes built to last time (migration
 * nix-out-paths): what a no-change build roots while Nix evaluates the source,
 * so that the two Nix processes it needs run side by side rather than one after
 * the other. Never trusted on its own: see BuildOptions.guess.
 */
import { createHash } from 'node:crypto';
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
}

function requestKey(source: PackageSource, attrs: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([source, attrs])).digest('hex');
}

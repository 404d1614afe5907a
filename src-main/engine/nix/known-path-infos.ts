/**
 * Path infos Nix gave before (migration nix-path-infos), so that the closure of
 * packages built before is read from Lamina's database rather than from another
 * `nix path-info --recursive`.
 *
 * A store path's size and references never change while it stays in the store,
 * but a path that is deleted and built again may come out different (a build that
 * is not reproducible). So each row carries the path's inode and change time as
 * they were when Nix described it; a row whose path no longer has them is treated
 * as unknown, and Nix is asked again. Deleting and re-making a path gives it a new
 * inode and change time; anything else that touches it (nix-store --optimise) only
 * costs a question to Nix.
 */
import { lstatSync } from 'node:fs';
import { storePathName, type StorePathInfo } from '../closure/graph.js';
import type { Db } from '../db/database.js';

export interface KnownClosure {
  /** The paths reached from the roots whose infos the table holds for the paths as they are. */
  readonly infos: StorePathInfo[];
  /** Paths reached that the table lacks or holds for an earlier path of that name: their closures are Nix's to tell. */
  readonly unknown: string[];
}

interface Row {
  readonly nar_size: number;
  readonly refs: string;
  readonly stamp: string;
}

export class KnownPathInfos {
  constructor(private readonly db: Db) {}

  /** Walks the references from `roots` as far as the table knows them. */
  walk(roots: readonly string[]): KnownClosure {
    const get = this.db.prepare<[string], Row>('SELECT nar_size, refs, stamp FROM nix_path_infos WHERE path = ?');
    const infos: StorePathInfo[] = [];
    const unknown: string[] = [];
    const seen = new Set<string>();
    const stack = [...roots];
    // One read snapshot for the whole walk; each row is checked against the store on its own anyway.
    this.db.transaction(() => {
      while (stack.length > 0) {
        const path = stack.pop()!;
        if (seen.has(path)) continue;
        seen.add(path);
        const row = get.get(path);
        if (row === undefined || row.stamp !== stampOf(path)) {
          unknown.push(path);
          continue;
        }
        const references = row.refs === '' ? [] : row.refs.split(' ');
        infos.push({ path, name: storePathName(path), narSize: row.nar_size, references });
        for (const ref of references) if (!seen.has(ref)) stack.push(ref);
      }
    })();
    return { infos, unknown };
  }

  /**
   * Keeps what Nix said about `infos`. Only for paths that a GC root holds while
   * this runs: a path must not be deleted and made again between Nix's answer and
   * the stamp taken here.
   */
  record(infos: readonly StorePathInfo[]): void {
    const rows: [string, number, string, string][] = [];
    for (const info of infos) {
      const stamp = stampOf(info.path);
      if (stamp !== undefined) rows.push([info.path, info.narSize, info.references.join(' '), stamp]);
    }
    if (rows.length === 0) return;
    const put = this.db.prepare('INSERT OR REPLACE INTO nix_path_infos (path, nar_size, refs, stamp) VALUES (?, ?, ?, ?)');
    this.db
      .transaction(() => {
        for (const row of rows) put.run(...row);
      })
      .immediate();
  }

  /** Drops the rows of paths that are gone from the store or were made anew (they can never be read again); how many. */
  forgetGone(): number {
    const rows = this.db.prepare<[], { path: string; stamp: string }>('SELECT path, stamp FROM nix_path_infos').all();
    const gone = rows.filter((row) => stampOf(row.path) !== row.stamp);
    if (gone.length === 0) return 0;
    const drop = this.db.prepare('DELETE FROM nix_path_infos WHERE path = ? AND stamp = ?');
    this.db
      .transaction(() => {
        for (const row of gone) drop.run(row.path, row.stamp);
      })
      .immediate();
    return gone.length;
  }
}

/** The path's inode and change time: new ones whenever the path is made anew. */
function stampOf(path: string): string | undefined {
  const stat = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  return stat === undefined ? undefined : `${stat.ino}:${stat.ctimeNs}`;
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnownPathInfos } from '../../src-main/engine/nix/known-path-infos.js';
import { collectGarbage } from '../../src-main/engine/store/gc.js';
import { openStore, type Store } from '../../src-main/engine/store/store.js';

const opened: Store[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

describe('gc and what Nix said', () => {
  it('forgets path infos of paths that are gone, and keeps the rest', async () => {
    const store = await openStore(mkdtempSync(join(tmpdir(), 'lamina-gc-nix-')));
    opened.push(store);
    // Stand-ins for store paths: the tables only ever look at whether a path is still the one described.
    const dir = mkdtempSync(join(tmpdir(), 'lamina-gc-paths-'));
    const kept = join(dir, 'kept');
    const deleted = join(dir, 'deleted');
    const remade = join(dir, 'remade');
    for (const path of [kept, deleted, remade]) writeFileSync(path, 'x');
    const infos = new KnownPathInfos(store.db);
    infos.record([kept, deleted, remade].map((path) => ({ path, name: 'p', narSize: 1, references: [] })));
    rmSync(deleted);
    // Deleted and made again: a new change time, whatever inode it gets.
    rmSync(remade);
    writeFileSync(remade, 'y');

    await collectGarbage(store);

    const walked = infos.walk([kept, deleted, remade]);
    expect(walked.infos.map((info) => info.path)).toEqual([kept]);
    expect([...walked.unknown].sort()).toEqual([deleted, remade]);
    const rows = store.db.prepare('SELECT path FROM nix_path_infos ORDER BY path').all();
    expect(rows).toEqual([{ path: kept }]);
  });
});

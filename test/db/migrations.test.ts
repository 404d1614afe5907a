import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src-main/engine/db/database.js';
import { openDatabase } from '../../src-main/engine/db/database.js';

describe('database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-db-'));
  const v1 = [{ name: 'things', up: (db: Db) => db.exec('CREATE TABLE things (id INTEGER PRIMARY KEY)') }];
  const v2 = [...v1, { name: 'broken', up: (db: Db) => db.exec('CREATE TABLE things (id INTEGER)') }];

  it('migrates forward once and records the version', () => {
    const file = join(dir, 'a.db');
    openDatabase(file, { migrations: v1 }).close();
    const db = openDatabase(file, { migrations: v1 });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('rolls a failed migration back whole and keeps what was stored', () => {
    const file = join(dir, 'b.db');
    const db = openDatabase(file, { migrations: v1 });
    db.prepare('INSERT INTO things (id) VALUES (7)').run();
    db.close();
    expect(() => openDatabase(file, { migrations: v2 })).toThrow(/already exists/);
    const again = openDatabase(file, { migrations: v1 });
    expect(again.pragma('user_version', { simple: true })).toBe(1);
    expect(again.prepare('SELECT id FROM things').all()).toEqual([{ id: 7 }]);
    again.close();
  });

  it('refuses a database from a newer Lamina with one clear line', () => {
    const file = join(dir, 'c.db');
    openDatabase(file, { migrations: v1 }).close();
    expect(() => openDatabase(file, { migrations: [] })).toThrow(/newer Lamina/);
  });
});

describe('a data dir Lamina cannot use', () => {
  it('says in one line that lamina.db is not a database, and leaves the file as it was', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lamina-db-')), 'lamina.db');
    writeFileSync(file, 'these are not the bytes of a SQLite database\n'.repeat(200));
    const before = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(/^.*lamina\.db is not a readable Lamina database \(not SQLite\); move it aside/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('gives up at once, with the reason, where a folder cannot be made (no endless mkdir in /proc)', () => {
    expect(() => openDatabase('/proc/lamina-nope/lamina.db')).toThrow(/^cannot use \/proc\/lamina-nope as Lamina's data dir \(ENOENT\); set LAMINA_HOME/);
    expect(() => openDatabase('/etc/hostname/sub/lamina.db')).toThrow(/^cannot use \/etc\/hostname\/sub as Lamina's data dir \(ENOTDIR\)/);
  });
});

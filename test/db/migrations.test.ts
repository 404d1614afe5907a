import { mkdtempSync } from 'node:fs';
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

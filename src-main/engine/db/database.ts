import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LaminaError } from '../errors.js';
import type { Migration } from './migration.js';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better-sqlite3 native binding built for another runtime (Electron). */
  readonly nativeBinding?: string;
  readonly migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) Lamina's SQLite database: WAL, foreign keys on, and
 * the schema brought up to date in one transaction (`user_version` is the truth).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, options.migrations ?? MIGRATIONS);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new LaminaError(
      `the database ${db.name} was written by a newer Lamina (schema ${current}, this one knows ${migrations.length}); upgrade Lamina or set LAMINA_HOME to another folder`,
      'db-too-new',
    );
  }
  if (current === migrations.length) return;
  db.transaction(() => {
    for (let version = current; version < migrations.length; version++) {
      migrations[version]!.up(db);
    }
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

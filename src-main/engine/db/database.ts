import type BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';
import { makeDataDirs } from '../home.js';
import type { Migration } from './migration.js';
import { MIGRATIONS } from './migrations/index.js';

export type Db = BetterSqlite3.Database;

const requireHere = createRequire(import.meta.url);

/**
 * better-sqlite3, required: imported as an ES module, the CommonJS package is
 * first scanned for its exports, a few ms of every command that opens the
 * database. Loaded on first use.
 */
let driver: typeof BetterSqlite3 | undefined;

/**
 * Node's build of the binding where npm's install puts it (build/Release; set
 * LAMINA_SQLITE_BINDING for another, a debug build say). Named outright, it
 * spares better-sqlite3 its search of a dozen places (the `bindings` package);
 * where it is not (inside the packaged app), that search runs as before.
 */
let installed: string | null | undefined;
function installedBinding(): string | undefined {
  if (installed === undefined) {
    const file = requireHere.resolve('better-sqlite3/package.json').replace(/package\.json$/, 'build/Release/better_sqlite3.node');
    installed = existsSync(file) ? file : null;
  }
  return installed ?? undefined;
}

/** `file` opened by better-sqlite3 with the binding for this runtime: the one given, else sqliteBindingFromEnv(), else Node's installed build. */
export function sqliteDatabase(file: string, options: BetterSqlite3.Options = {}): Db {
  driver ??= requireHere('better-sqlite3') as typeof BetterSqlite3;
  const nativeBinding = options.nativeBinding ?? sqliteBindingFromEnv() ?? installedBinding();
  return new driver(file, { ...options, ...(nativeBinding ? { nativeBinding } : {}) });
}

/**
 * The better-sqlite3 binding for this runtime: the packaged `lamina` launcher runs
 * the CLI on Electron's binary and names Electron's build in LAMINA_SQLITE_BINDING;
 * unset, Node's build is loaded (see sqliteDatabase).
 */
export function sqliteBindingFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env['LAMINA_SQLITE_BINDING'] || undefined;
}

export interface OpenOptions {
  /** Path to a better-sqlite3 native binding built for another runtime (Electron); default: see sqliteDatabase. */
  readonly nativeBinding?: string;
  readonly migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) Lamina's SQLite database: WAL, foreign keys on, and
 * the schema brought up to date in one transaction (`user_version` is the truth).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') makeDataDirs(dirname(file));
  const db = sqliteDatabase(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('busy_timeout = 5000');
    useWal(db);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, options.migrations ?? MIGRATIONS);
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new LaminaError(
        `${file} is not a readable Lamina database (${code === 'SQLITE_NOTADB' ? 'not SQLite' : 'damaged'}); move it aside and Lamina starts an empty one (the cache is rebuilt as you build)`,
        'db-unreadable',
        { cause: err },
      );
    }
    throw err;
  }
  return db;
}

/**
 * Switches the file to WAL. SQLite answers SQLITE_BUSY at once, without waiting
 * on the busy timeout, when another process is opening the same new file at the
 * same moment, so this waits and retries for a while itself.
 */
function useWal(db: Db): void {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) === 'wal') return;
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 40);
    }
  }
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  const check = (current: number): void => {
    if (current > migrations.length) {
      throw new LaminaError(
        `the database ${db.name} was written by a newer Lamina (schema ${current}, this one knows ${migrations.length}); upgrade Lamina or set LAMINA_HOME to another folder`,
        'db-too-new',
      );
    }
  };
  check(version());
  if (version() === migrations.length) return;
  // Read the version again under the write lock: another process opening the same
  // data dir may have migrated between the check above and this transaction.
  db.transaction(() => {
    const current = version();
    check(current);
    for (let v = current; v < migrations.length; v++) migrations[v]!.up(db);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

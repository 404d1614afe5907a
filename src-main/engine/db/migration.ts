import type Database from 'better-sqlite3';

export interface Migration {
  /** What the migration does, for error messages. */
  readonly name: string;
  readonly up: (db: Database.Database) => void;
}

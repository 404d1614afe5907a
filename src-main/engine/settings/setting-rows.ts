/** One setting per row of the `settings` table, its value as JSON; a missing row means the default. */
import type { Db } from '../db/database.js';

export function readSetting(db: Db, key: string): string | null {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
  return row ? (JSON.parse(row.value) as string) : null;
}

/** Stores `value`, or with null removes the row (back to the default). */
export function writeSetting(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  else db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

/**
 * The CLI finds Nix where the app does: the folder chosen in Settings (kept in
 * the shared data dir's database) comes before PATH. Read-only and best effort:
 * a missing or unreadable database means no folder was chosen, and a command
 * that needs the database says what is wrong with it itself.
 */
import { existsSync } from 'node:fs';
import { sqliteDatabase } from '../engine/db/database.js';
import { laminaHome } from '../engine/home.js';
import { useNixFrom } from '../engine/nix/locate.js';
import { NIX_DIR_KEY } from '../engine/settings/nix-settings.js';
import { readSetting } from '../engine/settings/setting-rows.js';
import { StoreLayout } from '../engine/store/layout.js';

export function useNixFromSettings(home: string = laminaHome()): void {
  const file = new StoreLayout(home).databaseFile;
  if (!existsSync(file)) return;
  try {
    const db = sqliteDatabase(file, { readonly: true, fileMustExist: true });
    try {
      useNixFrom(readSetting(db, NIX_DIR_KEY));
    } finally {
      db.close();
    }
  } catch {
    // No settings table yet, or not a database: nothing was chosen.
  }
}

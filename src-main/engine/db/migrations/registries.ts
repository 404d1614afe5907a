import type { Migration } from '../migration.js';

/**
 * Registries the user set up in Settings: the host, the user name and where the
 * secret is kept. The secret itself is never here in plain text: `sealed_secret`
 * holds only what Electron's safeStorage encrypted (keep = 'safe-storage'); with a
 * docker credential helper the helper holds it, and a session secret lives in the
 * memory of the process that was given it. `settings` holds what the user changed
 * in Settings (the Nix builders Lamina passes to its builds).
 */
export const registriesMigration: Migration = {
  name: 'registries set up by the user (without plain-text secrets) and user settings',
  up: (db) =>
    db.exec(`
      CREATE TABLE registries (
        host TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        keep TEXT NOT NULL CHECK (keep IN ('safe-storage', 'helper', 'session')),
        helper TEXT,
        sealed_secret BLOB,
        tls_verify INTEGER NOT NULL DEFAULT 1,
        updated_at INTEGER NOT NULL,
        CHECK ((keep = 'helper') = (helper IS NOT NULL)),
        CHECK ((keep = 'safe-storage') = (sealed_secret IS NOT NULL))
      ) STRICT;

      -- Settings a user changed (absent: the default); values are JSON.
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `),
};

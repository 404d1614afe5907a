import type { Migration } from '../migration.js';

/**
 * The out paths a package source's attributes last built to, keyed by a digest
 * of the source and the attributes (a source may carry credentials). Only a
 * guess: a build roots these paths while Nix evaluates the source, and uses them
 * only when the evaluation gives the same paths. Dropped by the next migration
 * (drop-nix-out-paths.ts).
 */
export const nixOutPaths: Migration = {
  name: 'Nix out path guesses',
  up: (db) =>
    db.exec(`
      CREATE TABLE nix_out_paths (
        request_key TEXT PRIMARY KEY,
        out_paths TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `),
};

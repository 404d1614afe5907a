import type { Migration } from '../migration.js';

/**
 * The out path guesses (nix-out-paths) go: a build now evaluates, builds and roots
 * its packages in one nix-build, which costs about what the evaluation alone did,
 * so there is nothing left to root while Nix evaluates.
 */
export const dropNixOutPaths: Migration = {
  name: 'drop Nix out path guesses',
  up: (db) => db.exec('DROP TABLE nix_out_paths;'),
};

import type { Migration } from '../migration.js';
import { blobLeases } from './blob-leases.js';
import { contentStore } from './content-store.js';
import { dropNixOutPaths } from './drop-nix-out-paths.js';
import { jobDetail } from './job-detail.js';
import { jobsMigration } from './jobs.js';
import { layerFileIndex } from './layer-file-index.js';
import { layerIndexUse } from './layer-index-use.js';
import { nixOutPaths } from './nix-out-paths.js';
import { nixPathInfos } from './nix-path-infos.js';
import { packagesAndRecipes } from './packages-recipes.js';
import { pullImages } from './pull-images.js';
import { registryPushes } from './registry-pushes.js';
import { registriesMigration } from './registries.js';
import { storePathSizes } from './store-path-sizes.js';

/**
 * Every schema change, in order. Append new migrations at the end (never edit or
 * reorder a released one): migration N brings the schema from user_version N-1 to N.
 */
export const MIGRATIONS: readonly Migration[] = [
  contentStore,
  jobsMigration,
  registryPushes,
  layerFileIndex,
  packagesAndRecipes,
  registriesMigration,
  jobDetail,
  layerIndexUse,
  blobLeases,
  storePathSizes,
  pullImages,
  nixPathInfos,
  nixOutPaths,
  dropNixOutPaths,
];

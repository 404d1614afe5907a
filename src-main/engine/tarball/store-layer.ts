import type { BlobFile } from './blob-file.js';
import { storePathEntries } from './store-entries.js';
import type { LayerCompression, LayerBlob, LayerWriteOptions } from './types.js';

/**
 * Tar of the given store paths (their whole trees), compressed, written to
 * dest (a path, or an ingest's BlobFile). The same set of paths gives the same
 * bytes, in any order given. On failure the file may hold a partial blob: it is
 * the caller's ingest file.
 *
 * The writer (tar, compression workers) is loaded by the first layer a process
 * writes, as the customisation layer's is: a rebuild that finds every layer
 * cached never loads it.
 */
export async function writeStorePathsLayer(
  paths: readonly string[],
  compression: LayerCompression,
  dest: string | BlobFile,
  options?: LayerWriteOptions,
): Promise<LayerBlob> {
  const { writeLayer } = await import('./write-layer.js');
  return writeLayer(storePathEntries(paths), compression, dest, options);
}

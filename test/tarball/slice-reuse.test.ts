import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { writeStorePathsLayer } from '../../src-main/engine/tarball/index.js';
import { GZIP_CHUNK_BYTES } from '../../src-main/engine/tarball/format.js';
import { idleSliceSizes } from '../../src-main/engine/tarball/slice-pool.js';
import { tempDir } from './helpers.js';

const paths = Object.values(inject('testbedOutPaths'));
const dir = tempDir('reuse');

describe('compressed slices', () => {
  // Each slice is compressed into a buffer lent with it; a writer that kept or dropped
  // those buffers would allocate (and page-fault) a fresh one for every 4 MiB of tar.
  it.each(['gzip', 'zstd'] as const)('come back to the pool once written (%s)', async (compression) => {
    await writeStorePathsLayer(paths, compression, join(dir, `layer-${compression}`));
    // Output buffers are larger than the tar slices they hold the compressed form of.
    expect(idleSliceSizes().filter((size) => size > GZIP_CHUNK_BYTES).length).toBeGreaterThan(0);
  });
});

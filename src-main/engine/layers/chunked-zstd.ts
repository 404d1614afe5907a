/**
 * zstd as a sequence of independent frames, one per fixed-size slice: a valid
 * zstd stream (decoders read concatenated frames as one), compressed on all cores,
 * and reproducible because the slice boundaries do not depend on timing.
 */
import { fixedChunks, mapOrdered } from './chunks.js';
import { compressionSlots } from './compression-slots.js';
import { zstdFrame } from './zstd-workers.js';

export async function* chunkedZstd(source: AsyncIterable<Uint8Array>, chunkBytes: number): AsyncGenerator<Buffer> {
  yield* mapOrdered(fixedChunks(source, chunkBytes), zstdFrame, compressionSlots.size + 1);
}

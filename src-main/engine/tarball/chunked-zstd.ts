/**
 * zstd as a sequence of independent frames, one per fixed-size slice: a valid
 * zstd stream (decoders read concatenated frames as one), compressed on all cores,
 * and reproducible because the slice boundaries do not depend on timing.
 */
import { fixedChunks, mapOrdered } from './chunks.js';
import { compressionSlots, type Slots } from './compression-slots.js';
import { compressSlice } from './compression-workers.js';

export function chunkedZstd(source: AsyncIterable<Uint8Array>, chunkBytes: number, slots: Slots = compressionSlots()): AsyncGenerator<Buffer> {
  return zstdSlices(fixedChunks(source, chunkBytes), slots);
}

/** The same from slices already cut at the fixed boundaries (tarSlices), so none is copied again. */
export async function* zstdSlices(slices: AsyncIterable<Buffer>, slots: Slots = compressionSlots()): AsyncGenerator<Buffer> {
  yield* mapOrdered(slices, (slice) => compressSlice('zstd', slice, slots), slots.size + 1);
}

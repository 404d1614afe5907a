/**
 * zstd as a sequence of independent frames, one per fixed-size slice: a valid
 * zstd stream (decoders read concatenated frames as one), compressed on all cores,
 * and reproducible because the slice boundaries do not depend on timing.
 */
import { mapOrdered } from './map-ordered.js';
import { compressionSlots, type Slots } from './compression-slots.js';
import { compressSlice } from './compression-workers.js';

/** `slices`: the tar already cut at the fixed boundaries (tarSlices), so none is copied again. */
export async function* zstdSlices(slices: AsyncIterable<Buffer>, slots: Slots = compressionSlots()): AsyncGenerator<Buffer> {
  yield* mapOrdered(slices, (slice) => compressSlice('zstd', slice, slots), slots.size + 1);
}

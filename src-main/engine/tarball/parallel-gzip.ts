/**
 * gzip on every core as a multi-member stream: the input is cut into fixed-size
 * slices and each becomes one complete gzip member (libdeflate, on a worker
 * thread). RFC 1952 allows any number of members and every reader that matters
 * takes them (gzip, Go's compress/gzip, Python's gzip, containerd, zlib's
 * inflate with gunzip). Slice boundaries are fixed, so the bytes depend on
 * neither timing nor the number of cores; members share no dictionary, which
 * costs about 0.1% at 4 MiB slices and buys slices that need nothing from the
 * one before.
 */
import { mapOrdered } from './map-ordered.js';
import { compressionSlots, type Slots } from './compression-slots.js';
import { compressSlice } from './compression-workers.js';

/** `slices`: the tar already cut at the fixed boundaries (tarSlices), so none is copied again. */
export async function* gzipSlices(slices: AsyncIterable<Buffer>, slots: Slots = compressionSlots()): AsyncGenerator<Buffer> {
  yield* mapOrdered(nonEmpty(slices), (slice) => compressSlice('gzip', slice, slots), slots.size + 1);
}

/** An empty input still needs one (empty) member: a gzip stream has at least one. */
async function* nonEmpty(slices: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let any = false;
  for await (const slice of slices) {
    any = true;
    yield slice;
  }
  if (!any) yield Buffer.alloc(0);
}

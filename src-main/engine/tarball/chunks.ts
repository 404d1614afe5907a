/** Fixed-size slicing and ordered, bounded parallel mapping of byte streams. */

/** Slices of exactly `size` bytes, then whatever is left (if anything). */
export async function* fixedChunks(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let chunk = Buffer.allocUnsafe(size);
  let filled = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      const n = Math.min(size - filled, piece.length - offset);
      chunk.set(piece.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === size) {
        yield chunk;
        chunk = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield chunk.subarray(0, filled);
}

/**
 * `map` applied to the items in order, up to `inFlight` at once, results in source
 * order. `map` is called in source order, so it may carry state from one item to
 * the next. At most `inFlight` items and results are held.
 */
export async function* mapOrdered<T, R>(source: AsyncIterable<T>, map: (item: T) => Promise<R>, inFlight: number): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  try {
    for await (const item of source) {
      const result = map(item);
      // Awaited below in order; this only keeps an early failure from being reported as unhandled.
      result.catch(() => undefined);
      pending.push(result);
      if (pending.length >= inFlight) yield await pending.shift()!;
    }
    while (pending.length > 0) yield await pending.shift()!;
  } finally {
    // On failure or cancellation, let the work already started settle before the caller moves on.
    await Promise.allSettled(pending);
  }
}

/**
 * Reused slice memory. A layer's tar is built straight into fixed-size slices,
 * each moved (transferred, not copied) to a compression worker and moved back
 * with the result. Reusing the same few ArrayBuffers spares a fresh 4 MiB
 * allocation per slice: the page faults of touching new memory, and the
 * garbage collections that external memory of that size sets off (together
 * measured at more main-thread time than hashing the tar).
 *
 * Only buffers issued here are ever pooled or transferred on the pool's say-so,
 * so a caller's own Buffer is never detached or written over.
 */

/** At most this many idle buffers are kept per size: about what two layers written side by side hold in flight. */
const KEEP = 8;

const idle = new Map<number, ArrayBuffer[]>();
const issued = new WeakSet<ArrayBuffer>();

/** A Buffer of exactly `size` bytes over an ArrayBuffer of its own (contents undefined). */
export function takeSlice(size: number): Buffer {
  const reused = idle.get(size)?.pop();
  if (reused) return Buffer.from(reused);
  const fresh = Buffer.allocUnsafeSlow(size);
  issued.add(fresh.buffer as ArrayBuffer);
  return fresh;
}

/** True for memory from takeSlice: whoever holds the only view may move it to a worker and back. */
export function isPoolMemory(buffer: ArrayBufferLike): boolean {
  return issued.has(buffer as ArrayBuffer);
}

/**
 * Marks memory from takeSlice that a worker moved back (a new ArrayBuffer object
 * over it) as the pool's again, so its holder may return it or move it once more.
 */
export function reclaimSlice(buffer: ArrayBuffer): void {
  issued.add(buffer);
}

/**
 * Takes back memory that came from takeSlice once no view of it is in use: the
 * ArrayBuffer a worker moved back (a new object over the same memory, so it is
 * marked again here). The caller vouches for where it came from.
 */
export function returnSlice(buffer: ArrayBuffer): void {
  if (buffer.byteLength === 0) return;
  const list = idle.get(buffer.byteLength) ?? [];
  if (list.length >= KEEP) return;
  issued.add(buffer);
  list.push(buffer);
  idle.set(buffer.byteLength, list);
}

/** The sizes of the buffers waiting to be reused, one entry per buffer: what a test of the reuse sees. */
export function idleSliceSizes(): number[] {
  return [...idle].flatMap(([size, list]) => list.map(() => size));
}

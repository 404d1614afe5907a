import type { Readable } from 'node:stream';

/**
 * Cuts a stream into buffers of exactly `size` bytes (the last may be shorter), so
 * an upload can resend any part of the chunk in flight without reading the source again.
 */
export async function* chunksOf(stream: Readable, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  for await (const data of stream) {
    let buf = Buffer.isBuffer(data) ? data : Buffer.from(data as Uint8Array);
    while (have + buf.length >= size) {
      const take = size - have;
      parts.push(buf.subarray(0, take));
      yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
      parts = [];
      have = 0;
      buf = buf.subarray(take);
    }
    if (buf.length > 0) {
      parts.push(buf);
      have += buf.length;
    }
  }
  if (have > 0) yield Buffer.concat(parts, have);
}

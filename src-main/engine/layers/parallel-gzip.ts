/**
 * gzip in parallel, the way pigz does it: the input is cut into fixed-size slices,
 * each slice is deflated on its own (in libuv's thread pool, through zlib's async
 * API) with the previous 32 KiB as a preset dictionary and ends on a sync flush,
 * so the raw deflate outputs concatenate into ONE deflate stream inside ONE gzip
 * member. Slice boundaries are fixed, so the bytes do not depend on timing or on
 * the number of cores; the dictionary keeps the ratio within a hair of serial gzip.
 */
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, type ZlibOptions } from 'node:zlib';
import { mapOrdered, fixedChunks, withLast } from './chunks.js';
import { compressionSlots } from './compression-slots.js';
import { GZIP_OS_UNKNOWN } from './format.js';

const deflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(deflateRaw);

/** Deflate's window: back references reach this far, so this much of the previous slice is the dictionary. */
const WINDOW_BYTES = 32 * 1024;
/** Deflate can grow incompressible input a little (stored-block headers, the flush marker). */
const OUTPUT_SLACK_BYTES = 64 * 1024;

export interface ParallelGzipOptions {
  level: number;
  chunkBytes: number;
}

export async function* parallelGzip(source: AsyncIterable<Uint8Array>, { level, chunkBytes }: ParallelGzipOptions): AsyncGenerator<Buffer> {
  yield gzipHeader(level);
  let crc = 0;
  let length = 0;
  let dictionary: Buffer | undefined;
  // Called in slice order (see mapOrdered), so the running CRC and the dictionary follow the input.
  const deflateSlice = ({ item: slice, last }: { item: Buffer; last: boolean }): Promise<Buffer> => {
    crc = crc32(slice, crc);
    length += slice.length;
    const options: ZlibOptions = {
      level,
      dictionary,
      finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
      // Room for the whole output in one go: each refill is a trip back to the main thread, which may be busy.
      chunkSize: slice.length + OUTPUT_SLACK_BYTES,
    };
    dictionary = lastWindow(dictionary, slice);
    return compressionSlots.run(() => deflateRawAsync(slice, options));
  };
  yield* mapOrdered(withLast(nonEmpty(fixedChunks(source, chunkBytes))), deflateSlice, compressionSlots.size + 1);
  yield gzipTrailer(crc, length);
}

/** The last 32 KiB of the input so far (slices smaller than that are joined to what came before). */
function lastWindow(previous: Buffer | undefined, slice: Buffer): Buffer {
  if (slice.length >= WINDOW_BYTES || !previous) return slice.subarray(Math.max(0, slice.length - WINDOW_BYTES));
  const joined = Buffer.concat([previous, slice]);
  return joined.subarray(Math.max(0, joined.length - WINDOW_BYTES));
}

/** An empty input still needs one final (empty) deflate block. */
async function* nonEmpty(slices: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let any = false;
  for await (const slice of slices) {
    any = true;
    yield slice;
  }
  if (!any) yield Buffer.alloc(0);
}

/** RFC 1952 header: no name, no mtime, a fixed OS byte; XFL as zlib sets it for the level. */
export function gzipHeader(level: number): Buffer {
  const xfl = level === 9 ? 2 : level === 1 ? 4 : 0;
  return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, GZIP_OS_UNKNOWN]);
}

function gzipTrailer(crc: number, length: number): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return trailer;
}

import fc from 'fast-check';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parallelGzip } from '../../src-main/engine/layers/parallel-gzip.js';
import { run } from './helpers.js';

async function gzip(input: Buffer, level: number, chunkBytes: number, pieceBytes: number): Promise<Buffer> {
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let i = 0; i < input.length; i += pieceBytes) yield input.subarray(i, i + pieceBytes);
  }
  const out: Buffer[] = [];
  for await (const chunk of parallelGzip(pieces(), { level, chunkBytes })) out.push(chunk);
  return Buffer.concat(out);
}

/** Compressible input: random runs, repeats of earlier bytes (matches across slice boundaries), and noise. */
const input = fc
  .array(
    fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 3000 }).map((bytes) => ({ bytes })),
      fc.record({ back: fc.integer({ min: 1, max: 40_000 }), length: fc.integer({ min: 3, max: 5000 }) }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => {
    const out: number[] = [];
    for (const part of parts) {
      if ('bytes' in part) out.push(...part.bytes);
      else for (let i = 0; i < part.length && out.length > 0; i++) out.push(out[Math.max(0, out.length - part.back)]!);
    }
    return Buffer.from(out);
  });

describe('parallel gzip', () => {
  it('inflates back to its input for any input, slice size and level, and gives the same bytes every time', async () => {
    await fc.assert(
      fc.asyncProperty(
        input,
        fc.integer({ min: 1, max: 70_000 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 20_000 }),
        async (data, chunkBytes, level, pieceBytes) => {
          const once = await gzip(data, level, chunkBytes, pieceBytes);
          expect(gunzipSync(once).equals(data)).toBe(true);
          // Slicing of the input stream does not matter, only the fixed slice size does.
          expect((await gzip(data, level, chunkBytes, 1 + (pieceBytes % 777))).equals(once)).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('writes one gzip member that the gzip tool accepts, also for empty input', async () => {
    for (const data of [Buffer.alloc(0), Buffer.from('layer '.repeat(50_000))]) {
      const gz = await gzip(data, 4, 4096, 1000);
      expect(run('gzip', ['-t'], gz).length).toBe(0);
      expect(run('gzip', ['-dc'], gz).equals(data)).toBe(true);
      // One member: the listing shows one entry with the real uncompressed size.
      expect(run('gzip', ['-l'], gz).toString()).toContain(` ${data.length} `);
    }
  });

  it('stays close to serial zlib in size thanks to the preset dictionary', async () => {
    const text = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `line ${i % 997} of a layer\n`).join(''));
    const parallel = await gzip(text, 6, 16 * 1024, 4096);
    const { gzipSync } = await import('node:zlib');
    expect(parallel.length).toBeLessThan(gzipSync(text, { level: 6 }).length * 1.05);
  });
});

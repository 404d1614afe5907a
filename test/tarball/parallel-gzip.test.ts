import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Slots } from '../../src-main/engine/tarball/compression-slots.js';
import { gzipSlices } from '../../src-main/engine/tarball/parallel-gzip.js';
import { run } from './helpers.js';

/** `input` cut into slices of `chunkBytes` (as tarSlices cuts a layer's tar), each slice a gzip member. */
async function gzip(input: Buffer, chunkBytes: number, workers = 2): Promise<Buffer> {
  async function* slices(): AsyncGenerator<Buffer> {
    // Copies: a slice is moved to its worker, and the test still needs `input`.
    for (let i = 0; i < input.length; i += chunkBytes) yield Buffer.from(input.subarray(i, i + chunkBytes));
  }
  const out: Buffer[] = [];
  for await (const chunk of gzipSlices(slices(), new Slots(workers))) out.push(chunk);
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

/** How many gzip members Python's zlib finds, and the sha256 of what Python's gzip module reads from the whole stream. */
function readByPython(gz: Buffer): { members: number; sha256: string } {
  const script = [
    'import gzip, hashlib, sys, zlib',
    'raw = sys.stdin.buffer.read()',
    'members, rest = 0, raw',
    'while True:',
    '    d = zlib.decompressobj(31)',
    '    d.decompress(rest)',
    '    members, rest = members + 1, d.unused_data',
    '    if not rest: break',
    'print(members, hashlib.sha256(gzip.decompress(raw)).hexdigest())',
  ].join('\n');
  const [members, sha256] = run('python3', ['-c', script], gz).toString().trim().split(' ');
  return { members: Number(members), sha256: sha256! };
}

describe('parallel gzip', () => {
  it('inflates back to its input for any input and slice size, with the same bytes for any number of workers', async () => {
    await fc.assert(
      fc.asyncProperty(input, fc.integer({ min: 512, max: 70_000 }), async (data, chunkBytes) => {
        const once = await gzip(data, chunkBytes, 1);
        expect(gunzipSync(once).equals(data)).toBe(true);
        // Only the fixed slice size decides the bytes, not how many workers compress the slices.
        expect((await gzip(data, chunkBytes, 2)).equals(once)).toBe(true);
        expect((await gzip(data, chunkBytes, 3)).equals(once)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('writes one member per slice, which gzip, Python and zlib all read as one stream, also for empty input', async () => {
    const text = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `line ${i % 997} of a layer\n`).join(''));
    for (const [data, members] of [
      [Buffer.alloc(0), 1],
      [text, Math.ceil(text.length / 100_000)],
    ] as const) {
      const gz = await gzip(data, 100_000);
      expect(run('gzip', ['-t'], gz).length).toBe(0);
      expect(run('gzip', ['-dc'], gz).equals(data)).toBe(true);
      expect(readByPython(gz)).toEqual({ members, sha256: createHash('sha256').update(data).digest('hex') });
      expect(gunzipSync(gz).equals(data)).toBe(true);
    }
  });

  it('stores a slice whose probes do not compress instead of deflating it, and deflates the next', async () => {
    const slice = 256 * 1024;
    const probe = 32 * 1024;
    // Text, with random bytes where the four probes look (evenly spaced, the last at the end): judged incompressible.
    const judged = Buffer.from('a line of text in a layer\n'.repeat(11_000)).subarray(0, slice);
    let state = 0x2545f491;
    for (let p = 0; p < 4; p++) {
      const at = Math.floor((slice - probe) / 3) * p;
      for (let i = at; i < at + probe; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        judged[i] = state & 0xff;
      }
    }
    const text = Buffer.from('another line of text\n'.repeat(13_000)).subarray(0, slice);
    const gz = await gzip(Buffer.concat([judged, text]), slice);
    expect(gunzipSync(gz).equals(Buffer.concat([judged, text]))).toBe(true);
    expect(readByPython(gz).members).toBe(2);
    // The first member is stored blocks only: a 10-byte header, 5 bytes per block of up to 65,535 bytes, an 8-byte trailer.
    const first = await gzip(judged, slice);
    expect(first.length).toBe(10 + slice + 5 * Math.ceil(slice / 65_535) + 8);
    // The text slice still deflates to a fraction of its size.
    expect(gz.length - first.length).toBeLessThan(slice / 10);
  });

  it('costs little in size for cutting the input into members', async () => {
    const text = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `line ${(i * 7919) % 10007} of a layer\n`).join(''));
    const whole = await gzip(text, text.length);
    const sliced = await gzip(text, 1 << 20);
    expect(sliced.length).toBeLessThan(whole.length * 1.01);
  });
});

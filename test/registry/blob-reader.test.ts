import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src-main/engine/registry/digest.js';
import { BlobReader } from '../../src-main/engine/registry/blob-reader.js';
import type { PushBlob } from '../../src-main/engine/registry/image-source.js';

/** A blob whose source yields `bytes` in pieces of `piece` bytes; `opened` counts the opens. */
function blobOf(claimed: Buffer, bytes: Buffer, piece: number): PushBlob & { opened: number } {
  const blob = {
    digest: sha256Digest(claimed),
    size: claimed.length,
    mediaType: 'application/octet-stream',
    opened: 0,
    open: async () => {
      blob.opened++;
      return Readable.from((function* () {
        for (let i = 0; i < bytes.length; i += piece) yield bytes.subarray(i, i + piece);
      })());
    },
  };
  return blob;
}

async function collect(pieces: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of pieces) out.push(Buffer.from(piece));
  return Buffer.concat(out);
}

describe('blob reader', () => {
  it('gives any sequence of ranges, going back where asked, and verifies the blob hashed once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 5000 }),
        fc.integer({ min: 1, max: 700 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
        async (data, piece, ranges) => {
          const bytes = Buffer.from(data);
          const blob = blobOf(bytes, bytes, piece);
          const reader = new BlobReader(blob);
          try {
            for (const [a, b] of ranges) {
              const [start, end] = [a % (bytes.length + 1), b % (bytes.length + 1)].sort((x, y) => x - y) as [number, number];
              expect((await collect(reader.range(start, end))).equals(bytes.subarray(start, end))).toBe(true);
            }
            // An upload ends by sending up to the last byte.
            await collect(reader.range(Math.floor(bytes.length / 2), bytes.length));
            expect(reader.complete).toBe(true);
            await reader.verify();
          } finally {
            reader.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads forward ranges in one pass over the source', async () => {
    const bytes = Buffer.from('0123456789'.repeat(1000));
    const blob = blobOf(bytes, bytes, 333);
    const reader = new BlobReader(blob);
    const parts = [];
    for (let at = 0; at < bytes.length; at += 1024) parts.push(await collect(reader.range(at, Math.min(at + 1024, bytes.length))));
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
    await reader.verify();
    expect(blob.opened).toBe(1);
    reader.close();
  });

  it('refuses a source that differs from, is shorter or is longer than the blob it claims to be', async () => {
    const bytes = Buffer.from('layer bytes '.repeat(500));
    const changed = Buffer.from(bytes);
    changed[100] = changed[100]! ^ 1;
    const wrong = /the source of blob sha256:[0-9a-f]{12} has changed or is corrupt \(read \d+ bytes, .*\); rebuild or re-export the image/;
    for (const source of [changed, bytes.subarray(0, 3000), Buffer.concat([bytes, Buffer.from('x')])]) {
      const reader = new BlobReader(blobOf(bytes, source, 256));
      await expect(
        (async () => {
          await collect(reader.range(0, bytes.length));
          await reader.verify();
        })(),
      ).rejects.toThrow(wrong);
      reader.close();
    }
  });
});

import fc from 'fast-check';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DigestCheck } from '../../src-main/engine/image/layer-streams.js';
import { sha256Digest } from '../../src-main/engine/image/sha256.js';
import { BlobReader } from '../../src-main/engine/registry/blob-reader.js';
import type { PushBlob } from '../../src-main/engine/registry/payloads.js';

/**
 * A blob whose source yields `bytes` in pieces of `piece` bytes; `opened` counts the opens.
 * `selfChecked`: the source is an Image layer's stream, which checks itself (DigestCheck).
 */
function blobOf(claimed: Buffer, bytes: Buffer, piece: number, selfChecked = false, endLate = false): PushBlob & { opened: number } {
  const digest = sha256Digest(claimed);
  const blob = {
    digest,
    size: claimed.length,
    mediaType: 'application/octet-stream',
    selfChecked,
    opened: 0,
    open: async () => {
      blob.opened++;
      const source = Readable.from((async function* () {
        for (let i = 0; i < bytes.length; i += piece) yield bytes.subarray(i, i + piece);
        // So that every byte can be read before the source ends and a self-check speaks.
        if (endLate) await sleep(20);
      })());
      return selfChecked ? source.pipe(new DigestCheck({ digest, size: claimed.length }, 'the test layer')) : source;
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
        fc.boolean(),
        async (data, piece, ranges, selfChecked) => {
          const bytes = Buffer.from(data);
          const blob = blobOf(bytes, bytes, piece, selfChecked);
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

  it('leaves the hashing to a self-checking source and still refuses one that is not what it claims', async () => {
    const bytes = Buffer.from('layer bytes '.repeat(500));
    const changed = Buffer.from(bytes);
    changed[bytes.length - 1] = changed[bytes.length - 1]! ^ 1;
    const refusals = [
      [changed, /the test layer has digest sha256:[0-9a-f]{64} but sha256:[0-9a-f]{64} was promised; it is damaged/],
      [bytes.subarray(0, 3000), /the test layer is 3000 bytes but 6000 were promised; it is truncated/],
      [Buffer.concat([bytes, Buffer.from('x')]), /the test layer is longer than the 6000 bytes promised; it is damaged/],
    ] as const;
    for (const [source, wrong] of refusals) {
      // The source's check speaks while the last bytes are read, or (ending late) once the reader looks for its end.
      for (const endLate of [false, true]) {
        const reader = new BlobReader(blobOf(bytes, source, 256, true, endLate));
        await expect(
          (async () => {
            await collect(reader.range(0, bytes.length));
            await reader.verify();
          })(),
        ).rejects.toThrow(wrong);
        reader.close();
      }
    }
  });
});

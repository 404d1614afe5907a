/**
 * Streams around layer blobs: decompression by media type, and a pass-through
 * that checks a blob against its descriptor as it flows, so a damaged blob fails
 * the copy instead of landing somewhere.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { DecompressStream as ZstdDecompressStream } from 'zstd-napi';
import { LaminaError } from '../../../src-shared/errors.js';
import type { LayerCompression } from './media-types.js';

export function decompressor(compression: LayerCompression): Transform {
  if (compression === 'gzip') return createGunzip();
  if (compression === 'zstd') {
    // Loaded for the first zstd layer only: the native addon added about 50 ms to
    // the start of every command that merely checks digests here (a push, an export).
    const { DecompressStream } = createRequire(import.meta.url)('zstd-napi') as { DecompressStream: typeof ZstdDecompressStream };
    return new DecompressStream();
  }
  return new Transform({ transform: (chunk, _enc, done) => done(null, chunk) });
}

/**
 * Counts and hashes what flows through; at the end, fails unless it matches
 * `expected`. The one check of a blob stream against its descriptor, whether the
 * blob comes from a file, the store or a registry.
 */
export class DigestCheck extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;

  constructor(
    private readonly expected: { readonly digest: string; readonly size?: number },
    private readonly what: string,
  ) {
    super();
  }

  get size(): number {
    return this.bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.expected.size !== undefined && this.bytes > this.expected.size) {
      done(new LaminaError(`${this.what} is longer than the ${this.expected.size} bytes promised; it is damaged`, 'bad-blob'));
      return;
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const digest = `sha256:${this.hash.digest('hex')}`;
    if (this.expected.size !== undefined && this.bytes !== this.expected.size) {
      done(new LaminaError(`${this.what} is ${this.bytes} bytes but ${this.expected.size} were promised; it is truncated`, 'bad-blob'));
    } else if (digest !== this.expected.digest) {
      done(new LaminaError(`${this.what} has digest ${digest} but ${this.expected.digest} was promised; it is damaged`, 'bad-blob'));
    } else {
      done();
    }
  }
}

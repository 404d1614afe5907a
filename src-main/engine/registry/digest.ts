import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { LaminaError } from '../../../src-shared/errors.js';

export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Only sha256 is hashed here; a registry speaking another algorithm is refused early. */
export function checkSupportedDigest(digest: string): void {
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) {
    throw new LaminaError(`unsupported digest "${digest}": Lamina verifies sha256 digests only`, 'bad-digest');
  }
}

/**
 * Passes bytes through and fails the stream at its end unless they hash to
 * `digest` and count exactly `size` (when known): a reader never gets to trust
 * content that is truncated or altered.
 */
export class DigestVerifier extends Transform {
  private readonly hash = createHash('sha256');
  private seen = 0;

  constructor(
    private readonly digest: string,
    private readonly size: number | undefined,
    private readonly what: string,
  ) {
    super();
    checkSupportedDigest(digest);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.size !== undefined && this.seen > this.size) {
      done(new LaminaError(`${this.what} is longer than its ${this.size} bytes; the registry sent wrong content`, 'digest-mismatch'));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const actual = `sha256:${this.hash.digest('hex')}`;
    if (this.size !== undefined && this.seen !== this.size) {
      done(new LaminaError(`${this.what} ended after ${this.seen} of ${this.size} bytes; try again`, 'digest-mismatch'));
    } else if (actual !== this.digest) {
      done(new LaminaError(`${this.what} does not match its digest (got ${actual}); the content is corrupt`, 'digest-mismatch'));
    } else {
      done();
    }
  }
}

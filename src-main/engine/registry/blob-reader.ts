/**
 * Reads a blob to push as ranges of its bytes, streamed from the source (never a
 * whole blob or chunk in memory), and checks that the source is what it claims.
 * Ranges go forward; asking for one that starts before what was read reopens the
 * source and skips to it (an upload resuming after a failure). Each byte is hashed
 * the first time it is read, so the digest covers the blob exactly once however
 * often parts of it were sent; a source that checks itself (`selfChecked`) is not
 * hashed here at all, only read to its end, where its own check speaks.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { LaminaError } from '../../../src-shared/errors.js';
import type { PushBlob } from './payloads.js';

export class BlobReader {
  private stream: Readable | undefined;
  private pieces: AsyncIterator<unknown> | undefined;
  /** Read from the source but not yet handed out, and the blob offset it starts at. */
  private held: Buffer | undefined;
  private cursor = 0;
  private hashed = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly blob: PushBlob) {}

  /** Bytes [start, end) of the blob, as they come from the source. */
  async *range(start: number, end: number): AsyncGenerator<Buffer> {
    if (!this.pieces || start < this.cursor) await this.reopen();
    while (this.cursor < end) {
      const piece = this.held ?? (await this.nextPiece());
      const at = this.cursor;
      const to = Math.min(piece.length, end - at);
      this.observe(piece.subarray(0, to), at);
      this.held = to < piece.length ? piece.subarray(to) : undefined;
      this.cursor = at + to;
      if (at + to > start) yield piece.subarray(Math.max(0, start - at), to);
    }
  }

  /** Whether every byte of the blob has been read once. */
  get complete(): boolean {
    return this.hashed === this.blob.size;
  }

  /** Throws unless the source held exactly the blob's bytes; call once every byte was read. */
  async verify(): Promise<void> {
    let size = this.hashed;
    if (size === this.blob.size) {
      // A longer source is as wrong as a shorter one; reading to its end also lets a self-checking source report.
      if (this.held) size += this.held.length;
      else if (this.pieces && !(await this.pieces.next()).done) size += 1;
    }
    if (this.blob.selfChecked) {
      // It ended without failing its own check: only the length is left to see.
      if (size !== this.blob.size) throw this.corrupt(size, 'the wrong length');
      return;
    }
    const actual = `sha256:${this.hash.copy().digest('hex')}`;
    if (size !== this.blob.size || actual !== this.blob.digest) throw this.corrupt(size, actual);
  }

  close(): void {
    this.stream?.destroy();
    this.stream = undefined;
    this.pieces = undefined;
  }

  private async reopen(): Promise<void> {
    this.close();
    this.stream = await this.blob.open();
    this.pieces = this.stream[Symbol.asyncIterator]();
    this.held = undefined;
    this.cursor = 0;
  }

  private async nextPiece(): Promise<Buffer> {
    const { value, done } = await this.pieces!.next();
    if (done) throw this.corrupt(this.cursor, 'ended early');
    return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
  }

  private observe(bytes: Buffer, at: number): void {
    const end = at + bytes.length;
    if (end <= this.hashed) return;
    if (!this.blob.selfChecked) this.hash.update(bytes.subarray(this.hashed - at));
    this.hashed = end;
  }

  private corrupt(size: number, actual: string): LaminaError {
    return new LaminaError(
      `the source of blob ${this.blob.digest.slice(0, 19)} has changed or is corrupt (read ${size} bytes, ${actual.slice(0, 19)}); rebuild or re-export the image`,
      'source-corrupt',
    );
  }
}

/**
 * The tar stream of a sequence of entries, produced as it is pulled, in slices of
 * a fixed size (the last one shorter): the slices that compression takes one by
 * one, so the tar is written straight into them. File data is read into the
 * slice itself, and slice memory comes from the slice pool, so no byte is copied
 * between reading and compressing and no buffer is allocated per file.
 *
 * Small files are read with synchronous calls. A store layer is mostly small
 * files, and through the promise API each costs several thread-pool round trips:
 * about six times the CPU of the same system calls made directly (measured on the
 * large test package set: 0.9-1.3 s against 0.2 s for 12,500 files). So, like a Go
 * or C tar writer, the calls are made directly (open, read, close: the size is
 * known from the walk), and the event loop gets a turn at least every few
 * milliseconds so compression callbacks and the rest of the process keep running.
 * Large files are read asynchronously, up to a slice at a time. Memory stays at
 * the slices in flight, whatever the layer's size.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LaminaError } from '../../../src-shared/errors.js';
import { errnoOf } from './errno.js';
import { takeSlice } from './slice-pool.js';
import { dataPadding, END_OF_ARCHIVE, entryHeader, type LayerEntry } from './tar-header.js';

/** Files up to this size are read whole, synchronously. */
const SMALL_FILE_BYTES = 1 << 20;
/** The longest the walk and the small reads run before the event loop gets a turn. */
const TURN_MS = 2;

/** Fills slices of `size` bytes in order; a full one waits in `full` until the generator yields it. */
class SliceFiller {
  private slice: Buffer;
  private filled = 0;
  readonly full: Buffer[] = [];

  constructor(private readonly size: number) {
    this.slice = takeSlice(size);
  }

  copy(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      const n = Math.min(this.size - this.filled, bytes.length - offset);
      this.slice.set(bytes.subarray(offset, offset + n), this.filled);
      this.advance(n);
      offset += n;
    }
  }

  /** Reads `length` bytes of the open file at `position`, synchronously, into the slices. */
  readSync(fd: number, length: number, position: number, source: string): void {
    let done = 0;
    while (done < length) {
      const bytesRead = guard(source, () => readSync(fd, this.slice, this.filled, Math.min(this.size - this.filled, length - done), position + done));
      if (bytesRead === 0) throw changed(source);
      this.advance(bytesRead);
      done += bytesRead;
    }
  }

  /** Where the next read may go: the free end of the current slice. */
  space(): { buffer: Buffer; offset: number; length: number } {
    return { buffer: this.slice, offset: this.filled, length: this.size - this.filled };
  }

  advance(n: number): void {
    this.filled += n;
    if (this.filled === this.size) {
      this.full.push(this.slice);
      this.slice = takeSlice(this.size);
      this.filled = 0;
    }
  }

  /** The last, partial slice (a view of pool memory), if it holds anything. */
  rest(): Buffer | undefined {
    return this.filled > 0 ? this.slice.subarray(0, this.filled) : undefined;
  }
}

export async function* tarSlices(entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>, sliceBytes: number): AsyncGenerator<Buffer> {
  const out = new SliceFiller(sliceBytes);
  let turnStart = performance.now();
  for await (const entry of entries) {
    out.copy(entryHeader(entry));
    if (entry.kind === 'file' && entry.size > 0) {
      if (entry.size <= SMALL_FILE_BYTES) readSmallFile(out, entry.source, entry.size);
      else yield* readLargeFile(out, entry.source, entry.size);
      const padding = dataPadding(entry.size);
      if (padding) out.copy(padding);
    }
    while (out.full.length > 0) yield out.full.shift()!;
    if (performance.now() - turnStart > TURN_MS) {
      await nextTurn();
      turnStart = performance.now();
    }
  }
  out.copy(END_OF_ARCHIVE);
  while (out.full.length > 0) yield out.full.shift()!;
  const rest = out.rest();
  if (rest) yield rest;
}

function readSmallFile(out: SliceFiller, source: string, size: number): void {
  const fd = guard(source, () => openSync(source, 'r'));
  try {
    out.readSync(fd, size, 0, source);
  } finally {
    closeSync(fd);
  }
}

/** Exactly `size` bytes of the file: its header already promised that many. */
async function* readLargeFile(out: SliceFiller, source: string, size: number): AsyncGenerator<Buffer> {
  const file = await open(source, 'r').catch((err: unknown) => {
    throw unreadable(source, err);
  });
  try {
    let done = 0;
    while (done < size) {
      const { buffer, offset, length } = out.space();
      const { bytesRead } = await file.read(buffer, offset, Math.min(length, size - done), done).catch((err: unknown) => {
        throw unreadable(source, err);
      });
      if (bytesRead === 0) throw changed(source);
      out.advance(bytesRead);
      done += bytesRead;
      while (out.full.length > 0) yield out.full.shift()!;
    }
  } finally {
    await file.close();
  }
}

function guard<T>(source: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    throw unreadable(source, err);
  }
}

function changed(source: string): LaminaError {
  return new LaminaError(`${source} changed size while it was being read; the store must not change during a build`, 'layer-read');
}

function unreadable(source: string, err: unknown): LaminaError {
  return new LaminaError(`cannot read ${source} (${errnoOf(err)}); check that the store path is intact (nix-store --verify-path)`, 'layer-read', {
    cause: err,
  });
}

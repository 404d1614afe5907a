/**
 * The tar stream of a sequence of entries, produced as it is pulled.
 *
 * Small files are read with synchronous calls. A store layer is mostly small
 * files, and through the promise API each costs several thread-pool round trips:
 * about six times the CPU of the same system calls made directly (measured on the
 * large test package set: 0.9-1.3 s against 0.2 s for 12,500 files). So, like a Go
 * or C tar writer, the calls are made directly, and the event loop gets a turn at
 * least every few milliseconds so compression callbacks and the rest of the
 * process keep running. Large files are streamed asynchronously a MiB at a time.
 * Memory stays at one file or one read buffer, whatever the layer's size.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LaminaError } from '../../../src-shared/errors.js';
import { errnoOf } from './errno.js';
import { dataPadding, END_OF_ARCHIVE, entryHeader, type LayerEntry } from './tar-header.js';

const READ_BYTES = 1 << 20;
/** Files up to this size are read whole, synchronously. */
const SMALL_FILE_BYTES = 1 << 20;
/** The longest the walk and the small reads run before the event loop gets a turn. */
const TURN_MS = 2;

export async function* tarBytes(entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>): AsyncGenerator<Buffer> {
  let turnStart = performance.now();
  for await (const entry of entries) {
    yield entryHeader(entry);
    if (entry.kind === 'file' && entry.size > 0) {
      if (entry.size <= SMALL_FILE_BYTES) yield wholeFile(entry.source, entry.size);
      else yield* fileBytes(entry.source, entry.size);
      const padding = dataPadding(entry.size);
      if (padding) yield padding;
    }
    if (performance.now() - turnStart > TURN_MS) {
      await nextTurn();
      turnStart = performance.now();
    }
  }
  yield END_OF_ARCHIVE;
}

function wholeFile(source: string, size: number): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(source);
  } catch (err) {
    throw unreadable(source, err);
  }
  if (data.length !== size) throw changed(source);
  return data;
}

/** Exactly `size` bytes of the file: its header already promised that many. */
async function* fileBytes(source: string, size: number): AsyncGenerator<Buffer> {
  const file = await open(source, 'r').catch((err: unknown) => {
    throw unreadable(source, err);
  });
  try {
    let remaining = size;
    while (remaining > 0) {
      const buffer = Buffer.allocUnsafe(Math.min(remaining, READ_BYTES));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, size - remaining).catch((err: unknown) => {
        throw unreadable(source, err);
      });
      if (bytesRead === 0) throw changed(source);
      remaining -= bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
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

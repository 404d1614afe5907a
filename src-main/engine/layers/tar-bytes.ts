/**
 * The tar stream of a sequence of entries, produced as it is pulled: a file is
 * read only when the consumer wants its bytes, so memory stays at one read buffer
 * plus what the consumer holds, whatever the layer's size.
 */
import { open } from 'node:fs/promises';
import { LaminaError } from '../errors.js';
import { errnoOf } from './errno.js';
import { dataPadding, END_OF_ARCHIVE, entryHeader, type LayerEntry } from './tar-header.js';

const READ_BYTES = 1 << 20;

export async function* tarBytes(entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    yield entryHeader(entry);
    if (entry.kind !== 'file' || entry.size === 0) continue;
    yield* fileBytes(entry.source, entry.size);
    const padding = dataPadding(entry.size);
    if (padding) yield padding;
  }
  yield END_OF_ARCHIVE;
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
      if (bytesRead === 0) {
        throw new LaminaError(`${source} shrank while it was being read; the store must not change during a build`, 'layer-read');
      }
      remaining -= bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

function unreadable(source: string, err: unknown): LaminaError {
  return new LaminaError(`cannot read ${source} (${errnoOf(err)}); check that the store path is intact (nix-store --verify-path)`, 'layer-read', {
    cause: err,
  });
}

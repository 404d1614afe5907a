/**
 * Reads one layer blob once, as a stream, into its file index: every entry's
 * normalised path, kind, size and links, the store paths its files mention, and
 * notes about hostile entries. The blob's digest is checked by the source as it
 * flows, the tar's diffID (and size, when the source vouches for one) here;
 * only a layer that passed both yields an index. Nothing is written to disk:
 * a layer is indexed, never extracted. Memory is bounded by the limits.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { LaminaError } from '../../../src-shared/errors.js';
import { decompressor, DigestCheck } from '../image/layer-streams.js';
import { layerCompressionOf, type LayerCompression } from '../image/media-types.js';
import type { ImageLayer } from '../image/model.js';
import type { FileFlag, FileKind, LayerFile } from '../../../src-shared/layer-file.js';
import { uncompressedBudget, type IndexLimits } from './limits.js';
import { StoreMentionScanner, storeBaseOf } from './store-refs.js';
import { parentOf, resolveEntryName, resolveHardlink, symlinkEscapes, whiteoutOf } from './tar-path.js';

/** A store path mentioned by the files of `owner` (a store path base, or '' for files outside /nix/store). */
export interface StoreMention {
  readonly owner: string;
  readonly hash: string;
}

export interface LayerIndex {
  readonly digest: string;
  readonly diffId: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Sorted by path; one entry per path (a later tar entry replaces an earlier one, as on extraction). */
  readonly files: readonly LayerFile[];
  readonly mentions: readonly StoreMention[];
  readonly warnings: readonly string[];
}

type TarEntry = tar.ExtractEvents['entry'][1];

const KINDS: Readonly<Record<string, FileKind>> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'device',
  'block-device': 'device',
  fifo: 'fifo',
};

/** Fails the stream once more bytes than `budget` went through: a decompression bomb stops early. */
class ByteBudget extends Transform {
  private seen = 0;
  constructor(
    private readonly budget: number,
    private readonly what: string,
    private readonly declared: boolean,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.budget) {
      const why = this.declared
        ? `unpacks to more than the ${this.budget} bytes its source declared`
        : `unpacks to more than ${this.budget} bytes, far more than its compressed size allows (a decompression bomb?); if you trust the image, raise the expansion limit`;
      done(new LaminaError(`${this.what} ${why}`, 'layer-too-big'));
      return;
    }
    done(null, chunk);
  }
}

/**
 * Some writers end a layer right after its last file's bytes, without the
 * padding and the two zero blocks that close a tar (umoci 0.4 does). Runtimes
 * accept such layers; so does Lamina, by adding the missing end here, after the
 * diffID check. Whether a real file was cut short is checked after reading
 * (`realBytes` against where the last entry's data ends), so zeros made up here
 * never pass for content.
 */
class TarEnd extends Transform {
  realBytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.realBytes += chunk.length;
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    done(null, Buffer.alloc(((512 - (this.realBytes % 512)) % 512) + 1024));
  }
}

export async function indexLayer(layer: ImageLayer, what: string, limits: IndexLimits, signal?: AbortSignal): Promise<LayerIndex> {
  const { descriptor } = layer;
  const compression = layerCompressionOf(descriptor.mediaType);
  if (compression === undefined) {
    throw new LaminaError(`${what} has media type ${descriptor.mediaType}, which is not a layer Lamina can read (tar, tar+gzip or tar+zstd)`, 'unsupported-layer');
  }
  const declared = layer.uncompressedSize;
  const budget = new ByteBudget(uncompressedBudget(limits, descriptor.size, declared), what, declared !== undefined);
  const diffCheck = new DigestCheck({ digest: layer.diffId, ...(declared !== undefined ? { size: declared } : {}) }, `${what}: its uncompressed tar (the config's diff_id)`);
  const end = new TarEnd();
  const extract = tar.extract();
  const collector = new EntryCollector(what, limits);
  const source = layer.open();
  const piped = pipeline(source, unpacker(compression), budget, diffCheck, end, extract, { signal }).then(
    () => undefined,
    (err: unknown) => err,
  );
  let failure: unknown;
  try {
    for await (const entry of extract) await collector.take(entry);
  } catch (err) {
    failure = err;
    extract.destroy();
    source.destroy();
  }
  const pipeFailure = await piped;
  // The error that says what was wrong, not the premature close it caused on the other side.
  const err = [failure, pipeFailure].find((e) => e instanceof LaminaError) ?? failure ?? pipeFailure;
  if (err !== undefined) throw readFailure(err, what, compression);
  if (collector.dataEnd > end.realBytes) {
    throw new LaminaError(`${what} ends in the middle of its last file; the layer is truncated`, 'bad-layer');
  }
  return {
    digest: descriptor.digest,
    diffId: layer.diffId,
    compressedSize: descriptor.size,
    uncompressedSize: diffCheck.size,
    files: collector.files(),
    mentions: collector.mentions(),
    warnings: collector.warnings(),
  };
}

/** gzip in 128 KiB pieces rather than zlib's 16 KiB: a quarter of the chunks through every stage after it. */
function unpacker(compression: LayerCompression): Transform {
  return compression === 'gzip' ? createGunzip({ chunkSize: 128 * 1024 }) : decompressor(compression);
}

function readFailure(err: unknown, what: string, compression: string): unknown {
  if (err instanceof LaminaError || (err as Error).name === 'AbortError') return err;
  const message = (err as Error).message ?? String(err);
  const format = compression === 'none' ? 'tar' : `${compression}-compressed tar`;
  return new LaminaError(`${what} is not a readable ${format} (${message}); the layer is damaged or is not a layer`, 'bad-layer', { cause: err });
}

class EntryCollector {
  private readonly byPath = new Map<string, LayerFile>();
  private readonly symlinks = new Set<string>();
  private readonly found = new Map<string, StoreMention>();
  private readonly flagCounts = new Map<FileFlag | 'device' | 'mentions-dropped', number>();
  private entries = 0;
  private nameBytes = 0;
  /** Where the data of the entries read so far ends in the tar. */
  dataEnd = 0;

  constructor(
    private readonly what: string,
    private readonly limits: IndexLimits,
  ) {}

  async take(entry: TarEntry): Promise<void> {
    const header = entry.header;
    if (++this.entries > this.limits.maxEntries) {
      throw new LaminaError(`${this.what} has more than ${this.limits.maxEntries} entries; refusing to index it`, 'layer-too-many-entries');
    }
    this.checkName(header.name, 'name');
    if (header.linkname) this.checkName(header.linkname, 'link target');
    // tar-stream reads no data for a directory, whatever size its header claims.
    this.dataEnd = Math.max(this.dataEnd, entry.offset + 512 + (header.type === 'directory' ? 0 : (header.size ?? 0)));
    const { path, flags } = resolveEntryName(header.name);
    const kind = KINDS[header.type] ?? 'other';
    const owner = storeBaseOf(path) ?? '';
    if (kind === 'file' && (header.size ?? 0) > 0) {
      const scanner = new StoreMentionScanner((hash) => this.mention(owner, hash));
      for await (const chunk of entry as AsyncIterable<Buffer>) scanner.write(chunk);
    } else {
      entry.resume();
    }
    if (path === '') return; // the root directory itself: nothing to list
    let link: string | undefined;
    if (kind === 'symlink') {
      const target = header.linkname ?? '';
      link = target;
      if (symlinkEscapes(path, target)) flags.push('link-escapes-root');
      new StoreMentionScanner((hash) => this.mention(owner, hash)).write(Buffer.from(target));
      this.symlinks.add(path);
    } else if (kind === 'hardlink') {
      const target = resolveHardlink(header.linkname ?? '');
      if (target.escaped) flags.push('link-escapes-root');
      link = target.path;
    }
    if (this.underSymlink(path)) flags.push('through-symlink');
    for (const flag of flags) this.count(flag);
    if (kind === 'device') this.count('device');
    this.byPath.set(path, {
      path,
      kind: indexedKind(kind, path),
      size: kind === 'file' ? (header.size ?? 0) : 0,
      mode: (header.mode ?? 0) & 0o7777,
      ...(link !== undefined ? { link } : {}),
      ...(flags.length ? { flags } : {}),
    });
  }

  private checkName(name: string, what: string): void {
    const bytes = Buffer.byteLength(name);
    if (bytes > this.limits.maxNameBytes) {
      throw new LaminaError(`${this.what} has an entry whose ${what} is longer than ${this.limits.maxNameBytes} bytes; refusing a hostile layer`, 'layer-name-too-long');
    }
    this.nameBytes += bytes;
    if (this.nameBytes > this.limits.maxTotalNameBytes) {
      throw new LaminaError(`${this.what} has entry names adding up to more than ${this.limits.maxTotalNameBytes} bytes; refusing to index it`, 'layer-too-many-entries');
    }
  }

  private underSymlink(path: string): boolean {
    for (let dir = parentOf(path); dir !== ''; dir = parentOf(dir)) if (this.symlinks.has(dir)) return true;
    return false;
  }

  private mention(owner: string, hash: string): void {
    const key = `${owner}\0${hash}`;
    if (this.found.has(key)) return;
    if (this.found.size >= this.limits.maxReferences) {
      this.count('mentions-dropped');
      return;
    }
    this.found.set(key, { owner, hash });
  }

  private count(what: FileFlag | 'device' | 'mentions-dropped'): void {
    this.flagCounts.set(what, (this.flagCounts.get(what) ?? 0) + 1);
  }

  files(): LayerFile[] {
    return [...this.byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  mentions(): StoreMention[] {
    return [...this.found.values()];
  }

  warnings(): string[] {
    return [...this.flagCounts].map(([what, n]) =>
      what === 'mentions-dropped'
        ? `${n} store path mentions were not recorded (over ${this.limits.maxReferences})`
        : `${WARNINGS[what]}: ${n} ${n === 1 ? 'entry' : 'entries'}`,
    );
  }
}

const WARNINGS: Readonly<Record<FileFlag | 'device', string>> = {
  'absolute-name': 'absolute names, listed relative to the image root',
  'escapes-root': 'names that climb above the root with .., listed where a runtime puts them (inside the root)',
  'link-escapes-root': 'links whose targets climb above the root',
  'through-symlink': 'entries below a symlink of the same layer (a careless extractor would write through it)',
  device: 'device files',
};

/** Whiteout names are files in the tar; in the index they are what they mean. */
function indexedKind(kind: FileKind, path: string): FileKind {
  return whiteoutOf(path)?.kind ?? kind;
}

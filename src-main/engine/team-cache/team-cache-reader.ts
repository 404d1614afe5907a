/**
 * `--cache-from`: the indexes of one or more team caches, read while Nix builds,
 * and a lookup the pipeline asks before it writes a layer. A hit is fetched into
 * the layer's ingest file (streamed, resumed by the registry client after a
 * broken connection), its digest checked by the client and its diffID checked
 * on the fly by decompressing a copy of the stream, so the store only ever
 * commits a layer whose bytes and uncompressed content are what the image's
 * config will say, and its tar is read to check that it holds the store paths
 * its key names (layer-contents.ts). Any failure (the blob vanished, a wrong digest or diffID, a
 * network that keeps failing) is one warning line and the layer is built.
 */
import { createWriteStream } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorLine, LaminaError } from '../../../src-shared/errors.js';
import { DigestCheck, decompressor } from '../image/layer-streams.js';
import type { LayerCompression } from '../image/media-types.js';
import type { RegistryClient } from '../registry/client.js';
import type { BlobLocations } from '../registry/push-records.js';
import { layerKey } from '../layering/planned-layer.js';
import type { ReusableLayer } from '../layering/store-snapshot.js';
import { LAYER_FORMAT_VERSION } from '../tarball/format.js';
import type { LayerBlob } from '../tarball/types.js';
import { formatCacheReference, type CacheReference, type RegistryAccess } from './cache-reference.js';
import type { TeamCacheEntry } from './index-document.js';
import { checkLayerContents } from './layer-contents.js';
import { readIndex } from './registry-index.js';

/** What the build pipeline asks of a team cache. */
export interface TeamLayerSource {
  /**
   * Writes the layer with this cache key into `file` and describes it, or
   * answers undefined (the file then empty) when the team cache cannot give it.
   */
  fetchLayer(key: string, compression: LayerCompression, file: string, signal: AbortSignal): Promise<LayerBlob | undefined>;
  /** The store-path layers the caches hold with this compression and the current tar format, for the `reuse` strategy to plan on. */
  reusableLayers(compression: LayerCompression): Promise<ReusableLayer[]>;
}

interface Holder {
  readonly ref: CacheReference;
  readonly client: RegistryClient;
  readonly entry: TeamCacheEntry;
}

export interface TeamCacheReaderOptions {
  readonly signal?: AbortSignal;
  /** Blobs fetched are recorded as held by the cache's repository, so a push to that registry mounts them. */
  readonly locations?: BlobLocations;
  readonly onWarning: (text: string) => void;
}

export class TeamCacheReader implements TeamLayerSource {
  private readonly loaded: Promise<Map<string, Holder[]>>;
  private readonly clients: Promise<RegistryClient | undefined>[];

  /** Starts reading every index at once; lookups wait for them. */
  constructor(
    refs: readonly CacheReference[],
    access: RegistryAccess,
    private readonly options: TeamCacheReaderOptions,
  ) {
    this.clients = refs.map((ref) =>
      access.client(ref.registry, options.signal).catch((err: unknown) => {
        options.onWarning(`the team cache ${formatCacheReference(ref)} cannot be reached (${errorLine(err)}); building without it`);
        return undefined;
      }),
    );
    this.loaded = this.load(refs);
    this.loaded.catch(() => undefined);
  }

  async fetchLayer(key: string, compression: LayerCompression, file: string, signal: AbortSignal): Promise<LayerBlob | undefined> {
    const holders = (await this.loaded).get(key) ?? [];
    for (const holder of holders) {
      if (holder.entry.compression !== compression) continue;
      try {
        const layer = await fetchInto(holder, file, signal);
        this.options.locations?.confirmBlob(holder.client.registry, holder.ref.repository, layer.digest, layer.size);
        return layer;
      } catch (err) {
        if (signal.aborted) throw err;
        await truncate(file, 0).catch(() => undefined);
        const short = holder.entry.digest.slice(7, 19);
        const why = err instanceof LaminaError && err.code === 'not-found' ? 'the registry no longer has it' : `it could not be used (${errorLine(err)})`;
        this.options.onWarning(`the team cache ${formatCacheReference(holder.ref)} names layer ${short}, but ${why}; building it instead`);
      }
    }
    return undefined;
  }

  async reusableLayers(compression: LayerCompression): Promise<ReusableLayer[]> {
    const layers: ReusableLayer[] = [];
    for (const [first] of (await this.loaded).values()) {
      const { entry, ref } = first!;
      if (entry.kind !== 'store-paths' || entry.compression !== compression || entry.formatVersion !== LAYER_FORMAT_VERSION) continue;
      const paths = [...entry.paths].sort();
      layers.push({ key: layerKey(paths), paths, images: [], digest: entry.digest, size: entry.size, from: formatCacheReference(ref) });
    }
    return layers;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map(async (c) => (await c)?.close()));
  }

  private async load(refs: readonly CacheReference[]): Promise<Map<string, Holder[]>> {
    const read = await Promise.all(
      refs.map(async (ref, i) => {
        const client = await this.clients[i]!;
        if (!client) return [];
        const where = formatCacheReference(ref);
        try {
          const index = await readIndex(client, ref);
          if (index.ignored > 0) this.options.onWarning(`the team cache ${where} has ${index.ignored} malformed entries; they are ignored`);
          return [...index.entries.values()].map((entry) => ({ ref, client, entry }));
        } catch (err) {
          if (this.options.signal?.aborted) throw err;
          this.options.onWarning(`${err instanceof LaminaError && (err.code === 'bad-team-cache' || err.code === 'not-team-cache') ? err.message : `the team cache ${where} cannot be read (${errorLine(err)})`}; building without it`);
          return [];
        }
      }),
    );
    const byKey = new Map<string, Holder[]>();
    // In the order the caches were given: the first that holds a key is asked first.
    for (const holder of read.flat()) byKey.set(holder.entry.key, [...(byKey.get(holder.entry.key) ?? []), holder]);
    return byKey;
  }
}

/** Streams the blob into `file` while a decompressed copy is hashed against the diffID. */
async function fetchInto({ ref, client, entry }: Holder, file: string, signal: AbortSignal): Promise<LayerBlob> {
  const body: Readable = await client.getBlob(ref.repository, entry.digest, entry.size);
  const unpack = decompressor(entry.compression);
  const diff = new DigestCheck({ digest: entry.diffId, size: entry.uncompressedSize }, `the uncompressed content of layer ${entry.digest.slice(7, 19)}`);
  const checked = Promise.all([pipeline(unpack, diff, { signal }), checkLayerContents(diff, entry)]);
  const tee = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (unpack.write(chunk)) done(null, chunk);
      else unpack.once('drain', () => done(null, chunk));
    },
    flush(done) {
      unpack.end();
      checked.then(() => done(), done);
    },
  });
  // A bad diffID or a broken compressed stream stops the download too; its own error says more than the tee's.
  let diffError: unknown;
  checked.catch((err: unknown) => {
    diffError = err;
    tee.destroy(err as Error);
  });
  try {
    await pipeline(body, tee, createWriteStream(file), { signal });
  } catch (err) {
    unpack.destroy();
    throw diffError ?? err;
  }
  await checked;
  return { digest: entry.digest, diffId: entry.diffId, size: entry.size, uncompressedSize: entry.uncompressedSize, mediaType: entry.mediaType };
}

/**
 * `inspectImage`: everything Lamina shows about an image, as plain data. Each
 * layer's file index comes from SQLite when the layer was indexed before (by
 * digest: no blob is read then), else from reading the layer once, verified,
 * and is then kept. The rest (efficiency, store paths, history per layer) is
 * computed from the indexes.
 */
import { availableParallelism } from 'node:os';
import { Transform } from 'node:stream';
import pLimit from 'p-limit';
import type { Db } from '../db/database.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { measureEfficiency } from './efficiency.js';
import { LayerIndexStore } from './index-store.js';
import { indexLayer, type LayerIndex } from './layer-index.js';
import { DEFAULT_LIMITS, type IndexLimits } from './limits.js';
import { queryLocalNixStore } from './local-nix-store.js';
import type { ImageLayer, OpenedImage } from '../image/model.js';
import { platformOf } from '../image/platform.js';
import { openLocation, type LocationOptions } from '../locations.js';
import { analyseStorePaths, storePathsIn } from './store-paths.js';
import type { ImageReport, LayerReport } from '../../../src-shared/image-report.js';

export type InspectEvent =
  | { readonly type: 'opened'; readonly layers: number; /** Each layer's compressed size, for a byte-level progress bar. */ readonly sizes: readonly number[] }
  /** Compressed bytes of a layer read so far (only for layers not already indexed). */
  | { readonly type: 'layer-read'; readonly index: number; readonly bytes: number }
  | { readonly type: 'layer'; readonly index: number; readonly digest: string; readonly cached: boolean };

export interface InspectOptions extends LocationOptions {
  /** Lamina's database (the store's), where layer indexes are kept. */
  readonly db: Db;
  readonly limits?: IndexLimits;
  /** Ask the local Nix store about the store paths found (default true). */
  readonly useLocalNixStore?: boolean;
  readonly onEvent?: (event: InspectEvent) => void;
}

export async function inspectImage(ref: string, options: InspectOptions): Promise<ImageReport> {
  try {
    return await inspect(ref, options);
  } catch (err) {
    if (options.signal?.aborted) throw new LaminaError('inspection cancelled; no partial layer index was kept', 'cancelled', { cause: err });
    throw err;
  }
}

async function inspect(ref: string, options: InspectOptions): Promise<ImageReport> {
  const opened = await openLocation(ref, options);
  const { image: source } = opened;
  try {
    options.onEvent?.({ type: 'opened', layers: source.layers.length, sizes: source.layers.map((l) => l.descriptor.size) });
    const obtained = await obtainIndexes(opened, options);
    const useNix = options.useLocalNixStore ?? true;
    const layerIndexes = obtained.map((o) => o.index);
    const local = useNix ? await queryLocalNixStore(storePathsIn(layerIndexes), options.signal) : new Map();
    const storePaths = analyseStorePaths(layerIndexes, source.config, local);
    const history = source.config.history ?? [];
    const layerHistory = history.filter((h) => !h.empty_layer);
    const layers = obtained.map(({ index, cached }, i): LayerReport => {
      const made = layerHistory.length === source.layers.length ? layerHistory[i] : undefined;
      return {
        index: i,
        digest: index.digest,
        diffId: index.diffId,
        mediaType: source.layers[i]!.descriptor.mediaType,
        compressedSize: index.compressedSize,
        uncompressedSize: index.uncompressedSize,
        ...(made ? { history: made } : {}),
        files: index.files,
        fileBytes: index.files.reduce((sum, f) => sum + f.size, 0),
        storePaths: storePaths.paths.filter((p) => p.layers.includes(i)).map((p) => p.path),
        warnings: index.warnings,
        cached,
      };
    });
    return {
      reference: ref,
      manifestDigest: source.manifestDigest,
      manifest: source.manifest,
      configDigest: source.manifest.config.digest,
      config: source.config,
      platform: platformOf(source.config),
      ...(opened.indexPlatforms ? { indexPlatforms: opened.indexPlatforms } : {}),
      history,
      layers,
      compressedSize: layers.reduce((sum, l) => sum + l.compressedSize, 0),
      uncompressedSize: layers.reduce((sum, l) => sum + l.uncompressedSize, 0),
      efficiency: measureEfficiency(layers.map((l) => l.files)),
      storePaths: storePaths.paths,
      roots: storePaths.roots,
      rootsSource: storePaths.rootsSource,
    };
  } finally {
    await opened.close();
  }
}

interface ObtainedIndex {
  readonly index: LayerIndex;
  readonly cached: boolean;
}

/** Each layer's index from the database, or read (a few layers at once) and then kept; checked against what the image claims. */
async function obtainIndexes({ image: source, where }: OpenedImage, options: InspectOptions): Promise<ObtainedIndex[]> {
  const indexes = new LayerIndexStore(options.db);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const limit = pLimit(Math.max(2, availableParallelism()));
  // The first failure stops the other reads before the source is closed under them.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const obtain = async (layer: ImageLayer, i: number): Promise<ObtainedIndex> => {
    signal.throwIfAborted();
    const what = `layer ${i + 1} (${layer.descriptor.digest.slice(0, 19)}) of ${where}`;
    let index = indexes.get(layer.descriptor.digest);
    const cached = index !== undefined;
    if (!index) {
      const onEvent = options.onEvent;
      index = await indexLayer(onEvent ? countingReads(layer, (bytes) => onEvent({ type: 'layer-read', index: i, bytes })) : layer, what, limits, signal);
      indexes.put(index);
    }
    // A fresh index was verified against both while it was read; a kept one was verified for another image.
    if (index.compressedSize !== layer.descriptor.size) {
      throw new LaminaError(`${what} is ${index.compressedSize} bytes, but the manifest claims ${layer.descriptor.size}; the manifest lies about its layers`, 'bad-image');
    }
    if (index.diffId !== layer.diffId) {
      throw new LaminaError(`${what} has diff_id ${index.diffId}, but the config claims ${layer.diffId}; the image config lies about its layers`, 'bad-image');
    }
    options.onEvent?.({ type: 'layer', index: i, digest: layer.descriptor.digest, cached });
    return { index, cached };
  };
  const reads = source.layers.map((layer, i) =>
    limit(() => obtain(layer, i)).catch((err: unknown) => {
      stop.abort(err);
      throw err;
    }),
  );
  const settled = await Promise.allSettled(reads);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw firstCause(failed.reason, stop.signal);
  return settled.map((r) => (r as PromiseFulfilledResult<ObtainedIndex>).value);
}

/** The layer with its stream passed through a counter, reporting the compressed bytes read so far. */
function countingReads(layer: ImageLayer, report: (bytes: number) => void): ImageLayer {
  return {
    ...layer,
    open: () => {
      const stream = layer.open();
      let bytes = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          report(bytes);
          done(null, chunk);
        },
      });
      stream.once('error', (err) => counter.destroy(err));
      // A reader that stops early (an error, a cancel) must not leave the source open.
      counter.once('close', () => stream.destroy());
      return stream.pipe(counter);
    },
  };
}

/** The error that stopped the reads, not the abort it caused in the others. */
function firstCause(reason: unknown, stopped: AbortSignal): unknown {
  return stopped.aborted && stopped.reason !== undefined ? stopped.reason : reason;
}

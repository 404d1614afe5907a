/**
 * One build, start to finish: Nix builds the packages, the closure is planned
 * into layers, each layer comes from the cache or is written (several at once),
 * the customisation layer, config and manifest follow, and the image is committed
 * to the store under a name, then optionally exported. Events report each step;
 * an AbortSignal cancels at any point without leaving anything half-recorded.
 */
import { availableParallelism } from 'node:os';
import { storePathName } from '../closure/graph.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { makeImageConfig } from '../image/config.js';
import { serializeConfig, serializeManifest } from '../image/manifest.js';
import { checkImageName } from '../image/transport.js';
import { writeCustomisationPlan } from '../tarball/customisation.js';
import { checkEntrypoint } from '../tarball/entrypoint-check.js';
import { describeReason, type PlannedLayer } from '../layering/index.js';
import { LAYER_FORMAT_VERSION, planCustomisation, writeStorePathsLayer, type CustomisationPlan, type LinkConflict } from '../tarball/index.js';
import { Slots } from '../tarball/compression-slots.js';
import { GZIP_CHUNK_BYTES } from '../tarball/format.js';
import { layerCacheKey } from '../store/layer-cache.js';
import type { BlobFile, LayerBlob } from '../tarball/index.js';
import type { Lease } from '../store/blob-leases.js';
import { recordPathSizes } from '../store/path-sizes.js';
import { withGcRootDir } from '../nix/build.js';
import { reuseSnapshot } from '../store/reuse-snapshot.js';
import type { Store } from '../store/store.js';
import type { TeamLayerSource } from '../team-cache/team-cache-reader.js';
import type { BuildEventListener, LayerSource, LayerSummary } from '../../../src-shared/build-events.js';
import { buildLayerTitle } from './layer-titles.js';
import { planRecipe } from './plan-recipe.js';
import { checkRecipe, hostNixSystem, type Recipe } from './recipe.js';

export interface BuildOptions {
  /** Name of the image in the store (index.json's ref.name); by default the attributes joined by '-'. */
  readonly name?: string;
  /** Where to export the image too: `oci:DIR[:TAG]` or `docker-archive:FILE[:NAME:TAG]`. */
  readonly out?: string;
  readonly onEvent?: BuildEventListener;
  readonly signal?: AbortSignal;
  /** Big layers written at the same time (smaller ones go several to a turn); compression inside each is parallel already. */
  readonly layerConcurrency?: number;
  /** A team cache (`--cache-from`) asked for each layer the local cache lacks, before it is written. */
  readonly teamCache?: TeamLayerSource;
}

export interface BuiltLayer extends LayerBlob {
  readonly index: number;
  readonly kind: LayerSummary['kind'];
  readonly key: string;
  /** The layer's key in the plan (`lamina plan --json`); null for the customisation layer, which plans do not list. */
  readonly planKey: string | null;
  readonly cached: boolean;
  /** Where the layer came from: the local cache, the team cache, or written by this build. */
  readonly source: LayerSource;
  readonly paths: readonly string[];
}

export interface BuildResult {
  readonly name: string;
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly layers: readonly BuiltLayer[];
  /** Paths two top-level packages both provide, and which one the image got. */
  readonly conflicts: readonly LinkConflict[];
}

interface LayerJob extends LayerSummary {
  readonly planKey: string | null;
  readonly members: readonly string[];
  readonly write: (dest: BlobFile, options: { signal: AbortSignal; onProgress: (tarBytes: number) => void; onWritten: () => void }) => Promise<LayerBlob>;
}

export async function buildImage(store: Store, recipe: Recipe, options: BuildOptions = {}): Promise<BuildResult> {
  checkRecipe(recipe);
  checkImageName(imageName(recipe, options));
  // The packages stay Nix GC roots until their layers are written; the folder is in
  // ingest/ under this process's pid, so a crashed build's roots are cleared with
  // its other leftovers the next time the store opens.
  // `lamina build` may have named it already, to start Nix while it loaded (see startBuild).
  return withGcRootDir(store.layout.ingestPath('nix-roots'), async (gcRootDir) => {
    // Likewise the layers (and config and manifest) stay leased until the image holds
    // them, so a `cache gc` meanwhile, here or in another process, keeps them.
    const lease = store.leases.begin();
    try {
      return await runBuild(store, recipe, options, gcRootDir, lease);
    } catch (err) {
      if (options.signal?.aborted) throw new LaminaError('build cancelled; nothing partial was kept', 'cancelled', { cause: err });
      throw err;
    } finally {
      lease.end();
    }
  });
}

async function runBuild(store: Store, recipe: Recipe, options: BuildOptions, gcRootDir: string, lease: Lease): Promise<BuildResult> {
  const emit: BuildEventListener = options.onEvent ?? (() => undefined);
  const signal = options.signal;
  const local = reuseSnapshot(store.db, recipe.compression);
  // Layers a team cache holds count as the store's do: taken as they are, fetched instead of written.
  const snapshot = options.teamCache
    ? options.teamCache.reusableLayers(recipe.compression).then((team) => ({ layers: [...local.layers, ...team] }))
    : local;
  const { roots, graph, plan } = await planRecipe(recipe, { onEvent: emit, signal, gcRootDir, db: store.db, store: snapshot });
  // Planned here, not in the write, so a cached customisation layer reports its conflicts too.
  const customisation = await planCustomisation(roots);
  if (!recipe.allowMissingEntrypoint) await checkEntrypoint(recipe.config, customisation.entries, graph.nodes.keys());
  const jobs = layerJobs(plan.layers, roots, customisation, recipe);
  emit({
    type: 'plan',
    closurePaths: plan.closure.paths,
    closureNarSize: plan.closure.narSize,
    layers: jobs.map(({ index, key, kind, paths, narSize, why, members }) => ({ index, key, kind, paths, narSize, why, title: buildLayerTitle(kind, members, graph) })),
  });

  if (customisation.conflicts.length > 0) emit({ type: 'conflicts', conflicts: customisation.conflicts });

  emit({ type: 'phase', phase: 'layers' });
  const layers = await obtainLayers(store, jobs, recipe, emit, options, lease);
  // Sizes of the paths in layers new to this store (a cached layer's were recorded when it came).
  const arrived = layers.filter((l) => l.kind === 'store-paths' && l.source !== 'local').flatMap((l) => l.paths);
  recordPathSizes(store.db, arrived.map((path) => graph.nodes.get(path)!));

  emit({ type: 'phase', phase: 'image' });
  const config = serializeConfig(
    makeImageConfig({
      system: recipe.system ?? hostNixSystem(),
      layers: layers.map((layer) => ({ diffId: layer.diffId, description: describeLayer(layer) })),
      runtime: recipe.config,
    }),
  );
  const manifest = serializeManifest(
    config.descriptor,
    layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  );
  const name = imageName(recipe, options);
  signal?.throwIfAborted();
  await store.images.commit(name, { manifest, config, layers: layers.map((l) => l.digest) }, lease);

  if (options.out) {
    emit({ type: 'phase', phase: 'export' });
    // Loaded only to export: reading an image back checks it against schemas a build alone never needs.
    const [{ writeLocation }, { imageFromStore }] = await Promise.all([import('../locations.js'), import('../store/image-source.js')]);
    await writeLocation(await imageFromStore(store, name), options.out, signal);
  }
  emit({ type: 'phase', phase: 'done' });
  return { name, manifestDigest: manifest.descriptor.digest, configDigest: config.descriptor.digest, layers, conflicts: customisation.conflicts };
}

function imageName(recipe: Recipe, options: BuildOptions): string {
  return options.name ?? recipe.attrs.join('-');
}

function layerJobs(
  planned: readonly PlannedLayer[],
  roots: readonly string[],
  customisation: CustomisationPlan,
  recipe: Recipe,
): LayerJob[] {
  const { compression } = recipe;
  const jobs: LayerJob[] = planned.map((layer, index) => ({
    index,
    kind: 'store-paths',
    key: layerCacheKey({ kind: 'store-paths', paths: layer.paths, compression, formatVersion: LAYER_FORMAT_VERSION }),
    planKey: layer.key,
    paths: layer.paths.length,
    narSize: layer.narSize,
    why: describeReason(layer.reason),
    members: layer.paths,
    write: (file, options) => writeStorePathsLayer(layer.paths, compression, file, options),
  }));
  jobs.push({
    index: planned.length,
    kind: 'customisation',
    key: layerCacheKey({ kind: 'customisation', paths: roots, compression, formatVersion: LAYER_FORMAT_VERSION }),
    planKey: null,
    paths: roots.length,
    narSize: 0,
    why: 'the customisation layer: /bin, /lib… links to the top-level packages',
    members: roots,
    write: (file, options) => writeCustomisationPlan(customisation, compression, file, options),
  });
  return jobs;
}

/** What a layer being written holds at most, in slices: one being filled and those its compression has in flight. */
const SLICES_PER_LAYER = 4;

/**
 * Cache hit or write, for every layer, a few at a time; the first failure stops
 * the rest. A layer gives its turn to the next one as soon as its last byte is
 * written: flushing the file to disk and recording it take no CPU, and with many
 * small layers those waits would otherwise leave the compression workers idle.
 */
async function obtainLayers(
  store: Store,
  jobs: readonly LayerJob[],
  recipe: Recipe,
  emit: BuildEventListener,
  options: BuildOptions,
  lease: Lease,
): Promise<BuiltLayer[]> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  // A turn is counted in slices: a big layer holds up to SLICES_PER_LAYER of them
  // (one being filled, the rest compressing), a small one a slice or two, so
  // several small layers go at once for the memory of one big one.
  const turns = new Slots((options.layerConcurrency ?? Math.max(2, availableParallelism())) * SLICES_PER_LAYER);
  let firstError: unknown;
  // The layers the cache holds, counted and leased in one transaction (a rebuild is mostly these).
  const hits = store.layers.takeHits(
    jobs.map((job) => job.key),
    lease,
  );
  const run = async (job: LayerJob, endTurn: () => void): Promise<BuiltLayer> => {
    signal.throwIfAborted();
    emit({ type: 'layer-started', index: job.index, key: job.key });
    let fetched = false;
    const taken = hits.get(job.key);
    const { layer, cached } = taken ? { layer: taken, cached: true } : await store.layers.obtain(
      job.key,
      // The customisation layer holds links, not store paths: its roots are in its key, not in layer_paths.
      { paths: job.kind === 'store-paths' ? job.members : [], compression: recipe.compression },
      async (file, ingest) => {
        // Not in the local cache: a team cache hit is fetched into the same ingest file the write would fill.
        const hit = await options.teamCache?.fetchLayer(job.key, recipe.compression, file, signal);
        fetched = hit !== undefined;
        // Written through the ingest's hashing writer, so the commit need not read the blob back.
        return (
          hit ??
          job.write(await ingest.open(), {
            signal,
            onProgress: (tarBytes) => emit({ type: 'layer-progress', index: job.index, tarBytes, narSize: job.narSize }),
            onWritten: endTurn,
          })
        );
      },
      signal,
      lease,
    );
    const source: LayerSource = cached ? 'local' : fetched ? 'team' : 'built';
    emit({ type: 'layer-done', index: job.index, key: job.key, digest: layer.digest, size: layer.size, cached: source !== 'built', source });
    return { ...layer, index: job.index, kind: job.kind, key: job.key, planKey: job.planKey, cached: source !== 'built', source, paths: job.members };
  };
  const inTurn = async (job: LayerJob): Promise<BuiltLayer> => {
    const endTurn = await turns.acquire(Math.min(SLICES_PER_LAYER, Math.ceil(job.narSize / GZIP_CHUNK_BYTES)));
    try {
      return await run(job, endTurn);
    } finally {
      endTurn();
    }
  };
  const tasks = jobs.map((job) =>
    inTurn(job).catch((err: unknown) => {
      firstError ??= err;
      // Queued layers then start, see the abort and give up at once.
      stop.abort(err);
      throw err;
    }),
  );
  // Wait for every started write to finish or give up, so none outlives the build (and its ingest file).
  const settled = await Promise.allSettled(tasks);
  if (firstError !== undefined) throw firstError;
  return settled.map((r) => (r as PromiseFulfilledResult<BuiltLayer>).value);
}

function describeLayer(layer: BuiltLayer): string {
  const names = layer.paths.map(storePathName).join(', ');
  return layer.kind === 'customisation' ? `lamina: links to ${names}` : `lamina: store paths ${names}`;
}

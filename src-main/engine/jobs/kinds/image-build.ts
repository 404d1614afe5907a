import { conflictLine } from '../../builder/conflicts.js';
import type { BuildEvent, BuildEventListener, LayerSource } from '../../../../src-shared/build-events.js';
import { formatBytes } from '../../../../src-shared/format-bytes.js';
import { plural } from '../../../../src-shared/layer-name.js';
import { buildImage } from '../../builder/pipeline.js';
import { withSettingsBuilders } from '../../builder/plan-recipe.js';
import type { Recipe } from '../../builder/recipe.js';
import type { LinkConflict } from '../../tarball/types.js';
import { loadPopularity } from '../../layering/index.js';
import { formatNixLogLine } from '../../nix/log.js';
import { pathsInOtherLayers } from '../../store/paths-elsewhere.js';
import type { Store } from '../../store/store.js';
import { PushRecords } from '../../registry/push-records.js';
import { parseCacheReference, type RegistryAccess } from '../../team-cache/cache-reference.js';
import type { TeamCacheReader } from '../../team-cache/team-cache-reader.js';
import type { JobContext, JobKind } from '../kind.js';
import { nextDetail, type ImageBuildDetail } from '../../../../src-shared/build-detail.js';
import { WithheldSources } from './withheld-sources.js';

/** A recipe as the UI sends it (the contract checks the strategy's name; the pipeline's recipe check checks it again for stored inputs). */
export interface ImageBuildInput extends Omit<Recipe, 'popularity'> {
  /** The image's name in the store; the pipeline picks one from the attributes when absent. */
  readonly name?: string;
  /** Where to export the image too: `oci:DIR[:TAG]` or `docker-archive:FILE[:NAME:TAG]`. */
  readonly out?: string;
  /** A Nixery popularity.json (inputs are stored as JSON, so the file, not its map). */
  readonly popularityFile?: string;
  /** Team caches (`docker://HOST/REPO[:TAG]`) to take layers from, first match first. */
  readonly cacheFrom?: readonly string[];
  /** The team cache to add this build's layers to. */
  readonly cacheTo?: string;
  /** A registry whose team cache (set up in Settings) the build reads and writes: the app's builds for that registry. */
  readonly teamCacheRegistry?: string;
}

export interface ImageBuildResult {
  readonly name: string;
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly layers: readonly {
    index: number;
    digest: string;
    diffId: string;
    size: number;
    key: string;
    /** The layer's key in `lamina plan --json`; null for the customisation layer. */
    planKey: string | null;
    cached: boolean;
    source: LayerSource;
    paths: number;
    /** For a layer written now: how many of its paths the store already had in other layers (the split changed). */
    pathsElsewhere: number;
  }[];
  /** Paths two top-level packages both provide; the first package named got them. */
  readonly conflicts: readonly LinkConflict[];
  /** With cacheTo: the entries this build wrote, and how many the index holds now. */
  readonly teamCache?: { readonly reference: string; readonly written: number; readonly entries: number };
}

const SOURCE_WORDS: Record<LayerSource, string> = { local: 'from the cache', team: 'from the team cache', built: 'written' };

/**
 * Turns the pipeline's events into a job's: Nix's log as lines, phases as phases,
 * layer writing as byte progress against the closure's NAR size (a cached layer
 * counts as done at once), and each layer's own state as the job's detail.
 */
function jobEvents({ emit }: JobContext): (event: BuildEvent) => void {
  const written = new Map<number, number>();
  const layerSizes = new Map<number, number>();
  const layerTitles = new Map<number, string>();
  let total = 0;
  let detail: ImageBuildDetail | null = null;
  const progress = (): void => emit({ type: 'progress', done: [...written.values()].reduce((a, b) => a + b, 0), total, unit: 'bytes' });
  return (event) => {
    const next = nextDetail(detail, event);
    if (next !== detail) emit({ type: 'detail', detail: (detail = next) });
    switch (event.type) {
      case 'phase':
        return emit({ type: 'phase', name: event.phase });
      case 'nix-log':
        return emit({ type: 'log', text: formatNixLogLine(event) });
      case 'conflicts':
        for (const conflict of event.conflicts) emit({ type: 'log', stream: 'info', text: `Conflict: ${conflictLine(conflict)}` });
        return;
      case 'plan':
        total = event.closureNarSize;
        for (const layer of event.layers) {
          layerSizes.set(layer.index, layer.narSize);
          if (layer.title) layerTitles.set(layer.index, layer.title);
        }
        emit({ type: 'log', stream: 'info', text: `Planned ${plural(event.layers.length, 'layer')} for ${plural(event.closurePaths, 'store path')} (${formatBytes(total)})` });
        return progress();
      case 'layer-started':
        return;
      case 'layer-progress':
        written.set(event.index, Math.min(event.tarBytes, event.narSize));
        return progress();
      case 'layer-done':
        written.set(event.index, layerSizes.get(event.index) ?? 0);
        progress();
        emit({
          type: 'log',
          stream: 'info',
          text: `Layer ${event.index + 1}/${layerSizes.size}: ${event.digest.slice(0, 19)} ${formatBytes(event.size)}, ${SOURCE_WORDS[event.source]}${layerTitles.has(event.index) ? ` (${layerTitles.get(event.index)})` : ''}`,
        });
        return;
      case 'warning':
        return emit({ type: 'log', stream: 'err', text: `Warning: ${event.text}` });
    }
  };
}

/**
 * The full image build (Nix, closure, plan, layers, image, store) as a job;
 * `builders` as for the nix-build job; `tap` sees the pipeline's own events too
 * (the CLI draws its progress bars from them); `sources` holds the real sources
 * of inputs stored with their credentials withheld.
 */
export function imageBuildJob(
  openStore: () => Promise<Store>,
  builders: () => string | undefined,
  tap?: BuildEventListener,
  sources: WithheldSources = new WithheldSources(),
  registries?: RegistryAccess,
): JobKind<ImageBuildInput> {
  return {
    title: ({ attrs }) => `image ${attrs.join(' ')}`,
    storedInput: (input) => ({ ...input, source: sources.withhold(input.source) }),
    async run(stored, context): Promise<ImageBuildResult> {
      const input = { ...stored, source: sources.reveal(stored.source) };
      const { name, out, popularityFile, cacheFrom, cacheTo, teamCacheRegistry, ...fields } = input;
      const recipe = popularityFile ? { ...fields, popularity: loadPopularity(popularityFile) } : fields;
      const toJob = jobEvents(context);
      const onEvent: BuildEventListener = tap
        ? (event) => {
            toJob(event);
            tap(event);
          }
        : toJob;
      const withBuilders = withSettingsBuilders(recipe, builders());
      const store = await openStore();
      const warn = (text: string): void => onEvent({ type: 'warning', text });
      const fromSettings = teamCacheRegistry !== undefined ? registries?.teamCacheOf?.(teamCacheRegistry) : undefined;
      if (teamCacheRegistry !== undefined && fromSettings === undefined) warn(`${teamCacheRegistry} has no team cache set up in Settings; building without one`);
      const cacheRefs = [...(cacheFrom ?? []), ...(fromSettings !== undefined ? [fromSettings] : [])].map(parseCacheReference);
      const cacheToText = cacheTo ?? fromSettings;
      const cacheToRef = cacheToText !== undefined ? parseCacheReference(cacheToText) : undefined;
      if ((cacheRefs.length > 0 || cacheToRef) && !registries) throw new Error('image-build job given team caches without registry access');
      const teamCache =
        cacheRefs.length > 0 && registries
          ? await readTeamCaches(cacheRefs, registries, { signal: context.signal, locations: new PushRecords(store.db), onWarning: warn })
          : undefined;
      let result;
      try {
        result = await buildImage(store, withBuilders, {
          signal: context.signal,
          onEvent,
          ...(name ? { name } : {}),
          ...(out ? { out } : {}),
          ...(teamCache ? { teamCache } : {}),
        });
      } finally {
        await teamCache?.close();
      }
      let teamCacheOutcome: ImageBuildResult['teamCache'];
      if (cacheToRef && registries) {
        context.emit({ type: 'phase', name: 'team-cache' });
        const client = await registries.client(cacheToRef.registry, context.signal);
        try {
          // Loaded here: the registry client is not part of a build that uses no team cache.
          const { exportToTeamCache } = await import('../../team-cache/team-cache-writer.js');
          const outcome = await exportToTeamCache(client, cacheToRef, store, result.layers, recipe.compression, new PushRecords(store.db), { onWarning: warn });
          teamCacheOutcome = { reference: cacheToText!, ...outcome };
        } finally {
          await client.close();
        }
      }
      return {
        name: result.name,
        manifestDigest: result.manifestDigest,
        configDigest: result.configDigest,
        layers: result.layers.map((layer) => ({
          index: layer.index,
          digest: layer.digest,
          diffId: layer.diffId,
          size: layer.size,
          key: layer.key,
          planKey: layer.planKey,
          cached: layer.cached,
          source: layer.source,
          paths: layer.paths.length,
          // Asked after the build: this build's other new layers hold none of these paths, so only older layers count.
          pathsElsewhere: layer.cached || layer.kind !== 'store-paths' ? 0 : pathsInOtherLayers(store.db, layer.digest, layer.paths),
        })),
        conflicts: result.conflicts,
        ...(teamCacheOutcome ? { teamCache: teamCacheOutcome } : {}),
      };
    },
  };
}

/**
 * The team caches' reader, loaded only for a build that names one: it brings the
 * registry client, which most builds never use.
 */
async function readTeamCaches(...args: ConstructorParameters<typeof TeamCacheReader>): Promise<TeamCacheReader> {
  const { TeamCacheReader } = await import('../../team-cache/team-cache-reader.js');
  return new TeamCacheReader(...args);
}

/**
 * Images made when they are pulled. A manifest request for packages and a tag
 * asks Nix which out paths the packages evaluate to (nothing is built), and serves the cached image when a
 * previous pull recorded those very paths; otherwise it runs an `image-build`
 * job (it shows in the Jobs view with its log) and records the result once the
 * image is committed. Requests for the same name and source share one flight, and
 * the flight does not belong to any request: a client that leaves mid-build
 * neither cancels the build nor leaves half a record.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { errorLine, LaminaError } from '../../../src-shared/errors.js';
import { MediaType } from '../image/media-types.js';
import type { ImageBuildInput, ImageBuildResult } from '../jobs/kinds/image-build.js';
import type { JobRunner } from '../jobs/runner.js';
import { DEFAULT_STRATEGY } from '../../../src-shared/strategies.js';
import { DEFAULT_MAX_LAYERS } from '../../../src-shared/layer-budget.js';
import { DEFAULT_COMPRESSION } from '../../../src-shared/compressions.js';
import { evalOutPaths } from '../nix/out-paths.js';
import { parseSource, type PackageSource } from '../nix/source.js';
import type { Store } from '../store/store.js';
import { DistributionError } from './errors.js';
import { ManifestCache } from './manifest-cache.js';
import { resolvePackages, SHELL_PACKAGE } from './resolve.js';
import type { TagSources } from './sources.js';

export interface ServedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

export interface ServedBlob {
  readonly file: string;
  readonly size: number;
}

export interface OnDemandDeps {
  readonly db: Db;
  readonly store: () => Promise<Store>;
  /** A runner with the `image-build` kind: the app's, or the CLI's. */
  readonly runner: JobRunner;
  readonly sources: TagSources;
}

/** What the pipeline defaults to (`lamina build` without flags), so a pulled image is the one `lamina build` makes. */
const PULL_RECIPE = { strategy: DEFAULT_STRATEGY, maxLayers: DEFAULT_MAX_LAYERS, compression: DEFAULT_COMPRESSION, config: {} } as const;

export class OnDemandImages {
  private readonly cache: ManifestCache;
  private readonly flights = new Map<string, Promise<ServedManifest>>();

  constructor(private readonly deps: OnDemandDeps) {
    this.cache = new ManifestCache(deps.db);
  }

  /** The manifest for the packages from the tag's source: cached, or built now. */
  byTag(repository: string, packages: readonly string[], tag: string): Promise<ServedManifest> {
    const source = this.deps.sources.sourceFor(tag);
    const key = JSON.stringify([repository, source]);
    let flight = this.flights.get(key);
    if (!flight) {
      flight = this.make(repository, packages, tag, source).finally(() => this.flights.delete(key));
      this.flights.set(key, flight);
    }
    return flight;
  }

  async byDigest(repository: string, digest: string): Promise<ServedManifest> {
    if (!this.cache.servesManifest(repository, digest)) {
      throw new DistributionError('MANIFEST_UNKNOWN', `${repository} has no manifest ${digest}; pull it by tag first`, { digest });
    }
    return this.readManifest(digest);
  }

  async blob(repository: string, digest: string): Promise<ServedBlob> {
    const store = await this.deps.store();
    const info = this.cache.servesBlob(repository, digest) ? store.content.info(digest) : undefined;
    if (!info) throw new DistributionError('BLOB_UNKNOWN', `${repository} has no blob ${digest}`, { digest });
    return { file: store.layout.blobPath(digest), size: info.size };
  }

  tags(): string[] {
    return this.deps.sources.tags();
  }

  private async make(repository: string, packages: readonly string[], tag: string, sourceSpec: string): Promise<ServedManifest> {
    const source = parseSource(sourceSpec);
    const { attrs, roots } = await this.outPaths(source, tag, packages);
    const cached = this.cache.find(repository, sourceSpec, roots);
    if (cached) return this.readManifest(cached.manifestDigest);

    const imageName = `pull/${repository}:${createHash('sha256').update(sourceSpec).digest('hex').slice(0, 12)}`;
    const input: ImageBuildInput = { ...PULL_RECIPE, source: sourceSpec, attrs, name: imageName };
    const job = await this.deps.runner.wait(this.deps.runner.start('image-build', input).id);
    if (job.state !== 'succeeded') {
      const why = job.state === 'failed' ? (job.error ?? 'it failed without a message') : `it was ${job.state}`;
      throw new DistributionError('MANIFEST_UNKNOWN', `could not build ${repository}:${tag} (job ${job.id}): ${why}`, { job: job.id, state: job.state });
    }
    const result = job.result as ImageBuildResult;
    // The source may have changed while it built: record the image for these out paths only if Nix still gives them.
    const now = await evalOutPaths(source, attrs);
    if (JSON.stringify(now) === JSON.stringify(roots)) {
      this.cache.record({ repository, source: sourceSpec, roots, imageName: result.name, manifestDigest: result.manifestDigest, jobId: job.id });
    }
    return this.readManifest(result.manifestDigest);
  }

  /**
   * The attributes to build and their out paths. A name without `shell` is its own
   * attribute list, so a warm pull costs one evaluation; the attribute check (which
   * names every unknown package) runs when that evaluation fails, or to expand `shell`.
   */
  private async outPaths(source: PackageSource, tag: string, packages: readonly string[]): Promise<{ attrs: string[]; roots: string[] }> {
    if (packages.includes(SHELL_PACKAGE)) {
      const attrs = await resolvePackages(source, tag, packages);
      return { attrs, roots: await evalOutPaths(source, attrs) };
    }
    try {
      return { attrs: [...packages], roots: await evalOutPaths(source, packages) };
    } catch (err) {
      await resolvePackages(source, tag, packages);
      throw err;
    }
  }

  private async readManifest(digest: string): Promise<ServedManifest> {
    const store = await this.deps.store();
    try {
      return { digest, mediaType: MediaType.ociManifest, bytes: await store.content.read(digest) };
    } catch (err) {
      // The row vouched for it a moment ago: a `cache gc` or `verify` in between is the only way here.
      throw new DistributionError('MANIFEST_UNKNOWN', `the manifest ${digest} left the store while it was served (${errorLine(err)}); pull again`, { digest });
    }
  }
}

/**
 * Errors that are not the registry's own: a person's error (Nix could not evaluate
 * the source, a bad source) means the image cannot be made, MANIFEST_UNKNOWN with
 * its line; anything else is a bug, UNKNOWN. Clients print the message of a 4xx
 * answer only, hence 404 for the first.
 */
export function asDistributionError(err: unknown): DistributionError {
  if (err instanceof DistributionError) return err;
  if (err instanceof LaminaError) return new DistributionError('MANIFEST_UNKNOWN', err.message);
  return new DistributionError('UNKNOWN', errorLine(err));
}

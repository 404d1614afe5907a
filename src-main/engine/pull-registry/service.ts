/**
 * The pull registry as a switch: started and stopped by `lamina serve --registry`
 * or by Settings in the app, over the engine's own database, store and job runner.
 */
import type { Db } from '../db/database.js';
import type { JobRunner } from '../jobs/runner.js';
import type { Store } from '../store/store.js';
import { OnDemandImages } from './on-demand.js';
import { startPullRegistry, type RunningPullRegistry } from './server.js';
import { pullSourceSetting, setPullSourceSetting, TagSources } from './sources.js';
import type { PullRegistryStatus } from '../../../src-shared/pull-registry.js';

export interface PullRegistryStart {
  readonly host?: string;
  readonly port?: number;
  /** The default source (tag `latest`); Settings' when absent. */
  readonly source?: string;
  readonly log?: (line: string) => void;
}

export class PullRegistryService {
  private running: RunningPullRegistry | null = null;
  private starting: Promise<RunningPullRegistry> | null = null;
  private fixedSource: string | undefined;

  constructor(private readonly deps: { readonly db: Db; readonly store: () => Promise<Store>; readonly runner: JobRunner }) {}

  async start(options: PullRegistryStart = {}): Promise<PullRegistryStatus> {
    if (!this.running) {
      this.fixedSource = options.source;
      this.starting ??= startPullRegistry({
        images: new OnDemandImages({ ...this.deps, sources: new TagSources(this.deps.db, options.source) }),
        ...(options.host !== undefined ? { host: options.host } : {}),
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.log ? { log: options.log } : {}),
      }).finally(() => (this.starting = null));
      this.running = await this.starting;
    }
    return this.status();
  }

  async stop(): Promise<PullRegistryStatus> {
    const running = this.running;
    this.running = null;
    this.fixedSource = undefined;
    await running?.close();
    return this.status();
  }

  /** Sets (or with null, clears) Settings' default source; a running registry uses it from the next pull. */
  setSource(source: string | null): PullRegistryStatus {
    setPullSourceSetting(this.deps.db, source);
    return this.status();
  }

  status(): PullRegistryStatus {
    return { running: this.running !== null, address: this.running?.address ?? null, source: this.fixedSource ?? pullSourceSetting(this.deps.db) };
  }
}

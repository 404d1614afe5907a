import type { JobRunner } from '../engine/jobs/runner.js';
import type { Db } from '../engine/db/database.js';
import type { RegistrySettings } from '../engine/logins/registry-settings.js';
import type { AppInfo, Handlers } from '../../src-shared/ipc/contract.js';
import { settingsHandlers } from './handlers/settings.js';
import { cacheHandlers } from './handlers/cache.js';
import { imagesHandlers } from './handlers/images.js';
import type { Store } from '../engine/store/store.js';
import { composeHandlers, type ComposeDeps } from './handlers/compose.js';
import type { PullRegistryService } from '../engine/pull-registry/service.js';
import type { ImageSessions } from '../engine/inspect/image-sessions.js';
import { pullRegistryHandlers } from './handlers/pull-registry.js';

export interface HandlerDeps {
  readonly runner: JobRunner;
  readonly dataDir: string;
  readonly version: string;
  /** Nix's version line; rejects with a LaminaError when Nix cannot be run. */
  readonly nixVersion: () => Promise<string>;
  readonly db: Db;
  readonly registries: RegistrySettings;
  /** The content store, opened on first use. */
  readonly store: () => Promise<Store>;
  readonly compose: ComposeDeps;
  readonly pullRegistry: PullRegistryService;
  /** The images the Images views opened, and the opens still reading. */
  readonly imageSessions: ImageSessions;
}

/** The engine behind every request channel; transports only carry these. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { runner } = deps;
  return {
    'app:info': async (): Promise<AppInfo> => ({
      version: deps.version,
      dataDir: deps.dataDir,
      nix: await deps.nixVersion().then(
        (version) => ({ version }),
        (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
      ),
      platform: `${process.platform} ${process.arch}`,
      jobKinds: runner.kinds,
    }),
    'jobs:list': ({ limit }) => runner.list(limit),
    'jobs:get': ({ id }) => runner.get(id),
    'jobs:log': ({ id, after, limit }) => runner.log(id, after, limit),
    'jobs:start': ({ kind, input }) => runner.start(kind, input),
    'jobs:cancel': ({ id }) => runner.cancel(id),
    'jobs:retry': ({ id }) => runner.retry(id),
    ...settingsHandlers(deps.db, deps.registries),
    ...cacheHandlers(deps.db, deps.store),
    ...imagesHandlers(deps.imageSessions, deps.dataDir, deps.store, deps.registries),
    ...composeHandlers(deps.compose),
    ...pullRegistryHandlers(deps.pullRegistry),
  };
}
